/**
 * Tests for jwt.ts: the jwt_test.go known answers (spec/formats.md §8) — byte-exact RS256 token
 * with testdata/privkey.rsa, validity and refresh rule at the listed instants — round trips for
 * every key type checked against node's own JOSE-style verifiers, the time-window table, and the
 * forged/malformed tokens that must be InvalidToken.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHmac, createPublicKey, createPrivateKey, sign as nodeSign, verify as nodeVerify, constants } from 'node:crypto';
import { createJwt, decodeSegment, isJwtRefreshDue, parseJwt, verifyJwt, STRICT_JWT_OPTIONS } from './jwt.ts';
import { HOSTILE_VALUES, classOf } from './_hostile.ts';
import { fixtureKeys } from './testkit.ts';
import { fixedClock, seededRng } from './random.ts';
import { hashString } from './hash.ts';
import { fromB64url, toB64url, utf8 } from './bytes.ts';
import { parsePrivateKey, parsePublicKey, generateKeyPair, type PrivateKey, type PublicKey } from './keys.ts';
import { GO_ED25519_1, GO_ED25519_2, GO_KEY_1, GO_PRIVKEY_ECDSA, GO_PRIVKEY_RSA_1024 } from './fixtures.ts';

const KAT_TOKEN =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE1Nzc4ODIxMzAsImlhdCI6MTU3Nzg4MjA0MCwibmJmIjoxNTc3ODgyMDQwLCJzdWIiOiIxODgyYjkxYjdmNDlkNDc5Y2YxZWMyZjFlY2VlMzBkMGU1MzkyZTk2M2EyMTA5MDE1YjcxNDliZjcxMmFkMWI2In0.D0QCl93sfwtOVmHpt5LJ9OjnLfNR0d9WnyZIVVa-Ktxd-PSLC6b-UlhSV3NKnMz1mNdO3KQIf9_0RQcjWWxOUzH2kXANMNngeLz5bHQowiSDtTMFwKdwCdHhMaYCuMkEGvILfKRUuDhussSFZmcGcqDkIqKRFDN-0HyoHfCEHo4';
const SUB = hashString('test!');
const at = (hms: string) => Date.UTC(2020, 0, 1, ...(hms.split(':').map(Number) as [number, number, number])) / 1000;

const [rsaPriv, rsaPub] = fixtureKeys(GO_PRIVKEY_RSA_1024);
const [edPriv, edPub] = fixtureKeys(GO_ED25519_1);
const [ecPriv, ecPub] = fixtureKeys(GO_PRIVKEY_ECDSA);
const PAIRS: [string, PrivateKey, PublicKey][] = [
  ['ed25519', edPriv, edPub],
  ['rsa', rsaPriv, rsaPub],
  ['ecdsa', ecPriv, ecPub],
];

/** Build a token with arbitrary header/claims JSON text and a signer over the signing input. */
function craft(header: string, claims: string, signer: (input: Buffer) => Uint8Array): string {
  const input = `${toB64url(utf8(header))}.${toB64url(utf8(claims))}`;
  return `${input}.${toB64url(signer(Buffer.from(input)))}`;
}
const claimsAt = (now: number, sub = SUB) => {
  const ct = Math.trunc(now / 30) * 30;
  return `{"exp":${ct + 60},"iat":${ct - 30},"nbf":${ct - 30},"sub":"${sub}"}`;
};
const rsaNodeKey = createPrivateKey({ key: Buffer.from(GO_PRIVKEY_RSA_1024.privateKey.slice(4), 'base64'), format: 'der', type: 'pkcs1' });

