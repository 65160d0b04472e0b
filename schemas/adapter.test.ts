/**
 * Cross-check of adapter_schema_v1.json against the reference adapter (harness/adapter): every
 * ADAPTER.md op has Args/Result definitions, the reference implements exactly those ops (or
 * more), and real requests and responses of every op — sent with known-answer inputs through
 * `handleRequest` and framed with the adapter's own line encoder — validate against the schema.
 * A failure here means the schema and the adapter disagree about ADAPTER.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPS, handleRequest } from '../harness/adapter/adapter.ts';
import { encodeLine } from '../harness/adapter/wire.ts';
import { ALICE_ED25519, BOB_ED25519, GO_ED25519_1, GO_ED25519_2, GO_KEY_3 } from '../harness/protocol/fixtures.ts';
import { SCHEMA_DIR, formatErrors, readSchemaFiles, validator } from './index.ts';

const pascal = (op: string): string => op.split(/[._]/).map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
const adapterSchema = readSchemaFiles().find((f) => f.file === 'adapter_schema_v1.json')!.schema as { $defs: Record<string, unknown> };
const schemaOps = Object.keys(adapterSchema.$defs).filter((k) => k.endsWith('Args')).map((k) => k.slice(0, -4));

let nextId = 1;
async function call(op: string, args: Record<string, unknown>, extra: { seed?: string; now?: number } = {}): Promise<Record<string, unknown>> {
  const req = { id: nextId++, op, args, ...extra };
  const rv = validator('adapter_schema_v1.json#/$defs/Request');
  expect(rv(req), `request of ${op}: ${formatErrors(rv.errors)}`).toBe(true);
  const res = JSON.parse(encodeLine(await handleRequest(req, { log: () => {} }))) as Record<string, unknown>;
  const v = validator('adapter_schema_v1.json#/$defs/Response');
  expect(v(res), `response envelope of ${op}: ${JSON.stringify(res).slice(0, 300)}\n${formatErrors(v.errors)}`).toBe(true);
  expect(res['ok'], `${op} answered ${JSON.stringify(res).slice(0, 300)}`).toBe(true);
  const result = res['result'] as Record<string, unknown>;
  const rr = validator(`adapter_schema_v1.json#/$defs/${pascal(op)}Result`);
  expect(rr(result), `result of ${op}: ${JSON.stringify(result).slice(0, 400)}\n${formatErrors(rr.errors)}`).toBe(true);
  return result;
}

describe('adapter_schema_v1.json against the reference adapter', () => {
  it('defines Args and Result for every op the reference adapter implements, and no op it lacks', () => {
    const impl = Object.keys(OPS).map(pascal).sort();
    expect([...schemaOps].sort()).toEqual(impl);
    for (const op of schemaOps) expect(adapterSchema.$defs[`${op}Result`], op).toBeDefined();
  });

  it('every op\'s real request and response validate (KAT inputs, seeded, frozen clock)', async () => {
    const seed = '01'.repeat(32);
    const now = 1577882096; // 2020-01-01T12:34:56Z, the JWT KAT instant
    const hello = await call('hello', { protocol: 1 });
    expect(hello['protocol']).toBe(1);
    await call('hash.string', { value: 'example!' });
    await call('address.hash', { address: 'J.a.y@Org!' });
    await call('key.parse', { key: GO_KEY_3.publicKey });
    await call('key.parse', { key: GO_ED25519_1.privateKey });
    const gen = await call('key.generate', { type: 'ed25519' }, { seed });
    const words = await call('mnemonic.from_entropy', { type: 'ed25519', entropy_hex: '19831f82dd7560260b3b70b94e139ae28b10bea53bfe3cf1' });
    await call('mnemonic.to_key', { mnemonic: words['mnemonic'] });
    const msg = Buffer.from('b2d31086f098254d32314438a863e61e').toString('base64');
    const sig = await call('sign', { private_key: GO_ED25519_2.privateKey, message_b64: msg });
    await call('verify', { public_key: GO_ED25519_2.publicKey, message_b64: msg, signature_b64: sig['signature_b64'] });
    await call('key.exchange', { private_key: ALICE_ED25519.privateKey, public_key: BOB_ED25519.publicKey });
    const sec = await call('secret.encrypt', { public_key: gen['public_key'], secret_b64: Buffer.alloc(32, 7).toString('base64') }, { seed });
    await call('secret.decrypt', { private_key: gen['private_key'], ciphertext_b64: sec['ciphertext_b64'], crypto: sec['crypto'], txid: sec['txid'] });

    const header = JSON.parse(readFileSync(join(SCHEMA_DIR, '..', 'vectors', 'external', 'bitmaelum-suite-testdata', 'header-001.json'), 'utf8')) as Record<string, unknown>;
    await call('header.client_hash', { header });
    await call('header.server_hash', { header });
    const signed = await call('header.sign_client', { header, private_key: GO_ED25519_1.privateKey });
    await call('header.verify_client', { header: signed['header'], public_key: GO_ED25519_1.publicKey });
    const sSigned = await call('header.sign_server', { header: signed['header'], private_key: GO_ED25519_2.privateKey });
    await call('header.verify_server', { header: sSigned['header'], public_key: GO_ED25519_2.publicKey });
    await call('authorization.sign', { private_key: GO_ED25519_1.privateKey, public_key: GO_ED25519_2.publicKey });

    const composed = await call('message.compose', {
      sender: { address: 'from!', private_key: GO_ED25519_1.privateKey, name: 'From' },
      recipient: { address: 'too!', public_key: GO_ED25519_2.publicKey },
      subject: 'hello', blocks: [{ type: 'default', content: 'foobar' }],
      attachments: [{ filename: 'a.txt', content_b64: Buffer.from('x'.repeat(2048)).toString('base64') }],
    }, { seed, now });
    const opened = await call('message.open', { private_key: GO_ED25519_2.privateKey, header: composed['header'], catalog_b64: composed['catalog_b64'], blocks: composed['blocks'], attachments: composed['attachments'] });
    const key32 = Buffer.alloc(32, 1).toString('base64');
    const enc = await call('catalog.encrypt', { catalog: (opened as { catalog: unknown }).catalog, key_b64: key32 }, { seed });
    await call('catalog.decrypt', { ciphertext_b64: enc['ciphertext_b64'], key_b64: key32 });

    const vault = JSON.parse(readFileSync(join(SCHEMA_DIR, 'testdata', 'vault-v2-client-library.json'), 'utf8')) as Record<string, unknown>;
    const openedVault = await call('vault.open', { vault, password: 'pass' });
    await call('vault.create', { password: 'secret', plaintext: openedVault['plaintext'] }, { seed });

    const sub = '1882b91b7f49d479cf1ec2f1ecee30d0e5392e963a2109015b7149bf712ad1b6';
    const jwt = await call('jwt.create', { private_key: GO_ED25519_1.privateKey, address_hash: sub }, { now });
    await call('jwt.verify', { token: jwt['token'], public_key: GO_ED25519_1.publicKey, address_hash: sub }, { now });
    await call('pow.solve', { bits: 8, data: 'john@example!' });
    await call('pow.verify', { bits: 8, data: 'john@example!', proof: 149 });
    const addr = 'e176de99906e21fea81f8c87b6837b73d3b232c4592f20ac3065e586b6e17db7';
    const inv = await call('invite.create', { private_key: GO_ED25519_1.privateKey, address_hash: addr, routing_id: '12345678', expires: 1262608496 });
    await call('invite.verify', { token: inv['token'], public_key: GO_ED25519_1.publicKey, address_hash: addr, routing_id: '12345678' }, { now: 1262608000 });
    await call('resolver.auth', { private_key: GO_ED25519_1.privateKey, hash: addr, routing_id: '12345678', serial: 1234567890 });
  }, 60_000);

  it('an error answer validates as ErrorResponse and names an ADAPTER.md error class', async () => {
    const res = JSON.parse(encodeLine(await handleRequest({ id: 99, op: 'key.parse', args: { key: 'fooobar' } }, { log: () => {} }))) as Record<string, unknown>;
    const v = validator('adapter_schema_v1.json#/$defs/ErrorResponse');
    expect(v(res), formatErrors(v.errors)).toBe(true);
  });
});
