/**
 * Tests of the JSON Schemas in schemas/: every schema compiles in Ajv strict mode, follows the
 * house rules (STYLE.md "Data files": every object has `required` and a closed-or-declared
 * property policy, every property a description), and accepts the Go artefacts it describes
 * (testdata copied from bitmaelum-suite 95952d1, the §6.3 vault, spec KATs) while rejecting
 * broken copies of them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as fixtures from '../harness/protocol/fixtures.ts';
import { SCHEMA_BASE, SCHEMA_DIR, formatErrors, loadSchemas, readSchemaFiles, validator, vectorCaseProblems } from './index.ts';

const TD = join(SCHEMA_DIR, 'testdata');
// The Go test data lives once, in vectors/external/ (hashes checked by vectors/external/provenance.test.ts).
const GO = join(SCHEMA_DIR, '..', 'vectors', 'external', 'bitmaelum-suite-testdata');
const readJson = (p: string): unknown => JSON.parse(readFileSync(p, 'utf8'));
const readText = (p: string): string => readFileSync(p, 'utf8').trim();
const clone = <T>(v: T): T => structuredClone(v);
type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function ok(id: string, value: unknown): void {
  const v = validator(id);
  const valid = v(value);
  expect(valid, `${id} should accept ${JSON.stringify(value).slice(0, 200)}\n${formatErrors(v.errors)}`).toBe(true);
}
function bad(id: string, value: unknown): void {
  const v = validator(id);
  expect(v(value), `${id} should reject ${JSON.stringify(value).slice(0, 300)}`).toBe(false);
}

describe('schema files', () => {
  it('every *_schema_v1.json compiles with Ajv 2020 in strict mode, with ajv-formats', () => {
    const { files } = loadSchemas();
    expect(files.length).toBeGreaterThanOrEqual(21);
    for (const f of files) expect(validator(f.file)).toBeTypeOf('function');
  });

  it('every schema has $id = base + file name, a title and a description', () => {
    for (const f of readSchemaFiles()) {
      expect(f.schema['$id']).toBe(SCHEMA_BASE + f.file);
      expect(f.schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(typeof f.schema['title']).toBe('string');
      expect(typeof f.schema['description']).toBe('string');
    }
  });

  it('every object schema lists required and declares its extra-property policy; every property has a description', () => {
    const problems: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
      if (!node || typeof node !== 'object') return;
      const s = node as J;
      if (s['properties'] && typeof s['properties'] === 'object' && s['type'] === 'object') {
        if (!Array.isArray(s['required'])) problems.push(`${path}: object without required`);
        if (s['additionalProperties'] !== false && !('unevaluatedProperties' in s)) {
          problems.push(`${path}: object neither closed (additionalProperties:false) nor declared (unevaluatedProperties)`);
        }
        for (const [k, p] of Object.entries(s['properties'] as J)) {
          if (p === true || typeof (p as J)['description'] !== 'string') problems.push(`${path}/properties/${k}: no description`);
        }
      }
      if (s['type'] === 'object' && !s['properties'] && s['additionalProperties'] === undefined && s['$ref'] === undefined) {
        problems.push(`${path}: object with neither properties nor additionalProperties`);
      }
      for (const [k, v] of Object.entries(s)) if (k !== 'properties' || typeof v === 'object') walk(v, `${path}/${k}`);
    };
    for (const f of readSchemaFiles()) walk(f.schema, f.file);
    expect(problems).toEqual([]);
  });

  it('unknown schema ids are reported, not silently accepted', () => {
    expect(() => validator('nope_schema_v1.json')).toThrow(/unknown schema/);
  });
});

describe('header_schema_v1.json (formats.md §4.2)', () => {
  const headers = [1, 2, 3, 4].map((n) => readJson(join(GO, `header-00${n}.json`)) as J);

  it.each([1, 2, 3, 4])('accepts Go testdata header-00%i.json as read by Go (txid "", signed_by and signatures may be absent)', (n) => {
    ok('header_schema_v1.json', headers[n - 1]);
  });

  it('rejects header-001 as an emitted header: Go always writes signed_by and signatures, never txid ""', () => {
    bad('header_schema_v1.json#/$defs/EmittedHeader', headers[0]);
    const emitted = clone(headers[0]!);
    emitted['from']['signed_by'] = '';
    delete emitted['catalog']['txid'];
    emitted['signatures'] = { server: '', client: '' };
    ok('header_schema_v1.json#/$defs/EmittedHeader', emitted);
  });

  it('accepts uint64 sizes above 2^53 held as bigint by the lossless JSON reader, and still rejects negative ones', () => {
    const v = validator('header_schema_v1.json');
    const withSize = (size: bigint) => ({ ...headers[0]!, catalog: { ...headers[0]!['catalog'], size } });
    expect(v(withSize(18446744073709551615n)), formatErrors(v.errors)).toBe(true);
    expect(v(withSize(9007199254740993n)), formatErrors(v.errors)).toBe(true);
    expect(v(withSize(-1n))).toBe(false);
    expect(formatErrors(v.errors)).toContain('/catalog/size');
  });

  it('accepts the Go KAT header whose from.address is the 8-character routing ID 12345678 (signed_by server)', () => {
    ok('header_schema_v1.json', { ...headers[0]!, from: { address: '12345678', signed_by: 'server' } });
  });

  const mutations: [string, (h: J) => void][] = [
    ['no from', (h) => delete h['from']],
    ['no to.address', (h) => delete h['to']['address']],
    ['catalog.size as a string', (h) => (h['catalog']['size'] = '983')],
    ['negative catalog.size', (h) => (h['catalog']['size'] = -1)],
    ['unknown signed_by', (h) => (h['from']['signed_by'] = 'bogus')],
    ['from.address not hex', (h) => (h['from']['address'] = 'john!')],
    ['to.address not a hash', (h) => (h['to']['address'] = '12345678')],
    ['txid of the wrong length', (h) => (h['catalog']['txid'] = 'abcd')],
    ['encrypted_key not base64', (h) => (h['catalog']['encrypted_key'] = 'Zm9vYmFy!')],
    ['checksum without sha256', (h) => delete h['catalog']['checksum']['sha256']],
    ['extra top-level field', (h) => (h['extra'] = 1)],
    ['capitalised key From (Go would read it; a writer must not emit it)', (h) => { h['From'] = h['from']; delete h['from']; }],
    ['unknown crypto', (h) => (h['catalog']['crypto'] = 'aes')],
    ['authorized_by without signature', (h) => (h['authorized_by'] = { public_key: 'ed25519 MCowBQYDK2VwAyEA4KhfZWs/+B9Xx6eU+zN+A1USGtXsCs5zJNRq8JOM9EA=' })],
    ['signatures.client not base64', (h) => (h['signatures'] = { client: 'A', server: '' })],
  ];
  it.each(mutations)('rejects a broken header-003 copy: %s', (_name, mutate) => {
    const h = clone(headers[2]!);
    mutate(h);
    bad('header_schema_v1.json', h);
  });
});

describe('signature_chain_schema_v1.json (formats.md §4.3-§4.4)', () => {
  it('accepts the exact client-hash preimage of header-001 and the server-hash preimage of header-002', () => {
    ok('signature_chain_schema_v1.json#/$defs/ClientHashPreimage', JSON.parse(
      '{"client_catalog":{"size":983,"checksum":{"ripemd160":"cc83e77af0fae70c3b655f36f110ec4d2eebaf1c","sha256":"79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a"},"encrypted_key":"Zm9vYmFy"},"client_from":{"address":"000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc","signed_by":""},"client_to":{"address":"000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350"}}'));
    ok('signature_chain_schema_v1.json#/$defs/ServerHashPreimage', { client_hash: 'BvOK6Vj4p17U32NdTo3fTAIdwy6n/zN3FGRlwCagjSM=', server_authorized_by: null });
    bad('signature_chain_schema_v1.json#/$defs/ServerHashPreimage', { client_hash: 'Zm9vYmFy', server_authorized_by: null });
  });
  it('accepts the chain of header-003 and rejects a chain with an unknown signer type', () => {
    const h = readJson(join(GO, 'header-003.json')) as J;
    const chain = { signed_by: h['from']['signed_by'], authorized_by: h['authorized_by'], signatures: h['signatures'] };
    ok('signature_chain_schema_v1.json', chain);
    bad('signature_chain_schema_v1.json', { ...chain, signed_by: 'client' });
  });
});

describe('vault_schema_v1.json and vault_plaintext_schema_v1.json (formats.md §6)', () => {
  const vault = readJson(join(TD, 'vault-v2-client-library.json')) as J;
  const plain = readJson(join(TD, 'vault-v2-client-library.plaintext.json')) as J;

  it('accepts the §6.3 Go-produced vault container and its exact plaintext (v2, capital-K Keys)', () => {
    ok('vault_schema_v1.json', vault);
    ok('vault_plaintext_schema_v1.json', plain);
    ok('vault_plaintext_schema_v1.json#/$defs/V2', plain);
    bad('vault_plaintext_schema_v1.json#/$defs/V1', plain);
  });

  it.each<[string, (v: J) => void]>([
    ['salt of 32 bytes', (v) => (v['salt'] = Buffer.alloc(32).toString('base64'))],
    ['iv of 32 bytes (the Go comment is wrong: 16)', (v) => (v['iv'] = Buffer.alloc(32).toString('base64'))],
    ['hmac not 32 bytes', (v) => (v['hmac'] = 'Zm9vYmFy')],
    ['type foo', (v) => (v['type'] = 'foo')],
    ['version 3', (v) => (v['version'] = 3)],
    ['no data', (v) => delete v['data']],
    ['extra kdf field', (v) => (v['kdf'] = 'scrypt')],
  ])('rejects a broken vault copy: %s', (_n, m) => {
    const v = clone(vault);
    m(v);
    bad('vault_schema_v1.json', v);
  });

  it.each<[string, (p: J) => void]>([
    ['lower-case keys in an account', (p) => { p['accounts'][0]['keys'] = p['accounts'][0]['Keys']; delete p['accounts'][0]['Keys']; }],
    ['no routing_id', (p) => delete p['accounts'][0]['routing_id']],
    ['address not normalised', (p) => (p['accounts'][0]['address'] = 'Test.30!')],
    ['key without active flag', (p) => delete p['accounts'][0]['Keys'][0]['active']],
    ['store_key with a bad fingerprint', (p) => (p['accounts'][0]['store_key']['fingerprint'] = 'b124')],
    ['proof not a PoW string', (p) => (p['accounts'][0]['proof'] = '27$xyz')],
  ])('rejects a broken plaintext copy: %s', (_n, m) => {
    const p = clone(plain);
    m(p);
    bad('vault_plaintext_schema_v1.json', p);
  });

  it('accepts v0 and v1 layouts and the v1→v2 migrated form', () => {
    const acc = plain['accounts'][0] as J;
    const v1acc = { address: acc['address'], name: acc['name'], settings: null, priv_key: acc['Keys'][0]['priv_key'], pub_key: acc['Keys'][0]['pub_key'], proof: acc['proof'], routing_id: acc['routing_id'] };
    ok('vault_plaintext_schema_v1.json#/$defs/V0', [v1acc]);
    ok('vault_plaintext_schema_v1.json#/$defs/V1', { accounts: [v1acc], organisations: [] });
    bad('vault_plaintext_schema_v1.json#/$defs/V2', { accounts: [v1acc], organisations: [] });
  });
});

describe('key_schema_v1.json (formats.md §1.2)', () => {
  const keys = ['privkey.rsa', 'pubkey.rsa', 'privkey.ecdsa', 'pubkey.ecdsa', 'privkey.ed25519', 'pubkey.ed25519'];
  it.each(keys)('accepts Go testdata %s (RSA-1024 PKCS#1, P-384, Ed25519)', (f) => ok('key_schema_v1.json', readText(join(GO, f))));
  it('accepts the key-N.json files and the v0 routing file', () => {
    ok('key_schema_v1.json#/$defs/TestKeyFile', readJson(join(GO, 'key-1.json')));
    ok('key_schema_v1.json#/$defs/TestKeyFile', readJson(join(GO, 'key-ed25519-1.json')));
    ok('key_schema_v1.json#/$defs/RoutingFileV0', readJson(join(GO, 'routing.json')));
  });
  it('matches per-type patterns: private keys are not public keys', () => {
    ok('common_schema_v1.json#/$defs/PrivateKeyEd25519', 'ed25519 MC4CAQAwBQYDK2VwBCIEIMdUuZk8GXMMRnrbZ90JDNIrz5h7ac2whZiqpveDSgZ7');
    ok('common_schema_v1.json#/$defs/PublicKeyEd25519', 'ed25519 MCowBQYDK2VwAyEAOT5K9VqRFjJ2Q0RWWqT8+OndKQrmzXCuMTSnhfvVpws= my foo bar');
    ok('common_schema_v1.json#/$defs/PrivateKeyEcdsa', 'ecdsa MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDDt8LNhN1AHVrBuBqKrryGgUS0EdRdjRuYGjONDYI96Vy8IcGsz4HQrX0biOzfE5iuhZANiAAT67cjQyt3qJUktq0dJy/KZ/15NhPpqBlG7NCwVyeyqcU2IlpE0bM+58BOkBpHCYq7zxEfXurDYIuCMKNKExJXXUeCczPBNHg9pWVVCPTHkypb69VURfYgQSo/58vSXCjU=');
    bad('common_schema_v1.json#/$defs/PublicKey', 'ecdsa MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDDt8LNhN1AHVrBuBqKrryGgUS0EdRdjRuYGjONDYI96Vy8IcGsz4HQrX0biOzfE5iuhZANiAAT67cjQyt3qJUktq0dJy/KZ/15NhPpqBlG7NCwVyeyqcU2IlpE0bM+58BOkBpHCYq7zxEfXurDYIuCMKNKExJXXUeCczPBNHg9pWVVCPTHkypb69VURfYgQSo/58vSXCjU=');
    ok('common_schema_v1.json#/$defs/PublicKeyRsa', readJson(join(GO, 'key-1.json')) && (readJson(join(GO, 'key-1.json')) as J)['public_key']);
  });
  // Every fixed identity of harness/protocol/fixtures.ts (Go testdata, §1.9 KATs, the generated rsa4096) is a
  // Go-produced or Go-parseable key, so the per-type patterns must accept all of them.
  const pairs = Object.entries(fixtures).filter(([, v]) => typeof v === 'object' && v !== null && 'privateKey' in v && 'publicKey' in v) as [string, { privateKey: string; publicKey: string }][];
  it.each(pairs)('accepts the key pair fixture %s (private and public patterns)', (_name, p) => {
    ok('common_schema_v1.json#/$defs/PrivateKey', p.privateKey);
    ok('common_schema_v1.json#/$defs/PublicKey', p.publicKey);
    bad('common_schema_v1.json#/$defs/PublicKey', p.privateKey);
  });
  it.each(['fooobar', 'rsa foo', 'foo MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ', 'foo 12314', 'foo12314', 'ED25519 MCowBQYDK2VwAyEAOT5K9VqRFjJ2Q0RWWqT8+OndKQrmzXCuMTSnhfvVpws=', 'ed25519 MCowBQYDK2VwAyEAOT5K9VqRFjJ2Q0RWWqT8+OndKQrmzXCuMTSnhfvVpws'])(
    'rejects the key string %j', (s) => bad('key_schema_v1.json', s));
});

describe('address, hash, pow, invite, jwt (formats.md §2, §8-§10)', () => {
  it.each(['jay!', 'jay@org!', 'j1234!', '1ja!', 'abc@de!', 'joshua@bitmaelum!', `${'y'.repeat(64)}@${'o'.repeat(64)}!`])('accepts the normalised address %s', (a) => ok('address_schema_v1.json', a));
  it.each(['jay', 'j!', 'ja!', '1!', 'jay-@o$rg!', '@@org!', '@org!', 'ab@de!', 'abc@d!', `${'y'.repeat(65)}!`, 'ja.y@org!', 'JAY!'])('rejects %s as a normalised address', (a) => bad('address_schema_v1.json', a));
  it('hashes: lowercase canonical, any case accepted on input (NewFromHash)', () => {
    ok('common_schema_v1.json#/$defs/Hash', '2244643da7475120bf84d744435d15ea297c36ca165ea0baaa69ec818d0e952f');
    bad('common_schema_v1.json#/$defs/Hash', '2244643DA7475120bf84d744435d15ea297c36ca165ea0baaa69ec818d0e952f');
    ok('common_schema_v1.json#/$defs/HashAnyCase', '2244643DA7475120bf84d744435d15ea297c36ca165ea0baaa69ec818d0e952f');
    bad('common_schema_v1.json#/$defs/HashAnyCase', '12345678');
  });
  it('proof-of-work strings: KAT form accepted, Go parse errors rejected', () => {
    ok('pow_schema_v1.json', '8$am9obkBleGFtcGxlIQ==$149');
    ok('pow_schema_v1.json', '27$YmY2ZjAyMDA1ZDZiMTQxMGRiYjE1ZWZjYmJjY2NjNjUyMDBiMjMzZWJlMWY3MTFiMGNmNDk1MDdlYTFiYTI1Mw==$43776839');
    for (const s of ['8$am9obkBleGFtcGxlI', '3$a$1', '8$a$b', 'abc$am9obkBleGFtcGxlIQ==$149', '7$am9obkBleGFtcGxlIQ==$foobar', 'fooobar']) bad('pow_schema_v1.json', s);
  });
  it('invite token KAT accepted; its decoded form validates', () => {
    ok('invite_schema_v1.json', 'ZTE3NmRlOTk5MDZlMjFmZWE4MWY4Yzg3YjY4MzdiNzNkM2IyMzJjNDU5MmYyMGFjMzA2NWU1ODZiNmUxN2RiNzoxMjM0NTY3ODoxMjYyNjA4NDk2OtuWWRz3/6zPsXKDQk18SEmRabib6ogVd9ml1lPYWYw4tcb940J4ZxFK77rU6rkGYf/fKG1anE1SLpUyXBNGxgM=');
    bad('invite_schema_v1.json', '--4632632asdf325325252352');
    ok('invite_schema_v1.json#/$defs/Decoded', { address_hash: 'e176de99906e21fea81f8c87b6837b73d3b232c4592f20ac3065e586b6e17db7', routing_id: '12345678', expires: 1262608496, signature_b64: 'AAAA' });
  });
  it('JWT KAT (RS256, 2020-01-01T12:34:56Z): token, header and claims validate; extra claims are only "accepted"', () => {
    const token = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE1Nzc4ODIxMzAsImlhdCI6MTU3Nzg4MjA0MCwibmJmIjoxNTc3ODgyMDQwLCJzdWIiOiIxODgyYjkxYjdmNDlkNDc5Y2YxZWMyZjFlY2VlMzBkMGU1MzkyZTk2M2EyMTA5MDE1YjcxNDliZjcxMmFkMWI2In0.D0QCl93sfwtOVmHpt5LJ9OjnLfNR0d9WnyZIVVa-Ktxd-PSLC6b-UlhSV3NKnMz1mNdO3KQIf9_0RQcjWWxOUzH2kXANMNngeLz5bHQowiSDtTMFwKdwCdHhMaYCuMkEGvILfKRUuDhussSFZmcGcqDkIqKRFDN-0HyoHfCEHo4';
    ok('jwt_schema_v1.json', token);
    const [h, p] = token.split('.').slice(0, 2).map((s) => JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as J);
    ok('jwt_schema_v1.json#/$defs/Header', h);
    ok('jwt_schema_v1.json#/$defs/Claims', p);
    bad('jwt_schema_v1.json#/$defs/Claims', { ...p, aud: 'x' });
    ok('jwt_schema_v1.json#/$defs/AcceptedClaims', { ...p, aud: 'x', foo: 1 });
    bad('jwt_schema_v1.json#/$defs/Header', { alg: 'none', typ: 'JWT' });
    bad('jwt_schema_v1.json', 'a.b');
  });
});

describe('catalog_schema_v1.json (formats.md §5.1)', () => {
  const cat: J = {
    from: { address: 'john!', name: 'John', organisation: '', proof_of_work: null, public_key: null },
    to: { address: 'jane!' },
    created_at: '2021-04-15T12:34:56Z', thread_id: '', subject: 'hi', flags: null, labels: null,
    blocks: [{ id: '3a6e3d4b-6a4b-4c4f-9f0e-0e6f2f6b1c2d', type: 'default', size: 27, encoding: '', compression: '', checksum: null, key: Buffer.alloc(32, 1).toString('base64'), iv: Buffer.alloc(16, 2).toString('base64') }],
    attachments: [{ id: 'bb6e3d4b-6a4b-4c4f-8f0e-0e6f2f6b1c2d', mimetype: 'image/gif', filename: 'image.png', size: 32, compression: '', checksum: null, key: Buffer.alloc(32, 3).toString('base64'), iv: Buffer.alloc(16, 4).toString('base64') }],
  };
  it('accepts a catalog with every key present (no omitempty), nulls where Go writes nil', () => ok('catalog_schema_v1.json', cat));
  it.each<[string, (c: J) => void]>([
    ['missing thread_id (no omitempty: must be present)', (c) => delete c['thread_id']],
    ['created_at with a fraction', (c) => (c['created_at'] = '2021-04-15T12:34:56.5Z')],
    ['block key of 16 bytes', (c) => (c['blocks'][0]['key'] = Buffer.alloc(16).toString('base64'))],
    ['block iv of 12 bytes', (c) => (c['blocks'][0]['iv'] = Buffer.alloc(12).toString('base64'))],
    ['compression gzip', (c) => (c['blocks'][0]['compression'] = 'gzip')],
    ['upper-case UUID', (c) => (c['blocks'][0]['id'] = '3A6E3D4B-6A4B-4C4F-9F0E-0E6F2F6B1C2D')],
    ['UUID version 1', (c) => (c['blocks'][0]['id'] = '3a6e3d4b-6a4b-1c4f-9f0e-0e6f2f6b1c2d')],
  ])('rejects a catalog with %s', (_n, m) => {
    const c2 = clone(cat);
    m(c2);
    bad('catalog_schema_v1.json', c2);
  });
});

describe('ticket, server and resolver bodies (api.md §3, §7)', () => {
  const ticket = { ID: '3a6e3d4b-6a4b-4c4f-9f0e-0e6f2f6b1c2d', Valid: false, Expiry: '2021-04-15T13:04:56Z', Work: { Type: 'pow', Data: '25$QVFFQkFRRUJBUUVCQVFFQkFRRUJBUUVCQVFFQkFRRUJBUUVCQVFFQkFRRT0=$0' }, Sender: 'a'.repeat(64), Recipient: 'b'.repeat(64), SubscriptionID: '', AuthKey: '' };
  it('accepts an unvalidated ticket with work and a valid one with Work null; rejects lower-case keys', () => {
    ok('ticket_schema_v1.json', ticket);
    ok('ticket_schema_v1.json', { ...ticket, Valid: true, Work: null });
    bad('ticket_schema_v1.json', { ...ticket, id: ticket.ID });
    ok('ticket_schema_v1.json#/$defs/Request', { preference: ['pow'], recipient: 'b'.repeat(64), sender: 'a'.repeat(64), subscription_id: '' });
  });
  it('server error/status bodies and listing shapes (Meta vs meta)', () => {
    ok('server_api_schema_v1.json', { error: true, status: 'Unauthorized' });
    bad('server_api_schema_v1.json', { error: false, status: 'x' });
    ok('server_api_schema_v1.json#/$defs/Status', { status: 'message accepted' });
    ok('server_api_schema_v1.json#/$defs/MessageListResponse', { Meta: { total: 0, returned: 0, limit: 1000, offset: 0 }, messages: [] });
    bad('server_api_schema_v1.json#/$defs/MessageListResponse', { meta: { total: 0, returned: 0, limit: 1000, offset: 0 }, messages: [] });
    ok('server_api_schema_v1.json#/$defs/BoxListResponse', { meta: { total: 1, returned: 1 }, boxes: [{ id: 1, total: 0, messages: null }] });
    ok('server_api_schema_v1.json#/$defs/StoreEntry', { path: '', parent: null, data: 'Zm9vYmFy', timestamp: 0, has_children: false, entries: null, signature: null });
    ok('server_api_schema_v1.json#/$defs/Message', { id: 'x', h: readJson(join(GO, 'header-003.json')), c: 'Zm9vYmFy' });
  });
  it('resolver bodies: status, config, records with >2^53 serials, upload with empty strings', () => {
    ok('resolver_api_schema_v1.json', { message: 'hash not found', status: 'error' });
    ok('resolver_api_schema_v1.json#/$defs/Config', { proof_of_work: { address: 27, organisation: 29 } });
    const key = (readJson(join(GO, 'key-1.json')) as J)['public_key'];
    ok('resolver_api_schema_v1.json#/$defs/AddressRecord', { hash: 'a'.repeat(64), public_key: key, proof: '8$am9obkBleGFtcGxlIQ==$149', serial_number: 1617349430123456789, routing_id: 'b'.repeat(64) });
    ok('resolver_api_schema_v1.json#/$defs/AddressUpload', { org_hash: '', proof: '', public_key: key, redir_hash: '', routing_id: 'b'.repeat(64), user_hash: 'c'.repeat(64) });
    bad('resolver_api_schema_v1.json#/$defs/RoutingRecord', { hash: 'a'.repeat(64), routing: 'x:2424', public_key: key });
    ok('resolver_api_schema_v1.json#/$defs/Bearer', 'bearer SQ//6Uxbt6YO');
  });
});

describe('own files: adapter, requirements, vectors, manifest, target, expectations, report', () => {
  it('adapter: hello round trip, per-op args are checked, responses are exactly one kind', () => {
    ok('adapter_schema_v1.json', { id: 1, op: 'hello', args: { protocol: 1 } });
    bad('adapter_schema_v1.json#/$defs/Request', { id: 1, op: 'hello', args: { protocol: 2 } });
    ok('adapter_schema_v1.json#/$defs/Request', { id: 2, op: 'pow.verify', args: { bits: 8, data: 'john@example!', proof: 149 }, seed: '01', now: 1577882096 });
    bad('adapter_schema_v1.json#/$defs/Request', { id: 2, op: 'pow.verify', args: { bits: 8, data: 'john@example!' } });
    ok('adapter_schema_v1.json#/$defs/Request', { id: 3, op: 'x.custom', args: { anything: true } });
    ok('adapter_schema_v1.json#/$defs/HelloResult', { protocol: 1, implementation: { name: 'ref', version: '0.1.0', language: 'typescript' }, ops: ['hello'], deterministic: true });
    ok('adapter_schema_v1.json', { id: 4, ok: false, error: { class: 'InvalidKey', message: 'private_key: incorrect key format' } });
    ok('adapter_schema_v1.json', { id: null, ok: false, error: { class: 'InvalidInput', message: 'not JSON' } });
    ok('adapter_schema_v1.json', { id: 5, unsupported: true, reason: 'rsa with seed' });
    bad('adapter_schema_v1.json#/$defs/Response', { id: 5, ok: true, result: {}, unsupported: true, reason: 'x' });
    bad('adapter_schema_v1.json#/$defs/Response', { id: 6, ok: false, error: { class: 'Oops', message: 'x' } });
  });
  it('vector file: a Wycheproof-like file validates; invalid cases need an error class or expected output', () => {
    const file: J = {
      schema: 'vector_file_schema_v1.json', area: 'POW', name: 'pow_verify', schemaVersion: 1, generatorVersion: '0.1.0', seed: '00',
      requirements: ['BM-POW-001'], source: { kind: 'imported', repository: 'bitmaelum/bitmaelum-suite', commit: '95952d193fb9f2f4be9160453eb4c11954b629bf', path: 'pkg/proofofwork/pow_test.go' },
      header: ['Proof-of-work verification.'], notes: { WrongProof: { bugType: 'BASIC', description: 'Proof does not meet the difficulty.', effect: 'Free work.', links: ['formats.md §9'] } },
      numberOfTests: 2,
      testGroups: [{ op: 'pow.verify', inputs: { bits: 8 }, tests: [
        { tcId: 1, comment: 'KAT', flags: [], inputs: { data: 'john@example!', proof: 149 }, expected: { valid: true }, result: 'valid' },
        { tcId: 2, comment: 'wrong proof', flags: ['WrongProof'], inputs: { data: 'john@example!', proof: 12431241 }, expected: { valid: false }, result: 'invalid', requirements: ['BM-POW-002'] },
      ] }],
    };
    ok('vector_file_schema_v1.json', file);
    const broken = clone(file);
    delete broken['testGroups'][0]['tests'][1]['expected'];
    bad('vector_file_schema_v1.json', broken);
    broken['testGroups'][0]['tests'][1]['errorClass'] = 'InvalidProof';
    ok('vector_file_schema_v1.json', broken);
    broken['testGroups'][0]['tests'][1]['result'] = 'maybe';
    bad('vector_file_schema_v1.json', broken);
  });
  it('vectorCaseProblems checks case inputs and expected output against the adapter op (typos, wrong types)', () => {
    const file: J = {
      testGroups: [{ op: 'pow.verify', inputs: { bits: 8 }, tests: [
        { tcId: 1, inputs: { data: 'john@example!', proof: 149 }, expected: { valid: true }, result: 'valid' },
        { tcId: 2, inputs: { data: 'john@example!', prof: 1 }, expected: { valid: false }, result: 'invalid' },
        { tcId: 3, inputs: { data: 'john@example!', proof: 149 }, expected: { valid: 'yes' }, result: 'valid' },
        { tcId: 4, inputs: { data: 'x' }, expected: { valid: true }, result: 'valid' },
        { tcId: 5, op: 'address.hash', inputs: { address: 'jay!' }, expected: { hash: 'e3c57837799cbbcaea93913a5ce9d05c21abd5ce0eb0e583c7ee19533d0b8d4b', localHash: 'x' }, result: 'valid' },
        { tcId: 6, op: 'vendor.extension', inputs: { anything: 1 }, expected: {}, result: 'valid' },
      ] }],
    };
    const p = vectorCaseProblems(file);
    expect(p.filter((x) => x.startsWith('1:'))).toEqual([]);
    expect(p.some((x) => x.startsWith('2: input "prof"'))).toBe(true);
    expect(p.some((x) => x.startsWith('3: expected "valid" does not satisfy'))).toBe(true);
    expect(p.some((x) => x.startsWith('4: inputs do not satisfy PowVerifyArgs'))).toBe(true);
    expect(p.some((x) => x.startsWith('5: expected "localHash"'))).toBe(true);
    expect(p.filter((x) => x.startsWith('6:'))).toEqual([]);
  });
  it('manifest, target, expectations and report examples validate', () => {
    const sha = 'a'.repeat(64);
    ok('vector_manifest_schema_v1.json', { schema: 'vector_manifest_schema_v1.json', schemaVersion: 1, generatorVersion: '0.1.0', seed: '00', files: [{ path: 'vectors/pow_verify_test.json', sha256: sha, schema: 'vector_file_schema_v1.json', area: 'POW', cases: 2, valid: 1, invalid: 1, acceptable: 0 }], accumulated: [], tombstones: [{ file: 'vectors/pow_verify_test.json', tcId: 3, removedIn: '0.1.0', reason: 'duplicate' }] });
    ok('target_manifest_schema_v1.json', { schema: 'target_manifest_schema_v1.json', name: 'bitmaelum-go', role: 'server', image: 'bitmaelum/bm-server:0.1.1', env: { BITMAELUM_SERVER_CONFIG: '/etc/bitmaelum/bitmaelum-server-config.yml' }, files: [{ source: '${GENERATED}/server.yml', target: '/etc/bitmaelum/bitmaelum-server-config.yml', template: true }], ports: [{ name: 'https', container: 2424, protocol: 'https' }], readiness: { kind: 'http', port: 'https', path: '/', status: 200, timeout_ms: 60000 }, provisioning: { kind: 'invite', routing_key: '/etc/bitmaelum/routing.json' } });
    bad('target_manifest_schema_v1.json', { schema: 'target_manifest_schema_v1.json', name: 'x', role: 'database', image: 'x' });
    ok('expectations_schema_v1.json', { schema: 'expectations_schema_v1.json', implementation: 'bitmaelum-go', entries: [{ requirement: 'BM-ACCT-006', reason: 'invite not bound to address', link: 'api.md §8.5', expires: '2027-01-01' }] });
    bad('expectations_schema_v1.json', { schema: 'expectations_schema_v1.json', implementation: 'x', entries: [{ reason: 'no matcher at all' }] });
    const report: J = {
      schema: 'report_schema_v1.json', tool: { name: 'bm-conformance', version: '0.1.0', node: 'v20.20.2' },
      run: { id: 'r1', started_at: '2026-11-27T09:00:00Z', finished_at: '2026-11-27T09:01:00Z', duration_ms: 60000, command: ['bm-conformance', 'run'], profiles: ['library'], seed: '00' },
      target: { kind: 'builtin', implementation: { name: 'reference', version: '0.1.0', language: 'typescript' } },
      vectors: { manifest_path: 'vectors/manifest.json', manifest_sha256: sha, requirements_sha256: sha },
      summary: { total: 1, pass: 0, fail: 1, error: 0, unsupported: 0, xfail: 0, xpass: 0, ok: false, requirements_total: 1, requirements_untested: 0 },
      tests: [{ name: 'library › pow › BM-POW-001 › 1', profile: 'library', requirements: ['BM-POW-001'], vector: { file: 'vectors/pow_verify_test.json', tcId: 1, result: 'valid' }, verdict: 'fail', duration_ms: 1.5, expected: { valid: true }, actual: { valid: false }, diff: '- true\n+ false', replay: 'bm-conformance run -t "library › pow › BM-POW-001 › 1"' }],
      requirements: [{ id: 'BM-POW-001', level: 'MUST', verdict: 'fail', counts: { pass: 0, fail: 1, error: 0, unsupported: 0, xfail: 0, xpass: 0 } }],
      untested: [], expectations: [{ entry: { requirement: 'BM-POW-002', reason: 'known gap' }, problem: 'unmatched' }],
    };
    ok('report_schema_v1.json', report);
    bad('report_schema_v1.json', { ...report, tests: [{ ...report['tests'][0], verdict: 'skipped' }] });
    bad('report_schema_v1.json', { ...report, extra: 1 });
  });
});
