/**
 * Profile `client`, area `keys`: account keys from recovery phrases and the account JWT
 * (spec/formats.md §7 mnemonic recovery, §8 JWT; Go pkg/bmcrypto/mnemonic.go,
 * internal/api/jwt.go), judged against the Go known answers and the reference library.
 *
 * - `mnemonic.to_key` recovers the Go-produced key of §7.4 from its phrase, and
 *   `mnemonic.from_entropy` writes the §7.4 phrase;
 * - `jwt.create` tokens verify in the reference (harness/protocol/jwt.ts) exactly inside their
 *   window iat … exp and nowhere else, for every key type;
 * - `jwt.verify` accepts reference tokens inside the window and names the failure outside it.
 */
import { afterAll, describe, it } from 'vitest';
import { GO_ED25519_1, GO_ED25519_2, GO_KEY_1, ALICE_ECDSA, GO_PRIVKEY_RSA_1024, MNEMONIC_ED25519, type KeyPairText } from '../../harness/protocol/fixtures.ts';
import { createJwt, parseJwt, verifyJwt } from '../../harness/protocol/jwt.ts';
import { hashString } from '../../harness/protocol/hash.ts';
import { formatPrivateKey, parsePrivateKey, parsePublicKey } from '../../harness/protocol/keys.ts';
import { entropyToPhrase, phraseToKeyPair } from '../../harness/protocol/mnemonic.ts';
import { fixedClock, seededRng } from '../../harness/protocol/random.ts';
import { utf8 } from '../../harness/protocol/bytes.ts';
import { suiteAdapter } from '../_support/adapter.ts';
import { mustOp, mustOpError } from '../_support/op.ts';
import { fail, mustBe, mustEqual } from '../_support/must.ts';
import { isObject, show } from '../_support/match.ts';

const adapter = await suiteAdapter();
afterAll(() => adapter.close());

describe('client › mnemonic', { meta: { area: 'mnemonic' } }, () => {
  // The Go-produced seed→key vector (the §6.3 vault's store_key): phrase → raw entropy (not
  // the BIP-39 PBKDF2 seed) → HKDF-SHA256 → Ed25519 seed → this exact key pair. formats.md
  // §7.3, §7.4.
  it('BM-MNEM-002 BM-MNEM-007 MUST recover the Go key of §7.4 from its recovery phrase', async () => {
    const r = await mustOp(adapter, 'mnemonic.to_key', { mnemonic: MNEMONIC_ED25519.phrase });
    mustEqual({ private_key: r.private_key, public_key: r.public_key, fingerprint: r.fingerprint }, { private_key: MNEMONIC_ED25519.privateKey, public_key: MNEMONIC_ED25519.publicKey, fingerprint: MNEMONIC_ED25519.fingerprint }, 'recovered key');
  });

  // The mnemonic_test.go entropy ↔ phrase KAT, written with the key-type prefix. formats.md
  // §7.1, §7.4.
  it('BM-MNEM-001 BM-MNEM-008 MUST write entropy cf8952d5…4453 as the phrase of mnemonic_test.go', async () => {
    const r = await mustOp(adapter, 'mnemonic.from_entropy', { type: 'ed25519', entropy_hex: 'cf8952d5ce19cf8d606ebf6222520a50df7bd81d33be4453' });
    mustEqual(r.mnemonic, 'ed25519 sort enhance rely order ostrich shop like subject giraffe barely little payment waste ugly inquiry jelly dust occur', 'mnemonic');
  });

  // Phrases Go rejects: a bad checksum / unknown words / too few words, and no key type.
  // formats.md §7.4 (mnemonic_test.go).
  for (const phrase of ['ed25519 ship', 'ed25519 foo bar baz', 'foobar']) {
    it(`BM-MNEM-004 MUST reject the recovery phrase ${JSON.stringify(phrase)}`, async () => {
      await mustOpError(adapter, 'mnemonic.to_key', { mnemonic: phrase }, ['InvalidInput', 'InvalidKey', 'UnsupportedKeyType']);
    });
  }

  // A valid 12-word BIP-39 phrase holds 16 bytes of entropy; Ed25519 derivation takes exactly
  // 24 or 32 bytes, so it is refused. formats.md §7.3.
  it('BM-MNEM-006 MUST reject an ed25519 phrase of 12 words (16 bytes of entropy)', async () => {
    await mustOpError(adapter, 'mnemonic.to_key', { mnemonic: `ed25519 ${'abandon '.repeat(11)}about` }, ['InvalidInput', 'InvalidKey']);
  });

  // New phrases carry 32 bytes (24 words): the key is HKDF-SHA256 of those 32 bytes, as the
  // reference derives it. formats.md §7.2–7.3.
  it('BM-MNEM-005 BM-MNEM-007 MUST derive the same key as the reference from a 24-word ed25519 phrase', async () => {
    const phrase = entropyToPhrase('ed25519', Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) & 0xff));
    const want = phraseToKeyPair(phrase);
    const r = await mustOp(adapter, 'mnemonic.to_key', { mnemonic: phrase });
    mustEqual(r.private_key, formatPrivateKey(want.privateKey), 'private_key');
  });
});

