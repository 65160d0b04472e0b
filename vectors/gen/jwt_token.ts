/**
 * vectors/jwt_token_test.json: account JWTs (spec/formats.md §8; Go internal/api/jwt.go,
 * pkg/bmcrypto/jwt_ed25519_sign.go, vtolstov/jwt-go v3.2.0 parser.go/claims.go).
 *
 * - The RS256 known answer of jwt_test.go (testdata/privkey.rsa, sub hash.New("test!"),
 *   now 2020-01-01T12:34:56Z) and its validity window (12:34:29 / 12:34:59 / 12:35:29 valid,
 *   12:33:59 not yet valid, 12:35:31 expired), plus the window's exact edges.
 * - EdDSA, ES384 (seeded), RS256 (2048 and 4096 bit) tokens created and verified; the EdDSA and
 *   RS256 tokens are also built here independently (header/claims Go-JSON, signature) and must
 *   equal what the reference mints.
 * - Mutants: alg none, HS256 keyed with the public key, alg/key family mismatches, another
 *   subject, flipped or truncated signatures, tampered header and claims, missing or odd claims,
 *   wrong segment counts, non-base64url and padded segments.
 * Time errors map to TokenExpired (now > exp) and TokenNotYetValid (now < iat or now < nbf),
 * everything else to InvalidToken (BM-JWT-008).
 * @module
 */
