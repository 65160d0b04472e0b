import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cfbDecrypt, cfbEncrypt, gcmOpen, gcmSeal, zlibCompress, zlibDecompress } from './symmetric.ts';
import { fromHex, toHex, utf8, fromUtf8 } from './bytes.ts';
import { DecryptionFailed, InvalidInput } from './errors.ts';
import { seededRng, type Rng } from './random.ts';
import { goMarshalBytes } from './gojson.ts';
import { goTestdata } from './gotestdata.ts';

// Go aes_256_gcm_test.go uses key 0x01..0x20 and a mocked reader giving nonce 0x01..0x0c.
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
const countingRng: Rng = { bytes: (n) => Uint8Array.from({ length: n }, (_, i) => i + 1) };

describe('AES-256-GCM blob (§3.1)', () => {
  it.each([
    ['{"foo":"foo","bar":42}', '0102030405060708090a0b0cd50ccaf25f4919cf09d29707cfd85f447b7cc81364086ef28862b9253567e56389d19e85d96d'],
    ['And now you do what they told ya', '0102030405060708090a0b0cef40c8bd5e0454cd16d28d0587951d52613f8607221db44b75631a27728005dd8a16728c2d98faf6e5c1067add42ae90'],
    ['{"Foo":"foo","Bar":"bar"}', '0102030405060708090a0b0cd50ceaf25f4919cf09d29707cfd87f447b7cc8053414a31028e3ffa60e3aa9841063a1d4d0027f9c6a'],
  ])('seals %j to the Go blob nonce‖ct‖tag and opens it back', (pt, blob) => {
    expect(toHex(gcmSeal(KEY, utf8(pt), countingRng))).toBe(blob);
    expect(fromUtf8(gcmOpen(KEY, fromHex(blob)))).toBe(pt);
  });

  it('JSONEncrypt of Go structs: goMarshal({foo, bar:42}) and the untagged catalog mock {Foo, Bar} give the Go blobs', () => {
    expect(toHex(gcmSeal(KEY, goMarshalBytes({ foo: 'foo', bar: 42 }), countingRng))).toBe(
      '0102030405060708090a0b0cd50ccaf25f4919cf09d29707cfd85f447b7cc81364086ef28862b9253567e56389d19e85d96d',
    );
    expect(toHex(gcmSeal(KEY, goMarshalBytes({ Foo: 'foo', Bar: 'bar' }), countingRng))).toBe(
      '0102030405060708090a0b0cd50ceaf25f4919cf09d29707cfd87f447b7cc8053414a31028e3ffa60e3aa9841063a1d4d0027f9c6a',
    );
  });

  it('draws exactly 12 bytes (the nonce) from the rng', () => {
    const draws: number[] = [];
    gcmSeal(KEY, utf8('x'), { bytes: (n) => (draws.push(n), new Uint8Array(n)) });
    expect(draws).toEqual([12]);
  });

  it('rejects a blob under a key with byte 0 changed (Go: key[0] ^= 80) as DecryptionFailed', () => {
    const k = KEY.slice();
    k[0]! ^= 80;
    const blob = fromHex('0102030405060708090a0b0cef40c8bd5e0454cd16d28d0587951d52613f8607221db44b75631a27728005dd8a16728c2d98faf6e5c1067add42ae90');
    expect(() => gcmOpen(k, blob)).toThrow(DecryptionFailed);
  });

  it('rejects "foobar" and every blob shorter than 28 bytes as DecryptionFailed', () => {
    expect(() => gcmOpen(KEY, utf8('foobar'))).toThrow(DecryptionFailed);
    for (let n = 0; n < 28; n++) expect(() => gcmOpen(KEY, new Uint8Array(n))).toThrow(DecryptionFailed);
  });

  it('accepts an empty plaintext (28-byte blob)', () => {
    const b = gcmSeal(KEY, new Uint8Array(0), countingRng);
    expect(b.length).toBe(28);
    expect(gcmOpen(KEY, b).length).toBe(0);
  });

  it('rejects keys that are not 32 bytes as InvalidInput, not DecryptionFailed', () => {
    expect(() => gcmSeal(new Uint8Array(16), utf8('x'), countingRng)).toThrow(InvalidInput);
    expect(() => gcmOpen(new Uint8Array(31), new Uint8Array(40))).toThrow(InvalidInput);
  });

  it('any single flipped bit in a blob (nonce, ciphertext or tag) fails to open', () => {
    const rng = seededRng(utf8('gcm-flip'));
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.nat(), (pt, pos) => {
        const blob = gcmSeal(KEY, pt, rng);
        const bit = pos % (blob.length * 8);
        blob[bit >> 3]! ^= 1 << (bit & 7);
        expect(() => gcmOpen(KEY, blob)).toThrow(DecryptionFailed);
      }),
      { numRuns: 200 },
    );
  });
});

