import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keccak_256 } from '@noble/hashes/sha3.js';
import * as F from './fixtures.ts';
import { generateKeyPair, parsePrivateKey, parsePublicKey } from './keys.ts';
import { dualKeyExchange, dualKeySecret, hs, scReduce32, txidFromHex, txidToHex } from './dualkex.ts';
import { classOf } from './_hostile.ts';
import { fixtureKeys, scriptedRng } from './testkit.ts';
import { fromHex, toHex, utf8 } from './bytes.ts';
import { seededRng } from './random.ts';

const [RCPT_PRIV, RCPT_PUB] = fixtureKeys(F.DKE_RECIPIENT_ED25519);
const OTHER_PRIV = parsePrivateKey(F.DKE_OTHER_ED25519.privateKey);

describe('TransactionID text form (dual_keyexchange_test.go:28-47)', () => {
  const P = '78d8f2ac5c5ca8e3f553f7bff06d883be6e23c4ac0c1bca4c3702e2ab1ee86d2';
  const R = '04ad9f8082906b744abdd9324c7ffa771e33d087f77f5c2cff3c83d35cbb3941';
  it('hex(P‖R) ↔ {P, R}', () => {
    expect(txidToHex({ P: fromHex(P), R: fromHex(R) })).toBe(P + R);
    const t = txidFromHex(P + R);
    expect(toHex(t.P)).toBe(P);
    expect(toHex(t.R)).toBe(R);
  });
  it('a 40-byte hex string and a non-hex string are InvalidInput', () => {
    expect(classOf(() => txidFromHex('78d8f2ac5c5ca8e3f553f7bff06d883be6e23c4ac0c1bca4c3702e2ab1ee86d204ad9f8082906b744a'))).toBe('InvalidInput');
    expect(classOf(() => txidFromHex(`XXXX${(P + R).slice(4)}`))).toBe('InvalidInput');
    expect(classOf(() => txidFromHex(`${P + R}00`))).toBe('InvalidInput');
    expect(classOf(() => txidFromHex(''))).toBe('InvalidInput');
    expect(classOf(() => txidFromHex(null as unknown as string))).toBe('InvalidInput');
  });
  it('upper-case hex is accepted (Go hex.DecodeString) and re-encoded lower-case', () => {
    expect(txidToHex(txidFromHex((P + R).toUpperCase()))).toBe(P + R);
  });
});

describe('§13.3 deterministic dual key exchange vector (computed from §1.8, not Go-produced)', () => {
  it('r = 0x01×32: R, D, Keccak-256(D), Hs(D), P, txid as listed; the recipient recovers D', () => {
    const r = new Uint8Array(32).fill(1);
    expect(toHex(scReduce32(r))).toBe('01'.repeat(32));
    const { secret, txid } = dualKeyExchange(RCPT_PUB, scriptedRng(r));
    expect(toHex(txid.R)).toBe('8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c');
    expect(toHex(secret)).toBe('21e26fd123139c6e8754b23ffe7492bae037a4149f404be26b1b9e1ff8e1730d');
    expect(toHex(keccak_256(secret))).toBe('7b88373eb245975dcad861402eef2007fa69a9e5a88e3ca2c0f7359e82099653');
    expect(toHex(hs(secret))).toBe('da646a6d2e563ba59ac88b11d50dc69ef969a9e5a88e3ca2c0f7359e82099603');
    expect(toHex(txid.P)).toBe('a4e9fc6f3b7760ec6d3095907d2bbb3e50456a83cc207df0b635536dbf2cd390');
    expect(txidToHex(txid)).toBe(
      'a4e9fc6f3b7760ec6d3095907d2bbb3e50456a83cc207df0b635536dbf2cd3908a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c',
    );
    expect(toHex(dualKeySecret(RCPT_PRIV, txid)!)).toBe(toHex(secret));
  });

  it('r = 0xff×32: reduction mod ℓ matters; R, D, P as listed', () => {
    const raw = new Uint8Array(32).fill(0xff);
    expect(toHex(scReduce32(raw))).toBe('1c95988d7431ecd670cf7d73f45befc6feffffffffffffffffffffffffffff0f');
    const { secret, txid } = dualKeyExchange(RCPT_PUB, scriptedRng(raw));
    expect(toHex(txid.R)).toBe('c451fc93f80329d3649b39a166fd775a246b53eb3668e97b8a2eb05a890f7f92');
    expect(toHex(secret)).toBe('3a5cee27e85849a82f195b870ead00e0a2e613266d3d6dac80cc957108a33b00');
    expect(toHex(txid.P)).toBe('fa3a83c9f07e68453c98ed566d7a3af11a24e83f4e0ea838bea8f2d4424f3743');
    expect(toHex(dualKeySecret(RCPT_PRIV, txid)!)).toBe(toHex(secret));
  });

  it('Keccak is the legacy one (pad 0x01): Keccak-256("") = c5d24601…a470, not SHA3-256', () => {
    expect(toHex(keccak_256(new Uint8Array(0)))).toBe('c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  });
});

describe('dualKeySecret (dual_keyexchange_test.go:61-79)', () => {
  it('the other key gets null ("not for me") for a txid made for the recipient', () => {
    const { txid } = dualKeyExchange(RCPT_PUB, seededRng(utf8('x')));
    expect(dualKeySecret(OTHER_PRIV, txid)).toBeNull();
  });

  it('a txid with a changed P or R gives null; a low-order R gives null, not a throw', () => {
    const { txid } = dualKeyExchange(RCPT_PUB, seededRng(utf8('y')));
    const P = Uint8Array.from(txid.P);
    P[0]! ^= 1;
    expect(dualKeySecret(RCPT_PRIV, { P, R: txid.R })).toBeNull();
    const R = Uint8Array.from(txid.R);
    R[5]! ^= 1;
    expect(dualKeySecret(RCPT_PRIV, { P: txid.P, R })).toBeNull();
    const one = new Uint8Array(32);
    one[0] = 1; // y = 1 → u = 0
    expect(dualKeySecret(RCPT_PRIV, { P: txid.P, R: one })).toBeNull();
  });

  it('non-ed25519 keys are refused with UnsupportedKeyType; bad txid shapes with InvalidInput', () => {
    expect(classOf(() => dualKeyExchange(parsePublicKey(F.ALICE_ECDSA.publicKey), seededRng(new Uint8Array(0))))).toBe('UnsupportedKeyType');
    expect(classOf(() => dualKeyExchange(parsePublicKey(F.GO_KEY_1.publicKey), seededRng(new Uint8Array(0))))).toBe('UnsupportedKeyType');
    expect(classOf(() => dualKeySecret(RCPT_PRIV, { P: new Uint8Array(31), R: new Uint8Array(32) }))).toBe('InvalidInput');
    expect(classOf(() => dualKeySecret(RCPT_PRIV, null as never))).toBe('InvalidInput');
  });

  it('round trip for any generated recipient and any rng seed (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.uint8Array({ minLength: 1, maxLength: 8 }), (ks, rs) => {
        const { privateKey, publicKey } = generateKeyPair('ed25519', seededRng(ks));
        const { secret, txid } = dualKeyExchange(publicKey, seededRng(rs));
        expect(toHex(dualKeySecret(privateKey, txidFromHex(txidToHex(txid)))!)).toBe(toHex(secret));
      }),
      { numRuns: 20 },
    );
  });
});
