import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  clientHash, clientHashPreimage, headerJson, headerToGo, parseHeader, serverHash, serverHashPreimage,
  signClientHeader, signServerHeader, verifyClientHeader, verifyServerHeader, type Header,
} from './header.ts';
import { fromB64, toB64, toHex } from './bytes.ts';
import { InvalidInput } from './errors.ts';
import { goMarshal } from './gojson.ts';
import { parsePrivateKey, parsePublicKey } from './keys.ts';
import { signAuthorization } from './authorization.ts';
import { GO_ED25519_1, GO_ED25519_2, GO_ED25519_3, GO_KEY_1, GO_KEY_2, GO_KEY_3, GO_PRIVKEY_ECDSA } from './fixtures.ts';
import { goTestdataText } from './gotestdata.ts';
import { seededRng } from './random.ts';

const H1 = () => parseHeader(goTestdataText('header-001.json'));
const H2 = () => parseHeader(goTestdataText('header-002.json'));
const H3 = () => parseHeader(goTestdataText('header-003.json'));
const H4 = () => parseHeader(goTestdataText('header-004.json'));

// signature_test.go:36-37
const EXPECTED_CLIENT_SIG =
  'YbV7YXt9yRxPmsyEjqTciQXO6X+Kwib+WeysG/e5AV+zD68bSrA1z25SqXcDz7/vsXANWFyhEUyqCiiTgpPX6IeJWfaagyjoLs8qPIMb9MtPDUtWNc115g/nNHzSeS7vxNAXW77bMbltMTCphj0uJNXxx7mrh1iZh3Bx6VQ0Gdk1Kl4o6iC0MOYT8hwEyDQBYsexrIxciqEq1bFeEzsJOszD6H9ff62HarMTiY3dBci3ofDuuGdyP9g+sk4RqtpDv2+htnNPi4Rat7X4pBWDzEltjrfEYjkgi1/+tRERYfCr0JFzfDyf4XKXJOJBQSuxiy7plsRcHHTg1BGGzCD2sg==';
const EXPECTED_SERVER_SIG =
  'cR2RjqQSxCw08G0nsAoa/8DQdjmZzTUtP0Qh41zs//DqHdeW4KoONq9gsHZE6cJVGaOj54EM43JondFX1HOfhK1fpeaS/kZE8dHF3K05n077T59+0gi4/Uz+hlMj2AmaOQ/uwjwSl29AHekMUxVHjzsMQhT1+SC27Q4wZT+GiYFGliIVEkVEsPYQmhGVBarHdwM0U5JuzDROdAJg8nnisw+oqCyTUjdv7TC2P7yib5n18xxQlqEIV3l9J2FBYXneMfFrml7QsvRigpz6GFvgjs4xOH7c7VHKkAHNhoOT9Oxf87DcwjcIdboQr7oe0YHaRMeCMTzfvf2xXNtZ6H93Kw==';
const SERVER_TYPE_SIG = 'Dpgm8TJzjmGmkWLDDjkj2Ibh0VdWt3Rx3ap2Xq0P2jz9m17PmkJyAwb1AuzNxjCDHCMguoCL0uhYajlb3NM+Bg==';
const H3_AUTH_SIG =
  'V/cdCpxF6Ktv7hDvvDzJm9okoJMo8ikx1lnaWyFNbkKGAWADQVexdMLtP2OeqMa8f9EVqWFimb3uznzeJ9EfHKvjg33vzfOfsYRmsRVtMyDyypb9ilFCzI2px3IevsWut8TQ78aQ7eNTUe++LCGQgKOyAwNuUR9ctQqh88KlCS2udFw0FF9P94xZrAaxiA0LSDigAyMzANQGG55BxKg+PSdPZDBh+zNLBfG2fTS4zKa4hzhycE4pVexQPqmsBgnHws9YQqQTouxDovym/7FRRAc8bqxzrWS0F0OCZcj0twS8qXSFwof/FGJTKrE1Kr4nNXNdqxHnFonWaWRwOv/uUA==';

const CATALOG_PART =
  '{"size":983,"checksum":{"ripemd160":"cc83e77af0fae70c3b655f36f110ec4d2eebaf1c","sha256":"79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a"},"encrypted_key":"Zm9vYmFy"}';