describe('AES-CFB128 (§3.2)', () => {
  const iv = fromHex('a4c044c63cdd9ce6ae62d7f3846a212e');
  const key = fromHex('f23f9775c640fa3ef749c20787cffbac10b0c4ccf0eeb3e9b89e7cfbce58c22f');

  it('BM-SYM-009 encrypts "foo bar baz" to the Go KAT c307bda265500690a33981 (128-bit segments, not CFB8)', () => {
    expect(toHex(cfbEncrypt(key, iv, utf8('foo bar baz')))).toBe('c307bda265500690a33981');
    expect(fromUtf8(cfbDecrypt(key, iv, fromHex('c307bda265500690a33981')))).toBe('foo bar baz');
  });

  it('keeps the length and round-trips with 16/24/32-byte keys', () => {
    fc.assert(
      fc.property(fc.constantFrom(16, 24, 32), fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 16, maxLength: 16 }), (kl, data, iv16) => {
        const k = new Uint8Array(kl).fill(7);
        const ct = cfbEncrypt(k, iv16, data);
        expect(ct.length).toBe(data.length);
        expect(cfbDecrypt(k, iv16, ct)).toEqual(data);
      }),
      { numRuns: 100 },
    );
  });

  it('BM-SYM-005 rejects an IV that is not 16 bytes ("IV is not of blocksize") and key sizes other than 16/24/32', () => {
    expect(() => cfbEncrypt(key, new Uint8Array(15), utf8('x'))).toThrow(/IV is not of blocksize/);
    expect(() => cfbDecrypt(key, new Uint8Array(32), utf8('x'))).toThrow(InvalidInput);
    expect(() => cfbEncrypt(new Uint8Array(31), iv, utf8('x'))).toThrow(InvalidInput);
    expect(() => cfbEncrypt(new Uint8Array(0), iv, utf8('x'))).toThrow(InvalidInput);
  });
});

describe('zlib (§3.3)', () => {
  const LOREM = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. Maecenas sagittis sapien non risus sollicitudin malesuada.';
  const LOREM_Z =
    '78da14c6d18903310c04d056a680632bb914216cb10cd892f148fd87fcbdffbcbec1a3de98b9f2422cd8f6fac3c8908ff2ea0b9b3cd460bcf0c57af0311f1e26c85e56f187430f44062ed582722d0e564f06b62d57dbb4e71b0000ffffbf8d2b4b';

  // spec/formats.md §3.3 says 150×A; compress_test.go:34 (src1) actually holds 160 'A's.
  it('BM-SYM-009 decompresses the Go-compressed Lorem and 160×A vectors (Go deflate bytes are not reproduced, only read)', () => {
    expect(fromUtf8(zlibDecompress(fromHex(LOREM_Z)))).toBe(LOREM);
    expect(fromUtf8(zlibDecompress(fromHex('78da721ce400100000ffffc7a428a1')))).toBe('A'.repeat(160));
  });

  it('BM-SYM-010 compresses at BestCompression (header 78 da) and round-trips', () => {
    const z = zlibCompress(utf8(LOREM));
    expect(toHex(z.subarray(0, 2))).toBe('78da');
    expect(fromUtf8(zlibDecompress(z))).toBe(LOREM);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (d) => {
        expect(zlibDecompress(zlibCompress(d))).toEqual(d);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses output larger than maxOutput (zip bomb) with InvalidInput', () => {
    const bomb = zlibCompress(new Uint8Array(1 << 20));
    expect(bomb.length).toBeLessThan(2000);
    expect(() => zlibDecompress(bomb, 1000)).toThrow(InvalidInput);
    expect(zlibDecompress(bomb, 1 << 20).length).toBe(1 << 20);
    expect(() => zlibDecompress(zlibCompress(utf8('ab')), 1)).toThrow(InvalidInput);
    expect(zlibDecompress(zlibCompress(new Uint8Array(0)), 0).length).toBe(0);
  });

  it('ignores bytes after the end of the zlib stream, as Go\'s zlib reader does', () => {
    const z = zlibCompress(utf8('hello'));
    expect(fromUtf8(zlibDecompress(new Uint8Array([...z, 1, 2, 3])))).toBe('hello');
  });

  it('rejects truncated, corrupt and non-zlib input as DecryptionFailed', () => {
    const z = fromHex(LOREM_Z);
    expect(() => zlibDecompress(z.subarray(0, z.length - 4))).toThrow(DecryptionFailed); // adler32 missing
    const bad = z.slice();
    bad[bad.length - 1]! ^= 1; // adler32 wrong
    expect(() => zlibDecompress(bad)).toThrow(DecryptionFailed);
    expect(() => zlibDecompress(utf8('foobar'))).toThrow(DecryptionFailed);
    expect(() => zlibDecompress(new Uint8Array(0))).toThrow(DecryptionFailed);
  });

  // Go TestEncryptAndCompress: attachment.png → zlib(9) → CFB gives 5407 bytes. That length depends on Go's
  // deflate, so here we assert the round trip and the PNG magic instead (spec §3.3).
  it('BM-SYM-009 attachment.png survives zlib+CFB and decrypts+inflates to bytes starting 89 50 4e 47', () => {
    const png = goTestdata('attachment.png');
    expect(png.length).toBe(5391);
    const rng = seededRng(utf8('png'));
    const iv16 = rng.bytes(16);
    const k = rng.bytes(32);
    const ct = cfbEncrypt(k, iv16, zlibCompress(png));
    const back = zlibDecompress(cfbDecrypt(k, iv16, ct));
    expect(toHex(back.subarray(0, 4))).toBe('89504e47');
    expect(back).toEqual(png);
  });
});
