import { describe, expect, it } from 'vitest';
import { generateKeyPairSync, diffieHellman } from 'node:crypto';
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import * as F from './fixtures.ts';
import { ed25519PublicBytes, ed25519PublicDer, parsePrivateKey, parsePublicKey } from './keys.ts';
import { edPublicToX25519, keyExchange, x25519Go } from './exchange.ts';
import { classOf } from './_hostile.ts';
import { toHex } from './bytes.ts';

const priv = (k: { privateKey: string }) => parsePrivateKey(k.privateKey);
const pub = (k: { publicKey: string }) => parsePublicKey(k.publicKey);

describe('keyExchange KATs (keyexchange_test.go:28-89, spec §1.6/§1.9)', () => {
  it('Ed25519 alice×bob = bob×alice = 9130cc82…0d7a (X25519 of converted keys, no KDF)', () => {
    expect(toHex(keyExchange(priv(F.ALICE_ED25519), pub(F.BOB_ED25519)))).toBe(F.ED25519_EXCHANGE_SECRET_HEX);
    expect(toHex(keyExchange(priv(F.BOB_ED25519), pub(F.ALICE_ED25519)))).toBe(F.ED25519_EXCHANGE_SECRET_HEX);
  });

  it('ECDSA P-384 alice×bob = bob×alice = the 48-byte x-coordinate c677e577…f5c7', () => {
    const a = keyExchange(priv(F.ALICE_ECDSA), pub(F.BOB_ECDSA));
    expect(a.length).toBe(48);
    expect(toHex(a)).toBe(F.ECDSA_EXCHANGE_SECRET_HEX);
    expect(toHex(keyExchange(priv(F.BOB_ECDSA), pub(F.ALICE_ECDSA)))).toBe(F.ECDSA_EXCHANGE_SECRET_HEX);
  });

  it('RSA key exchange is refused with UnsupportedKeyType (either side)', () => {
    expect(classOf(() => keyExchange(priv(F.GO_KEY_1), pub(F.GO_KEY_2)))).toBe('UnsupportedKeyType');
    expect(classOf(() => keyExchange(priv(F.ALICE_ED25519), pub(F.GO_KEY_2)))).toBe('UnsupportedKeyType');
  });

  it('mixed key types (ed25519 × ecdsa) are refused with UnsupportedKeyType', () => {
    expect(classOf(() => keyExchange(priv(F.ALICE_ED25519), pub(F.BOB_ECDSA)))).toBe('UnsupportedKeyType');
  });
});

describe('Ed25519 → X25519 conversion (ed2curve25519)', () => {
  it('u(A) equals noble\'s toMontgomery for valid keys', () => {
    for (const k of [F.ALICE_ED25519, F.BOB_ED25519, F.GO_ED25519_1, F.GO_ED25519_4]) {
      const a = ed25519PublicBytes(pub(k));
      expect(toHex(edPublicToX25519(a))).toBe(toHex(ed25519.utils.toMontgomery(a)));
    }
  });

  it('the conversion does no point validation: a y that is not on the curve still converts (Go does the arithmetic only)', () => {
    // y = 2 is not the y of an Ed25519 point; Go computes u = 3 / (1-2) = -3 mod p.
    const y2 = new Uint8Array(32);
    y2[0] = 2;
    const u = edPublicToX25519(y2);
    const expected = (1n << 255n) - 19n - 3n;
    expect(toHex(u)).toBe(toHex(Buffer.from(expected.toString(16).padStart(64, '0'), 'hex').reverse()));
  });

  it('y = 1 (denominator 0) gives u = 0 and the exchange fails like Go X25519 (low order point → InvalidKey)', () => {
    const y1 = new Uint8Array(32);
    y1[0] = 1;
    expect(toHex(edPublicToX25519(y1))).toBe('00'.repeat(32));
    const k = parsePublicKey(`ed25519 ${Buffer.from(ed25519PublicDer(y1)).toString('base64')}`);
    expect(classOf(() => keyExchange(priv(F.ALICE_ED25519), k))).toBe('InvalidKey');
  });

  it('the sign bit of the public key is ignored (x and −x give the same u)', () => {
    const a = ed25519PublicBytes(pub(F.BOB_ED25519));
    const b = Uint8Array.from(a);
    b[31]! ^= 0x80;
    expect(toHex(edPublicToX25519(b))).toBe(toHex(edPublicToX25519(a)));
  });
});

describe('ECDH agrees with OpenSSL', () => {
  it('P-384 exchange with fresh node keys equals node diffieHellman', () => {
    const a = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const b = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const ak = parsePrivateKey(`ecdsa ${a.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`);
    const bk = parsePublicKey(`ecdsa ${b.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`);
    const expected = diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey });
    expect(toHex(keyExchange(ak, bk))).toBe(expected.toString('hex'));
  });
});

describe('X25519: the OpenSSL fast path agrees with the bigint ladder', () => {
  // x25519Go takes OpenSSL first and the noble ladder (the Go-exact reference) when OpenSSL
  // refuses. Any scalar and any u — top bit set, u ≥ p — must give the ladder's bytes.
  it('gives the same 32 bytes as noble for random scalars and u values', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (k, u) => {
        let want: string;
        try {
          want = toHex(x25519.scalarMult(k, u));
        } catch {
          return classOf(() => x25519Go(k, u)) === 'InvalidKey';
        }
        if (/^0+$/.test(want)) return classOf(() => x25519Go(k, u)) === 'InvalidKey';
        return toHex(x25519Go(k, u)) === want;
      }),
      { numRuns: 300 },
    );
  });

  it('non-canonical u (p + 9, 2^255 − 1, bit 255 set) and the low-order points (0, 1, p − 1, p, p + 1) agree with the ladder', () => {
    const le = (n: bigint) => { const b = new Uint8Array(32); for (let i = 0; i < 32; i++) b[i] = Number((n >> BigInt(8 * i)) & 0xffn); return b; };
    const p = (1n << 255n) - 19n;
    const k = new Uint8Array(32).fill(7);
    for (const u of [(1n << 255n) - 1n, p + 9n, 9n | (1n << 255n)]) expect(toHex(x25519Go(k, le(u)))).toBe(toHex(x25519.scalarMult(k, le(u))));
    for (const u of [0n, 1n, p - 1n, p, p + 1n]) expect(classOf(() => x25519Go(k, le(u))), `u = ${u}`).toBe('InvalidKey');
  });
});
