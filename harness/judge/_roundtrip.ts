/**
 * Round trips through the reference: an accepted answer of a randomised op (a signature, a
 * ciphertext, a token, a composed message) is verified, decrypted or opened by the reference,
 * so it is checked even when its bytes cannot be compared (an adapter whose hello says
 * `deterministic: false`, or an ECDSA signature). Private keys of the fixed test identities come
 * from harness/protocol/fixtures.ts. Internal to harness/judge.
 * @module
 */
import { createHash } from 'node:crypto';
import * as fixtures from '../protocol/fixtures.ts';
import type { JsonValue } from '../protocol/gojson.ts';
import type { AdapterResponse } from '../adapter/wire.ts';
import { sameJson, show } from './_match.ts';

/** The reference, as the other side of a round trip: any ADAPTER.md request → response. */
export interface Counterparty {
  request(op: string, args: Record<string, unknown>, opts?: { seed?: string; now?: number }): Promise<AdapterResponse>;
}

/** What a round trip needs of a case. */
export interface RoundTripCase {
  op: string;
  inputs: Record<string, JsonValue>;
  now?: number;
  expected?: Record<string, JsonValue>;
}

/** Ops whose output depends on random draws or on the signing key alone: checked by round trip. */
export const ROUND_TRIP_OPS: ReadonlySet<string> = new Set(['sign', 'secret.encrypt', 'catalog.encrypt', 'vault.create', 'message.compose', 'header.sign_client', 'header.sign_server', 'jwt.create', 'invite.create', 'authorization.sign', 'resolver.auth']);

/** A round trip that cannot be completed: the reason is the verdict's. */
class RoundTripFailure extends Error {}

/** public key text (type and base64, no description) → private key text, for every fixture. */
const PRIVATE_BY_PUBLIC = new Map<string, string>();
for (const v of Object.values(fixtures)) {
  if (v && typeof v === 'object' && 'privateKey' in v && 'publicKey' in v) {
    const pair = v as { privateKey: string; publicKey: string };
    PRIVATE_BY_PUBLIC.set(keyId(pair.publicKey), pair.privateKey);
  }
}
function keyId(text: string): string {
  return text.trim().split(/\s+/).slice(0, 2).join(' ');
}
function privateFor(pub: unknown): string {
  const k = typeof pub === 'string' ? PRIVATE_BY_PUBLIC.get(keyId(pub)) : undefined;
  if (!k) throw new RoundTripFailure(`no fixture holds the private key of ${show(pub, 60)}, so the reference cannot open what was encrypted to it`);
  return k;
}

async function must(ref: Counterparty, what: string, op: string, args: Record<string, unknown>, now?: number): Promise<Record<string, any>> {
  const r = await ref.request(op, args, now === undefined ? {} : { now });
  if ('ok' in r && r.ok) return r.result as Record<string, any>;
  const why = 'unsupported' in r ? `unsupported: ${r.reason}` : `${r.error.class}: ${r.error.message}`;
  throw new RoundTripFailure(`${what}: the reference's ${op} refused it (${why})`);
}

async function publicOf(ref: Counterparty, privateKey: unknown): Promise<string> {
  return (await must(ref, 'the case\'s own private key', 'key.parse', { key: privateKey })).public_key as string;
}

async function verifies(ref: Counterparty, what: string, publicKey: string, messageB64: string, signatureB64: unknown): Promise<string | undefined> {
  const r = await must(ref, what, 'verify', { public_key: publicKey, message_b64: messageB64, signature_b64: signatureB64 });
  return r.valid === true ? undefined : `${what} does not verify in the reference under ${publicKey.slice(0, 40)}…`;
}

/**
 * Check an accepted answer of a {@link ROUND_TRIP_OPS} op through the reference.
 * @returns undefined when the round trip succeeds, else the reason it does not
 */
export async function roundTrip(ref: Counterparty, c: RoundTripCase, out: Record<string, JsonValue>): Promise<string | undefined> {
  try {
    const why = await check(ref, c, out);
    return why === undefined || why.startsWith('round trip: ') ? why : `round trip: ${why}`;
  } catch (e) {
    if (e instanceof RoundTripFailure) return `round trip: ${e.message}`;
    throw e;
  }
}