function withFrom(h: Header, from: Partial<Header['from']>): Header {
  return { ...h, from: { ...h.from, ...from } };
}
function withSigs(h: Header, sigs: Partial<Header['signatures']>): Header {
  return { ...h, signatures: { ...h.signatures, ...sigs } };
}

describe('client and server hash (§4.3, signature.go:200-234)', () => {
  it('header-001 client preimage is the exact Go map JSON and hashes to 191ecdac…2607', () => {
    const h = H1();
    expect(clientHashPreimage(h)).toBe(
      `{"client_catalog":${CATALOG_PART},"client_from":{"address":"000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc","signed_by":""},"client_to":{"address":"000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350"}}`,
    );
    expect(toHex(clientHash(h))).toBe('191ecdac653ca1f5c1bd3c8dfbc5be1412de97dec9f445ed951c24de8c372607');
  });

  it('header-002 server preimage is {"client_hash":"BvOK…","server_authorized_by":null} hashing to 66843d20…47d1', () => {
    const h = H2();
    expect(serverHashPreimage(h)).toBe('{"client_hash":"BvOK6Vj4p17U32NdTo3fTAIdwy6n/zN3FGRlwCagjSM=","server_authorized_by":null}');
    expect(toB64(clientHash(h))).toBe('BvOK6Vj4p17U32NdTo3fTAIdwy6n/zN3FGRlwCagjSM=');
    expect(toHex(serverHash(h))).toBe('66843d206a2d9cbaf7dfbcd6a3a34f4b5d85dc9d250401329028226e21ad47d1');
  });

  it('header-003 client preimage carries signed_by "authorized" and its server preimage embeds authorized_by in struct order', () => {
    const h = H3();
    expect(clientHashPreimage(h)).toBe(
      `{"client_catalog":${CATALOG_PART},"client_from":{"address":"000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc","signed_by":"authorized"},"client_to":{"address":"000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350"}}`,
    );
    expect(serverHashPreimage(h)).toBe(
      `{"client_hash":"PH+BpZAl8EbAJS1grg14LwAkRBTQJF4xBMfx9H5UNgw=","server_authorized_by":{"public_key":"ed25519 MCowBQYDK2VwAyEA4KhfZWs/+B9Xx6eU+zN+A1USGtXsCs5zJNRq8JOM9EA=","signature":"${H3_AUTH_SIG}"}}`,
    );
  });

  it('ignores existing signatures: re-signing does not change either hash', () => {
    const h = H3();
    const blank = withSigs(h, { client: '', server: '' });
    expect(clientHash(blank)).toEqual(clientHash(h));
    expect(serverHash(blank)).toEqual(serverHash(h));
  });

  it('writes fingerprint, crypto and txid into the preimage only when non-empty (omitempty), signed_by always', () => {
    const h = H1();
    const full: Header = { ...h, to: { ...h.to, fingerprint: 'ab' }, catalog: { ...h.catalog, crypto: 'rsa/oaep', txid: 'cd' } };
    expect(clientHashPreimage(full)).toContain('"crypto":"rsa/oaep","txid":"cd","encrypted_key"');
    expect(clientHashPreimage(full)).toContain('"client_to":{"address":"000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350","fingerprint":"ab"}');
    const nil: Header = { ...h, catalog: { ...h.catalog, checksum: null, encrypted_key: null, size: 0 } };
    expect(clientHashPreimage(nil)).toContain('"client_catalog":{"size":0,"checksum":null,"encrypted_key":null}');
    const empty: Header = { ...h, catalog: { ...h.catalog, checksum: {}, encrypted_key: new Uint8Array(0) } };
    expect(clientHashPreimage(empty)).toContain('"checksum":{},"encrypted_key":""');
  });

  it('escapes Go-JSON edge cases in hashed fields: <>&, U+2028, raw non-ASCII, lone surrogate', () => {
    const h = withFrom(H1(), { address: '<a>&\u2028é😀', signed_by: 'x\u2029' });
    expect(clientHashPreimage(h)).toContain('"client_from":{"address":"\\u003ca\\u003e\\u0026\\u2028é😀","signed_by":"x\\u2029"}');
    // Built in code, a lone surrogate stands for invalid UTF-8 and is written as the text \ufffd …
    expect(clientHashPreimage(withFrom(H1(), { address: 'a\ud800' }))).toContain('"address":"a\\ufffd"');
    // … while JSON "\ud800" decodes (as in Go) to a real U+FFFD, written raw.
    const parsed = parseHeader('{"from":{"address":"a\\ud800"}}');
    expect(parsed.from.address).toBe('a\ufffd');
    expect(clientHashPreimage(parsed)).toContain('"address":"a\ufffd"');
    expect(clientHashPreimage(parseHeader({ from: { address: 'a\ud800' } }))).toContain('"address":"a\ufffd"');
  });

  it('sorts checksum map keys bytewise whatever the input order', () => {
    const h = parseHeader({ catalog: { checksum: { sha256: 'b', ripemd160: 'a', Z: 'z' } } });
    expect(clientHashPreimage(h)).toContain('"checksum":{"Z":"z","ripemd160":"a","sha256":"b"}');
  });
});

