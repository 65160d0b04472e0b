/**
 * The real `bin/bm-conformance.mjs adapter` process, driven through AdapterClient exactly as the
 * harness drives a `command` target: hello, one known answer per area, malformed lines (the
 * adapter must answer InvalidInput and keep serving), determinism of seeded ops across
 * requests, and a clean exit at EOF. One process serves the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AdapterClient } from './client.ts';
import type { AdapterResponse } from './wire.ts';
import { GO_ED25519_1, GO_ED25519_2, GO_KEY_3, GO_PRIVKEY_ECDSA, GO_PRIVKEY_ED25519, MNEMONIC_ED25519 } from '../protocol/fixtures.ts';
import { goTestdataJson } from '../protocol/gotestdata.ts';

const BIN = fileURLToPath(new URL('../../bin/bm-conformance.mjs', import.meta.url));
let client: AdapterClient;

beforeAll(async () => {
  client = await AdapterClient.start({ command: process.execPath, args: [BIN, 'adapter'], requestTimeoutMs: 20_000, helloTimeoutMs: 30_000 });
});
afterAll(async () => {
  await client?.stop();
});

async function ok(op: string, args: Record<string, unknown>, opts?: { seed?: string; now?: number }): Promise<any> {
  const r = await client.request(op, args, opts);
  expect('ok' in r && r.ok, `${op} → ${JSON.stringify(r)}`).toBe(true);
  return (r as Extract<AdapterResponse, { ok: true }>).result;
}

/** Write raw lines to a fresh adapter process and collect its stdout lines until it exits. */
function rawSession(lines: string[]): Promise<{ out: string[]; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'adapter'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (out += t));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ out: out.split('\n').filter((l) => l !== ''), code });
    });
    child.stdin.end(lines.map((l) => l + '\n').join(''));
  });
}

