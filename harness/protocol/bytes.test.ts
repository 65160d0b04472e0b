/**
 * The strict codecs of bytes.ts: standard base64 as Go's base64.StdEncoding (spec/formats.md
 * §10.9, internal/base64.go; RFC 4648 §10 test vectors), base64url without padding (JWT
 * segments, §8), lowercase hex.
 */
import { describe, expect, it } from 'vitest';
import { fromB64, fromB64url, fromHex, fromUtf8, toB64, toB64url, toHex, utf8 } from './bytes.ts';

const classOf = (f: () => unknown): string => {
  try {
    f();
    return 'no error';
  } catch (e) {
    return (e as Error).name;
  }
};

describe('base64 (§10.9 internal/base64.go)', () => {
  it('BM-JSON-009 round-trips the Go KAT foobar ↔ Zm9vYmFy with the standard alphabet and padding', () => {
    expect(toB64(utf8('foobar'))).toBe('Zm9vYmFy');
    expect(fromUtf8(fromB64('Zm9vYmFy'))).toBe('foobar');
  });

  // RFC 4648 §10: each length of the last quantum, with its padding.
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('BM-JSON-009 encodes %j as %j and decodes it back', (plain, b64) => {
    expect(toB64(utf8(plain))).toBe(b64);
    expect(fromUtf8(fromB64(b64))).toBe(plain);
  });

  it('decodes as StdEncoding does: padding required, no URL alphabet, CR/LF skipped', () => {
    expect(classOf(() => fromB64('Zm9vYg'))).toBe('InvalidInput');
    expect(classOf(() => fromB64('-_-_'))).toBe('InvalidInput');
    expect(classOf(() => fromB64('Zm9v YmFy'))).toBe('InvalidInput');
    expect(fromUtf8(fromB64('Zm9v\r\nYmFy\n'))).toBe('foobar');
  });
});

describe('base64url and hex', () => {
  it('base64url has no padding and the URL alphabet; a length of 1 mod 4 is refused', () => {
    expect(toB64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect([...fromB64url('-_8')]).toEqual([0xfb, 0xff]);
    expect(classOf(() => fromB64url('Zm8='))).toBe('InvalidInput');
    expect(classOf(() => fromB64url('Zm9vY'))).toBe('InvalidInput');
  });

  it('hex is written in lower case and read in either case, even length only', () => {
    expect(toHex(new Uint8Array([0xab, 0x01]))).toBe('ab01');
    expect([...fromHex('AB01')]).toEqual([0xab, 0x01]);
    expect(classOf(() => fromHex('abc'))).toBe('InvalidInput');
    expect(classOf(() => fromHex('zz'))).toBe('InvalidInput');
  });
});