describe('header signatures (§4.4, signature_test.go)', () => {
  it('signs header-001 with key-3 to expectedClientSignature and verifies it with key-3', () => {
    const h = signClientHeader(H1(), GO_KEY_3.privateKey);
    expect(h.signatures.client).toBe(EXPECTED_CLIENT_SIG);
    expect(verifyClientHeader(h, GO_KEY_3.publicKey)).toBe(true);
    expect(verifyClientHeader(h, parsePublicKey(GO_KEY_3.publicKey))).toBe(true);
    expect(verifyClientHeader(h, GO_KEY_2.publicKey)).toBe(false);
  });

  it('returns a new header and leaves the input untouched', () => {
    const h = H1();
    const s = signClientHeader(h, parsePrivateKey(GO_KEY_3.privateKey));
    expect(h.signatures.client).toBe('');
    expect(s).not.toBe(h);
    const t = signServerHeader(s, GO_KEY_1.privateKey);
    expect(s.signatures.server).toBe('');
    expect(t.signatures.client).toBe(EXPECTED_CLIENT_SIG);
  });

  it('signs header-002 with key-1 to expectedServerSignature and verifies it with key-1', () => {
    const h = signServerHeader(H2(), GO_KEY_1.privateKey);
    expect(h.signatures.server).toBe(EXPECTED_SERVER_SIG);
    expect(verifyServerHeader(h, GO_KEY_1.publicKey)).toBe(true);
    expect(verifyServerHeader(h, GO_KEY_2.publicKey)).toBe(false);
  });

  it('server-type client signature: header-001 from "12345678" signed_by server with key-ed25519-3 is Dpgm8T…', () => {
    const h = withFrom(H1(), { address: '12345678', signed_by: 'server' });
    const s = signClientHeader(h, GO_ED25519_3.privateKey);
    expect(s.signatures.client).toBe(SERVER_TYPE_SIG);
    expect(verifyClientHeader(s, GO_ED25519_3.publicKey)).toBe(true);
    // Routing 44444444 resolves to another key; an empty from changes the hash; an empty signature fails.
    expect(verifyClientHeader(s, GO_KEY_1.publicKey)).toBe(false);
    expect(verifyClientHeader(withFrom(s, { address: '' }), GO_ED25519_3.publicKey)).toBe(false);
    expect(verifyClientHeader(withFrom(s, { address: '44444444' }), GO_ED25519_3.publicKey)).toBe(false);
    expect(verifyClientHeader(withSigs(s, { client: '' }), GO_ED25519_3.publicKey)).toBe(false);
  });

  it('header-003 on-behalf chain is valid against key-3 (authorized key = key-ed25519-2)', () => {
    expect(verifyClientHeader(H3(), GO_KEY_3.publicKey)).toBe(true);
    expect(signClientHeader(H3(), GO_ED25519_2.privateKey).signatures.client).toBe(H3().signatures.client);
  });

  it('header-003 broken variants are invalid: auth sig Zm9vYmFy or foobar, authorized_by removed, header-004, wrong origin key', () => {
    const h = H3();
    const auth = h.authorized_by!;
    expect(verifyClientHeader({ ...h, authorized_by: { ...auth, signature: 'Zm9vYmFy' } }, GO_KEY_3.publicKey)).toBe(false);
    expect(verifyClientHeader({ ...h, authorized_by: { ...auth, signature: 'foobar' } }, GO_KEY_3.publicKey)).toBe(false);
    expect(verifyClientHeader({ ...h, authorized_by: { ...auth, signature: '' } }, GO_KEY_3.publicKey)).toBe(false);
    expect(verifyClientHeader({ ...h, authorized_by: { ...auth, public_key: null } }, GO_KEY_3.publicKey)).toBe(false);
    const { authorized_by: _a, ...noAuth } = h;
    expect(verifyClientHeader(noAuth, GO_KEY_3.publicKey)).toBe(false);
    expect(verifyClientHeader(H4(), GO_KEY_3.publicKey)).toBe(false);
    expect(verifyClientHeader(h, GO_KEY_2.publicKey)).toBe(false);
    // signed_by "authorized" is what makes the chain count: as origin, key-ed25519-2's signature is not key-3's.
    expect(verifyClientHeader(withFrom(h, { signed_by: 'origin' }), GO_KEY_3.publicKey)).toBe(false);
  });

  // Go getSignerPublicKey returns (nil, nil) when an Ed25519 origin key rejects a well-formed
  // authorized_by signature, and VerifyClientHeader then dereferences nil (panic). We answer false.
  it('an ed25519 origin key rejecting a well-formed authorized_by signature gives false (Go panics here)', () => {
    const origin = GO_ED25519_1;
    const authPub = GO_ED25519_2.publicKey;
    let h: Header = { ...withFrom(H1(), { signed_by: 'authorized' }), authorized_by: { public_key: authPub, signature: signAuthorization(origin.privateKey, authPub) } };
    h = signClientHeader(h, GO_ED25519_2.privateKey);
    expect(verifyClientHeader(h, origin.publicKey)).toBe(true);
    const bad = { ...h, authorized_by: { public_key: authPub, signature: toB64(new Uint8Array(64)) } };
    expect(verifyClientHeader(bad, origin.publicKey)).toBe(false);
  });

  it('client signature "A" (bad b64), "", "Zm9vYmFy" are invalid; so is any garbage key or header', () => {
    const h = signClientHeader(H1(), GO_KEY_3.privateKey);
    for (const sig of ['A', '', 'Zm9vYmFy']) expect(verifyClientHeader(withSigs(h, { client: sig }), GO_KEY_3.publicKey)).toBe(false);
    expect(verifyClientHeader(h, 'rsa garbage')).toBe(false);
    expect(verifyClientHeader(h, 'nope')).toBe(false);
    expect(verifyClientHeader({} as Header, GO_KEY_3.publicKey)).toBe(false);
    expect(verifyClientHeader(null as unknown as Header, GO_KEY_3.publicKey)).toBe(false);
    expect(verifyClientHeader(h, null as unknown as string)).toBe(false);
  });

  it('server signature "A", "", "Zm9vYmFy" are invalid; signed_by server with a garbage server signature is valid (Go)', () => {
    const h = signServerHeader(H2(), GO_KEY_1.privateKey);
    for (const sig of ['A', '', 'Zm9vYmFy']) expect(verifyServerHeader(withSigs(h, { server: sig }), GO_KEY_1.publicKey)).toBe(false);
    expect(verifyServerHeader(withSigs(withFrom(h, { signed_by: 'server' }), { server: 'A' }), GO_KEY_1.publicKey)).toBe(true);
    expect(verifyServerHeader(h, 'garbage')).toBe(false);
    expect(verifyServerHeader({} as Header, GO_KEY_1.publicKey)).toBe(false);
  });

  it('server signature covers authorized_by: changing it invalidates the server signature but not the client one', () => {
    const h = signServerHeader(H3(), GO_KEY_1.privateKey);
    expect(verifyServerHeader(h, GO_KEY_1.publicKey)).toBe(true);
    const changed = { ...h, authorized_by: { ...h.authorized_by!, signature: 'Zm9vYmFy' } };
    expect(verifyServerHeader(changed, GO_KEY_1.publicKey)).toBe(false);
    const { authorized_by: _a, ...noAuth } = h;
    expect(verifyServerHeader(noAuth, GO_KEY_1.publicKey)).toBe(false);
  });

  it('ecdsa senders sign with the client hash as prehash and verify', () => {
    const h = signClientHeader(H1(), GO_PRIVKEY_ECDSA.privateKey, seededRng(new Uint8Array([1])));
    expect(verifyClientHeader(h, GO_PRIVKEY_ECDSA.publicKey)).toBe(true);
  });

  it('any single flipped bit in the client signature makes verifyClientHeader false (ed25519 and RSA)', () => {
    const ed = signClientHeader(H1(), GO_ED25519_1.privateKey);
    const rsa = signClientHeader(H1(), GO_KEY_3.privateKey);
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), (useRsa, pos) => {
        const [h, pub] = useRsa ? [rsa, GO_KEY_3.publicKey] : [ed, GO_ED25519_1.publicKey];
        const sig = fromB64(h.signatures.client);
        const bit = pos % (sig.length * 8);
        sig[bit >> 3]! ^= 1 << (bit & 7);
        expect(verifyClientHeader(withSigs(h, { client: toB64(sig) }), pub)).toBe(false);
      }),
      { numRuns: 150 },
    );
  });
});

