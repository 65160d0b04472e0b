import { describe, expect, it } from 'vitest';
import { checksums } from './checksum.ts';
import { utf8 } from './bytes.ts';

describe('checksums (§4.2, checksum_test.go)', () => {
  it('gives ripemd160 a06e327e… and sha256 c3ab8ff1… for "foobar"', () => {
    expect(checksums(utf8('foobar'))).toEqual({
      ripemd160: 'a06e327ea7388c18e4740e350ed4e60f2e04fc41',
      sha256: 'c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2',
    });
  });
  it('gives the well-known empty-input digests', () => {
    expect(checksums(new Uint8Array(0))).toEqual({
      ripemd160: '9c1185a5c5e9fc54612808977ee8f548b2258d31',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    });
  });
  it('rejects a non-Uint8Array input', () => {
    expect(() => checksums('foobar' as unknown as Uint8Array)).toThrow(/data/);
  });
});