describe('jwt known answers (internal/api/jwt_test.go)', () => {
  it('createJwt with testdata/privkey.rsa for hash("test!") at 2020-01-01T12:34:56Z is the Go token byte for byte', () => {
    expect(createJwt(rsaPriv, SUB, fixedClock(at('12:34:56')))).toBe(KAT_TOKEN);
  });
  it('the KAT token decodes to RS256 and exp 1577882130, iat = nbf = 1577882040, sub 1882b91b…d1b6', () => {
    const t = parseJwt(KAT_TOKEN);
    expect(t.header).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(t.claims).toEqual({ exp: 1577882130, iat: 1577882040, nbf: 1577882040, sub: '1882b91b7f49d479cf1ec2f1ecee30d0e5392e963a2109015b7149bf712ad1b6' });
  });
  it.each(['12:34:29', '12:34:56', '12:34:59', '12:35:29', '12:34:00', '12:35:30'])('the KAT token verifies with testdata/pubkey.rsa at %s', (t) => {
    expect(verifyJwt(KAT_TOKEN, rsaPub, SUB, fixedClock(at(t))).sub).toBe(SUB);
  });
  it('the KAT token is not yet valid at 12:33:59 and expired at 12:35:31', () => {
    expect(classOf(() => verifyJwt(KAT_TOKEN, rsaPub, SUB, fixedClock(at('12:33:59'))))).toBe('TokenNotYetValid');
    expect(classOf(() => verifyJwt(KAT_TOKEN, rsaPub, SUB, fixedClock(at('12:35:31'))))).toBe('TokenExpired');
  });
  it.each([
    ['12:34:29', true],
    ['12:33:59', true],
    ['12:34:59', false],
    ['12:35:29', true],
    ['12:35:31', true],
  ] as const)('BM-JWT-007 IsJWTTokenExpired(KAT) at %s is %s', (t, want) => {
    expect(isJwtRefreshDue(KAT_TOKEN, fixedClock(at(t)))).toBe(want);
  });
  it('the KAT token is refused for another subject, another key and another key type', () => {
    expect(classOf(() => verifyJwt(KAT_TOKEN, rsaPub, hashString('test2!'), fixedClock(at('12:34:56'))))).toBe('InvalidToken');
    expect(classOf(() => verifyJwt(KAT_TOKEN, parsePublicKey(GO_KEY_1.publicKey), SUB, fixedClock(at('12:34:56'))))).toBe('InvalidToken');
    expect(classOf(() => verifyJwt(KAT_TOKEN, edPub, SUB, fixedClock(at('12:34:56'))))).toBe('InvalidToken');
  });
});

describe('jwt per key type', () => {
  it('ed25519 tokens are EdDSA over the ASCII signing input (node Ed25519 agrees), ecdsa ES384 r‖s over SHA-384 (node ieee-p1363 agrees)', () => {
    const now = fixedClock(at('12:34:56'));
    const ed = createJwt(edPriv, SUB, now);
    const es = createJwt(ecPriv, SUB, now, seededRng(utf8('es')));
    expect(parseJwt(ed).alg).toBe('EdDSA');
    expect(parseJwt(es).alg).toBe('ES384');
    expect(ed.split('.')[0]).toBe(toB64url(utf8('{"alg":"EdDSA","typ":"JWT"}')));
    expect(es.split('.')[0]).toBe(toB64url(utf8('{"alg":"ES384","typ":"JWT"}')));
    const [h1, c1, s1] = ed.split('.') as [string, string, string];
    expect(nodeVerify(null, Buffer.from(`${h1}.${c1}`), createPublicKey({ key: Buffer.from(edPub.der), format: 'der', type: 'spki' }), fromB64url(s1))).toBe(true);
    const [h2, c2, s2] = es.split('.') as [string, string, string];
    expect(fromB64url(s2).length).toBe(96);
    expect(
      nodeVerify('sha384', Buffer.from(`${h2}.${c2}`), { key: createPublicKey({ key: Buffer.from(ecPub.der), format: 'der', type: 'spki' }), dsaEncoding: 'ieee-p1363' }, fromB64url(s2)),
    ).toBe(true);
    // Same seed → same ES384 token; EdDSA and RS256 are deterministic anyway.
    expect(createJwt(ecPriv, SUB, now, seededRng(utf8('es')))).toBe(es);
    expect(createJwt(edPriv, SUB, now)).toBe(ed);
  });
  it('create → verify round-trips for ed25519, rsa and ecdsa at any time, and a flipped signature bit is InvalidToken', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAIRS), fc.integer({ min: 0, max: 4_000_000_000 }), fc.nat(), fc.integer({ min: 0, max: 7 }), ([, priv, pub], now, pos, bit) => {
        const token = createJwt(priv, SUB, fixedClock(now), seededRng(utf8(String(now))));
        const claims = verifyJwt(token, pub, SUB, fixedClock(now));
        expect(claims.sub).toBe(SUB);
        const [h, c, s] = token.split('.') as [string, string, string];
        const sig = fromB64url(s);
        sig[pos % sig.length]! ^= 1 << bit;
        expect(classOf(() => verifyJwt(`${h}.${c}.${toB64url(sig)}`, pub, SUB, fixedClock(now)))).toBe('InvalidToken');
      }),
      { numRuns: 30 },
    );
  });
  it('a token signed by one key type never verifies with a key of another type (alg family check)', () => {
    const now = fixedClock(at('12:34:56'));
    for (const [n1, priv] of PAIRS)
      for (const [n2, , pub] of PAIRS) {
        if (n1 === n2) continue;
        expect(classOf(() => verifyJwt(createJwt(priv, SUB, now), pub, SUB, now))).toBe('InvalidToken');
      }
  });
  it('RS384 and RS512 tokens verify with an rsa key, as jwt-go accepts any RSA method for rsa keys', () => {
    const now = at('12:34:56');
    for (const [alg, hash] of [['RS384', 'sha384'], ['RS512', 'sha512']] as const) {
      const t = craft(`{"alg":"${alg}","typ":"JWT"}`, claimsAt(now), (i) => nodeSign(hash, i, { key: rsaNodeKey, padding: constants.RSA_PKCS1_PADDING }));
      expect(verifyJwt(t, rsaPub, SUB, fixedClock(now)).sub).toBe(SUB);
    }
  });
  it('an ES256 token verifies with a P-256 key under type ecdsa (jwt-go accepts any ECDSA method); ES384 creation refuses a non-P-384 key', () => {
    const p256 = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' }, format: 'jwk' });
    const priv = parsePrivateKey(`ecdsa ${p256.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`);
    const pub = parsePublicKey(`ecdsa ${createPublicKey(p256).export({ format: 'der', type: 'spki' }).toString('base64')}`);
    const now = at('12:34:56');
    const t = craft('{"alg":"ES256","typ":"JWT"}', claimsAt(now), (i) => nodeSign('sha256', i, { key: p256, dsaEncoding: 'ieee-p1363' }));
    expect(verifyJwt(t, pub, SUB, fixedClock(now)).sub).toBe(SUB);
    expect(classOf(() => createJwt(priv, SUB, fixedClock(now)))).toBe('UnsupportedKeyType');
  });
  it('an ed25519 key generated from a seed round-trips', () => {
    const { privateKey, publicKey } = generateKeyPair('ed25519', seededRng(utf8('k')));
    expect(verifyJwt(createJwt(privateKey, SUB, fixedClock(99)), publicKey, SUB, fixedClock(99)).iat).toBe(60);
  });
});

