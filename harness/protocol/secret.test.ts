import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import * as F from './fixtures.ts';
import { parsePrivateKey, parsePublicKey, rsaPrivateKeyObject, rsaPublicKeyObject } from './keys.ts';
import { decryptSecret, encryptSecret } from './secret.ts';
import { classOf } from './_hostile.ts';
import { fixtureKeys, scriptedRng } from './testkit.ts';
import { toB64, toHex, utf8 } from './bytes.ts';
import { seededRng } from './random.ts';

const seq = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

const [RSA_PRIV, RSA_PUB] = fixtureKeys(F.GO_PRIVKEY_RSA_1024);
const [ED_PRIV, ED_PUB] = fixtureKeys(F.DKE_RECIPIENT_ED25519);
const FOOBAR = utf8('foobar');

describe('RSA (encrypt_test.go:29-51, spec §1.7)', () => {
  it('encrypting "foobar" to pubkey.rsa gives crypto rsa/oaep, empty txid, and decrypts back', () => {
    const e = encryptSecret(RSA_PUB, FOOBAR, seededRng(utf8('oaep')));
    expect(e.crypto).toBe('rsa/oaep');
    expect(e.txid).toBe('');
    expect(e.ciphertext.length).toBe(128);
    expect(decryptSecret(RSA_PRIV, e.ciphertext, e.crypto, e.txid)).toEqual(FOOBAR);
  });

  it('the same ciphertext decrypted with crypto forced to "rsa" (PKCS#1 v1.5) fails with DecryptionFailed', () => {
    const e = encryptSecret(RSA_PUB, FOOBAR, seededRng(utf8('oaep')));
    expect(classOf(() => decryptSecret(RSA_PRIV, e.ciphertext, 'rsa', ''))).toBe('DecryptionFailed');
  });

  it('our OAEP is standard RSA-OAEP-SHA256: OpenSSL decrypts it, and we decrypt OpenSSL\'s', () => {
    const e = encryptSecret(RSA_PUB, FOOBAR, seededRng(utf8('a')));
    const dec = privateDecrypt({ key: rsaPrivateKeyObject(RSA_PRIV), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, e.ciphertext);
    expect(new Uint8Array(dec)).toEqual(FOOBAR);
    const theirs = publicEncrypt({ key: rsaPublicKeyObject(RSA_PUB), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, FOOBAR);
    expect(decryptSecret(RSA_PRIV, theirs, 'rsa/oaep', '')).toEqual(FOOBAR);
  });

  it('OAEP ciphertext is deterministic for a seeded rng (seed = rng.bytes(32)) and differs for another seed', () => {
    const a = encryptSecret(RSA_PUB, FOOBAR, seededRng(utf8('1'))).ciphertext;
    const b = encryptSecret(RSA_PUB, FOOBAR, seededRng(utf8('1'))).ciphertext;
    const c = encryptSecret(RSA_PUB, FOOBAR, seededRng(utf8('2'))).ciphertext;
    expect(toHex(a)).toBe(toHex(b));
    expect(toHex(a)).not.toBe(toHex(c));
    // exactly one 32-byte read
    const r = scriptedRng(new Array(32).fill(7));
    encryptSecret(RSA_PUB, FOOBAR, r);
    expect(() => r.bytes(1)).toThrow();
  });

  it.each([['rsa'], [''], ['something-else'], ['ed25519+aes']])(
    'crypto %j falls through to PKCS#1 v1.5 (legacy): a v1.5 ciphertext decrypts',
    (crypto) => {
      const v15 = publicEncrypt({ key: rsaPublicKeyObject(RSA_PUB), padding: constants.RSA_PKCS1_PADDING }, FOOBAR);
      expect(decryptSecret(RSA_PRIV, v15, crypto, '')).toEqual(FOOBAR);
      expect(classOf(() => decryptSecret(RSA_PRIV, v15, 'rsa/oaep', ''))).toBe('DecryptionFailed');
    },
  );

  it('a secret too long for OAEP (> k − 66 bytes) is InvalidInput; a ciphertext longer than the modulus is DecryptionFailed', () => {
    expect(classOf(() => encryptSecret(RSA_PUB, new Uint8Array(63), seededRng(utf8('x'))))).toBe('InvalidInput');
    expect(encryptSecret(RSA_PUB, new Uint8Array(62), seededRng(utf8('x'))).ciphertext.length).toBe(128);
    expect(classOf(() => decryptSecret(RSA_PRIV, new Uint8Array(129), 'rsa/oaep', ''))).toBe('DecryptionFailed');
    expect(classOf(() => decryptSecret(RSA_PRIV, new Uint8Array(128).fill(0xff), 'rsa/oaep', ''))).toBe('DecryptionFailed');
    expect(classOf(() => decryptSecret(RSA_PRIV, new Uint8Array(0), 'rsa', ''))).toBe('DecryptionFailed');
  });

  it('an RSA-2048 catalog key (32 bytes) round-trips with GO_KEY_3', () => {
    const key = Uint8Array.from(seq(1, 32));
    const e = encryptSecret(parsePublicKey(F.GO_KEY_3.publicKey), key, seededRng(utf8('k3')));
    expect(e.ciphertext.length).toBe(256);
    expect(decryptSecret(parsePrivateKey(F.GO_KEY_3.privateKey), e.ciphertext, e.crypto, e.txid)).toEqual(key);
  });
});

describe('Ed25519 (dual key exchange + AES-256-GCM, spec §1.7/§1.8/§13.3)', () => {
  it('§13.3: catalog key 0x01..0x20 with r = 0x01×32 and nonce 0x01..0x0c gives the listed encrypted_key and txid', () => {
    const key = Uint8Array.from(seq(1, 32));
    const e = encryptSecret(ED_PUB, key, scriptedRng([...new Array(32).fill(1), ...seq(1, 12)]));
    expect(e.crypto).toBe('ed25519+aes');
    expect(toB64(e.ciphertext)).toBe('AQIDBAUGBwgJCgsMxQyQQXiEduVTnsTk+bzDCgZ38bsHDz+CgJbResIQFtBwSpFHihwZ3X9m1rpjH0iw');
    expect(e.txid).toBe(
      'a4e9fc6f3b7760ec6d3095907d2bbb3e50456a83cc207df0b635536dbf2cd3908a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c',
    );
    expect(decryptSecret(ED_PRIV, e.ciphertext, e.crypto, e.txid)).toEqual(key);
  });

  it('decrypt requires crypto exactly "ed25519+aes": "", "ecdsa+aes", "ED25519+AES" → DecryptionFailed', () => {
    const e = encryptSecret(ED_PUB, FOOBAR, seededRng(utf8('c')));
    for (const c of ['', 'ecdsa+aes', 'ED25519+AES', 'rsa/oaep', 'ed25519+aes '])
      expect(classOf(() => decryptSecret(ED_PRIV, e.ciphertext, c, e.txid))).toBe('DecryptionFailed');
  });

  it('another recipient, a malformed txid, or a truncated blob → DecryptionFailed', () => {
    const e = encryptSecret(ED_PUB, FOOBAR, seededRng(utf8('d')));
    const other = parsePrivateKey(F.DKE_OTHER_ED25519.privateKey);
    expect(classOf(() => decryptSecret(other, e.ciphertext, e.crypto, e.txid))).toBe('DecryptionFailed');
    expect(classOf(() => decryptSecret(ED_PRIV, e.ciphertext, e.crypto, e.txid.slice(0, 80)))).toBe('DecryptionFailed');
    expect(classOf(() => decryptSecret(ED_PRIV, e.ciphertext, e.crypto, ''))).toBe('DecryptionFailed');
    expect(classOf(() => decryptSecret(ED_PRIV, e.ciphertext.subarray(0, 20), e.crypto, e.txid))).toBe('DecryptionFailed');
  });

  it('any flipped bit in the GCM blob (nonce, ciphertext or tag) → DecryptionFailed (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.nat({ max: 7 }), (secret, pos, bit) => {
        const e = encryptSecret(ED_PUB, secret, seededRng(secret));
        const c = Uint8Array.from(e.ciphertext);
        c[pos % c.length]! ^= 1 << bit;
        expect(classOf(() => decryptSecret(ED_PRIV, c, e.crypto, e.txid))).toBe('DecryptionFailed');
      }),
      { numRuns: 40 },
    );
  });
});

