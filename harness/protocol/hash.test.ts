import { describe, expect, it } from 'vitest';
import { EMPTY_HASH, hashString, isHash, verifyHash } from './hash.ts';

describe('hash.New / NewFromHash (§2.1, §2.3)', () => {
  it.each([
    ['joshua!', '2f92571b5567b4557b94ac5701fc48e552ba9970d6dac89f7c2ebce92f1cd836'],
    ['somethingelse', '102d0177f8ce6b0f5ada79780043ec90440529a53c98bd6043419e64c1d4274f'],
    ['example!', '2e4551de804e27aacf20f9df5be3e8cd384ed64488b21ab079fb58e8c90068ab'],
    ['foo', '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae'],
    ['foobar', 'c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2'],
    ['', EMPTY_HASH],
  ])('hash.New(%j) is the Go KAT', (s, h) => {
    expect(hashString(s)).toBe(h);
  });

  it('hashes the UTF-8 bytes of the string (precomposed and decomposed é differ)', () => {
    expect(hashString('\u00e9')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c'); // sha256 of c3 a9
    expect(hashString('\u00e9')).not.toBe(hashString('e\u0301'));
  });

  it('BM-HASH-003 BM-HASH-004 NewFromHash rejects "12345678" and accepts a 64-hex hash, upper case included', () => {
    expect(isHash('12345678')).toBe(false);
    expect(isHash('102d0177f8ce6b0f5ada79780043ec90440529a53c98bd6043419e64c1d4274f')).toBe(true);
    expect(isHash('102D0177F8CE6B0F5ADA79780043EC90440529A53C98BD6043419E64C1D4274F')).toBe(true);
    expect(isHash('102d0177f8ce6b0f5ada79780043ec90440529a53c98bd6043419e64c1d4274')).toBe(false);
    expect(isHash('102d0177f8ce6b0f5ada79780043ec90440529a53c98bd6043419e64c1d4274fa')).toBe(false);
    expect(isHash('g02d0177f8ce6b0f5ada79780043ec90440529a53c98bd6043419e64c1d4274f')).toBe(false);
    expect(isHash('102d0177f8ce6b0f5ada79780043ec90440529a53c98bd6043419e64c1d4274f\n')).toBe(false);
    expect(isHash(42)).toBe(false);
  });

  it('BM-HASH-006 Verify(local, org) holds for joshua@bitmaelum! and fails with a changed org hash', () => {
    const h = '6b024a4e51c0c4a30c3750115c66be776253880bb4af0f313e3bf2236e808840';
    const l = 'fc52fabe94c0e037d2df4498e87481a6438960c9f73d517584a7a5c564535ac4';
    expect(verifyHash(h, l, '49aa67181f4a3176f9b65605390bb81126e8ff1f6d03b1bd220c53e7a6b36d3e')).toBe(true);
    expect(verifyHash(h, l, '0000000000000006f9b65605390bb81126e8ff1f6d03b1bd220c53e7a6b36d3e')).toBe(false);
    const j = '66c94b6643ada5661b2d940eb87502b5af0f47f40fd45ce0fa125502dfa9c1ee';
    expect(verifyHash(j, hashString('joshua'), EMPTY_HASH)).toBe(true);
    expect(verifyHash(j, hashString('joshua'), '00000000000c1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')).toBe(false);
  });
});
