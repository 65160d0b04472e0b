/**
 * Tests for invite.ts: invite_test.go known answers (spec/formats.md §10.2) — exact token, the
 * tampering cases, the parse KAT — signatures containing ':' bytes, round trips for every key
 * type, and hostile tokens.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createInvite, parseInvite, verifyInvite } from './invite.ts';
import { HOSTILE_VALUES, classOf } from './_hostile.ts';
import { fixtureKeys, tamperInvite } from './testkit.ts';
import { fixedClock, seededRng } from './random.ts';
import { hashString } from './hash.ts';
import { fromB64, toB64, toHex, utf8 } from './bytes.ts';
import { parsePublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import { GO_ED25519_1, GO_INVITE, GO_KEY_1, GO_KEY_2, GO_PRIVKEY_ECDSA } from './fixtures.ts';

const [priv, pub] = fixtureKeys(GO_ED25519_1);
const ADDR = hashString('john@acme!');
const EXPIRY = Date.UTC(2010, 0, 4, 12, 34, 56) / 1000;
const NOW = fixedClock(Date.UTC(2010, 0, 1, 12, 34, 56) / 1000);
const { token: KAT, parseToken: PARSE_KAT } = GO_INVITE;

describe('invite known answers (internal/signature/invite_test.go)', () => {
  it('the token for hash("john@acme!"), routing 12345678, expiry 2010-01-04T12:34:56Z with the test ed25519 key is the Go token', () => {
    expect(ADDR).toBe('e176de99906e21fea81f8c87b6837b73d3b232c4592f20ac3065e586b6e17db7');
    expect(EXPIRY).toBe(1262608496);
    expect(createInvite(priv, ADDR, '12345678', EXPIRY)).toBe(KAT);
  });
  it('verifies for routing 12345678 at 2010-01-01T12:34:56Z', () => {
    expect(verifyInvite(KAT, pub, ADDR, '12345678', NOW)).toBe(true);
  });
  it('fails for routing 00000000', () => {
    expect(verifyInvite(KAT, pub, ADDR, '00000000', NOW)).toBe(false);
  });
  it('fails when the address hash in the token is changed to hash("doctor@evil!")', () => {
    const evil = hashString('doctor@evil!');
    expect(verifyInvite(tamperInvite(KAT, 0, evil), pub, evil, '12345678', NOW)).toBe(false);
  });
  it('fails when the expiry in the token is changed to 2099', () => {
    expect(verifyInvite(tamperInvite(KAT, 2, String(Date.UTC(2099, 0, 4, 12, 34, 56) / 1000)), pub, ADDR, '12345678', NOW)).toBe(false);
  });
  it('fails with an RSA public key', () => {
    expect(verifyInvite(KAT, parsePublicKey(GO_KEY_1.publicKey), ADDR, '12345678', NOW)).toBe(false);
  });
  it('fails at 2012-12-31T12:34:56Z (expired); holds at the expiry second itself', () => {
    expect(verifyInvite(KAT, pub, ADDR, '12345678', fixedClock(Date.UTC(2012, 11, 31, 12, 34, 56) / 1000))).toBe(false);
    expect(verifyInvite(KAT, pub, ADDR, '12345678', fixedClock(EXPIRY))).toBe(true);
    expect(verifyInvite(KAT, pub, ADDR, '12345678', fixedClock(EXPIRY + 1))).toBe(false);
  });
  it('an invite for one address does not verify for another (Go server defect api.md #5 not reproduced)', () => {
    expect(verifyInvite(KAT, pub, hashString('other@acme!'), '12345678', NOW)).toBe(false);
  });
  it('parses MTM0MmQx… to routing 12345678, expiry 1262608496, hash 1342d10e…1966 and the 64-byte signature 6e1f…0b0e', () => {
    const t = parseInvite(PARSE_KAT);
    expect(t.routingId).toBe('12345678');
    expect(t.expires).toBe(1262608496);
    expect(t.addressHash).toBe('1342d10eddfbdd98c6c4b93dd676073c50c6bed8f63819044ef9c6a6ff371966');
    expect(toHex(t.signature)).toBe(
      '6e1f1517a7254a5a6e027eb5f7bf87efb8e0fb668294fc08c9613abdc5ebc251d109c2eb3328f819165c9b5b3d1331158617438290735a53d92e0f30ac390b0e',
    );
    // §10.2: this signature also verifies with the key-ed25519-1 public key.
    expect(verifyInvite(PARSE_KAT, pub, t.addressHash, '12345678', NOW)).toBe(true);
  });
  it('"--4632632asdf325325252352" does not parse', () => {
    expect(classOf(() => parseInvite('--4632632asdf325325252352'))).toBe('InvalidToken');
    expect(verifyInvite('--4632632asdf325325252352', pub, ADDR, '12345678', NOW)).toBe(false);
  });
});

describe('invite structure', () => {
  it('a raw signature containing ":" bytes survives create → parse → verify (SplitN into 4)', () => {
    let exp = 1;
    let token = '';
    for (; exp < 10_000; exp++) {
      token = createInvite(priv, ADDR, '12345678', exp);
      if (parseInvite(token).signature.includes(0x3a)) break;
    }
    const t = parseInvite(token);
    expect(t.signature.includes(0x3a)).toBe(true);
    expect(t.signature.length).toBe(64);
    expect(verifyInvite(token, pub, ADDR, '12345678', fixedClock(0))).toBe(true);
  });
  const keys: [PrivateKey, PublicKey][] = [
    [priv, pub],
    fixtureKeys(GO_KEY_2),
    fixtureKeys(GO_PRIVKEY_ECDSA),
  ];
  it('create → verify holds for ed25519, rsa and ecdsa keys, and a flipped bit anywhere in the token breaks it', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes(':')),
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        ([k, p], addr, rid, exp, pos, bit) => {
          const token = createInvite(k, addr, rid, exp, seededRng(utf8(rid)));
          const t = parseInvite(token);
          expect([t.addressHash, t.routingId, t.expires]).toEqual([addr, rid, exp]);
          expect(verifyInvite(token, p, addr, rid, fixedClock(exp))).toBe(true);
          const raw = fromB64(token);
          raw[pos % raw.length]! ^= 1 << bit;
          expect(verifyInvite(toB64(raw), p, addr, rid, fixedClock(exp))).toBe(false);
        },
      ),
      { numRuns: 40 },
    );
  });
  it('expiry text with a sign or leading zeros parses as Go ParseInt does', () => {
    expect(parseInvite(tamperInvite(KAT, 2, '+001262608496')).expires).toBe(1262608496);
    expect(verifyInvite(tamperInvite(KAT, 2, '+001262608496'), pub, ADDR, '12345678', NOW)).toBe(true);
    expect(parseInvite(tamperInvite(KAT, 2, '-5')).expires).toBe(-5);
  });
  it.each([
    ['not base64', 'ZTE3!'],
    ['unpadded base64', KAT.replace(/=$/, '')],
    ['three parts', toB64(utf8(`${ADDR}:12345678:1262608496`))],
    ['a non-hash address', tamperInvite(KAT, 0, 'john@acme!')],
    ['a short hash', tamperInvite(KAT, 0, ADDR.slice(2))],
    ['a non-numeric expiry', tamperInvite(KAT, 2, '12x')],
    ['an expiry beyond 2^53', tamperInvite(KAT, 2, '9223372036854775807')],
    ['an empty expiry', tamperInvite(KAT, 2, '')],
  ])('parseInvite rejects %s as InvalidToken, verifyInvite answers false', (_n, token) => {
    expect(classOf(() => parseInvite(token))).toBe('InvalidToken');
    expect(verifyInvite(token, pub, ADDR, '12345678', NOW)).toBe(false);
  });
  it('hostile arguments are InvalidInput', () => {
    for (const h of HOSTILE_VALUES) {
      expect(classOf(() => parseInvite(h as string))).toBe('InvalidInput');
      expect(classOf(() => verifyInvite(h as string, pub, ADDR, '1', NOW))).toBe('InvalidInput');
      expect(classOf(() => verifyInvite(KAT, h as unknown as PublicKey, ADDR, '1', NOW))).toBe('InvalidInput');
      expect(classOf(() => verifyInvite(KAT, pub, h as string, '1', NOW))).toBe('InvalidInput');
      expect(classOf(() => verifyInvite(KAT, pub, ADDR, h as string, NOW))).toBe('InvalidInput');
      if (typeof h !== 'number') expect(classOf(() => createInvite(priv, ADDR, '1', h as number))).toBe('InvalidInput');
      expect(classOf(() => createInvite(h as unknown as PrivateKey, ADDR, '1', 1))).toBe('InvalidInput');
    }
    expect(classOf(() => createInvite(priv, ADDR, 'a:b', 1))).toBe('InvalidInput');
    expect(classOf(() => createInvite(priv, 'xyz', '1', 1))).toBe('InvalidInput');
    expect(classOf(() => createInvite(priv, ADDR, '1', 1.5))).toBe('InvalidInput');
    expect(classOf(() => verifyInvite(KAT, pub, ADDR, '1', { now: () => NaN }))).toBe('InvalidInput');
  });
});
