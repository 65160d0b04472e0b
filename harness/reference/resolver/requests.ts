/**
 * Reading the key resolver's requests as Go does (spec/api.md §7; key-resolver-go
 * internal/handler): JSON bodies decoded like `json.Unmarshal` into a struct, the bearer of
 * `Authorization`, and the check of a routing value.
 * @module
 */
import { jsonEntries } from '../../protocol/gojson.ts';
import { goFieldMatcher } from '../../protocol/godecode.ts';
import { HttpError, parseJsonBody, type HttpRequest } from '../handler.ts';

/**
 * Decode a JSON object body the way Go's json.Unmarshal fills a struct; `message` on any failure.
 * Every occurrence of a key is applied in text order, as Go does: a repeated field takes the last
 * value, `null` leaves a string as it was and sets a slice to nil, and a wrong type in any
 * occurrence is a failure.
 */
export function decodeStruct(body: Uint8Array, fields: Record<string, 'string' | 'string[]'>, message: string): Record<string, string | string[] | null> {
  const v = parseJsonBody(body, message);
  if (v === null) return {}; // Go: unmarshalling `null` into a struct is a no-op
  if (typeof v !== 'object' || Array.isArray(v)) throw new HttpError(400, message);
  const out: Record<string, string | string[] | null> = {};
  const match = goFieldMatcher(Object.keys(fields));
  for (const { key: k, value: val } of jsonEntries(v)) {
    const name = match(k);
    if (!name) continue;
    if (val === null) {
      if (fields[name] !== 'string') out[name] = null;
      continue;
    }
    if (fields[name] === 'string') {
      if (typeof val !== 'string') throw new HttpError(400, message);
      out[name] = val;
    } else {
      if (!Array.isArray(val) || !val.every((e) => typeof e === 'string' || e === null)) throw new HttpError(400, message);
      out[name] = val.map((e) => (e === null ? '' : (e as string)));
    }
  }
  return out;
}

/** A host[:port] routing value: IP literal or DNS name, port 1..65535 (`:2424` implied). No DNS lookup. */
export function isValidRouting(routing: string): boolean {
  if (typeof routing !== 'string' || routing.length === 0 || routing.length > 260) return false;
  let host: string;
  let port = '2424';
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(routing);
  if (v6) {
    host = v6[1]!;
    if (v6[2] !== undefined) port = v6[2];
    if (!/^[0-9A-Fa-f:.]+$/.test(host) || !host.includes(':')) return false;
  } else {
    const m = /^([^:[\]]+)(?::(\d+))?$/.exec(routing);
    if (!m) return false;
    host = m[1]!;
    if (m[2] !== undefined) port = m[2];
    const label = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;
    if (host.length > 253 || !host.split('.').every((l) => label.test(l))) return false;
  }
  const p = Number(port);
  return /^\d{1,5}$/.test(port) && p >= 1 && p <= 65535;
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive), or undefined. */
export function bearerOf(req: HttpRequest): string | undefined {
  const h = req.headers['authorization'];
  if (typeof h !== 'string' || h.length <= 7 || h.slice(0, 7).toUpperCase() !== 'BEARER ') return undefined;
  return h.slice(7);
}
