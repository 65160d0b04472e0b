/**
 * Go's integer-field rule and duplicate-key rule (encoding/json) on every artefact the library
 * decodes from text: header, catalog, JWT claims, vault container. Each test compares with the
 * same input in a form Go accepts, so a parser that drops the literal text or collapses repeated
 * keys fails here.
 */
import { describe, expect, it } from 'vitest';
import { parseHeader, headerJson } from './header.ts';
import { parseCatalog } from './catalog.ts';
import { parseJwt } from './jwt.ts';
import { decryptContainer, encryptContainer, vaultToJson } from './vault.ts';
import { jsonEntries, parseJsonLossless } from './gojson.ts';
import { goTestdataText } from './gotestdata.ts';
import { classOf } from './_hostile.ts';
import { toB64url, utf8 } from './bytes.ts';
import { seededRng } from './random.ts';

const HEADER = goTestdataText('header-001.json');
const NOT_INTEGERS = ['983.0', '9.83e2', '983E0', '9.83E+2', '98300e-2'];

describe('parseJsonLossless keeps what Go decodes from the text', () => {
  it('every occurrence of a repeated key, in order, with each number literal', () => {
    const v = parseJsonLossless('{"a":1.0,"b":"x","a":-0,"a":1E3}') as Record<string, unknown>;
    expect(v.a).toBe(1000);
    expect(jsonEntries(v)).toEqual([
      { key: 'a', value: 1, literal: '1.0' },
      { key: 'b', value: 'x' },
      { key: 'a', value: -0, literal: '-0' },
      { key: 'a', value: 1000, literal: '1E3' },
    ]);
  });
  it('01 is not JSON', () => {
    expect(classOf(() => parseJsonLossless('{"a":01}'))).toBe('InvalidInput');
  });
});

describe('integer fields refuse a fraction or an exponent (Go strconv.ParseUint / ParseInt)', () => {
  it('header catalog.size: 983 parses; 983.0, 9.83e2, 983E0 … are InvalidInput; -0 and 01 too', () => {
    expect(parseHeader(HEADER).catalog.size).toBe(983);
    for (const lit of [...NOT_INTEGERS, '-0', '0983']) {
      expect(classOf(() => parseHeader(HEADER.replace('"size": 983', `"size": ${lit}`))), lit).toBe('InvalidInput');
    }
  });
  it('the same header as an already parsed object keeps accepting 983.0 (no literal left to check)', () => {
    expect(parseHeader(JSON.parse(HEADER.replace('"size": 983', '"size": 983.0'))).catalog.size).toBe(983);
  });
  it('catalog block and attachment size', () => {
    const cat = (field: 'blocks' | 'attachments', lit: string) => `{"${field}":[{"id":"x","size":${lit}}]}`;
    for (const field of ['blocks', 'attachments'] as const) {
      expect(parseCatalog(cat(field, '5'))[field]![0]!.size).toBe(5);
      for (const lit of [...NOT_INTEGERS.map((l) => l.replace('983', '5')), '5.0', '5e0', '-0']) {
        expect(classOf(() => parseCatalog(cat(field, lit))), `${field} ${lit}`).toBe('InvalidInput');
      }
    }
  });
  it('JWT exp, iat and nbf (int64): 1.0 and 1e0 forms are malformed, -0 is 0', () => {
    const tok = (claims: string) => `${toB64url(utf8('{"alg":"EdDSA","typ":"JWT"}'))}.${toB64url(utf8(claims))}.AA`;
    for (const name of ['exp', 'iat', 'nbf']) {
      expect(parseJwt(tok(`{"${name}":1577882130,"sub":"s"}`)).claims[name as 'exp']).toBe(1577882130);
      for (const lit of ['1577882130.0', '1577882130.5', '1.57788213e9', '1577882130E0']) {
        expect(classOf(() => parseJwt(tok(`{"${name}":${lit},"sub":"s"}`))), `${name} ${lit}`).toBe('InvalidToken');
      }
      expect(parseJwt(tok(`{"${name}":-0,"sub":"s"}`)).claims[name as 'exp']).toBe(0);
    }
  });
  it('vault container version (int): 2 opens, 2.0 and 2e0 are InvalidInput', () => {
    const c = vaultToJson(encryptContainer(utf8('{}'), 'pw', 'vault', 2, seededRng(new Uint8Array([7]))));
    expect(decryptContainer(c, 'pw').version).toBe(2);
    for (const lit of ['2.0', '2e0', '0.2E1']) {
      expect(classOf(() => decryptContainer(c.replace(/"version": ?2/, `"version":${lit}`), 'pw')), lit).toBe('InvalidInput');
    }
  });
});