describe('parseHeader / headerToGo / headerJson (§4.2)', () => {
  it('round-trips header-001 to Go struct order with signed_by and empty signatures written, txid dropped', () => {
    expect(goMarshal(headerToGo(H1()))).toBe(
      `{"from":{"address":"000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc","signed_by":""},"to":{"address":"000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350"},"catalog":${CATALOG_PART},"signatures":{"server":"","client":""}}`,
    );
  });

  it('writes authorized_by before signatures, public_key before signature, and the upload form indented by two spaces', () => {
    const h = H3();
    expect(headerJson(h)).toBe(goMarshal(headerToGo(h)));
    expect(headerJson(h, '  ')).toBe(`{
  "from": {
    "address": "000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc",
    "signed_by": "authorized"
  },
  "to": {
    "address": "000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350"
  },
  "catalog": {
    "size": 983,
    "checksum": {
      "ripemd160": "cc83e77af0fae70c3b655f36f110ec4d2eebaf1c",
      "sha256": "79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a"
    },
    "encrypted_key": "Zm9vYmFy"
  },
  "authorized_by": {
    "public_key": "ed25519 MCowBQYDK2VwAyEA4KhfZWs/+B9Xx6eU+zN+A1USGtXsCs5zJNRq8JOM9EA=",
    "signature": "${H3_AUTH_SIG}"
  },
  "signatures": {
    "server": "yjBaPd8nWoz6wCJx8kmh7jeU0QcoT9C2oA8Qsh9cq1PRNeE0PLIpDjI4jb3ftP+3PdCRF5TWNOzk8OYbwJkpAg==",
    "client": "hviVRC4zb+RK7f1iHc8Cu/acH1QyI4uIrjqm4OukfGb/z3zFSvLS2G0bDmkBt1kPiSZYTgR33zZRC/kIV1YGAw=="
  }
}`);
    expect(parseHeader(headerJson(h, '  '))).toEqual(h);
  });

  it('gives missing fields Go zero values: {} → empty strings, size 0, null checksum and key, no authorized_by', () => {
    const h = parseHeader({});
    expect(goMarshal(headerToGo(h))).toBe(
      '{"from":{"address":"","signed_by":""},"to":{"address":""},"catalog":{"size":0,"checksum":null,"encrypted_key":null},"signatures":{"server":"","client":""}}',
    );
    expect('authorized_by' in h).toBe(false);
    expect(parseHeader({ authorized_by: null }).authorized_by).toBeUndefined();
    expect(goMarshal(headerToGo(parseHeader({ authorized_by: {} })))).toContain('"authorized_by":{"public_key":null,"signature":""}');
  });

  it('refuses catalog.size -0, -1, 1.5 and 2^64 as Go\'s ParseUint does, and reads 0 and 2^64 − 1', () => {
    for (const bad of ['-0', '-1', '1.5', '18446744073709551616'])
      expect(() => parseHeader(`{"catalog":{"size":${bad}}}`), bad).toThrow(InvalidInput);
    expect(parseHeader('{"catalog":{"size":0}}').catalog.size).toBe(0);
    expect(parseHeader('{"catalog":{"size":18446744073709551615}}').catalog.size).toBe(2n ** 64n - 1n);
  });

  it('matches keys case-insensitively (Go fold incl. ſ U+017F and Kelvin K) and merges fields of repeated objects', () => {
    const h = parseHeader({ FROM: { Address: 'a', SIGNED_BY: 'origin' }, from: { address: 'b' }, catalog: { ſize: 7, Checksum: { a: '1' }, checksum: { b: '2' }, encrypted_\u212Aey: 'AA==' } });
    expect(h.from).toEqual({ address: 'b', signed_by: 'origin' });
    expect(h.catalog.size).toBe(7);
    expect(h.catalog.checksum).toEqual({ a: '1', b: '2' });
    expect(h.catalog.encrypted_key).toEqual(new Uint8Array([0]));
    expect(parseHeader({ catalog: { checksum: { a: '1' }, CHECKSUM: null } }).catalog.checksum).toBeNull();
    expect(parseHeader({ from: { address: 'x' }, From: null }).from.address).toBe('x');
    expect(parseHeader({ unknown: 1, from: { extra: [1] } }).from.address).toBe('');
  });

  it('keeps size exact as bigint above 2^53 when parsed from text, up to uint64 max', () => {
    const h = parseHeader('{"catalog":{"size":18446744073709551615}}');
    expect(h.catalog.size).toBe(18446744073709551615n);
    expect(headerJson(h)).toContain('"size":18446744073709551615');
    expect(() => parseHeader('{"catalog":{"size":18446744073709551616}}')).toThrow(InvalidInput);
  });

  it.each([
    ['top-level array', []],
    ['top-level null', null],
    ['top-level string that is not JSON', 'nope'],
    ['from as string', { from: 'x' }],
    ['address as number', { from: { address: 1 } }],
    ['size as string', { catalog: { size: '983' } }],
    ['negative size', { catalog: { size: -1 } }],
    ['fractional size', { catalog: { size: 1.5 } }],
    ['checksum as array', { catalog: { checksum: [] } }],
    ['checksum value as number', { catalog: { checksum: { sha256: 1 } } }],
    ['encrypted_key not base64', { catalog: { encrypted_key: 'Zm9vYmFy!' } }],
    ['encrypted_key unpadded', { catalog: { encrypted_key: 'Zm9vYg' } }],
    ['encrypted_key as array', { catalog: { encrypted_key: [1] } }],
    ['authorized_by public key garbage', { authorized_by: { public_key: 'ed25519 AAAA' } }],
    ['authorized_by public key of unknown type', { authorized_by: { public_key: 'dsa MCowBQYDK2VwAyEA4KhfZWs/+B9Xx6eU+zN+A1USGtXsCs5zJNRq8JOM9EA=' } }],
    ['authorized_by as string', { authorized_by: 'x' }],
    ['signatures.client as number', { signatures: { client: 5 } }],
  ])('rejects %s with InvalidInput', (_name, v) => {
    expect(() => parseHeader(v)).toThrow(InvalidInput);
  });

  it('stores authorized_by.public_key as Go PubKey.String(): trailing space and newline trimmed, description kept', () => {
    const k = 'ed25519 MCowBQYDK2VwAyEA4KhfZWs/+B9Xx6eU+zN+A1USGtXsCs5zJNRq8JOM9EA=';
    expect(parseHeader({ authorized_by: { public_key: `${k}\n` } }).authorized_by!.public_key).toBe(k);
    expect(parseHeader({ authorized_by: { public_key: `${k} ` } }).authorized_by!.public_key).toBe(k);
    expect(parseHeader({ authorized_by: { public_key: `${k} my key ` } }).authorized_by!.public_key).toBe(`${k} my key`);
  });

  it('decodes encrypted_key base64 with embedded newlines (Go skips \\r\\n) and re-encodes it canonically', () => {
    const h = parseHeader({ catalog: { encrypted_key: 'Zm9v\r\nYmFy' } });
    expect(headerJson(h)).toContain('"encrypted_key":"Zm9vYmFy"');
  });
});
