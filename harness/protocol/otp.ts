/**
 * One-time passwords for sites that publish a BitMaelum key (spec/formats.md §10.7 and §15.3; Go
 * `cmd/bm-client/handlers/otp.go:96-121`; PHP counterpart `php_core` `Otp::getCode`).
 *
 * - The site publishes a public key string in TXT `_otp.<site>`; `secret = KeyExchange(accountPriv,
 *   sitePub)` (exchange.ts, §1.6) — ed25519 (X25519) or ecdsa (ECDH) keys; rsa cannot exchange.
 * - HMAC key = `secret ‖ ASCII(site)`.
 * - Message = 8-byte big-endian `uint64` of the 30-second block start in **nanoseconds**:
 *   `(UnixNano / 30e9) * 30e9` (Go integer division, truncating toward zero; a negative value is
 *   written in two's complement, as Go's `uint64(...)` conversion does).
 * - HMAC-SHA256, RFC 4226 dynamic truncation (offset = low nibble of the LAST byte of the 32-byte
 *   MAC), `% 10^digits`, zero-padded decimal; the client uses 8 digits.
 *
 * PHP difference (§15.3): PHP encodes the nanosecond value with as few bytes as it needs and keys
 * the HMAC with the secret only. For real-world times both encodings are 8 bytes and agree; for
 * small times they differ (t = 1 or 10 → Go `17059019`, PHP `01481263`). This module is Go's rule.
 * @module
 */
import { createHmac } from 'node:crypto';
import { InvalidInput } from './errors.ts';
import { concatBytes, preview, utf8 } from './bytes.ts';
import type { Clock } from './random.ts';
import type { PrivateKey, PublicKey } from './keys.ts';
import { keyExchange } from './exchange.ts';

/** `blockPeriod` (otp.go:36). */
export const OTP_PERIOD_SECONDS = 30;

/** The 8-byte message: big-endian uint64 of the block start in nanoseconds (`getBlockTimestamp`). */
export function otpMessage(unixSeconds: number): Uint8Array {
  if (!Number.isSafeInteger(unixSeconds)) throw new InvalidInput(`unixSeconds: expected integer, got ${preview(unixSeconds)}`);
  const ns = BigInt(unixSeconds) * 1_000_000_000n;
  // Go's UnixNano is undefined outside int64 (years before 1678 / after 2262).
  if (ns >= 1n << 63n || ns < -(1n << 63n)) throw new InvalidInput(`unixSeconds: ${unixSeconds} s is outside the int64 nanosecond range`);
  const period = BigInt(OTP_PERIOD_SECONDS) * 1_000_000_000n;
  // BigInt division truncates toward zero, like Go's int64 division.
  const block = (ns / period) * period;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, block));
  return out;
}

/**
 * The OTP for an HMAC key at `unixSeconds` (Go `computeOTPFromSecret`).
 * @param hmacKey `secret ‖ site` for BitMaelum (any bytes)
 * @param digits 1..10, default 8
 * @example otpCode(utf8('secret'), 1618384000) // '10023065' (§15.3)
 */
export function otpCode(hmacKey: Uint8Array, unixSeconds: number, digits = 8): string {
  if (!(hmacKey instanceof Uint8Array)) throw new InvalidInput(`hmacKey: expected Uint8Array, got ${hmacKey === null ? 'null' : typeof hmacKey}`);
  if (!Number.isInteger(digits) || digits < 1 || digits > 10) throw new InvalidInput(`digits: expected 1..10, got ${preview(digits)}`);
  const sum = createHmac('sha256', hmacKey).update(otpMessage(unixSeconds)).digest();
  const offset = sum[sum.length - 1]! & 0x0f;
  const value = ((sum[offset]! & 0x7f) << 24) | (sum[offset + 1]! << 16) | (sum[offset + 2]! << 8) | sum[offset + 3]!;
  return String(value % 10 ** digits).padStart(digits, '0');
}

/**
 * The OTP an account shows for `site` at `clock.now()` (Go `OtpGenerate` for one TXT key).
 * @throws UnsupportedKeyType / InvalidKey from the key exchange (e.g. an rsa site key); InvalidInput
 *   for a bad site or clock
 */
export function siteOtp(accountPriv: PrivateKey, sitePub: PublicKey, site: string, clock: Clock, digits = 8): string {
  if (typeof site !== 'string') throw new InvalidInput(`site: expected string, got ${site === null ? 'null' : typeof site}`);
  if (!clock || typeof clock.now !== 'function') throw new InvalidInput('clock: expected a Clock');
  const secret = keyExchange(accountPriv, sitePub);
  return otpCode(concatBytes(secret, utf8(site)), clock.now(), digits);
}