/** 2026-01-01T00:00:12Z; its 30-second block starts at …600, so iat = nbf = …570 and exp = …660 (§8). */
const NOW = 1767225612;
const CT = Math.floor(NOW / 30) * 30;
const IAT = CT - 30;
const EXP = CT + 60;
const SUB = hashString('client-suite!');

const JWT_KEYS: { type: string; alg: string; pair: KeyPairText }[] = [
  { type: 'ed25519', alg: 'EdDSA', pair: GO_ED25519_1 },
  { type: 'rsa', alg: 'RS256', pair: GO_KEY_1 },
  { type: 'ecdsa', alg: 'ES384', pair: ALICE_ECDSA },
];

/** The reference's verdict on a token at `now`: 'ok' or the error class name. */
function referenceVerdict(token: string, pair: KeyPairText, now: number): string {
  try {
    verifyJwt(token, parsePublicKey(pair.publicKey), SUB, fixedClock(now));
    return 'ok';
  } catch (e) {
    return (e as Error).name;
  }
}

describe('client › jwt.create', { meta: { area: 'jwt' } }, () => {
  // Per key type: the client mints at NOW; the header is {"alg":…,"typ":"JWT"} with the alg of
  // the key type, the claims exactly {exp, iat, nbf, sub} with the 30-second window rule, and the
  // reference accepts the token at iat, NOW and exp but not one second outside. formats.md §8.
  for (const { type, alg, pair } of JWT_KEYS) {
    it(`BM-JWT-001 BM-JWT-002 BM-JWT-003 BM-JWT-004 MUST mint an ${type} token (${alg}) that the reference accepts exactly from iat to exp`, async () => {
      const r = await mustOp(adapter, 'jwt.create', { private_key: pair.privateKey, address_hash: SUB }, { seed: '6a7774', now: NOW });
      const token = typeof r.token === 'string' ? r.token : fail(`token: expected a string, got ${show(r.token)}`);
      mustBe(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token), `token: expected three unpadded base64url segments, got ${token}`);
      mustEqual(Buffer.from(token.split('.')[0]!, 'base64url').toString(), `{"alg":"${alg}","typ":"JWT"}`, 'JWT header text');
      let parsed: ReturnType<typeof parseJwt>;
      try {
        parsed = parseJwt(token);
      } catch (e) {
        fail(`the token does not parse: ${(e as Error).message}`, 'a JWT', token);
      }
      mustEqual(parsed.header, { alg, typ: 'JWT' }, 'JWT header');
      mustEqual(parsed.claims, { exp: EXP, iat: IAT, nbf: IAT, sub: SUB }, 'JWT claims');
      const verdicts = Object.fromEntries([IAT - 1, IAT, NOW, EXP, EXP + 1].map((t) => [t - NOW, referenceVerdict(token, pair, t)]));
      mustEqual(verdicts, { [IAT - 1 - NOW]: 'TokenNotYetValid', [IAT - NOW]: 'ok', 0: 'ok', [EXP - NOW]: 'ok', [EXP + 1 - NOW]: 'TokenExpired' }, 'reference verdicts by offset from now (s)');
    });
  }

  // The RS256 known answer of internal/api/jwt_test.go: privkey.rsa, sub hash.New("test!"),
  // 2020-01-01T12:34:56Z → this exact token (RSA PKCS#1 v1.5 is deterministic). formats.md §8.
  it('BM-JWT-006 MUST reproduce the RS256 token of jwt_test.go byte for byte', async () => {
    const r = await mustOp(adapter, 'jwt.create', { private_key: GO_PRIVKEY_RSA_1024.privateKey, address_hash: hashString('test!') }, { now: 1577882096 });
    mustEqual(r.token, 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE1Nzc4ODIxMzAsImlhdCI6MTU3Nzg4MjA0MCwibmJmIjoxNTc3ODgyMDQwLCJzdWIiOiIxODgyYjkxYjdmNDlkNDc5Y2YxZWMyZjFlY2VlMzBkMGU1MzkyZTk2M2EyMTA5MDE1YjcxNDliZjcxMmFkMWI2In0.D0QCl93sfwtOVmHpt5LJ9OjnLfNR0d9WnyZIVVa-Ktxd-PSLC6b-UlhSV3NKnMz1mNdO3KQIf9_0RQcjWWxOUzH2kXANMNngeLz5bHQowiSDtTMFwKdwCdHhMaYCuMkEGvILfKRUuDhussSFZmcGcqDkIqKRFDN-0HyoHfCEHo4', 'token');
  });
});

