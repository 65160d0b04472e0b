/**
 * Tests for resolverauth.ts (spec/formats.md §10.4): the signed message for address, routing and
 * organisation records, signatures checked against node's own Ed25519 / RSA (independent of
 * signature.ts), uint64 serials, and the Bearer parsing of key-resolver-go.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash, createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, constants } from 'node:crypto';
import { resolverAuthMessage, resolverAuthorizationHeader, resolverBearer, verifyResolverBearer } from './resolverauth.ts';
import { HOSTILE_VALUES, classOf } from './_hostile.ts';
import { fixtureKeys } from './testkit.ts';
import { seededRng } from './random.ts';
import { hashString } from './hash.ts';
import { fromB64, toB64, utf8 } from './bytes.ts';
import { parsePrivateKey, parsePublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import { GO_ED25519_1, GO_ED25519_3, GO_KEY_1, GO_KEY_2, GO_PRIVKEY_ECDSA } from './fixtures.ts';

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

describe('resolver bearer known answers (internal/resolver/service_test.go, key-1)', () => {
  const [k1, p1] = fixtureKeys(GO_KEY_1);
  it.each([
    ['address 12345/56789 serial 1234567890', { hash: '12345', routingId: '56789', serial: 1234567890n }, 'SQ//6Uxbt6YOkl7povRPgQOuIoB788iMHd2SqpXxHmgBRZhxh1CYoXuAIf1ry2jdzq6lwdrydlEFYmdfKzFNOh6oy2vGOQul24QOuHL1qnYnsVPc13H2clsl/jtw3T0Is6hh+JFOmu5tDY/3xRex4AWA9KRBsl1cTlNPdHAXanV6UVk9MBZSUE4H+kJoA7BBom0rUeZ14V/SalVbGRb62qiFjW6JMYQFXZNGEqOxGCp+maZNCta5vSjK/7oEG3a8Kmns+OVwFMGdU+1fkmi6ebaYNbMh3ta9cEv87qzoodGLBCI5Q/RjTCNnZ8ERwFatnmh4sGzEMXSuUHkqc2zo/g=='],
    ['address 12345/56789 serial 4325262', { hash: '12345', routingId: '56789', serial: 4325262n }, 'dcMB2GoQAaQ+OmcVPPjwroIJUyE1b7bv/C21xRhgOAwN9rrPGw9n5h+VzBJ2pcZsSdieCVBV4L2gg/imzzf5iKTtHk+EED1ZirZR3CJC/HrrCCeDVIVDcAOk1NoFlBwdf3RawAoVCfCPX/y1QIg5A1FG/vkKvtxGNNYwEgXHIhjNm5cVyRvGEVbrukmc1O1/xDBeelzP32KH60MuC5Fht5PNHwKJwOD4XtmmVjufqQJw0bAJhsUch3Pkti2bkkGvWP4iloNPy76hojlcCTAokFKk+qSt9HX9CvWAL749V3nl5CnGwrOL2yjavuB608NnuuuJH3F1k6EAKVMI8aUqVQ=='],
    ['organisation/routing 12345 serial 1234567890', { hash: '12345', serial: 1234567890n }, 'fDyQ1/pGp+CWvnzGp2XasFwK0jfUP6VbrYtYGiqVJAEjh/qWZLjfOCrXn6a/mwVmIUh6UVNz/uf7nchED8UARpdIovXFDvTvjGgwitcz5T8Bo+b0WWVymO7PGJVBTZmRk1cIjM4N9CuSH8ObUIl6McaDL7CmR6MuyYn6BYglzd5uwde8B0AfhnmgaAFu2NDSPkeRxboh6jCH60PiAV03a/TAN+t7apkEv+uQ5RXTGLYZXw0CxCmPIr8aQMyF+/d20fLirq7SDh7taHcsTZFgZ1VWEchEGpm3ZyWw3W1lCx1/tdXOgKA1/9Ott2HVzRvrrn1Uh20R7OgJxk2ou8319g=='],
    ['organisation 12345 serial 643632', { hash: '12345', serial: 643632n }, 'pG0c9GRNt9LB9OLXBaRgGWXm6Y8ZpFUXgnm0K48C/aKhsgBSpd8w18k0hQLhUfLBJj5fby0CFHvvm6B9Dy4speYeQHQiH5jKOVNSJdvjbdDHvehVdgJ9E58GG1Ck2vTON2q+oFcs1WdTe2K5PoqP+A1ITgkEM+F4br3AGESOKyyNgMV0PjOrBDUaxc1U0t2wCITrtgM4dHee8VsIB+31ys+5LljuFSwVGo55DGBhyfdtPUj6WEG1tzMim9s9NMWE/gMTh2TDIBP7x2C7Q08FSJuQ18QPMZLs7kFWKa8tSbudSxKqtaAFEaKOc22NlWc9MnpoA+dXJJz0dA/egOC4dw=='],
    ['routing 12345 serial 643263262', { hash: '12345', serial: 643263262n }, 'tbhINAg4aASAGiRITGIuVqMTOlWJXlg+qSKVVCikE1ACtzuc1/4t72KiyzSNZIiWo3Gw0HzyGQBt980fNTCZOk6gV2VdF4o/Fg6q/B/Up7WVhTKcPjHypIOihStsnuqaGQzQZouJxpIVA8HF+Y0rxpW9+lCmK4Xesq0qbmsQLXlRWb6ttADUaz0Uqu49PDwq0iGeC2Fzs4XxK5oTqB168VL0JcuwBQyuvNBu+vs21wgBenFMOK7oTvKp6n/xa54Z2Cs5mgEcTYCxjwn4u7kSWEvJg/p9Th/e05SnWL11446UufyY2z+2C1G16FD6bv6H81SpfbbUEXQeH2SMoWfHyA=='],
  ] as const)('%s signs to the Go bearer and verifies', (_kind, rec, want) => {
    expect(resolverBearer(k1, rec)).toBe(want);
    expect(verifyResolverBearer(p1, rec, `Bearer ${want}`)).toBe(true);
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
    fixtureKeys(GO_ED25519_1),
    fixtureKeys(GO_KEY_2),
    fixtureKeys(GO_PRIVKEY_ECDSA),
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
    for (const h of HOSTILE_VALUES) {
      expect(classOf(() => resolverBearer(h as unknown as PrivateKey, { hash: ADDR, serial: 0n }))).toBe('InvalidInput');
      expect(classOf(() => resolverBearer(priv, h as never))).toBe('InvalidInput');
      expect(classOf(() => resolverBearer(priv, { hash: h as string, serial: 0n }))).toBe('InvalidInput');
      expect(classOf(() => verifyResolverBearer(pub, { hash: ADDR, serial: 0n }, h as string))).toBe('InvalidInput');
      expect(classOf(() => verifyResolverBearer(h as unknown as PublicKey, { hash: ADDR, serial: 0n }, 'x'))).toBe('InvalidInput');
    }
  });
});
