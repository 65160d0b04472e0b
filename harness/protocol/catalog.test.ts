import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { catalogToGo, decryptCatalog, encryptCatalog, goTimeString, parseCatalog, unixToGoTime, ZERO_TIME, type Catalog } from './catalog.ts';
import { fromUtf8, toHex, utf8 } from './bytes.ts';
import { DecryptionFailed, InvalidInput } from './errors.ts';
import { goMarshal } from './gojson.ts';
import { gcmOpen, gcmSeal } from './symmetric.ts';
import { seededRng, type Rng } from './random.ts';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const countingRng: Rng = { bytes: (n) => Uint8Array.from({ length: n }, (_, i) => i + 1) };

const SAMPLE: Catalog = {
  from: { address: 'john!', name: 'john doe', organisation: '', proof_of_work: null, public_key: null },
  to: { address: 'jane!' },
  created_at: '2021-04-15T12:34:56Z',
  thread_id: '',
  subject: 'subject <&>',
  flags: null,
  labels: null,
  blocks: [
    { id: '11111111-1111-4111-8111-111111111111', type: 'text', size: 27, encoding: '', compression: '', checksum: null, key: new Uint8Array(32).fill(2), iv: new Uint8Array(16).fill(3) },
  ],
  attachments: null,
};

const SAMPLE_JSON =
  '{"from":{"address":"john!","name":"john doe","organisation":"","proof_of_work":null,"public_key":null},"to":{"address":"jane!"},' +
  '"created_at":"2021-04-15T12:34:56Z","thread_id":"","subject":"subject \\u003c\\u0026\\u003e","flags":null,"labels":null,' +
  '"blocks":[{"id":"11111111-1111-4111-8111-111111111111","type":"text","size":27,"encoding":"","compression":"","checksum":null,' +
  '"key":"AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=","iv":"AwMDAwMDAwMDAwMDAwMDAw=="}],"attachments":null}';