describe('client › jwt.verify', { meta: { area: 'jwt' } }, () => {
  /** A token the reference minted at NOW for `pair`. */
  const referenceToken = (pair: KeyPairText) => createJwt(parsePrivateKey(pair.privateKey), SUB, fixedClock(NOW), seededRng(utf8('client-jwt')));

  // Per key type: a reference token is accepted at iat and at exp (inclusive bounds, no
  // leeway) and its claims come back. formats.md §8.
  for (const { type, pair } of JWT_KEYS) {
    it(`BM-JWT-004 BM-JWT-005 MUST accept a reference ${type} token at iat and at exp`, async () => {
      const token = referenceToken(pair);
      for (const now of [IAT, EXP]) {
        const r = await mustOp(adapter, 'jwt.verify', { token, public_key: pair.publicKey, address_hash: SUB }, { now });
        mustBe(isObject(r.claims) && r.claims.sub === SUB && Number(r.claims.exp) === EXP, `claims at now=${now}: expected sub ${SUB} and exp ${EXP}, got ${show(r.claims)}`);
      }
    });
  }

  // One second after exp the token is expired — reported as TokenExpired, not as a bad
  // signature. formats.md §8; requirement BM-JWT-008.
  it('BM-JWT-004 BM-JWT-008 MUST report a token one second after exp as TokenExpired', async () => {
    await mustOpError(adapter, 'jwt.verify', { token: referenceToken(GO_ED25519_1), public_key: GO_ED25519_1.publicKey, address_hash: SUB }, ['TokenExpired'], { now: EXP + 1 });
  });

  // One second before iat/nbf: not yet valid. formats.md §8.
  it('BM-JWT-004 BM-JWT-008 MUST report a token one second before iat as TokenNotYetValid', async () => {
    await mustOpError(adapter, 'jwt.verify', { token: referenceToken(GO_ED25519_1), public_key: GO_ED25519_1.publicKey, address_hash: SUB }, ['TokenNotYetValid'], { now: IAT - 1 });
  });

  // The signature is checked with the candidate key: another account's key refuses the
  // token as InvalidToken. formats.md §8 (ValidateJWTToken).
  it('BM-JWT-005 BM-JWT-008 MUST refuse a token signed by another key with InvalidToken', async () => {
    await mustOpError(adapter, 'jwt.verify', { token: referenceToken(GO_ED25519_1), public_key: GO_ED25519_2.publicKey, address_hash: SUB }, ['InvalidToken'], { now: NOW });
  });

  // sub must equal the expected address hash. formats.md §8.
  it('BM-JWT-005 MUST refuse a token whose sub is another address hash', async () => {
    await mustOpError(adapter, 'jwt.verify', { token: referenceToken(GO_ED25519_1), public_key: GO_ED25519_1.publicKey, address_hash: hashString('someone-else!') }, ['InvalidToken'], { now: NOW });
  });
});
