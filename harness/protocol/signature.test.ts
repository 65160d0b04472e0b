import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import * as F from './fixtures.ts';
import { ed25519 } from '@noble/curves/ed25519.js';
import { concatBytes } from './bytes.ts';
import { ecdsaPrivateScalar, ed25519PublicBytes, ed25519PublicDer, generateKeyPair, parsePrivateKey, parsePublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import { parseEcdsaSignature, sign, verify } from './signature.ts';
import { seededRng } from './random.ts';
import { toHex, utf8 } from './bytes.ts';
import { p384 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';

// sign_test.go signs this ASCII string (spec §1.9).
const MSG = utf8('b2d31086f098254d32314438a863e61e');

const pair = (k: { privateKey: string; publicKey: string }): [PrivateKey, PublicKey] => [parsePrivateKey(k.privateKey), parsePublicKey(k.publicKey)];
const RSA = pair(F.GO_PRIVKEY_RSA_1024);
const RSA2048 = pair(F.GO_KEY_1);
const ED = pair(F.GO_PRIVKEY_ED25519);
const EC = pair(F.GO_PRIVKEY_ECDSA);

/** DER ECDSA-Sig-Value by hand; `padR` adds a redundant 0x00 before r. */
function rawSig(r: bigint, s: bigint, padR = false): Uint8Array {
  const int = (v: bigint, pad: boolean) => {
    let h = v.toString(16);
    if (h.length % 2) h = `0${h}`;
    if (parseInt(h.slice(0, 2), 16) & 0x80) h = `00${h}`;
    if (pad) h = `00${h}`;
    return [0x02, h.length / 2, ...Buffer.from(h, 'hex')];
  };
  const body = [...int(r, padR), ...int(s, false)];
  return Uint8Array.from([0x30, body.length, ...body]);
}

const flip = (b: Uint8Array, i: number, mask: number) => {
  const c = Uint8Array.from(b);
  c[i]! ^= mask;
  return c;
};

describe('signature KATs (sign_test.go, spec §1.9)', () => {
  it('RSA-1024 PKCS#1 v1.5 over SHA-256(message) with privkey.rsa equals the Go signature', () => {
    const sig = sign(RSA[0], MSG);
    expect(toHex(sig)).toBe(
      '74c7079a727e01f2aca1564e95974160b6231316da6ba1e15d5237e28bac5509acbe2dbd2fd4aedbd40fd6eefe7586f5caa52f6fba24db8ab3d581ebbfe671e4b11b6e8a6e726c5d275724b74ea5b1f50084ad998288b71a2a7ecc616f77583dda09180bfc0322f5039644f510f920fc27b747fef7564b985cce13ed11748e4e',
    );
    expect(verify(RSA[1], MSG, sig)).toBe(true);
  });

  it('Ed25519 (pure) with privkey.ed25519 equals the Go signature', () => {
    const sig = sign(ED[0], MSG);
    expect(toHex(sig)).toBe(
      '415c11b44a3abc626f0e217dd9ee3e4a529f02e53fdbd6e7b3ddb262669142434cbe7f2c8d48f7e29ac2e538c4c3d22dcc60f525eca909b1a65fe1fae414d005',
    );
    expect(verify(ED[1], MSG, sig)).toBe(true);
  });

  it('ECDSA P-384 with privkey.ecdsa round-trips and the signature is DER SEQUENCE{r, s}', () => {
    const sig = sign(EC[0], MSG, seededRng(utf8('ecdsa')));
    expect(sig[0]).toBe(0x30);
    const { r, s } = parseEcdsaSignature(sig);
    expect(r > 0n && s > 0n).toBe(true);
    expect(verify(EC[1], MSG, sig)).toBe(true);
  });

  it.each([
    ['rsa', RSA],
    ['ed25519', ED],
    ['ecdsa', EC],
  ] as const)('%s: flipping bit 0x80 of signature byte 0 makes verification fail', (_t, [priv, pub]) => {
    const sig = sign(priv, MSG, seededRng(new Uint8Array(1)));
    expect(verify(pub, MSG, flip(sig, 0, 0x80))).toBe(false);
  });

  it('the signature of one key does not verify under another key of the same type', () => {
    const other = parsePublicKey(F.GO_ED25519_1.publicKey);
    expect(verify(other, MSG, sign(ED[0], MSG))).toBe(false);
    expect(verify(RSA2048[1], MSG, sign(RSA[0], MSG))).toBe(false);
  });
});

describe('ECDSA details (spec §1.5, key_ecdsa.go:110-133)', () => {
  it('the message is the digest itself: a noble prehash:false signature over the raw bytes verifies, a SHA-256-hashed one does not', () => {
    const { d } = ecdsaPrivateScalar(EC[0]);
    const dBytes = Buffer.from(d.toString(16).padStart(96, '0'), 'hex');
    const raw = p384.sign(MSG, dBytes, { prehash: false, format: 'der' });
    expect(verify(EC[1], MSG, raw)).toBe(true);
    const hashed = p384.sign(sha256(MSG), dBytes, { prehash: false, format: 'der' });
    expect(verify(EC[1], MSG, hashed)).toBe(false);
  });

  it('a seeded rng gives identical signatures; a different seed a different one', () => {
    const a = sign(EC[0], MSG, seededRng(new Uint8Array([7])));
    const b = sign(EC[0], MSG, seededRng(new Uint8Array([7])));
    const c = sign(EC[0], MSG, seededRng(new Uint8Array([8])));
    expect(toHex(a)).toBe(toHex(b));
    expect(toHex(a)).not.toBe(toHex(c));
  });

  it('a message longer than 48 bytes is truncated to its leftmost 48 bytes like Go hashToInt', () => {
    const long = new Uint8Array(100).fill(5);
    const sig = sign(EC[0], long, seededRng(new Uint8Array(1)));
    expect(verify(EC[1], long, sig)).toBe(true);
    const sameHead = Uint8Array.from(long);
    sameHead[99] = 6; // beyond the 48 bytes Go looks at
    expect(verify(EC[1], sameHead, sig)).toBe(true);
    expect(verify(EC[1], long.subarray(0, 48), sig)).toBe(true);
    const otherHead = Uint8Array.from(long);
    otherHead[0] = 6;
    expect(verify(EC[1], otherHead, sig)).toBe(false);
  });

  it('verify follows Go asn1.Unmarshal: trailing bytes and extra SEQUENCE elements are ignored, non-minimal forms fail', () => {
    const sig = sign(EC[0], MSG, seededRng(new Uint8Array(3)));
    expect(verify(EC[1], MSG, Uint8Array.from([...sig, 0, 1, 2]))).toBe(true);
    // extra INTEGER 0 inside the SEQUENCE (length byte grows by 3; short form as len < 128)
    expect(sig[1]! + 3).toBeLessThan(128);
    const extra = Uint8Array.from([0x30, sig[1]! + 3, ...sig.subarray(2), 0x02, 0x01, 0x00]);
    expect(verify(EC[1], MSG, extra)).toBe(true);
    // non-minimal (long-form) length of the SEQUENCE
    const longLen = Uint8Array.from([0x30, 0x81, sig[1]!, ...sig.subarray(2)]);
    expect(verify(EC[1], MSG, longLen)).toBe(false);
    // r with a redundant leading zero byte: Go's asn1 refuses non-minimal INTEGERs
    const { r, s } = parseEcdsaSignature(sig);
    expect(verify(EC[1], MSG, rawSig(r, s))).toBe(true);
    expect(verify(EC[1], MSG, rawSig(r, s, true))).toBe(false);
    expect(verify(EC[1], MSG, new Uint8Array(0))).toBe(false);
    expect(verify(EC[1], MSG, Uint8Array.of(0x30, 0x00))).toBe(false);
  });

  it('verify accepts a high-S signature (Go does not normalise S) and rejects r or s out of range', () => {
    const sig = sign(EC[0], MSG, seededRng(new Uint8Array(4)));
    const { r, s } = parseEcdsaSignature(sig);
    const n = p384.Point.Fn.ORDER;
    const enc = (rr: bigint, ss: bigint) => new p384.Signature(rr, ss).toBytes('der');
    expect(verify(EC[1], MSG, enc(r, n - s))).toBe(true);
    const raw = (rr: bigint, ss: bigint) => rawSig(rr, ss);
    expect(verify(EC[1], MSG, raw(r, s))).toBe(true);
    expect(verify(EC[1], MSG, raw(r + n, s))).toBe(false);
    expect(verify(EC[1], MSG, raw(0n, s))).toBe(false);
  });
});

describe('Ed25519 verification follows Go crypto/ed25519 (cofactorless, lenient key decoding)', () => {
  const L = (1n << 252n) + 27742317777372353535851937790883648493n;
  const le = (v: bigint) => Uint8Array.from(Buffer.from(v.toString(16).padStart(64, '0'), 'hex').reverse());
  const pubOf = (raw: Uint8Array) => parsePublicKey(`ed25519 ${Buffer.from(ed25519PublicDer(raw)).toString('base64')}`);

  it('a small-order (identity) public key accepts R = [S]B for any message, as Go does (noble strict mode would not)', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const S = 12345n;
    const sig = concatBytes(ed25519.Point.BASE.multiply(S).toBytes(), le(S));
    expect(verify(pubOf(identity), MSG, sig)).toBe(true);
    expect(verify(pubOf(identity), utf8('anything'), sig)).toBe(true);
  });

  it('S ≥ ℓ is refused, and so is a signature with any of the top 3 bits of byte 63 set', () => {
    const sig = sign(ED[0], MSG);
    const S = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`);
    const malleable = concatBytes(sig.subarray(0, 32), le(S + L));
    expect(verify(ED[1], MSG, malleable)).toBe(false);
    expect(verify(ED[1], MSG, flip(sig, 63, 0x20))).toBe(false);
  });

  it('agrees with noble on ordinary keys and signatures', () => {
    const sig = sign(ED[0], MSG);
    expect(verify(ED[1], MSG, sig)).toBe(ed25519.verify(sig, MSG, ed25519PublicBytes(ED[1])));
  });
});

describe('ECDSA interop with OpenSSL (message = digest)', () => {
  it.each([['P-224'], ['P-256'], ['P-384'], ['P-521']])(
    '%s: our signature over SHA-256(data) verifies in node as a sha256 signature of data, and node\'s verifies here',
    (namedCurve) => {
      const kp = generateKeyPairSync('ec', { namedCurve });
      const priv = parsePrivateKey(`ecdsa ${kp.privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64')}`);
      const pub = parsePublicKey(`ecdsa ${kp.publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`);
      const data = utf8('interop');
      const digest = sha256(data);
      const ours = sign(priv, digest, seededRng(utf8(namedCurve)));
      expect(nodeVerify('sha256', data, kp.publicKey, ours)).toBe(true);
      const theirs = nodeSign('sha256', data, kp.privateKey);
      expect(verify(pub, digest, theirs)).toBe(true);
      expect(verify(pub, data, theirs)).toBe(false);
    },
  );
});

describe('verify is a predicate', () => {
  it.each([
    ['rsa', RSA[1]],
    ['ed25519', ED[1]],
    ['ecdsa', EC[1]],
  ] as const)('%s: empty, short, long, garbage and non-byte signatures give false, never a throw', (_t, pub) => {
    for (const s of [new Uint8Array(0), new Uint8Array(1), new Uint8Array(64), new Uint8Array(600).fill(0xff), 'sig', null, 5])
      expect(verify(pub, MSG, s as Uint8Array)).toBe(false);
  });
});

describe('properties', () => {
  const keys: Array<[string, PrivateKey, PublicKey]> = [
    ['rsa-1024', RSA[0], RSA[1]],
    ['rsa-2048', RSA2048[0], RSA2048[1]],
    ['ed25519', ED[0], ED[1]],
    ['ecdsa', EC[0], EC[1]],
  ];
  it.each(keys)('%s: sign → verify holds for any message, and any single flipped signature bit fails', (_n, priv, pub) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(), fc.nat({ max: 7 }), (msg, seed, pos, bit) => {
        const sig = sign(priv, msg, seededRng(seed));
        expect(verify(pub, msg, sig)).toBe(true);
        const i = pos % sig.length;
        expect(verify(pub, msg, flip(sig, i, 1 << bit))).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it('generated ed25519 and ecdsa keys sign and verify (seeded generation)', () => {
    fc.assert(
      fc.property(fc.constantFrom('ed25519' as const, 'ecdsa' as const), fc.uint8Array({ minLength: 1, maxLength: 16 }), (t, seed) => {
        const { privateKey, publicKey } = generateKeyPair(t, seededRng(seed));
        expect(verify(publicKey, MSG, sign(privateKey, MSG, seededRng(seed)))).toBe(true);
      }),
      { numRuns: 10 },
    );
  });
});