describe('catalog JSON (§5.1, catalog.go:50-96)', () => {
  it('writes every field in Go struct order with no omitempty (empty strings and nulls kept)', () => {
    expect(goMarshal(catalogToGo(SAMPLE))).toBe(SAMPLE_JSON);
  });

  it('the zero catalog ({}) has Go zero values: zero time, nil slices and pointers', () => {
    expect(goMarshal(catalogToGo(parseCatalog({})))).toBe(
      '{"from":{"address":"","name":"","organisation":"","proof_of_work":null,"public_key":null},"to":{"address":""},"created_at":"0001-01-01T00:00:00Z","thread_id":"","subject":"","flags":null,"labels":null,"blocks":null,"attachments":null}',
    );
    expect(parseCatalog({}).created_at).toBe(ZERO_TIME);
  });

  it('round-trips through parseCatalog, keeping [] apart from null', () => {
    expect(parseCatalog(SAMPLE_JSON)).toEqual(SAMPLE);
    expect(parseCatalog(SAMPLE)).toEqual(SAMPLE); // an already parsed catalog (bytes as Uint8Array) passes through
    const c = parseCatalog({ ...JSON.parse(SAMPLE_JSON), flags: [], attachments: [], labels: ['a'] });
    expect(goMarshal(catalogToGo(c))).toContain('"flags":[],"labels":["a"]');
    expect(goMarshal(catalogToGo(c))).toContain('"attachments":[]}');
  });

  it('normalises public_key and proof_of_work to their Go String() forms', () => {
    const c = parseCatalog({ from: { public_key: 'ed25519 MCowBQYDK2VwAyEA4KhfZWs/+B9Xx6eU+zN+A1USGtXsCs5zJNRq8JOM9EA= \n', proof_of_work: '8$am9obkBleGFtcGxlIQ==$149' } });
    expect(c.from.public_key).toBe('ed25519 MCowBQYDK2VwAyEA4KhfZWs/+B9Xx6eU+zN+A1USGtXsCs5zJNRq8JOM9EA=');
    expect(c.from.proof_of_work).toBe('8$am9obkBleGFtcGxlIQ==$149');
  });

  it('re-marshals created_at as Go does: trailing fraction zeros dropped, zero offsets as Z, other offsets kept', () => {
    expect(goTimeString('2021-04-15T12:34:56.000Z')).toBe('2021-04-15T12:34:56Z');
    expect(goTimeString('2021-04-15T12:34:56.120+00:00')).toBe('2021-04-15T12:34:56.12Z');
    expect(goTimeString('2021-04-15T12:34:56-00:00')).toBe('2021-04-15T12:34:56Z');
    expect(goTimeString('2021-04-15T12:34:56+02:00')).toBe('2021-04-15T12:34:56+02:00');
    expect(unixToGoTime(1618490096)).toBe('2021-04-15T12:34:56Z');
    expect(unixToGoTime(0)).toBe('1970-01-01T00:00:00Z');
    expect(() => unixToGoTime(253402300800)).toThrow(InvalidInput); // year 10000
  });

  it.each(['2021-04-15 12:34:56Z', '2021-04-15T12:34:56', '2021-02-29T00:00:00Z', '2021-04-15T24:00:00Z', '2021-04-15T12:34:60Z', '2021-13-01T00:00:00Z', '2021-04-15t12:34:56z', '2021-04-15T12:34:56.1234567890Z', ''])(
    'rejects created_at %j with InvalidInput',
    (t) => {
      expect(() => parseCatalog({ created_at: t })).toThrow(InvalidInput);
    },
  );

  it.each([
    ['catalog as array', []],
    ['blocks as object', { blocks: {} }],
    ['block size as string', { blocks: [{ size: '1' }] }],
    ['block key not base64', { blocks: [{ key: '!!' }] }],
    ['flags with a number', { flags: [1] }],
    ['public_key garbage', { from: { public_key: 'rsa AAAA' } }],
    ['proof_of_work garbage', { from: { proof_of_work: 'nope' } }],
    ['created_at as number', { created_at: 5 }],
  ])('rejects %s with InvalidInput', (_n, v) => {
    expect(() => parseCatalog(v)).toThrow(InvalidInput);
  });

  it('matches keys case-insensitively and decodes repeated block arrays into the existing elements (Go)', () => {
    const c = parseCatalog({ Blocks: [{ id: 'a', type: 't' }], blocks: [{ id: 'b' }], SUBJECT: 's' });
    expect(c.blocks).toHaveLength(1);
    expect(c.blocks![0]!.id).toBe('b');
    expect(c.blocks![0]!.type).toBe('t');
    expect(c.subject).toBe('s');
  });
});

describe('catalog encryption (§5.2, §3.1)', () => {
  it('encrypts the compact Go-JSON with the GCM blob format (nonce from rng first)', () => {
    const blob = encryptCatalog(SAMPLE, KEY, countingRng);
    expect(toHex(blob.subarray(0, 12))).toBe('0102030405060708090a0b0c');
    expect(fromUtf8(gcmOpen(KEY, blob))).toBe(SAMPLE_JSON);
    expect(decryptCatalog(blob, KEY)).toEqual(SAMPLE);
  });

  it('fails with DecryptionFailed under a wrong key or for any flipped bit, and with InvalidInput for a non-catalog plaintext', () => {
    const rng = seededRng(new Uint8Array([5]));
    const blob = encryptCatalog(SAMPLE, KEY, rng);
    const k2 = KEY.slice();
    k2[0]! ^= 80;
    expect(() => decryptCatalog(blob, k2)).toThrow(DecryptionFailed);
    fc.assert(
      fc.property(fc.nat(), (pos) => {
        const b = blob.slice();
        const bit = pos % (b.length * 8);
        b[bit >> 3]! ^= 1 << (bit & 7);
        expect(() => decryptCatalog(b, KEY)).toThrow(DecryptionFailed);
      }),
      { numRuns: 200 },
    );
    expect(() => decryptCatalog(new Uint8Array(10), KEY)).toThrow(DecryptionFailed);
    expect(() => decryptCatalog(gcmSeal(KEY, utf8('[1]'), rng), KEY)).toThrow(InvalidInput);
    expect(() => decryptCatalog(gcmSeal(KEY, utf8('not json'), rng), KEY)).toThrow(InvalidInput);
  });
});