import { constants, createHash, createHmac, privateDecrypt, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import type { CaseSpec, GroupSpec, VectorFileSpec } from './_framework.ts';
import { toB64url, utf8 } from '../../harness/protocol/bytes.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { parsePrivateKey, rsaPrivateKeyObject } from '../../harness/protocol/keys.ts';
import { sign as bmSign, parseEcdsaSignature } from '../../harness/protocol/signature.ts';
import { bigintToBytes } from '../../harness/protocol/der.ts';
import type { Rng } from '../../harness/protocol/random.ts';
import { flip, goTestdataSource, keyDer, sha256hex } from './_cryptogen.ts';

/** hash.New("test!") — the subject of jwt_test.go. */
const SUB = '1882b91b7f49d479cf1ec2f1ecee30d0e5392e963a2109015b7149bf712ad1b6';
const OTHER_SUB = sha256hex('other!');
/** 2020-01-01T12:34:56Z (jwt_test.go). */
const NOW = 1577882096;
const CT = Math.trunc(NOW / 30) * 30; // 1577882070
const IAT = CT - 30; // 12:34:00
const EXP = CT + 60; // 12:35:30
const KAT_TOKEN =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE1Nzc4ODIxMzAsImlhdCI6MTU3Nzg4MjA0MCwibmJmIjoxNTc3ODgyMDQwLCJzdWIiOiIxODgyYjkxYjdmNDlkNDc5Y2YxZWMyZjFlY2VlMzBkMGU1MzkyZTk2M2EyMTA5MDE1YjcxNDliZjcxMmFkMWI2In0.D0QCl93sfwtOVmHpt5LJ9OjnLfNR0d9WnyZIVVa-Ktxd-PSLC6b-UlhSV3NKnMz1mNdO3KQIf9_0RQcjWWxOUzH2kXANMNngeLz5bHQowiSDtTMFwKdwCdHhMaYCuMkEGvILfKRUuDhussSFZmcGcqDkIqKRFDN-0HyoHfCEHo4';

const RSA_KAT = F.GO_PRIVKEY_RSA_1024;
const ED = F.GO_ED25519_1;

const seg = (json: string): string => toB64url(utf8(json));
/** Go claims (StandardClaims order: exp, iat, nbf, sub) for a window start. */
const claimsJson = (ct: number, sub = SUB): string => `{"exp":${ct + 60},"iat":${ct - 30},"nbf":${ct - 30},"sub":"${sub}"}`;
const header = (alg: string): string => `{"alg":"${alg}","typ":"JWT"}`;
const claimsOf = (ct: number, sub = SUB) => ({ exp: ct + 60, iat: ct - 30, nbf: ct - 30, sub });

type Signer = (input: string) => Uint8Array;
const eddsa = (k: F.KeyPairText): Signer => (input) => bmSign(parsePrivateKey(k.privateKey), utf8(input));
const rsaPkcs1 = (k: F.KeyPairText, hash: 'sha256' | 'sha384' | 'sha512'): Signer => (input) =>
  Uint8Array.from(nodeSign(hash, Buffer.from(input), { key: rsaPrivateKeyObject(parsePrivateKey(k.privateKey)), padding: constants.RSA_PKCS1_PADDING }));
/**
 * RSA-PSS (SHA-256, MGF1-SHA256, 32-byte salt from `rng`): EMSA-PSS-ENCODE (RFC 8017 §9.1.1) and
 * the raw private-key operation, because node's PSS signer draws its own salt (not reproducible).
 */
const rsaPss = (k: F.KeyPairText, rng: Rng): Signer => (input) => {
  const key = rsaPrivateKeyObject(parsePrivateKey(k.privateKey));
  const modBits = key.asymmetricKeyDetails!.modulusLength!;
  const emLen = Math.ceil((modBits - 1) / 8);
  const sha = (...b: Uint8Array[]) => { const h = createHash('sha256'); for (const x of b) h.update(x); return h.digest(); };
  const salt = rng.bytes(32);
  const h = sha(new Uint8Array(8), sha(utf8(input)), salt);
  const db = Buffer.alloc(emLen - 32 - 1);
  db[db.length - 33] = 0x01;
  Buffer.from(salt).copy(db, db.length - 32);
  for (let i = 0, off = 0; off < db.length; i++, off += 32) {
    const mask = sha(h, Uint8Array.of(i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255));
    for (let j = 0; j < 32 && off + j < db.length; j++) db[off + j]! ^= mask[j]!;
  }
  db[0]! &= 0xff >>> (8 * emLen - (modBits - 1));
  const em = Buffer.concat([db, h, Buffer.of(0xbc)]);
  const sig = Uint8Array.from(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, Buffer.concat([Buffer.alloc(modBits / 8 - emLen), em])));
  if (!nodeVerify('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig)) throw new Error('jwt_token: PSS self-check failed');
  return sig;
};
const es384 = (k: F.KeyPairText, rng: Rng): Signer => (input) => {
  const digest = Uint8Array.from(createHash('sha384').update(input).digest());
  const { r, s } = parseEcdsaSignature(bmSign(parsePrivateKey(k.privateKey), digest, rng));
  const out = new Uint8Array(96);
  out.set(bigintToBytes(r, 48), 0);
  out.set(bigintToBytes(s, 48), 48);
  return out;
};
const hs256 = (key: Uint8Array): Signer => (input) => Uint8Array.from(createHmac('sha256', key).update(input).digest());

/** `b64url(header).b64url(claims).b64url(sig)` with raw JSON texts. */
function token(headerJson: string, claims: string, signer: Signer): string {
  const input = `${seg(headerJson)}.${seg(claims)}`;
  return `${input}.${toB64url(signer(input))}`;
}
function splitToken(t: string): [string, string, string] {
  return t.split('.') as [string, string, string];
}
function withSig(t: string, f: (sig: Uint8Array) => Uint8Array): string {
  const [h, c, s] = splitToken(t);
  return `${h}.${c}.${toB64url(f(Uint8Array.from(Buffer.from(s, 'base64url'))))}`;
}

const REQ_FORMAT = ['BM-JWT-001', 'BM-JWT-002', 'BM-JWT-003'];

export const file: VectorFileSpec = {
  name: 'jwt_token',
  area: 'JWT',
  requirements: ['BM-JWT-001', 'BM-JWT-002', 'BM-JWT-003', 'BM-JWT-004', 'BM-JWT-005', 'BM-JWT-006', 'BM-JWT-008'],
  source: { kind: 'generated', note: 'the RS256 known answer of internal/api/jwt_test.go plus tokens generated with the fixture keys' },
  header: [
    'JWT = b64url(header) "." b64url(claims) "." b64url(signature), no padding; header {"alg","typ":"JWT"} (sorted keys); alg RS256 (rsa, rsa4096), ES384 (ecdsa, r‖s 48+48 bytes), EdDSA (ed25519, raw signature over the ASCII signing input).',
    'Claims exp, iat, nbf, sub in that order: ct = floor(now/30)*30, iat = nbf = ct − 30, exp = ct + 60, sub = address hash.',
    'jwt.verify is judged at `now`: signature with the given key, alg family matching the key type (only EdDSA for ed25519), now ≤ exp, now ≥ iat, now ≥ nbf (no leeway), sub equal to address_hash.',
    'Errors: TokenExpired (now > exp), TokenNotYetValid (now < iat or nbf), InvalidToken (anything else). Acceptable cases record what Go does where Go is more lenient than the intended rule.',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Token and validity window asserted by internal/api/jwt_test.go (spec/formats.md §8).', links: ['spec/formats.md §8'] },
    Deterministic: { bugType: 'BASIC', description: 'RS256 and EdDSA signatures are deterministic; the ES384 token is fixed by the case seed.', links: ['ADAPTER.md "Messages"'] },
    TimeWindow: { bugType: 'EDGE_CASE', description: 'now at or next to the edges of [iat, exp] (inclusive, no leeway); ct is the 30-second window start.', effect: 'Off-by-one or leeway lets tokens live longer or refuses fresh ones.', links: ['vtolstov/jwt-go claims.go'] },
    TimeErrorClass: { bugType: 'BASIC', description: 'A validly signed token outside its window is TokenExpired or TokenNotYetValid, not InvalidToken.', links: ['BM-JWT-008'] },
    AlgNone: { bugType: 'AUTH_BYPASS', description: 'alg "none" with an empty or any signature: jwt-go refuses it unless the caller passes its unsafe constant.', effect: 'Anyone can log in as any account.', links: ['https://datatracker.ietf.org/doc/html/rfc8725#section-2.1'] },
    HmacKeyConfusion: { bugType: 'AUTH_BYPASS', description: 'alg HS256 with the HMAC keyed by the public key (its DER or its text): jwt-go HS* methods need a []byte key, BitMaelum passes a key object.', effect: 'Anyone who knows the public key can mint tokens.', links: ['https://datatracker.ietf.org/doc/html/rfc8725#section-2.1'] },
    AlgKeyMismatch: { bugType: 'WRONG_PRIMITIVE', description: 'The header alg belongs to another key family than the verifying key (ES384 or RS256 header on an ed25519 key, EdDSA on an rsa key, RS256 on an ecdsa key, PS256 on an rsa key).', effect: 'Algorithm confusion: a signature made or checked with the wrong primitive is accepted.', links: ['internal/api/jwt.go:84-135 (JWTHasValidSignMethod)'] },
    AlgFamilyLenient: { bugType: 'GO_QUIRK', description: 'RS384/RS512 on an rsa key: Go accepts any RSA PKCS#1 method for an rsa key, although it only ever mints RS256. Either answer is acceptable.', links: ['internal/api/jwt.go (JWTHasValidSignMethod)'] },
    WrongSubject: { bugType: 'AUTH_BYPASS', description: 'A correctly signed token whose sub is not the expected address hash (another account, or the same hash in upper case).', effect: 'A token for one account opens another account that shares the key.', links: ['internal/api/jwt.go:84-135'] },
    WrongKey: { bugType: 'AUTH_BYPASS', description: 'A correctly formed token verified with a key of the same type that did not sign it.', effect: 'Tokens are not bound to the account key.' },
    ModifiedSignature: { bugType: 'INTEGRITY', description: 'Signature bytes flipped, truncated or empty.', effect: 'Forged tokens are accepted.' },
    ModifiedContent: { bugType: 'INTEGRITY', description: 'Header or claims changed after signing (the signature covers the exact segment text).', effect: 'An attacker extends exp or changes sub of a captured token.' },
    SignatureBeforeTime: { bugType: 'MISSING_STEP', description: 'A forged token that is also expired: the signature failure should be reported (BM-JWT-015), a time error is tolerated.', links: ['spec/api.md §2.3'] },
    OptionalClaims: { bugType: 'GO_QUIRK', description: 'jwt-go treats exp, iat and nbf as optional: a signed token without exp never expires, one without iat/nbf is valid from the start. Go accepts it; a stricter verifier may refuse it (BM-JWT-016 for servers).', effect: 'A leaked token without exp is valid forever.', links: ['spec/api.md §8 item 8'] },
    LongLifetime: { bugType: 'GO_QUIRK', description: 'A signed token whose exp is years after iat: Go accepts it; a server SHOULD refuse lifetimes over 90 s (BM-JWT-017).', effect: 'A leaked token stays valid until its far exp.', links: ['spec/api.md §8 item 8'] },
    NumericDateForm: { bugType: 'GO_QUIRK', description: 'A time claim written with a fraction or an exponent (1577882130.0, 1577882130.5, 1577882130e0, 1577882.13E3): RFC 7519 NumericDate allows non-integers, but Go decodes the claims into int64 fields and strconv.ParseInt refuses the literal, so the token is malformed. -0 is 0 (the claim counts as absent); a leading zero is not JSON.', effect: 'A library that reads 1.0 as 1 accepts tokens every Go server refuses.', links: ['https://datatracker.ietf.org/doc/html/rfc7519#section-2', 'spec/formats.md §8'] },
    DuplicateClaims: { bugType: 'GO_QUIRK', description: 'A claim repeated in the claims JSON (exactly or in another letter case): Go decodes each occurrence in order, so the last value wins, a null keeps the previous value, and a wrong type in any occurrence makes the token malformed.', effect: 'A first-wins parser reads another expiry or subject than the Go server checks.', links: ['spec/formats.md §8'] },
    MalformedClaims: { bugType: 'BASIC', description: 'A claim of the wrong JSON type (exp as a string, sub as a number) or a segment that is not a JSON object.', effect: 'A crash or a token read with default claims.' },
    SegmentCount: { bugType: 'BASIC', description: 'Not exactly three dot-separated segments.', links: ['vtolstov/jwt-go parser.go'] },
    Base64url: { bugType: 'EDGE_CASE', description: 'A segment in the standard base64 alphabet (+ /) instead of base64url: jwt-go refuses it.', effect: 'A lenient decoder accepts several spellings of one token.' },
    PaddedSegment: { bugType: 'GO_QUIRK', description: 'A segment with = padding (or a line break): jwt-go DecodeSegment pads only when needed and base64.URLEncoding accepts padding and skips \\r\\n, so Go accepts the token when the signature covers the text as written. Either answer is acceptable.', links: ['vtolstov/jwt-go token.go (DecodeSegment)'] },
    WireInput: { bugType: 'BASIC', description: 'An op argument that is not usable: an address hash that is not 64 hex digits, a key string that does not parse.' },
  },
  async build(ctx) {
    const groups: GroupSpec[] = [];
    const rsaSrc = goTestdataSource('privkey.rsa', [RSA_KAT.privateKey.slice(4, 60)], 'jwt_test.go RS256 known answer');
    const edKatToken = token(header('EdDSA'), claimsJson(CT), eddsa(ED));
    const rsa2048Token = token(header('RS256'), claimsJson(CT), rsaPkcs1(F.GO_KEY_1, 'sha256'));
    const rsa4096Token = token(header('RS256'), claimsJson(CT), rsaPkcs1(F.RSA4096_FIXTURE, 'sha256'));
    const esSeed = ctx.caseSeed('create-es384');
    const esToken = (await ctx.must('jwt.create', { private_key: F.GO_PRIVKEY_ECDSA.privateKey, address_hash: SUB }, { seed: esSeed, now: NOW })).token as string;
    const esRng = ctx.rng;

    // ---- the Go known answer ----------------------------------------------------------------
    const katArgs = { token: KAT_TOKEN, public_key: RSA_KAT.publicKey, address_hash: SUB };
    const claims = claimsOf(CT);
    const at = (key: string, now: number, when: string, reqs: string[], flags: string[] = ['GoKnownAnswer']): CaseSpec => ({ key, comment: `the Go RS256 token is valid at ${when}`, flags, inputs: katArgs, now, result: 'valid', expected: { claims }, requirements: reqs });
    groups.push({
      op: 'jwt.create',
      comment: 'Go known answer: RS256 with testdata/privkey.rsa at 2020-01-01T12:34:56Z',
      source: rsaSrc,
      cases: [{ key: 'go-rs256-create', comment: 'jwt.create(privkey.rsa, hash.New("test!")) at 12:34:56 gives the jwt_test.go token byte for byte', flags: ['GoKnownAnswer', 'Deterministic'], inputs: { private_key: RSA_KAT.privateKey, address_hash: SUB }, now: NOW, result: 'valid', expected: { token: KAT_TOKEN }, requirements: [...REQ_FORMAT, 'BM-JWT-006'] }],
    });
    groups.push({
      op: 'jwt.verify',
      comment: 'Go known answer: the RS256 token checked with testdata/pubkey.rsa at several times',
      source: goTestdataSource('pubkey.rsa', [RSA_KAT.publicKey.slice(4, 60)], 'jwt_test.go validity checks'),
      cases: [
        at('go-valid-123429', IAT + 29, '12:34:29', ['BM-JWT-004', 'BM-JWT-006']),
        at('go-valid-123459', IAT + 59, '12:34:59', ['BM-JWT-004', 'BM-JWT-006']),
        at('go-valid-123529', IAT + 89, '12:35:29', ['BM-JWT-004', 'BM-JWT-006']),
        at('edge-iat', IAT, '12:34:00 = iat = nbf (inclusive)', ['BM-JWT-004'], ['TimeWindow']),
        at('edge-exp', EXP, '12:35:30 = exp (inclusive)', ['BM-JWT-004'], ['TimeWindow']),
        { key: 'go-not-yet-valid-123359', comment: 'at 12:33:59 (one second before iat/nbf) the Go token is not yet valid', flags: ['GoKnownAnswer', 'TimeWindow', 'TimeErrorClass'], inputs: katArgs, now: IAT - 1, result: 'invalid', errorClass: 'TokenNotYetValid', requirements: ['BM-JWT-004', 'BM-JWT-006', 'BM-JWT-008'] },
        { key: 'go-expired-123531', comment: 'at 12:35:31 (one second after exp) the Go token is expired', flags: ['GoKnownAnswer', 'TimeWindow', 'TimeErrorClass'], inputs: katArgs, now: EXP + 1, result: 'invalid', errorClass: 'TokenExpired', requirements: ['BM-JWT-004', 'BM-JWT-006', 'BM-JWT-008'] },
        { key: 'go-expired-next-day', comment: 'a day later the Go token is expired', flags: ['GoKnownAnswer', 'TimeErrorClass'], inputs: katArgs, now: NOW + 86400, result: 'invalid', errorClass: 'TokenExpired', requirements: ['BM-JWT-004', 'BM-JWT-008'] },
        { key: 'go-wrong-subject', comment: 'the Go token checked for another address hash', flags: ['GoKnownAnswer', 'WrongSubject'], inputs: { ...katArgs, address_hash: OTHER_SUB }, now: NOW, result: 'invalid', errorClass: 'InvalidToken', requirements: ['BM-JWT-005'] },
        { key: 'go-wrong-rsa-key', comment: 'the Go token checked with another RSA key (testdata key-1)', flags: ['GoKnownAnswer', 'WrongKey'], inputs: { ...katArgs, public_key: F.GO_KEY_1.publicKey }, now: NOW, result: 'invalid', errorClass: 'InvalidToken', requirements: ['BM-JWT-005'] },
        { key: 'go-rs256-ed25519-key', comment: 'the Go RS256 token checked with an ed25519 key', flags: ['GoKnownAnswer', 'AlgKeyMismatch'], inputs: { ...katArgs, public_key: ED.publicKey }, now: NOW, result: 'invalid', errorClass: 'InvalidToken', requirements: ['BM-JWT-005'] },
      ],
    });

    // ---- tokens of every key type -----------------------------------------------------------
    const create = (key: string, comment: string, k: F.KeyPairText, now: number, expected: string | undefined, extra: Partial<CaseSpec> = {}): CaseSpec => ({
      key,
      comment,
      flags: ['Deterministic'],
      inputs: { private_key: k.privateKey, address_hash: SUB },
      now,
      result: 'valid',
      ...(expected !== undefined ? { expected: { token: expected } } : {}),
      requirements: REQ_FORMAT,
      ...extra,
    });
    groups.push({
      op: 'jwt.create',
      comment: 'minting with ed25519, ecdsa, rsa and rsa4096 keys (expected tokens built independently, except ES384)',
      source: { kind: 'generated' },
      cases: [
        create('create-eddsa', 'EdDSA with testdata key-ed25519-1 at 12:34:56', ED, NOW, edKatToken, { requirements: [...REQ_FORMAT, 'BM-KEY-024'] }),
        create('create-rs256-2048', 'RS256 with testdata key-1 (2048 bit)', F.GO_KEY_1, NOW, rsa2048Token, { requirements: [...REQ_FORMAT, 'BM-KEY-024'] }),
        create('create-rs256-4096', 'RS256 with the rsa4096 fixture', F.RSA4096_FIXTURE, NOW, rsa4096Token, { requirements: [...REQ_FORMAT, 'BM-KEY-024'] }),
        create('create-es384', 'ES384 with testdata privkey.ecdsa, randomness from the case seed', F.GO_PRIVKEY_ECDSA, NOW, esToken, { seed: esSeed, requirements: [...REQ_FORMAT, 'BM-KEY-024'] }),
        create('create-window-start', 'now exactly at a window start (12:34:30): ct = now', ED, CT, token(header('EdDSA'), claimsJson(CT), eddsa(ED)), { flags: ['Deterministic', 'TimeWindow'] }),
        create('create-window-end', 'now = 12:34:59, the last second of the window: same claims as at 12:34:30', ED, CT + 29, edKatToken, { flags: ['Deterministic', 'TimeWindow'] }),
        create('create-previous-window', 'now = 12:34:29: the previous window (ct = 12:34:00)', ED, CT - 1, token(header('EdDSA'), claimsJson(CT - 30), eddsa(ED)), { flags: ['Deterministic', 'TimeWindow'] }),
        { key: 'create-bad-address-hash', comment: 'address_hash "test!" is not a hash', flags: ['WireInput'], inputs: { private_key: ED.privateKey, address_hash: 'test!' }, now: NOW, result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-JWT-003'] },
        { key: 'create-bad-key', comment: 'private_key does not parse', flags: ['WireInput'], inputs: { private_key: 'ed25519 AAAA', address_hash: SUB }, now: NOW, result: 'invalid', errorClass: 'InvalidKey', alsoAllowedErrorClasses: ['InvalidInput'], requirements: ['BM-JWT-002'] },
      ],
    });
    const verify = (key: string, comment: string, tok: string, k: F.KeyPairText, now: number, reqs: string[], flags: string[] = []): CaseSpec => ({ key, comment, flags, inputs: { token: tok, public_key: k.publicKey, address_hash: SUB }, now, result: 'valid', expected: { claims }, requirements: reqs });
    groups.push({
      op: 'jwt.verify',
      comment: 'verifying tokens of every key type',
      source: { kind: 'generated' },
      cases: [
        verify('verify-eddsa', 'EdDSA token with key-ed25519-1', edKatToken, ED, NOW, ['BM-JWT-002', 'BM-JWT-005']),
        verify('verify-es384', 'ES384 token with privkey.ecdsa', esToken, F.GO_PRIVKEY_ECDSA, NOW, ['BM-JWT-002', 'BM-JWT-005']),
        verify('verify-rs256-2048', 'RS256 token with key-1', rsa2048Token, F.GO_KEY_1, NOW, ['BM-JWT-002', 'BM-JWT-005']),
        verify('verify-rs256-4096', 'RS256 token with the rsa4096 fixture', rsa4096Token, F.RSA4096_FIXTURE, NOW, ['BM-JWT-002', 'BM-JWT-005']),
        verify('verify-eddsa-at-exp', 'EdDSA token at exp', edKatToken, ED, EXP, ['BM-JWT-004'], ['TimeWindow']),
        { key: 'verify-eddsa-after-exp', comment: 'EdDSA token one second after exp', flags: ['TimeWindow', 'TimeErrorClass'], inputs: { token: edKatToken, public_key: ED.publicKey, address_hash: SUB }, now: EXP + 1, result: 'invalid', errorClass: 'TokenExpired', requirements: ['BM-JWT-004', 'BM-JWT-008'] },
        { key: 'verify-es384-before-iat', comment: 'ES384 token one second before iat', flags: ['TimeWindow', 'TimeErrorClass'], inputs: { token: esToken, public_key: F.GO_PRIVKEY_ECDSA.publicKey, address_hash: SUB }, now: IAT - 1, result: 'invalid', errorClass: 'TokenNotYetValid', requirements: ['BM-JWT-004', 'BM-JWT-008'] },
      ],
    });

    // ---- mutants --------------------------------------------------------------------------------
    const bad = (key: string, comment: string, tok: string, k: F.KeyPairText, flags: string[], reqs: string[] = ['BM-JWT-005'], errorClass = 'InvalidToken', now = NOW): CaseSpec => ({
      key,
      comment,
      flags,
      inputs: { token: tok, public_key: k.publicKey, address_hash: SUB },
      now,
      result: 'invalid',
      errorClass,
      mutant: true,
      requirements: reqs,
    });
    const lenient = (key: string, comment: string, tok: string, k: F.KeyPairText, flags: string[], reqs: string[], expected?: Record<string, unknown>): CaseSpec => ({
      key,
      comment,
      flags,
      inputs: { token: tok, public_key: k.publicKey, address_hash: SUB },
      now: NOW,
      result: 'acceptable',
      ...(expected ? { expected: { claims: expected as never } } : {}),
      requirements: reqs,
    });
    const c = claimsJson(CT);
    const [kh, kc, ks] = splitToken(KAT_TOKEN);
    const [eh, ec] = splitToken(edKatToken);
    const rsaPubDer = keyDer(RSA_KAT.publicKey);
    const algCases: CaseSpec[] = [
      bad('alg-none-empty-sig', 'alg "none" with an empty signature segment', `${seg(header('none'))}.${seg(c)}.`, ED, ['AlgNone'], ['BM-JWT-005', 'BM-JWT-012']),
      bad('alg-none-kept-sig', 'alg "none" with the original EdDSA signature kept', `${seg(header('none'))}.${ec}.${splitToken(edKatToken)[2]}`, ED, ['AlgNone'], ['BM-JWT-005', 'BM-JWT-012']),
      bad('alg-none-upper', 'alg "NONE" with an empty signature', `${seg(header('NONE'))}.${seg(c)}.`, RSA_KAT, ['AlgNone'], ['BM-JWT-005', 'BM-JWT-012']),
      bad('hs256-rsa-spki-der', 'HS256 keyed with the SPKI DER of the RSA public key', token(header('HS256'), c, hs256(rsaPubDer)), RSA_KAT, ['HmacKeyConfusion'], ['BM-JWT-005', 'BM-JWT-012']),
      bad('hs256-rsa-key-text', 'HS256 keyed with the RSA public key string "rsa MIGf…"', token(header('HS256'), c, hs256(utf8(RSA_KAT.publicKey))), RSA_KAT, ['HmacKeyConfusion'], ['BM-JWT-005', 'BM-JWT-012']),
      bad('hs256-ed25519-key-text', 'HS256 keyed with the ed25519 public key string', token(header('HS256'), c, hs256(utf8(ED.publicKey))), ED, ['HmacKeyConfusion'], ['BM-JWT-005', 'BM-JWT-012']),
      bad('hs512-ed25519-raw', 'HS512 keyed with the raw 32-byte ed25519 public key', token(header('HS512'), c, (input) => Uint8Array.from(createHmac('sha512', keyDer(ED.publicKey).subarray(12)).update(input).digest())), ED, ['HmacKeyConfusion'], ['BM-JWT-005', 'BM-JWT-012']),
      bad('es384-header-ed25519-sig', 'header ES384, a real Ed25519 signature, verified with the ed25519 key', token(header('ES384'), c, eddsa(ED)), ED, ['AlgKeyMismatch']),
      bad('es384-header-ed25519-key', 'a real ES384 token (privkey.ecdsa) verified with an ed25519 key', esToken, ED, ['AlgKeyMismatch']),
      bad('rs256-header-ed25519-sig', 'header RS256, a real Ed25519 signature, verified with the ed25519 key', token(header('RS256'), c, eddsa(ED)), ED, ['AlgKeyMismatch']),
      bad('eddsa-header-rsa-sig', 'header EdDSA, a real RS256 signature, verified with the RSA key', token(header('EdDSA'), c, rsaPkcs1(RSA_KAT, 'sha256')), RSA_KAT, ['AlgKeyMismatch']),
      bad('rs256-header-ecdsa-sig', 'header RS256, a real ES384 signature, verified with the ecdsa key', token(header('RS256'), c, es384(F.GO_PRIVKEY_ECDSA, esRng)), F.GO_PRIVKEY_ECDSA, ['AlgKeyMismatch']),
      bad('eddsa-token-ecdsa-key', 'the EdDSA token verified with the ecdsa key', edKatToken, F.GO_PRIVKEY_ECDSA, ['AlgKeyMismatch']),
      bad('ps256-rsa-key', 'PS256 (RSA-PSS) correctly signed with the RSA key: Go only accepts PKCS#1 v1.5 methods for rsa keys', token(header('PS256'), c, rsaPss(RSA_KAT, esRng)), RSA_KAT, ['AlgKeyMismatch']),
      bad('eddsa-lower-case-alg', 'alg "eddsa" (methods are case-sensitive), real Ed25519 signature', token(header('eddsa'), c, eddsa(ED)), ED, ['AlgKeyMismatch']),
      bad('alg-missing', 'header {"typ":"JWT"} without alg, real Ed25519 signature', token('{"typ":"JWT"}', c, eddsa(ED)), ED, ['AlgKeyMismatch'], ['BM-JWT-001', 'BM-JWT-005']),
      lenient('rs384-rsa-key', 'RS384 correctly signed with the RSA key: Go accepts any RSA PKCS#1 method', token(header('RS384'), c, rsaPkcs1(RSA_KAT, 'sha384')), RSA_KAT, ['AlgFamilyLenient'], ['BM-JWT-005'], claims),
      lenient('rs512-rsa-key', 'RS512 correctly signed with the RSA key: Go accepts it', token(header('RS512'), c, rsaPkcs1(RSA_KAT, 'sha512')), RSA_KAT, ['AlgFamilyLenient'], ['BM-JWT-005'], claims),
    ];
    const subCases: CaseSpec[] = [
      bad('sub-other-account', 'EdDSA token correctly signed for another address hash', token(header('EdDSA'), claimsJson(CT, OTHER_SUB), eddsa(ED)), ED, ['WrongSubject']),
      bad('sub-upper-case', 'EdDSA token whose sub is the expected hash in upper case (compared byte for byte)', token(header('EdDSA'), claimsJson(CT, SUB.toUpperCase()), eddsa(ED)), ED, ['WrongSubject']),
      bad('sub-missing', 'EdDSA token without sub', token(header('EdDSA'), `{"exp":${EXP},"iat":${IAT},"nbf":${IAT}}`, eddsa(ED)), ED, ['WrongSubject']),
      bad('wrong-ed25519-key', 'the EdDSA token verified with key-ed25519-2', edKatToken, F.GO_ED25519_2, ['WrongKey']),
      bad('wrong-ecdsa-key', 'the ES384 token verified with another P-384 key', esToken, F.ALICE_ECDSA, ['WrongKey']),
    ];
    const sigCases: CaseSpec[] = [
      bad('eddsa-flip-sig-first-bit', 'EdDSA signature, first bit flipped', withSig(edKatToken, (s) => flip(s, 0)), ED, ['ModifiedSignature']),
      bad('eddsa-flip-sig-last-bit', 'EdDSA signature, last byte 0x80 flipped (S high bit)', withSig(edKatToken, (s) => flip(s, -1, 0x80)), ED, ['ModifiedSignature']),
      bad('rs256-flip-sig-middle', 'RS256 Go token, a middle signature bit flipped', withSig(KAT_TOKEN, (s) => flip(s, 64, 0x10)), RSA_KAT, ['ModifiedSignature']),
      bad('es384-flip-sig-s', 'ES384 token, a bit of s flipped', withSig(esToken, (s) => flip(s, 70)), F.GO_PRIVKEY_ECDSA, ['ModifiedSignature']),
      bad('es384-der-signature', 'ES384 token whose signature is ASN.1 DER instead of r‖s', withSig(esToken, (s) => {
        const der = (b: Uint8Array) => { let x = b; while (x.length > 1 && x[0] === 0 && x[1]! < 0x80) x = x.subarray(1); return x[0]! >= 0x80 ? Uint8Array.from([0, ...x]) : x; };
        const r = der(s.subarray(0, 48));
        const t = der(s.subarray(48));
        return Uint8Array.from([0x30, r.length + t.length + 4, 0x02, r.length, ...r, 0x02, t.length, ...t]);
      }), F.GO_PRIVKEY_ECDSA, ['ModifiedSignature']),
      bad('eddsa-sig-truncated', 'EdDSA signature without its last byte', withSig(edKatToken, (s) => s.subarray(0, 63)), ED, ['ModifiedSignature']),
      bad('eddsa-sig-empty', 'EdDSA token with an empty signature segment', `${eh}.${ec}.`, ED, ['ModifiedSignature']),
      bad('header-kid-added', 'header {"alg":"EdDSA","kid":"x","typ":"JWT"} re-encoded, original signature', `${seg('{"alg":"EdDSA","kid":"x","typ":"JWT"}')}.${ec}.${splitToken(edKatToken)[2]}`, ED, ['ModifiedContent'], ['BM-JWT-001', 'BM-JWT-005']),
      bad('header-key-order', 'header re-encoded as {"typ":"JWT","alg":"EdDSA"} (same meaning, other bytes), original signature', `${seg('{"typ":"JWT","alg":"EdDSA"}')}.${ec}.${splitToken(edKatToken)[2]}`, ED, ['ModifiedContent'], ['BM-JWT-001', 'BM-JWT-005']),
      bad('claims-exp-extended', 'claims with exp one hour later, original signature', `${eh}.${seg(`{"exp":${EXP + 3600},"iat":${IAT},"nbf":${IAT},"sub":"${SUB}"}`)}.${splitToken(edKatToken)[2]}`, ED, ['ModifiedContent']),
      bad('claims-sub-changed', 'RS256 Go token with sub replaced by another hash, original signature', `${kh}.${seg(claimsJson(CT, OTHER_SUB))}.${ks}`, RSA_KAT, ['ModifiedContent']),
      bad('claims-whitespace', 'claims re-encoded with a space after each comma (same JSON value), original signature', `${eh}.${seg(c.replace(/,/g, ', '))}.${splitToken(edKatToken)[2]}`, ED, ['ModifiedContent']),
      { ...bad('forged-and-expired', 'EdDSA signature flipped and now after exp: the signature failure should win (a time error is tolerated)', withSig(edKatToken, (s) => flip(s, 0)), ED, ['ModifiedSignature', 'SignatureBeforeTime'], ['BM-JWT-005', 'BM-JWT-015'], 'InvalidToken', EXP + 3600), alsoAllowedErrorClasses: ['TokenExpired'] },
    ];
    const claimCases: CaseSpec[] = [
      // Go's answer: its StandardClaims with the absent claims left out (omitempty).
      lenient('missing-exp', 'signed EdDSA token without exp: Go accepts it (it never expires)', token(header('EdDSA'), `{"iat":${IAT},"nbf":${IAT},"sub":"${SUB}"}`, eddsa(ED)), ED, ['OptionalClaims'], ['BM-JWT-004'], { iat: IAT, nbf: IAT, sub: SUB }),
      lenient('only-sub', 'signed EdDSA token with only sub: Go accepts it', token(header('EdDSA'), `{"sub":"${SUB}"}`, eddsa(ED)), ED, ['OptionalClaims'], ['BM-JWT-004'], { sub: SUB }),
      lenient('lifetime-ten-years', 'signed EdDSA token with exp ten years after iat: Go accepts it', token(header('EdDSA'), `{"exp":${EXP + 315360000},"iat":${IAT},"nbf":${IAT},"sub":"${SUB}"}`, eddsa(ED)), ED, ['LongLifetime'], ['BM-JWT-004'], { ...claims, exp: EXP + 315360000 }),
      bad('exp-decimal-point', 'signed token with "exp":1577882130.0 (Go: cannot unmarshal into int64)', token(header('EdDSA'), c.replace(`"exp":${EXP}`, `"exp":${EXP}.0`), eddsa(ED)), ED, ['NumericDateForm'], ['BM-JWT-003']),
      bad('exp-fraction', 'signed token with "exp":1577882130.5 (Go: cannot unmarshal into int64)', token(header('EdDSA'), c.replace(`"exp":${EXP}`, `"exp":${EXP}.5`), eddsa(ED)), ED, ['NumericDateForm'], ['BM-JWT-003']),
      bad('exp-string', 'signed token with exp as a JSON string', token(header('EdDSA'), c.replace(`"exp":${EXP}`, `"exp":"${EXP}"`), eddsa(ED)), ED, ['MalformedClaims'], ['BM-JWT-003']),
      bad('sub-number', 'signed token with sub as a JSON number', token(header('EdDSA'), `{"exp":${EXP},"iat":${IAT},"nbf":${IAT},"sub":42}`, eddsa(ED)), ED, ['MalformedClaims'], ['BM-JWT-003']),
      bad('claims-array', 'signed token whose claims segment is a JSON array', token(header('EdDSA'), '[1,2]', eddsa(ED)), ED, ['MalformedClaims'], ['BM-JWT-003']),
      bad('claims-not-json', 'signed token whose claims segment is not JSON', token(header('EdDSA'), 'not json', eddsa(ED)), ED, ['MalformedClaims'], ['BM-JWT-003']),
      bad('header-not-json', 'signed token whose header segment is not JSON', token('EdDSA', c, eddsa(ED)), ED, ['MalformedClaims'], ['BM-JWT-001']),
      bad('nbf-future', 'signed token with nbf 100 s after now (iat in the past)', token(header('EdDSA'), `{"exp":${EXP},"iat":${IAT},"nbf":${NOW + 100},"sub":"${SUB}"}`, eddsa(ED)), ED, ['TimeWindow', 'TimeErrorClass'], ['BM-JWT-004', 'BM-JWT-008'], 'TokenNotYetValid'),
      bad('iat-future', 'signed token with iat 100 s after now and no nbf', token(header('EdDSA'), `{"exp":${EXP},"iat":${NOW + 100},"sub":"${SUB}"}`, eddsa(ED)), ED, ['TimeWindow', 'TimeErrorClass'], ['BM-JWT-004', 'BM-JWT-008'], 'TokenNotYetValid'),
      bad('exp-past', 'signed token whose exp is one second before now', token(header('EdDSA'), `{"exp":${NOW - 1},"iat":${IAT},"nbf":${IAT},"sub":"${SUB}"}`, eddsa(ED)), ED, ['TimeWindow', 'TimeErrorClass'], ['BM-JWT-004', 'BM-JWT-008'], 'TokenExpired'),
    ];
    const stdSig = Buffer.from(ks, 'base64url').toString('base64').replace(/=+$/, '');
    if (!/[+/]/.test(stdSig)) throw new Error('jwt_token: the KAT signature has no + or / in standard base64');
    const paddedClaims = `${seg(c)}${'='.repeat((4 - (seg(c).length % 4)) % 4)}`;
    if (paddedClaims === seg(c)) throw new Error('jwt_token: claims segment needs no padding');
    const edSigPadded = `${splitToken(edKatToken)[2]}==`;
    const encCases: CaseSpec[] = [
      bad('four-segments', 'the EdDSA token with a fourth segment ".e30"', `${edKatToken}.e30`, ED, ['SegmentCount'], ['BM-JWT-001']),
      bad('two-segments', 'header and claims only, no signature segment', `${eh}.${ec}`, ED, ['SegmentCount'], ['BM-JWT-001']),
      bad('empty-token', 'the empty string', '', ED, ['SegmentCount'], ['BM-JWT-001']),
      bad('std-base64-signature', 'the Go RS256 token with its signature in standard base64 (+ and /)', `${kh}.${kc}.${stdSig}`, RSA_KAT, ['Base64url'], ['BM-JWT-001']),
      bad('claims-padded-not-resigned', 'claims segment with = padding, original signature (the signed text changed)', `${eh}.${paddedClaims}.${splitToken(edKatToken)[2]}`, ED, ['PaddedSegment', 'ModifiedContent'], ['BM-JWT-001']),
      lenient('signature-padded', 'the EdDSA token with "==" padding on its signature segment: Go decodes the same signature and accepts', `${eh}.${ec}.${edSigPadded}`, ED, ['PaddedSegment'], ['BM-JWT-001'], claims),
      lenient('claims-padded-resigned', 'claims segment with = padding and a signature over the padded text: Go accepts', (() => { const input = `${eh}.${paddedClaims}`; return `${input}.${toB64url(eddsa(ED)(input))}`; })(), ED, ['PaddedSegment'], ['BM-JWT-001'], claims),
      // jwt-go pads by the length of the segment as written (line breaks included), then
      // base64.URLEncoding skips \r and \n: 86 signature characters + 4 line breaks get "==".
      lenient('signature-line-breaks', '"\\r\\n\\r\\n" inside the EdDSA signature segment: Go pads by the written length and its base64 skips line breaks, so it accepts', `${eh}.${ec}.${splitToken(edKatToken)[2]!.slice(0, 40)}\r\n\r\n${splitToken(edKatToken)[2]!.slice(40)}`, ED, ['PaddedSegment'], ['BM-JWT-001'], claims),
    ];
    // ---- Go's integer and duplicate-key rules on the claims (appended) ----------------------------
    const signedClaims = (text: string): string => token(header('EdDSA'), text, eddsa(ED));
    const numberCases: CaseSpec[] = [];
    const timeClaims = { exp: EXP, iat: IAT, nbf: IAT } as const;
    for (const name of ['exp', 'iat', 'nbf'] as const) {
      const v = timeClaims[name];
      // Replace only this claim's value (iat and nbf hold the same number).
      const withLiteral = (lit: string) => c.replace(`"${name}":${v}`, `"${name}":${lit}`);
      const forms: [string, string][] = [['decimal-point', `${v}.0`], ['exponent-e0', `${v}e0`], ['exponent-upper', `${String(v).slice(0, -3)}.${String(v).slice(-3)}E3`]];
      for (const [form, lit] of forms) {
        if (name === 'exp' && form === 'decimal-point') continue; // exp-decimal-point above
        numberCases.push(bad(`${name}-${form}`, `signed token with "${name}":${lit} (Go: cannot unmarshal into int64)`, signedClaims(withLiteral(lit)), ED, ['NumericDateForm'], ['BM-JWT-003']));
      }
      numberCases.push(bad(`${name}-leading-zero`, `signed token with "${name}":0${v} (not JSON)`, signedClaims(withLiteral(`0${v}`)), ED, ['NumericDateForm', 'MalformedClaims'], ['BM-JWT-003']));
      const { [name]: _zero, ...rest } = claims;
      numberCases.push(lenient(`${name}-minus-zero`, `signed token with "${name}":-0: Go reads 0, the claim counts as absent`, signedClaims(withLiteral('-0')), ED, ['NumericDateForm', 'OptionalClaims'], ['BM-JWT-003', 'BM-JWT-004'], rest));
    }
    const body = c.slice(1, -1);
    const validDup = (key: string, comment: string, text: string): CaseSpec => ({ key, comment, flags: ['DuplicateClaims'], inputs: { token: signedClaims(text), public_key: ED.publicKey, address_hash: SUB }, now: NOW, result: 'valid', expected: { claims }, requirements: ['BM-JWT-003', 'BM-JWT-005'] });
    const dupCases: CaseSpec[] = [
      validDup('dup-exp-last-wins', 'exp repeated: an expired value first, the real one last (Go: the last wins)', `{"exp":${NOW - 1},${body}}`),
      bad('dup-exp-expired-last', 'exp repeated: the real value first, an expired one last (Go: the last wins → expired)', signedClaims(`{${body},"exp":${NOW - 1}}`), ED, ['DuplicateClaims', 'TimeErrorClass'], ['BM-JWT-003', 'BM-JWT-004'], 'TokenExpired'),
      bad('dup-exp-folded-expired-last', '"EXP" after exp (Go matches keys case-insensitively; the last wins → expired)', signedClaims(`{${body},"EXP":${NOW - 1}}`), ED, ['DuplicateClaims', 'TimeErrorClass'], ['BM-JWT-003', 'BM-JWT-004'], 'TokenExpired'),
      validDup('dup-exp-null-last', 'exp followed by "exp":null (Go: null leaves an int64 as it was)', `{${body},"exp":null}`),
      validDup('dup-sub-last-wins', 'sub repeated: another hash first, the right one last', `{"sub":"${OTHER_SUB}",${body}}`),
      bad('dup-sub-other-last', 'sub repeated: the right hash first, another last (Go compares the last)', signedClaims(`{${body},"sub":"${OTHER_SUB}"}`), ED, ['DuplicateClaims'], ['BM-JWT-003', 'BM-JWT-005']),
      bad('dup-exp-string-first', 'exp repeated: a string first, the real number last (Go keeps the type error: malformed)', signedClaims(`{"exp":"${EXP}",${body}}`), ED, ['DuplicateClaims', 'MalformedClaims'], ['BM-JWT-003']),
      bad('dup-exp-decimal-first', 'exp repeated: 1577882130.0 first, the integer last (Go keeps the type error: malformed)', signedClaims(`{"exp":${EXP}.0,${body}}`), ED, ['DuplicateClaims', 'NumericDateForm'], ['BM-JWT-003']),
    ];
    groups.push(
      { op: 'jwt.verify', comment: 'alg none, HMAC key confusion and alg/key family mismatches', source: { kind: 'generated' }, cases: algCases },
      { op: 'jwt.verify', comment: 'subject and key binding', source: { kind: 'generated' }, cases: subCases },
      { op: 'jwt.verify', comment: 'modified signatures, headers and claims', source: { kind: 'generated' }, cases: sigCases },
      { op: 'jwt.verify', comment: 'claims Go treats as optional, odd claim types and time claims', source: { kind: 'generated' }, cases: claimCases },
      { op: 'jwt.verify', comment: 'segments: count, alphabet, padding', source: { kind: 'generated' }, cases: encCases },
      { op: 'jwt.verify', comment: 'time claims written as Go\'s int64 refuses them (1.0, 1e0, 1.5E3, 01) or as -0', source: { kind: 'generated' }, cases: numberCases },
      { op: 'jwt.verify', comment: 'repeated claims, decoded in order as Go does', source: { kind: 'generated' }, cases: dupCases },
    );
    return groups;
  },
};