describe('jwt time window (GenerateJWTToken + StandardClaims.Valid)', () => {
  it('a token issued at t is valid exactly on [ct−30, ct+60], ct = trunc(t/30)*30: TokenNotYetValid before, TokenExpired after', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 4_000_000_000 }), fc.integer({ min: -200, max: 200 }), (t, d) => {
        const token = createJwt(edPriv, SUB, fixedClock(t));
        const ct = Math.trunc(t / 30) * 30;
        // The four boundary seconds plus one random instant around t.
        for (const when of [ct - 31, ct - 30, ct + 60, ct + 61, t + d]) {
          const got = classOf(() => verifyJwt(token, edPub, SUB, fixedClock(when)));
          const want = when < ct - 30 ? 'TokenNotYetValid' : when > ct + 60 ? 'TokenExpired' : 'no error';
          expect(got).toBe(want);
          expect(isJwtRefreshDue(token, fixedClock(when))).toBe(Math.trunc(when / 30) * 30 !== ct);
        }
      }),
      { numRuns: 40 },
    );
  });
  it.each([
    [0, 'the window boundary'],
    [29, 'the last second of a window'],
    [30, 'the first second of the next'],
    [1577882096, 'the KAT instant'],
  ])('claims at t=%i (%s) are exp=ct+60, iat=nbf=ct−30', (t) => {
    const ct = Math.trunc(t / 30) * 30;
    const c = parseJwt(createJwt(edPriv, SUB, fixedClock(t))).claims;
    // omitempty: a claim that is 0 is left out by Go and reads back as 0.
    expect(c).toEqual({ exp: ct + 60, iat: ct - 30, nbf: ct - 30, sub: SUB });
  });
  it('at t in [30, 59] iat = nbf = 0 are omitted from the JSON as Go omitempty does', () => {
    const c = createJwt(edPriv, SUB, fixedClock(45)).split('.')[1]!;
    expect(Buffer.from(c, 'base64url').toString()).toBe(`{"exp":90,"sub":"${SUB}"}`);
  });
  it('negative times use Go truncating division: t = −31 gives ct = −30', () => {
    expect(parseJwt(createJwt(edPriv, SUB, fixedClock(-31))).claims).toEqual({ exp: 30, iat: -60, nbf: -60, sub: SUB });
  });
  it('BM-JWT-016 BM-JWT-017 strict options: no exp, or exp − iat > 90 s, is InvalidToken; minted tokens pass', () => {
    const k = createPrivateKey({ key: Buffer.from(edPriv.der), format: 'der', type: 'pkcs8' });
    const ed = (i: Buffer) => nodeSign(null, i, k);
    const now = fixedClock(1000);
    expect(classOf(() => verifyJwt(craft('{"alg":"EdDSA"}', `{"sub":"${SUB}"}`, ed), edPub, SUB, now, STRICT_JWT_OPTIONS))).toBe('InvalidToken');
    expect(classOf(() => verifyJwt(craft('{"alg":"EdDSA"}', `{"exp":2000,"iat":900,"sub":"${SUB}"}`, ed), edPub, SUB, now, STRICT_JWT_OPTIONS))).toBe('InvalidToken');
    expect(classOf(() => verifyJwt(craft('{"alg":"EdDSA"}', `{"exp":2000,"sub":"${SUB}"}`, ed), edPub, SUB, now, STRICT_JWT_OPTIONS))).toBe('InvalidToken');
    expect(verifyJwt(craft('{"alg":"EdDSA"}', `{"exp":2000,"iat":900,"sub":"${SUB}"}`, ed), edPub, SUB, now).exp).toBe(2000);
    expect(verifyJwt(createJwt(edPriv, SUB, now), edPub, SUB, now, STRICT_JWT_OPTIONS).sub).toBe(SUB);
    expect(classOf(() => verifyJwt(createJwt(edPriv, SUB, now), edPub, SUB, now, { maxLifetime: -1 }))).toBe('InvalidInput');
  });
  it('absent exp/iat/nbf are not checked (jwt-go optional claims), absent sub never matches', () => {
    const k = createPrivateKey({ key: Buffer.from(edPriv.der), format: 'der', type: 'pkcs8' });
    const ed = (i: Buffer) => nodeSign(null, i, k);
    expect(verifyJwt(craft('{"alg":"EdDSA"}', `{"sub":"${SUB}"}`, ed), edPub, SUB, fixedClock(4e9)).exp).toBe(0);
    expect(classOf(() => verifyJwt(craft('{"alg":"EdDSA"}', '{}', ed), edPub, SUB, fixedClock(0)))).toBe('InvalidToken');
  });
});