describe('repeated keys are decoded in order, as Go does', () => {
  it('header: a repeated from is decoded INTO the first (struct fields merge)', () => {
    const twice = HEADER.replace('"to":', '"from": {"signed_by": "origin"},\n    "to":');
    const h = parseHeader(twice);
    expect(h.from.address).toBe('000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc');
    expect(h.from.signed_by).toBe('origin');
    // JSON.parse keeps only the last from: the address is gone.
    expect(parseHeader(JSON.parse(twice)).from.address).toBe('');
  });
  it('header: a repeated checksum map gains keys; a repeated size keeps the last; a bad earlier size still fails', () => {
    const h = parseHeader(HEADER.replace('"size": 983,', '"size": 1, "checksum": {"md5": "x"}, "size": 983,'));
    expect(h.catalog.size).toBe(983);
    expect(Object.keys(h.catalog.checksum!).sort()).toEqual(['md5', 'ripemd160', 'sha256']);
    expect(classOf(() => parseHeader(HEADER.replace('"size": 983,', '"size": "x", "size": 983,')))).toBe('InvalidInput');
    expect(classOf(() => parseHeader(HEADER.replace('"size": 983,', '"size": 1.5, "size": 983,')))).toBe('InvalidInput');
    expect(headerJson(h)).toContain('"size":983');
  });
  it('JWT: a repeated exp keeps the last; a wrong type or 1.0 in an earlier one is malformed; a later null keeps the value', () => {
    const tok = (claims: string) => `${toB64url(utf8('{"alg":"EdDSA"}'))}.${toB64url(utf8(claims))}.AA`;
    expect(parseJwt(tok('{"exp":1,"exp":2,"sub":"s"}')).claims.exp).toBe(2);
    expect(parseJwt(tok('{"exp":2,"EXP":null,"sub":"s"}')).claims.exp).toBe(2);
    expect(parseJwt(tok('{"sub":"a","sub":"b"}')).claims.sub).toBe('b');
    expect(classOf(() => parseJwt(tok('{"exp":"1","exp":2,"sub":"s"}')))).toBe('InvalidToken');
    expect(classOf(() => parseJwt(tok('{"exp":1.0,"exp":2,"sub":"s"}')))).toBe('InvalidToken');
  });
  it('vault container: a later null version keeps the earlier one; a repeated hmac keeps the last', () => {
    const c = vaultToJson(encryptContainer(utf8('{}'), 'pw', 'vault', 2, seededRng(new Uint8Array([7]))));
    expect(decryptContainer(c.replace(/"version": ?2/, '"version":2,"version":null'), 'pw').version).toBe(2);
    const hmac = /"hmac": ?"([^"]+)"/.exec(c)![1]!;
    const bad = 'A'.repeat(hmac.length - 1) + '=';
    expect(decryptContainer(c.replace(/"hmac": ?"[^"]+"/, `"hmac":"${bad}","hmac":"${hmac}"`), 'pw').version).toBe(2);
    expect(classOf(() => decryptContainer(c.replace(/"hmac": ?"[^"]+"/, `"hmac":"${hmac}","hmac":"${bad}"`), 'pw'))).toBe('BadPassword');
  });
});
