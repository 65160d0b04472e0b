/**
 * Tests for godecode.ts's key matching (Go encoding/json decode.go `object`, fold.go): the fold
 * onto ASCII field names, checked over every code point, and the exact-then-folded field choice
 * shared by goFields (vault.ts, jwt.ts) and decodeInto (header.ts, catalog.ts).
 */
import { describe, expect, it } from 'vitest';
import { foldKey, goFieldMatcher, goFields } from './godecode.ts';
import { parseHeader } from './header.ts';

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
  it('a header key spelled with U+0131 DOTLESS I (s\u0131gned_by) is ignored, as Go 1.19 folds (Go >= 1.21 would match it)', () => {
    const h = parseHeader({ from: { address: 'a'.repeat(64), 's\u0131gned_by': 'server' }, to: { address: 'b'.repeat(64) }, catalog: { size: 1, checksum: null, encrypted_key: null }, signatures: { server: '', client: '' } });
    expect(h.from.signed_by).toBe('');
  });
  it('goFields keeps the last value of keys naming one field and drops unknown keys', () => {
    const f = goFields({ TYPE: 'a', type: 'b', other: 1, \u212aey: 'k' }, ['type', 'key']);
    expect([...f]).toEqual([['type', 'b'], ['key', 'k']]);
  });
});
