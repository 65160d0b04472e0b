/**
 * Tests for resolverauth.ts (spec/formats.md §10.4): the signed message for address, routing and
 * organisation records, signatures checked against node's own Ed25519 / RSA (independent of
 * signature.ts), uint64 serials, and the Bearer parsing of key-resolver-go.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, constants } from 'node:crypto';
import { resolverAuthMessage, resolverAuthorizationHeader, resolverBearer, verifyResolverBearer } from './resolverauth.ts';
import { errorClassOf } from './errors.ts';
import { seededRng } from './random.ts';
import { hashString } from './hash.ts';
import { fromB64, toB64, utf8 } from './bytes.ts';
import { parsePrivateKey, parsePublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import { GO_ED25519_1, GO_ED25519_3, GO_KEY_1, GO_KEY_2, GO_PRIVKEY_ECDSA } from './fixtures.ts';

function classOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return errorClassOf(e);
  }
  return 'no error';
}

const ADDR = hashString('john!');
const ORG = hashString('acme');
const ROUTING = '12345678';
const sha = (s: string) => createHash('sha256').update(s).digest();

describe('resolver auth message (service.go:212-245)', () => {
  it('address: addrHash ‖ routingID ‖ decimal(serial); routing: routingID ‖ serial; organisation: orgHash ‖ serial', () => {
    expect(resolverAuthMessage({ hash: ADDR, routingId: ROUTING, serial: 0n })).toBe(`${ADDR}${ROUTING}0`);
    expect(resolverAuthMessage({ hash: ROUTING, serial: 42n })).toBe(`${ROUTING}42`);
    expect(resolverAuthMessage({ hash: ORG, serial: 7 })).toBe(`${ORG}7`);
  });
  it('serials are uint64 in decimal: 2^64−1 is written exactly, 2^64 and −1 are InvalidInput', () => {
    expect(resolverAuthMessage({ hash: ORG, serial: (1n << 64n) - 1n })).toBe(`${ORG}18446744073709551615`);
    expect(classOf(() => resolverAuthMessage({ hash: ORG, serial: 1n << 64n }))).toBe('InvalidInput');
    expect(classOf(() => resolverAuthMessage({ hash: ORG, serial: -1n }))).toBe('InvalidInput');
    expect(classOf(() => resolverAuthMessage({ hash: ORG, serial: 1.5 }))).toBe('InvalidInput');
  });
});

describe('resolver bearer tokens', () => {
  it('ed25519: the bearer is b64(Ed25519(SHA-256(msg))), as node computes it', () => {
    const priv = parsePrivateKey(GO_ED25519_3.privateKey);
    const msg = `${ADDR}${ROUTING}1577882130`;
    const want = nodeSign(null, sha(msg), createPrivateKey({ key: Buffer.from(priv.der), format: 'der', type: 'pkcs8' })).toString('base64');
    expect(resolverBearer(priv, { hash: ADDR, routingId: ROUTING, serial: 1577882130n })).toBe(want);
    expect(resolverAuthorizationHeader(priv, { hash: ADDR, routingId: ROUTING, serial: 1577882130n })).toBe(`Bearer ${want}`);
  });
  it('rsa: the bearer is b64(PKCS#1 v1.5 over SHA-256 of the 32-byte digest) — BitMaelum double hash', () => {
    const priv = parsePrivateKey(GO_KEY_1.privateKey);
    const tok = resolverBearer(priv, { hash: ROUTING, serial: 3n });
    const pub = createPublicKey({ key: Buffer.from(parsePublicKey(GO_KEY_1.publicKey).der), format: 'der', type: 'spki' });
    expect(nodeVerify('sha256', sha(`${ROUTING}3`), { key: pub, padding: constants.RSA_PKCS1_PADDING }, fromB64(tok))).toBe(true);
  });
  const keys: [PrivateKey, PublicKey][] = [
    [parsePrivateKey(GO_ED25519_1.privateKey), parsePublicKey(GO_ED25519_1.publicKey)],
    [parsePrivateKey(GO_KEY_2.privateKey), parsePublicKey(GO_KEY_2.publicKey)],
    [parsePrivateKey(GO_PRIVKEY_ECDSA.privateKey), parsePublicKey(GO_PRIVKEY_ECDSA.publicKey)],
  ];
  it('bearer → verify holds for every key type and record kind; another serial, hash or routing ID does not verify', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.stringMatching(/^[0-9a-f]{64}$/),
        fc.option(fc.stringMatching(/^[0-9a-f]{1,64}$/), { nil: undefined }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 2n }),
        ([priv, pub], hash, routingId, serial) => {
          const rec = { hash, routingId, serial };
          const tok = resolverBearer(priv, rec, seededRng(utf8(hash)));
          expect(verifyResolverBearer(pub, rec, tok)).toBe(true);
          expect(verifyResolverBearer(pub, rec, `Bearer ${tok}`)).toBe(true);
          expect(verifyResolverBearer(pub, rec, `bEaReR ${tok}`)).toBe(true);
          expect(verifyResolverBearer(pub, { ...rec, serial: serial + 1n }, tok)).toBe(false);
          expect(verifyResolverBearer(pub, { ...rec, hash: hashString(hash) }, tok)).toBe(false);
          expect(verifyResolverBearer(pub, { ...rec, routingId: (routingId ?? '') + '0' }, tok)).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });
  it('a flipped bit, a wrong key, a non-base64 or empty token is false', () => {
    const [priv, pub] = keys[0]!;
    const rec = { hash: ADDR, routingId: ROUTING, serial: 0n };
    const sig = fromB64(resolverBearer(priv, rec));
    sig[5]! ^= 0x10;
    expect(verifyResolverBearer(pub, rec, toB64(sig))).toBe(false);
    expect(verifyResolverBearer(keys[1]![1], rec, resolverBearer(priv, rec))).toBe(false);
    for (const t of ['', 'Bearer ', 'Bearer', 'Bearer !!!!', 'Bearer  ' + resolverBearer(priv, rec), 'Token ' + resolverBearer(priv, rec)])
      expect(verifyResolverBearer(pub, rec, t)).toBe(false);
  });
  it('hostile arguments are InvalidInput', () => {
    const [priv, pub] = keys[0]!;
    for (const h of [undefined, null, 5, {}, []]) {
      expect(classOf(() => resolverBearer(h as unknown as PrivateKey, { hash: ADDR, serial: 0n }))).toBe('InvalidInput');
      expect(classOf(() => resolverBearer(priv, h as never))).toBe('InvalidInput');
      expect(classOf(() => resolverBearer(priv, { hash: h as string, serial: 0n }))).toBe('InvalidInput');
      expect(classOf(() => verifyResolverBearer(pub, { hash: ADDR, serial: 0n }, h as string))).toBe('InvalidInput');
      expect(classOf(() => verifyResolverBearer(h as unknown as PublicKey, { hash: ADDR, serial: 0n }, 'x'))).toBe('InvalidInput');
    }
  });
});
