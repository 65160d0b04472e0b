/**
 * Round-trip checks for randomised ops, used when an adapter cannot reproduce seeded bytes
 * (`deterministic: false`): its output is opened or verified by the reference instead of being
 * compared byte for byte. Private keys of the fixed test identities come from fixtures.ts.
 * @module
 */
import { expect } from 'vitest';
import { createHash } from 'node:crypto';
import * as fixtures from '../../harness/protocol/fixtures.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import type { SuiteAdapter } from '../_support/adapter.ts';
import type { VectorCase } from '../_support/vectors.ts';

export const ROUND_TRIP_OPS = new Set(['sign', 'secret.encrypt', 'catalog.encrypt', 'vault.create', 'message.compose', 'header.sign_client', 'header.sign_server', 'jwt.create', 'invite.create', 'authorization.sign', 'resolver.auth']);

/** public key text (type and base64, no description) → private key text, for every fixture. */
const PRIVATE_BY_PUBLIC = new Map<string, string>();
for (const v of Object.values(fixtures)) {
  if (v && typeof v === 'object' && 'privateKey' in v && 'publicKey' in v) {
    const pair = v as { privateKey: string; publicKey: string };
    PRIVATE_BY_PUBLIC.set(pair.publicKey.split(' ').slice(0, 2).join(' '), pair.privateKey);
  }
}
function privateFor(pub: string): string {
  const k = PRIVATE_BY_PUBLIC.get(pub.split(' ').slice(0, 2).join(' '));
  if (!k) throw new Error(`round trip: no fixture private key for ${pub.slice(0, 40)}…`);
  return k;
}

async function must(ref: SuiteAdapter, op: string, args: Record<string, unknown>, now?: number): Promise<Record<string, JsonValue>> {
  const r = await ref.request(op, args, now === undefined ? {} : { now });
  if (!('ok' in r) || !r.ok) throw new Error(`round trip: reference ${op} failed: ${JSON.stringify(r)}`);
  return r.result;
}

export async function roundTrip(ref: SuiteAdapter, c: VectorCase, out: Record<string, JsonValue>): Promise<void> {
  const a = c.inputs as Record<string, any>;
  const o = out as Record<string, any>;
  switch (c.op) {
    case 'sign': {
      const pub = (await must(ref, 'key.parse', { key: a.private_key })).public_key;
      expect((await must(ref, 'verify', { public_key: pub, message_b64: a.message_b64, signature_b64: o.signature_b64 })).valid).toBe(true);
      return;
    }
    case 'secret.encrypt': {
      const r = await must(ref, 'secret.decrypt', { private_key: privateFor(a.public_key), ciphertext_b64: o.ciphertext_b64, crypto: o.crypto, txid: o.txid });
      expect(r.secret_b64).toBe(a.secret_b64);
      return;
    }
    case 'catalog.encrypt':
      expect((await must(ref, 'catalog.decrypt', { ciphertext_b64: o.ciphertext_b64, key_b64: a.key_b64 })).catalog).toEqual(a.catalog);
      return;
    case 'vault.create':
      expect((await must(ref, 'vault.open', { vault: o.vault, password: a.password })).plaintext).toEqual(c.expected ? (await must(ref, 'vault.open', { vault: c.expected.vault, password: a.password })).plaintext : a.plaintext);
      return;
    case 'message.compose': {
      const opened = await must(ref, 'message.open', { private_key: privateFor(a.recipient.public_key), header: o.header, catalog_b64: o.catalog_b64, blocks: o.blocks, attachments: o.attachments });
      expect((opened.blocks as any[]).map((b) => [b.type, b.content])).toEqual(a.blocks.map((b: any) => [b.type, b.content]));
      expect((opened.attachments as any[]).map((x) => [x.filename, x.content_b64])).toEqual((a.attachments ?? []).map((x: any) => [x.filename, x.content_b64]));
      return;
    }
    case 'header.sign_client':
    case 'header.sign_server': {
      // Check the new signature itself over the header's hash (the chain of an on-behalf header
      // is the verify ops' business, and the vector's other cases cover it).
      const pub = (await must(ref, 'key.parse', { key: a.private_key })).public_key;
      const client = c.op === 'header.sign_client';
      const hash = (await must(ref, client ? 'header.client_hash' : 'header.server_hash', { header: o.header })).hash_hex as string;
      const sig = (o.header.signatures ?? {})[client ? 'client' : 'server'];
      expect((await must(ref, 'verify', { public_key: pub, message_b64: Buffer.from(hash, 'hex').toString('base64'), signature_b64: sig })).valid).toBe(true);
      return;
    }
    case 'jwt.create': {
      const pub = (await must(ref, 'key.parse', { key: a.private_key })).public_key;
      const r = await ref.request('jwt.verify', { token: o.token, public_key: pub, address_hash: a.address_hash }, c.now === undefined ? {} : { now: c.now });
      expect(r, `${c.caseId}: the reference must accept the adapter's token at the same instant`).toMatchObject({ ok: true });
      return;
    }
    case 'invite.create': {
      const pub = (await must(ref, 'key.parse', { key: a.private_key })).public_key;
      const r = await must(ref, 'invite.verify', { token: o.token, public_key: pub, address_hash: a.address_hash, routing_id: a.routing_id }, a.expires - 1);
      expect(r.valid).toBe(true);
      return;
    }
    case 'authorization.sign': {
      // The signed message is the ASCII hex of SHA-256 of the authorised public key text (spec §10.3).
      const pub = (await must(ref, 'key.parse', { key: a.private_key })).public_key;
      const normalised = (await must(ref, 'key.parse', { key: a.public_key })).public_key;
      const digestHex = (await must(ref, 'hash.string', { value: normalised })).hash as string;
      const r = await must(ref, 'verify', { public_key: pub, message_b64: Buffer.from(digestHex).toString('base64'), signature_b64: o.signature_b64 });
      expect(r.valid).toBe(true);
      return;
    }
    case 'resolver.auth': {
      // Bearer = b64(Sign(key, SHA-256(hash ‖ routing id ‖ decimal serial))) (spec §10.4).
      const pub = (await must(ref, 'key.parse', { key: a.private_key })).public_key;
      const digest = createHash('sha256').update(`${a.hash}${a.routing_id ?? ''}${String(a.serial)}`).digest('base64');
      const sig = String(o.bearer).replace(/^Bearer /i, '');
      expect((await must(ref, 'verify', { public_key: pub, message_b64: digest, signature_b64: sig })).valid).toBe(true);
      return;
    }
    default: {
      // Ops whose deterministic output the reference can recompute only through the vector itself.
      expect(out, `${c.caseId}: no round-trip check for ${c.op}; compared with the vector`).toMatchObject(c.expected ?? {});
    }
  }
}
