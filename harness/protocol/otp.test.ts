/**
 * Tests for otp.ts (spec/formats.md §10.7, §15.3): the PHP/Go agreeing known answers for
 * real-world times, Go's 8-byte encoding for small times, and the account↔site symmetry of the
 * key exchange.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { otpCode, otpMessage, siteOtp } from './otp.ts';
import { classOf } from './_hostile.ts';
import { fixedClock } from './random.ts';
import { fromHex, toHex, utf8 } from './bytes.ts';
import { parsePrivateKey, parsePublicKey } from './keys.ts';
import { ALICE_ECDSA, ALICE_ED25519, BOB_ECDSA, BOB_ED25519, ED25519_EXCHANGE_SECRET_HEX, GO_KEY_1 } from './fixtures.ts';

describe('otp known answers (§15.3)', () => {
  it.each([
    [1618384000, 'secret', '10023065'],
    [1618384010, 'secret', '10023065'],
    [1618384019, 'secret', '10023065'],
    [1618384020, 'secret', '02581877'],
    [1618384021, 'secret', '02581877'],
    [1618384030, 'secret', '02581877'],
    [1618384030, 'something-else', '24413300'],
  ] as const)('BM-OTP-001 at %i with key %j the code is %s (Go and PHP agree)', (t, key, code) => {
    expect(otpCode(utf8(key), t)).toBe(code);
  });
  it.each([
    [1, '17059019'],
    [10, '17059019'],
    [3100, '92470605'],
  ] as const)('BM-OTP-001 at small time %i Go (8-byte big-endian) gives %s, unlike PHP', (t, code) => {
    expect(otpCode(utf8('secret'), t)).toBe(code);
  });
  it('BM-OTP-001 the message is the 8-byte big-endian block start in nanoseconds', () => {
    // 1618384000 is not a multiple of 30: its block starts at 1618383990.
    expect(toHex(otpMessage(1618384019))).toBe((1618383990n * 1_000_000_000n).toString(16).padStart(16, '0'));
    expect(toHex(otpMessage(29))).toBe('0000000000000000');
    expect(toHex(otpMessage(-31))).toBe(BigInt.asUintN(64, -30_000_000_000n).toString(16));
  });
  it('BM-OTP-001 matches a naive RFC 4226 truncation of HMAC-SHA256 at any time', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 9_000_000_000 }), (key, t) => {
        const msg = Buffer.alloc(8);
        msg.writeBigUInt64BE(BigInt(Math.floor(t / 30) * 30) * 1_000_000_000n);
        const h = createHmac('sha256', key).update(msg).digest();
        const o = h[31]! & 15;
        const v = h.readUInt32BE(o) & 0x7fffffff;
        expect(otpCode(key, t)).toBe(String(v % 1e8).padStart(8, '0'));
      }),
      { numRuns: 100 },
    );
  });
});

describe('site OTP', () => {
  it('BM-OTP-001 an ed25519 account and site compute the same code from either side (HMAC key = X25519 secret ‖ site)', () => {
    const t = fixedClock(1618384000);
    const a = siteOtp(parsePrivateKey(ALICE_ED25519.privateKey), parsePublicKey(BOB_ED25519.publicKey), 'example.org', t);
    const b = siteOtp(parsePrivateKey(BOB_ED25519.privateKey), parsePublicKey(ALICE_ED25519.publicKey), 'example.org', t);
    expect(a).toBe(b);
    expect(a).toBe(otpCode(new Uint8Array([...fromHex(ED25519_EXCHANGE_SECRET_HEX), ...utf8('example.org')]), 1618384000));
    expect(siteOtp(parsePrivateKey(ALICE_ED25519.privateKey), parsePublicKey(BOB_ED25519.publicKey), 'example.net', t)).not.toBe(a);
  });
  it('ecdsa keys work too; an rsa site key cannot exchange (UnsupportedKeyType)', () => {
    const t = fixedClock(1618384000);
    expect(siteOtp(parsePrivateKey(ALICE_ECDSA.privateKey), parsePublicKey(BOB_ECDSA.publicKey), 's', t)).toBe(
      siteOtp(parsePrivateKey(BOB_ECDSA.privateKey), parsePublicKey(ALICE_ECDSA.publicKey), 's', t),
    );
    expect(classOf(() => siteOtp(parsePrivateKey(GO_KEY_1.privateKey), parsePublicKey(GO_KEY_1.publicKey), 's', t))).toBe('UnsupportedKeyType');
  });
  it('hostile arguments are InvalidInput', () => {
    for (const h of [undefined, null, 'x', 1.5, {}]) {
      expect(classOf(() => otpCode(h as Uint8Array, 1))).toBe('InvalidInput');
      expect(classOf(() => otpCode(new Uint8Array(1), h as number))).toBe('InvalidInput');
    }
    expect(classOf(() => otpCode(new Uint8Array(1), 9_300_000_000))).toBe('InvalidInput');
    for (const d of [0, 11, 2.5, NaN]) expect(classOf(() => otpCode(new Uint8Array(1), 1, d))).toBe('InvalidInput');
    expect(classOf(() => siteOtp(parsePrivateKey(ALICE_ED25519.privateKey), parsePublicKey(BOB_ED25519.publicKey), 5 as unknown as string, fixedClock(1)))).toBe('InvalidInput');
  });
});
