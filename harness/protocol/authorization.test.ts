import { describe, expect, it } from 'vitest';
import { authorizationMessage, signAuthorization, verifyAuthorization } from './authorization.ts';
import { fromUtf8 } from './bytes.ts';
import { GO_ED25519_1, GO_ED25519_2, GO_KEY_3, GO_PRIVKEY_ECDSA } from './fixtures.ts';
import { seededRng } from './random.ts';

const AUTH_PUB = 'ed25519 MCowBQYDK2VwAyEA4KhfZWs/+B9Xx6eU+zN+A1USGtXsCs5zJNRq8JOM9EA=';
const KAT = 'GRlSsdrkcciQSOiZNPHO0e0emRAv9x0rhB+eARdarkHeCJL9YOIHghen5C8+8IAaNGe0qHVPal+EcdXCKjQVBg==';
const H3_AUTH_SIG =
  'V/cdCpxF6Ktv7hDvvDzJm9okoJMo8ikx1lnaWyFNbkKGAWADQVexdMLtP2OeqMa8f9EVqWFimb3uznzeJ9EfHKvjg33vzfOfsYRmsRVtMyDyypb9ilFCzI2px3IevsWut8TQ78aQ7eNTUe++LCGQgKOyAwNuUR9ctQqh88KlCS2udFw0FF9P94xZrAaxiA0LSDigAyMzANQGG55BxKg+PSdPZDBh+zNLBfG2fTS4zKa4hzhycE4pVexQPqmsBgnHws9YQqQTouxDovym/7FRRAc8bqxzrWS0F0OCZcj0twS8qXSFwof/FGJTKrE1Kr4nNXNdqxHnFonWaWRwOv/uUA==';

describe('authorized key signatures (§10.3, auth_key_test.go)', () => {
  it('signs the 64 ASCII hex chars of hash.New(public key string), not the raw digest', () => {
    expect(fromUtf8(authorizationMessage(AUTH_PUB))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('key-ed25519-1 signing key-ed25519-2 gives the Go KAT GRlSsdrk…VBg==', () => {
    expect(signAuthorization(GO_ED25519_1.privateKey, AUTH_PUB)).toBe(KAT);
    expect(verifyAuthorization(GO_ED25519_1.publicKey, AUTH_PUB, KAT)).toBe(true);
  });

  it('header-003 authorized_by.signature is key-3 (RSA) signing key-ed25519-2, and re-signing reproduces it', () => {
    expect(verifyAuthorization(GO_KEY_3.publicKey, AUTH_PUB, H3_AUTH_SIG)).toBe(true);
    expect(signAuthorization(GO_KEY_3.privateKey, AUTH_PUB)).toBe(H3_AUTH_SIG);
  });

  it('hashes Go PubKey.String(): a trailing newline on the key text does not change the signature', () => {
    expect(signAuthorization(GO_ED25519_1.privateKey, `${AUTH_PUB}\n`)).toBe(KAT);
    expect(signAuthorization(GO_ED25519_1.privateKey, `${AUTH_PUB} desc`)).not.toBe(KAT);
  });

  it('rejects a wrong origin key, another authorized key, bad b64, empty and foobar signatures', () => {
    expect(verifyAuthorization(GO_ED25519_2.publicKey, AUTH_PUB, KAT)).toBe(false);
    expect(verifyAuthorization(GO_ED25519_1.publicKey, GO_ED25519_1.publicKey, KAT)).toBe(false);
    for (const s of ['', 'foobar', 'Zm9vYmFy', 'A']) expect(verifyAuthorization(GO_ED25519_1.publicKey, AUTH_PUB, s)).toBe(false);
    expect(verifyAuthorization('garbage', AUTH_PUB, KAT)).toBe(false);
    expect(verifyAuthorization(GO_ED25519_1.publicKey, 'garbage', KAT)).toBe(false);
  });

  it('works for an ecdsa origin (randomized signature)', () => {
    const s = signAuthorization(GO_PRIVKEY_ECDSA.privateKey, AUTH_PUB, seededRng(new Uint8Array([9])));
    expect(verifyAuthorization(GO_PRIVKEY_ECDSA.publicKey, AUTH_PUB, s)).toBe(true);
  });

  it('throws on an unparseable origin private key', () => {
    expect(() => signAuthorization('ed25519 AAAA', AUTH_PUB)).toThrow();
  });
});
