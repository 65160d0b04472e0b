/**
 * Negative twins of positive predicate cases. A verifier's `{"valid": true}` is the right answer
 * to a positive case, but so is the answer of a verifier that is always true. So a positive
 * answer counts only when the same adapter also says `false` to a near twin of the input — one
 * field changed — that the reference finds invalid. The twin's expected answer is always the
 * reference's, never assumed: candidates the reference still accepts (a header Go does not
 * check, a proof that happens to satisfy the bits) are skipped. Internal to harness/judge.
 * @module
 */
import type { JsonValue } from '../protocol/gojson.ts';
import type { Counterparty } from './_roundtrip.ts';
import { show } from './_match.ts';

/** Ops whose answer is `valid`, and how to derive near twins of their inputs. */
const TWINS: Record<string, (a: Record<string, any>) => { what: string; args: Record<string, JsonValue> }[]> = {
  verify: (a) => [
    { what: 'the message with one bit flipped', args: { ...a, message_b64: flipB64(a.message_b64) } },
    { what: 'the signature with one bit flipped', args: { ...a, signature_b64: flipB64(a.signature_b64) } },
  ],
  'pow.verify': (a) => [
    // Each twin fails about 1 − 2^-bits of the time; the reference says which did.
    ...[1n, 2n, 3n, 5n, 8n, -1n, -2n, -3n].map((d) => ({ what: `proof ${d > 0n ? '+' : '−'} ${d > 0n ? d : -d}`, args: { ...a, proof: plus(a.proof, d) } })),
    ...['0', '1', '2', '3', 'x', 'y'].map((ch) => ({ what: `the data with "${ch}" appended`, args: { ...a, data: `${String(a.data ?? '')}${ch}` } })),
  ],
  'header.verify_client': (a) => [
    { what: 'to.address changed', args: { ...a, header: setPath(a.header, ['to', 'address'], flipHexChar(a.header?.to?.address)) } },
    { what: 'catalog.size changed', args: { ...a, header: setPath(a.header, ['catalog', 'size'], plus(a.header?.catalog?.size ?? 0, 1n)) } },
  ],
  'header.verify_server': (a) => [
    { what: 'to.address changed', args: { ...a, header: setPath(a.header, ['to', 'address'], flipHexChar(a.header?.to?.address)) } },
    { what: 'signed_by origin with the server signature flipped', args: { ...a, header: setPath(setPath(a.header, ['from', 'signed_by'], 'origin'), ['signatures', 'server'], flipB64(a.header?.signatures?.server)) } },
  ],
  'invite.verify': (a) => [
    { what: 'routing_id changed', args: { ...a, routing_id: flipHexChar(a.routing_id) } },
    { what: 'address_hash changed', args: { ...a, address_hash: flipHexChar(a.address_hash) } },
  ],
};

/**
 * For a case the adapter answered `valid: true`: does it also refuse a twin the reference refuses?
 * @returns undefined when it does (or no twin exists), else the reason the pass is not earned
 */
export async function twinProblem(subject: Counterparty, reference: Counterparty, op: string, inputs: Record<string, JsonValue>, opts: { seed?: string; now?: number }): Promise<string | undefined> {
  const make = TWINS[op];
  if (!make) return undefined;
  for (const twin of make(inputs as Record<string, any>)) {
    const ref = await reference.request(op, twin.args, opts);
    if (!('ok' in ref) || !ref.ok || ref.result.valid !== false) continue;
    const r = await subject.request(op, twin.args, opts);
    if ('ok' in r && r.ok && r.result.valid === false) return undefined;
    return `answered valid: true, but for the same input with ${twin.what} (which the reference finds invalid) it answered ${show('ok' in r && r.ok ? r.result : r, 200)}: a verifier that does not say false earns no pass`;
  }
  return undefined;
}

/** Ops the twin check applies to. */
export function hasTwins(op: string): boolean {
  return op in TWINS;
}

function flipB64(v: unknown): string {
  const b = typeof v === 'string' ? Buffer.from(v, 'base64') : Buffer.alloc(0);
  if (b.length === 0) return 'AA==';
  b[b.length - 1]! ^= 0x01;
  return b.toString('base64');
}

function flipHexChar(v: unknown): string {
  const s = typeof v === 'string' ? v : '';
  if (s.length === 0) return '0';
  return s.slice(0, -1) + (s.endsWith('0') ? '1' : '0');
}

function plus(v: unknown, d: bigint): JsonValue {
  let n = 0n;
  try {
    n = typeof v === 'bigint' ? v : typeof v === 'number' || typeof v === 'string' ? BigInt(v) : 0n;
  } catch {
    // not an integer: the twin starts from 0
  }
  const sum = n + d;
  return sum <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sum) : sum;
}

function setPath(obj: unknown, path: string[], value: JsonValue): JsonValue {
  const base = obj && typeof obj === 'object' && !Array.isArray(obj) ? (obj as Record<string, JsonValue>) : {};
  const [head, ...rest] = path;
  return { ...base, [head!]: rest.length === 0 ? value : setPath(base[head!], rest, value) };
}
