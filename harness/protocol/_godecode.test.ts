/**
 * Tests for _godecode.ts's key matching (Go encoding/json decode.go `object`, fold.go): the fold
 * onto ASCII field names, checked over every code point, and the exact-then-folded field choice
 * shared by goFields (vault.ts, jwt.ts) and decodeInto (header.ts, catalog.ts).
 */
import { describe, expect, it } from 'vitest';
import { foldKey, foldKeyDotlessI, goFieldMatcher, goFields } from './_godecode.ts';

const isAscii = (s: string) => /^[\x00-\x7f]*$/.test(s);

describe('Go JSON key fold', () => {
  it('foldKey lowers A-Z, maps U+212A KELVIN SIGN → k and U+017F LONG S → s, and sends no other code point to ASCII', () => {
    const toAscii: string[] = [];
    for (let cp = 0x80; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (foldKey(ch) !== ch) toAscii.push(`U+${cp.toString(16)}→${foldKey(ch)}`);
    }
    expect(toAscii).toEqual(['U+17f→s', 'U+212a→k']);
    for (let c = 0; c < 0x80; c++) {
      const ch = String.fromCharCode(c);
      expect(foldKey(ch)).toBe(ch >= 'A' && ch <= 'Z' ? ch.toLowerCase() : ch);
    }
  });
  it('foldKeyDotlessI (header, catalog) differs from foldKey (vault, jwt) only at U+0131 → i', () => {
    const differ: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (foldKeyDotlessI(ch) !== foldKey(ch)) differ.push(`U+${cp.toString(16)}→${foldKeyDotlessI(ch)}`);
    }
    expect(differ).toEqual(['U+131→i']);
    expect(isAscii(foldKeyDotlessI('\u0131d'))).toBe(true);
  });
});

describe('Go JSON field matching', () => {
  it('an exact name wins, else the first name equal under the fold; unknown keys match nothing', () => {
    const match = goFieldMatcher(['Keys', 'keys', 'size']);
    expect(match('keys')).toBe('keys');
    expect(match('KEYS')).toBe('Keys');
    expect(match('\u017fize')).toBe('size');
    expect(match('sizes')).toBeUndefined();
    expect(match('__proto__')).toBeUndefined();
  });
  it('goFields keeps the last value of keys naming one field and drops unknown keys', () => {
    const f = goFields({ TYPE: 'a', type: 'b', other: 1, \u212aey: 'k' }, ['type', 'key']);
    expect([...f]).toEqual([['type', 'b'], ['key', 'k']]);
  });
});