describe('jwt forged and malformed tokens', () => {
  const now = at('12:34:56');
  const clock = fixedClock(now);
  const edKey = createPrivateKey({ key: Buffer.from(edPriv.der), format: 'der', type: 'pkcs8' });
  const ed = (i: Buffer) => nodeSign(null, i, edKey);
  const good = craft('{"alg":"EdDSA","typ":"JWT"}', claimsAt(now), ed);
  it('the crafted baseline token verifies (so the cases below fail for their stated reason)', () => {
    expect(verifyJwt(good, edPub, SUB, clock).sub).toBe(SUB);
  });
  it('claim keys match case-insensitively and padded segments are accepted, as jwt-go decodes them', () => {
    expect(verifyJwt(craft('{"alg":"EdDSA"}', claimsAt(now).replace('"sub"', '"SUB"'), ed), edPub, SUB, clock).sub).toBe(SUB);
    const [h, c, s] = KAT_TOKEN.split('.') as [string, string, string];
    expect(verifyJwt(`${h}.${c}.${s}=`, rsaPub, SUB, clock).sub).toBe(SUB);
    expect(decodeSegment('Zm9v', 's')).toEqual(new Uint8Array(Buffer.from('foo')));
  });
  const cases: [string, string, PublicKey?][] = [
    ['empty', ''],
    ['two segments', good.split('.').slice(0, 2).join('.')],
    ['four segments', `${good}.x`],
    ['header not base64url', `*${good}`],
    ['header not JSON', craft('{"alg":"EdDSA"', claimsAt(now), ed)],
    ['header an array', craft('["EdDSA"]', claimsAt(now), ed)],
    ['header null', craft('null', claimsAt(now), ed)],
    ['alg missing', craft('{"typ":"JWT"}', claimsAt(now), ed)],
    ['alg a number', craft('{"alg":1}', claimsAt(now), ed)],
    ['alg unknown', craft('{"alg":"Ed25519"}', claimsAt(now), ed)],
    ['alg none, empty signature', `${toB64url(utf8('{"alg":"none","typ":"JWT"}'))}.${toB64url(utf8(claimsAt(now)))}.`],
    ['alg HS256 keyed with the public key text (key confusion)', craft('{"alg":"HS256","typ":"JWT"}', claimsAt(now), (i) => createHmac('sha256', GO_ED25519_1.publicKey).update(i).digest())],
    ['alg HS256 keyed with the public key DER', craft('{"alg":"HS256","typ":"JWT"}', claimsAt(now), (i) => createHmac('sha256', edPub.der).update(i).digest())],
    ['alg RS256 on an EdDSA signature', craft('{"alg":"RS256","typ":"JWT"}', claimsAt(now), ed)],
    ['alg PS256 with a valid RSA-PSS signature', craft('{"alg":"PS256"}', claimsAt(now), (i) => nodeSign('sha256', i, { key: rsaNodeKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })), rsaPub],
    ['claims not JSON', craft('{"alg":"EdDSA"}', '{"exp":', ed)],
    ['claims an array', craft('{"alg":"EdDSA"}', '[]', ed)],
    ['claims with trailing data', craft('{"alg":"EdDSA"}', claimsAt(now) + ' x', ed)],
    ['exp a string', craft('{"alg":"EdDSA"}', claimsAt(now).replace(/"exp":(\d+)/, '"exp":"$1"'), ed)],
    ['exp a float', craft('{"alg":"EdDSA"}', claimsAt(now).replace(/"exp":(\d+)/, '"exp":$1.5'), ed)],
    ['exp beyond 2^53', craft('{"alg":"EdDSA"}', claimsAt(now).replace(/"exp":(\d+)/, '"exp":9223372036854775807'), ed)],
    ['sub a number', craft('{"alg":"EdDSA"}', `{"sub":5}`, ed)],
    ['aud an array', craft('{"alg":"EdDSA"}', claimsAt(now).replace('{', '{"aud":["x"],'), ed)],
    ['sub of another address', craft('{"alg":"EdDSA"}', claimsAt(now, hashString('other!')), ed)],
    ['sub upper-cased', craft('{"alg":"EdDSA"}', claimsAt(now, SUB.toUpperCase()), ed)],
    ['signature of another key', craft('{"alg":"EdDSA"}', claimsAt(now), (i) => nodeSign(null, i, createPrivateKey({ key: Buffer.from(parsePrivateKey(GO_ED25519_2.privateKey).der), format: 'der', type: 'pkcs8' })))],
    ['signature truncated', good.slice(0, -4)],
    ['signature segment of length 1 mod 4', `${good.split('.').slice(0, 2).join('.')}.A`],
    ['an expired token with a forged signature (signature checked first)', craft('{"alg":"EdDSA"}', claimsAt(now - 1000), () => new Uint8Array(64))],
  ];
  it.each(cases)('%s → InvalidToken', (_n, token, pub) => {
    expect(classOf(() => verifyJwt(token, pub ?? edPub, SUB, clock))).toBe('InvalidToken');
  });
  it('hostile arguments are InvalidInput, never a crash', () => {
    for (const h of [...HOSTILE_VALUES, 'x']) {
      if (typeof h !== 'string') expect(classOf(() => verifyJwt(h as string, edPub, SUB, clock))).toBe('InvalidInput');
      expect(classOf(() => verifyJwt(good, h as unknown as PublicKey, SUB, clock))).toBe('InvalidInput');
      expect(classOf(() => verifyJwt(good, edPub, h as string, clock))).toBe('InvalidInput');
      expect(classOf(() => createJwt(edPriv, h as string, clock))).toBe('InvalidInput');
      expect(classOf(() => createJwt(h as unknown as PrivateKey, SUB, clock))).toBe('InvalidInput');
    }
    expect(classOf(() => verifyJwt(good, edPub, SUB, { now: () => 1.5 }))).toBe('InvalidInput');
    expect(classOf(() => isJwtRefreshDue(5 as unknown as string, clock))).toBe('InvalidInput');
    expect(isJwtRefreshDue('garbage', clock)).toBe(true);
  });
});