describe('bm-conformance adapter (process)', () => {
  it('hello through AdapterClient reports protocol 1 and the typescript reference', () => {
    expect(client.info).toMatchObject({ protocol: 1, deterministic: true, implementation: { language: 'typescript' } });
    expect(client.info!.ops).toContain('message.compose');
  });

  it('answers one known value per area: hash, address, key, signature, header, pow, vault-derived key, mnemonic', async () => {
    expect((await ok('hash.string', { value: 'joshua!' })).hash).toBe('2f92571b5567b4557b94ac5701fc48e552ba9970d6dac89f7c2ebce92f1cd836');
    expect((await ok('address.hash', { address: 'joshua@bitmaelum!' })).hash).toBe('6b024a4e51c0c4a30c3750115c66be776253880bb4af0f313e3bf2236e808840');
    expect((await ok('key.parse', { key: GO_ED25519_2.publicKey })).fingerprint).toBe('3a0053faa30119e4a7dbf8f2fc5b9cbb71c19130058dcf86fdcf08fc2d73b8f8');
    const sig = await ok('sign', { private_key: GO_PRIVKEY_ED25519.privateKey, message_b64: Buffer.from('b2d31086f098254d32314438a863e61e').toString('base64') });
    expect(Buffer.from(sig.signature_b64, 'base64').toString('hex')).toBe(
      '415c11b44a3abc626f0e217dd9ee3e4a529f02e53fdbd6e7b3ddb262669142434cbe7f2c8d48f7e29ac2e538c4c3d22dcc60f525eca909b1a65fe1fae414d005',
    );
    const h = await ok('header.client_hash', { header: goTestdataJson('header-001.json') });
    expect(h.hash_hex).toBe('191ecdac653ca1f5c1bd3c8dfbc5be1412de97dec9f445ed951c24de8c372607');
    const signed = await ok('header.sign_client', { header: goTestdataJson('header-001.json'), private_key: GO_KEY_3.privateKey });
    expect(signed.header.signatures.client.startsWith('YbV7YXt9yRxPmsyEjqTciQXO6X+Kwib+')).toBe(true);
    expect((await ok('pow.solve', { bits: 8, data: 'john@example!' })).proof).toBe(149);
    expect((await ok('key.generate', { type: 'ed25519' }, { seed: MNEMONIC_ED25519.entropyHex })).fingerprint).toBe(MNEMONIC_ED25519.fingerprint);
    expect((await ok('mnemonic.to_key', { mnemonic: MNEMONIC_ED25519.phrase })).private_key).toBe(MNEMONIC_ED25519.privateKey);
  });

  it('answers the JWT and invite known values with a frozen now', async () => {
    const token = (await ok('invite.create', {
      private_key: GO_ED25519_1.privateKey, address_hash: 'e176de99906e21fea81f8c87b6837b73d3b232c4592f20ac3065e586b6e17db7', routing_id: '12345678', expires: 1262608496,
    })).token;
    expect(token.endsWith('tcb940J4ZxFK77rU6rkGYf/fKG1anE1SLpUyXBNGxgM=')).toBe(true);
    const jwt = await ok('jwt.create', { private_key: GO_ED25519_1.privateKey, address_hash: '1882b91b7f49d479cf1ec2f1ecee30d0e5392e963a2109015b7149bf712ad1b6' }, { now: 1577882096 });
    expect((await ok('jwt.verify', { token: jwt.token, public_key: GO_ED25519_1.publicKey, address_hash: '1882b91b7f49d479cf1ec2f1ecee30d0e5392e963a2109015b7149bf712ad1b6' }, { now: 1577882096 })).claims.iat).toBe(1577882040);
  });

  it('answers malformed lines (non-JSON, no id, unknown op, wrong arg types) with InvalidInput and keeps serving', async () => {
    const { out, code } = await rawSession([
      'this is not json',
      '{"op":"hello","args":{"protocol":1}}',
      '{"id":5,"op":"frobnicate","args":{}}',
      '{"id":6,"op":"hash.string","args":{"value":12}}',
      '{"id":7,"op":"sign","args":{"private_key":"ed25519 !!!","message_b64":"AA=="}}',
      '{"id":8,"op":"hash.string","args":{"value":"joshua!"}}',
    ]);
    expect(code).toBe(0);
    const rs = out.map((l) => JSON.parse(l));
    expect(rs).toHaveLength(6);
    expect(rs.slice(0, 4).map((r) => [r.id, r.error?.class])).toEqual([[null, 'InvalidInput'], [null, 'InvalidInput'], [5, 'InvalidInput'], [6, 'InvalidInput']]);
    expect(rs[4]).toMatchObject({ id: 7, ok: false, error: { class: 'InvalidKey' } });
    expect(rs[5]).toMatchObject({ id: 8, ok: true, result: { hash: '2f92571b5567b4557b94ac5701fc48e552ba9970d6dac89f7c2ebce92f1cd836' } });
  });

  it('the client keeps working after an error answer (the process serves many requests)', async () => {
    const r = await client.request('hash.string', { value: 7 });
    expect(r).toMatchObject({ ok: false, error: { class: 'InvalidInput' } });
    expect((await ok('hash.string', { value: 'somethingelse' })).hash).toBe('102d0177f8ce6b0f5ada79780043ec90440529a53c98bd6043419e64c1d4274f');
  });

  it('message.compose with the same seed and now gives identical bytes twice', async () => {
    const args = {
      sender: { address: 'from!', private_key: GO_ED25519_1.privateKey },
      recipient: { address: 'too!', public_key: GO_ED25519_2.publicKey },
      subject: 'determinism',
      blocks: [{ type: 'default', content: 'hello' }],
      attachments: [{ filename: 'x.txt', content_b64: Buffer.from('x'.repeat(3000)).toString('base64') }],
    };
    const a = await ok('message.compose', args, { seed: 'c0ffee', now: 1600000000 });
    const b = await ok('message.compose', args, { seed: 'c0ffee', now: 1600000000 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = await ok('message.compose', args, { seed: 'c0ffef', now: 1600000000 });
    expect(c.catalog_b64).not.toBe(a.catalog_b64);
  });

  it('vault.create with the same seed gives identical bytes twice', async () => {
    const plaintext = { accounts: [], organisations: [] };
    const a = await ok('vault.create', { password: 'pw', plaintext }, { seed: '11' });
    const b = await ok('vault.create', { password: 'pw', plaintext }, { seed: '11' });
    expect(b.vault).toEqual(a.vault);
    expect((await ok('vault.open', { vault: a.vault, password: 'pw' })).plaintext).toEqual(plaintext);
  });

  it('sign(ecdsa) with the same seed gives identical bytes twice, and another seed other bytes', async () => {
    const args = { private_key: GO_PRIVKEY_ECDSA.privateKey, message_b64: Buffer.alloc(32, 7).toString('base64') };
    const a = await ok('sign', args, { seed: '2a' });
    const b = await ok('sign', args, { seed: '2a' });
    const c = await ok('sign', args, { seed: '2b' });
    expect(b.signature_b64).toBe(a.signature_b64);
    expect(c.signature_b64).not.toBe(a.signature_b64);
  });
});