describe('ECDSA and argument checks', () => {
  it('encrypting to an ecdsa key and decrypting with one are UnsupportedKeyType (Go cannot encrypt to ecdsa)', () => {
    expect(classOf(() => encryptSecret(parsePublicKey(F.ALICE_ECDSA.publicKey), FOOBAR, seededRng(utf8('e'))))).toBe('UnsupportedKeyType');
    expect(classOf(() => decryptSecret(parsePrivateKey(F.ALICE_ECDSA.privateKey), new Uint8Array(40), 'ecdsa+aes', '00'.repeat(64)))).toBe(
      'UnsupportedKeyType',
    );
  });

  it('non-bytes / non-strings are InvalidInput', () => {
    expect(classOf(() => encryptSecret(ED_PUB, 'x' as never, seededRng(utf8('e'))))).toBe('InvalidInput');
    expect(classOf(() => decryptSecret(ED_PRIV, new Uint8Array(40), null as never, ''))).toBe('InvalidInput');
    expect(classOf(() => decryptSecret(null as never, new Uint8Array(40), '', ''))).toBe('InvalidInput');
  });
});

describe('round-trip properties', () => {
  it.each([
    ['rsa-1024', RSA_PUB, RSA_PRIV],
    ['rsa-2048', parsePublicKey(F.GO_KEY_2.publicKey), parsePrivateKey(F.GO_KEY_2.privateKey)],
    ['ed25519', ED_PUB, ED_PRIV],
  ] as const)('%s: encryptSecret → decryptSecret returns the secret for any secret and rng seed', (_n, pub, priv) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 62 }), fc.uint8Array({ minLength: 1, maxLength: 16 }), (secret, seed) => {
        const e = encryptSecret(pub, secret, seededRng(seed));
        expect(decryptSecret(priv, e.ciphertext, e.crypto, e.txid)).toEqual(secret);
      }),
      { numRuns: 30 },
    );
  });
});