async function check(ref: Counterparty, c: RoundTripCase, out: Record<string, JsonValue>): Promise<string | undefined> {
  const a = c.inputs as Record<string, any>;
  const o = out as Record<string, any>;
  switch (c.op) {
    case 'sign':
      return verifies(ref, 'the signature', await publicOf(ref, a.private_key), a.message_b64, o.signature_b64);
    case 'secret.encrypt': {
      const r = await must(ref, 'the ciphertext', 'secret.decrypt', { private_key: privateFor(a.public_key), ciphertext_b64: o.ciphertext_b64, crypto: o.crypto, txid: o.txid });
      return r.secret_b64 === a.secret_b64 ? undefined : `round trip: the ciphertext decrypts to ${show(r.secret_b64, 80)}, not the secret ${show(a.secret_b64, 80)}`;
    }
    case 'catalog.encrypt': {
      const r = await must(ref, 'the ciphertext', 'catalog.decrypt', { ciphertext_b64: o.ciphertext_b64, key_b64: a.key_b64 });
      // A catalog outside the Go struct's form reads back normalised: the vector's own ciphertext says how.
      const want = c.expected?.ciphertext_b64 !== undefined ? (await must(ref, 'the vector\'s ciphertext', 'catalog.decrypt', { ciphertext_b64: c.expected.ciphertext_b64, key_b64: a.key_b64 })).catalog : a.catalog;
      return sameJson(r.catalog, want) ? undefined : `round trip: the ciphertext decrypts to another catalog: ${show(r.catalog)}`;
    }
    case 'vault.create': {
      const opened = await must(ref, 'the vault', 'vault.open', { vault: o.vault, password: a.password });
      // A v2 plaintext comes back as written; the vector's own vault says what an older form migrates to.
      const want = c.expected?.vault !== undefined ? (await must(ref, 'the vector\'s vault', 'vault.open', { vault: c.expected.vault, password: a.password })).plaintext : a.plaintext;
      return sameJson(opened.plaintext, want) ? undefined : `round trip: the vault opens to ${show(opened.plaintext, 200)}, not ${show(want, 200)}`;
    }
    case 'message.compose': {
      // Open it as the recipient and check the sender's signature: a message that opens but is
      // not signed by its sender would be refused by every server (spec §4.4, §5).
      const senderPub = await publicOf(ref, a.sender?.private_key);
      const signed = await must(ref, 'the header', 'header.verify_client', { header: o.header, public_key: senderPub });
      if (signed.valid !== true) return 'round trip: the header\'s client signature does not verify under the sender\'s key';
      const opened = await must(ref, 'the message', 'message.open', { private_key: privateFor(a.recipient?.public_key), header: o.header, catalog_b64: o.catalog_b64, blocks: o.blocks, attachments: o.attachments });
      const blocks = (opened.blocks as any[]).map((b) => [b.type, b.content]);
      const wantBlocks = (a.blocks ?? []).map((b: any) => [b.type, b.content]);
      if (!sameJson(blocks, wantBlocks)) return `round trip: the message opens to blocks ${show(blocks, 200)}, not ${show(wantBlocks, 200)}`;
      const atts = (opened.attachments as any[]).map((x) => [x.filename, x.content_b64]);
      // The composer keeps only the base name of an attachment's path (Go filepath.Base).
      const wantAtts = (a.attachments ?? []).map((x: any) => [String(x.filename).split('/').pop(), x.content_b64]);
      if (!sameJson(atts, wantAtts)) return `round trip: the message opens to attachments ${show(atts, 200)}, not ${show(wantAtts, 200)}`;
      if (opened.catalog?.subject !== a.subject) return `round trip: the catalog's subject is ${show(opened.catalog?.subject, 80)}, not ${show(a.subject, 80)}`;
      return undefined;
    }
    case 'header.sign_client':
    case 'header.sign_server': {
      // The new signature over the header's hash, and the hash itself unchanged: a signer must
      // not alter what it signs (the chain of an on-behalf header is the verify ops' business).
      const client = c.op === 'header.sign_client';
      const hashOp = client ? 'header.client_hash' : 'header.server_hash';
      const got = (await must(ref, 'the signed header', hashOp, { header: o.header })).hash_hex as string;
      const want = (await must(ref, 'the case\'s header', hashOp, { header: a.header })).hash_hex as string;
      if (got !== want) return `round trip: the signed header hashes to ${got}, the header given to ${want}: the signer changed what it signs`;
      // Go writes an absent signature as "" (Signatures has no omitempty).
      if (!client && (o.header?.signatures?.client ?? '') !== (a.header?.signatures?.client ?? '')) return 'round trip: the server signer changed the client signature';
      const sig = (o.header?.signatures ?? {})[client ? 'client' : 'server'];
      return verifies(ref, `signatures.${client ? 'client' : 'server'}`, await publicOf(ref, a.private_key), Buffer.from(got, 'hex').toString('base64'), sig);
    }
    case 'jwt.create': {
      const r = await ref.request('jwt.verify', { token: o.token, public_key: await publicOf(ref, a.private_key), address_hash: a.address_hash }, c.now === undefined ? {} : { now: c.now });
      return 'ok' in r && r.ok ? undefined : `round trip: the reference refuses the token at the instant it was issued: ${show(r, 200)}`;
    }
    case 'invite.create': {
      // Valid one second before it expires, and not one second after.
      const pub = await publicOf(ref, a.private_key);
      const args = { token: o.token, public_key: pub, address_hash: a.address_hash, routing_id: a.routing_id };
      if ((await must(ref, 'the invite', 'invite.verify', args, Number(a.expires) - 1)).valid !== true) return 'round trip: the reference finds the invite invalid one second before it expires';
      if ((await must(ref, 'the invite', 'invite.verify', args, Number(a.expires) + 1)).valid !== false) return 'round trip: the reference finds the invite still valid one second after `expires`';
      return undefined;
    }
    case 'authorization.sign': {
      // The signed message is the ASCII hex of SHA-256 of the authorised public key text (spec §10.3).
      const normalised = (await must(ref, 'the authorised key', 'key.parse', { key: a.public_key })).public_key as string;
      const digestHex = (await must(ref, 'the authorised key', 'hash.string', { value: normalised })).hash as string;
      return verifies(ref, 'the authorisation signature', await publicOf(ref, a.private_key), Buffer.from(digestHex).toString('base64'), o.signature_b64);
    }
    case 'resolver.auth': {
      // Bearer = b64(Sign(key, SHA-256(hash ‖ routing id ‖ decimal serial))) (spec §10.4).
      const digest = createHash('sha256').update(`${a.hash}${a.routing_id ?? ''}${String(a.serial)}`).digest('base64');
      return verifies(ref, 'the bearer signature', await publicOf(ref, a.private_key), digest, String(o.bearer).replace(/^Bearer /i, ''));
    }
    default:
      return `round trip: no round-trip check exists for ${c.op}`;
  }
}
