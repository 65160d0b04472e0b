/**
 * The per-account key/value store (spec/api.md §3.6; formats.md §10.5; Go
 * cmd/bm-server/handler/store.go, internal/store/bolt.go).
 *
 * Entries are addressed by a 64-char path hash (`hash.New(account + path)`); the root
 * (`hash.New(account + "/")`) exists implicitly. A write carries
 * `Sign(key, SHA256(pathHex ‖ parentHex? ‖ value))`. Intended behaviour where Go is defective
 * (DEVIATIONS.md): the signing key must be one of the account's keys (Go accepts any key the
 * body carries); a bad signature is `400`, not `404`; the body's `path` must be the URL's path;
 * a missing parent is `404`; deleting an entry with children is `409`.
 * @module
 */
import { createHash } from 'node:crypto';
import { HttpError, type HttpRequest, type HttpResponse } from '../handler.ts';
import { hashString, isHash } from '../../protocol/hash.ts';
import { parsePublicKey, formatPublicKey } from '../../protocol/keys.ts';
import { verify } from '../../protocol/signature.ts';
import { fromB64 } from '../../protocol/bytes.ts';
import { decodeBody } from './body.ts';
import type { Ctx } from './context.ts';
import type { AccountRecord, KvEntry } from './repo.ts';
import type { GoValue } from '../../protocol/gojson.ts';

const MAX_ENTRIES = 10_000;

function rootOf(a: AccountRecord): string {
  return hashString(a.hash + '/');
}

async function entry(ctx: Ctx, a: AccountRecord, path: string): Promise<KvEntry | undefined> {
  const e = await ctx.repo.getKv(a.hash, path);
  if (e) return e;
  if (path === rootOf(a)) return { path, parent: null, data: '', timestamp: a.createdAt, signature: '' };
  return undefined;
}

function entryJson(e: KvEntry, hasChildren: boolean, entries: GoValue[] | null): GoValue {
  return { path: e.path, parent: e.parent, data: e.data, timestamp: e.timestamp, has_children: hasChildren, entries, signature: e.signature === '' ? null : e.signature };
}

/** A27 `GET …/store/{path}?recursive=1&since=<unix>`. */
export async function getKv(ctx: Ctx, a: AccountRecord, pathParam: string | undefined, req: HttpRequest): Promise<HttpResponse> {
  const path = (pathParam ?? '').toLowerCase();
  const e = isHash(path) ? await entry(ctx, a, path) : undefined;
  if (!e) throw new HttpError(404, 'store: path not found');
  const all = await ctx.repo.listKv(a.hash);
  const sinceRaw = req.query.get('since');
  const since = sinceRaw !== null && /^[0-9]{1,15}$/.test(sinceRaw) ? Number(sinceRaw) : 0;
  const recursive = req.query.get('recursive') === '1' || req.query.get('recursive') === 'true';
  const render = (x: KvEntry, depth: number): GoValue => {
    const kids = all.filter((c) => c.parent === x.path);
    const entries = recursive && depth < 32 ? kids.filter((c) => c.timestamp >= since).map((c) => render(c, depth + 1)) : null;
    return entryJson(x, kids.length > 0, entries && entries.length ? entries : null);
  };
  if (e.timestamp < since && !all.some((c) => c.parent === e.path && c.timestamp >= since)) {
    return { status: 200, json: { path: '', parent: null, data: null, timestamp: 0, has_children: false, entries: null, signature: null } };
  }
  return { status: 200, json: render(e, 0) };
}

/** A28 `POST …/store/{path}`. */
export async function putKv(ctx: Ctx, a: AccountRecord, pathParam: string | undefined, body: Uint8Array): Promise<HttpResponse> {
  const path = (pathParam ?? '').toLowerCase();
  if (!isHash(path)) throw new HttpError(404, 'store: path not found');
  const b = decodeBody(body, { path: 'string', parent: 'string', value: 'string', signature: 'string', public_key: 'string' });
  if (b.path.toLowerCase() !== path) throw new HttpError(400, 'store: path in body does not match the URL');
  const parent = b.present.has('parent') ? b.parent.toLowerCase() : null;
  if (parent !== null && !isHash(parent)) throw new HttpError(400, 'store: invalid parent');
  let value: Uint8Array;
  let sig: Uint8Array;
  try {
    value = fromB64(b.value, 'value');
    sig = fromB64(b.signature, 'signature');
  } catch (e) {
    throw new HttpError(400, `Malformed JSON: ${(e as Error).message}`);
  }
  let keyText: string;
  let ok = false;
  try {
    const pub = parsePublicKey(b.public_key);
    keyText = formatPublicKey(pub);
    const digest = createHash('sha256').update(b.path).update(parent === null ? '' : b.parent).update(value).digest();
    ok = verify(pub, new Uint8Array(digest), sig);
  } catch {
    throw new HttpError(400, 'store: invalid public key');
  }
  const ownKey = a.publicKeys.some((k) => {
    try {
      return formatPublicKey(parsePublicKey(k)) === keyText;
    } catch {
      return false;
    }
  });
  if (!ownKey && !ctx.faults.acceptUnsignedStoreEntries) throw new HttpError(400, 'store: public key is not a key of this account');
  if (!ok && !ctx.faults.acceptUnsignedStoreEntries) throw new HttpError(400, 'store: signature does not verify');
  return ctx.repo.withKv(a.hash, async () => {
    if (parent !== null && !(await entry(ctx, a, parent)) && !ctx.faults.acceptOrphanStoreEntries) throw new HttpError(404, 'store: parent not found');
    if (parent === null && path !== rootOf(a)) throw new HttpError(400, 'store: only the root has no parent');
    const existing = await ctx.repo.getKv(a.hash, path);
    if (!existing && (await ctx.repo.listKv(a.hash)).length >= MAX_ENTRIES) throw new HttpError(400, 'store: too many entries');
    await ctx.repo.putKv(a.hash, path, { path, parent, data: b.value, timestamp: ctx.clock.now(), signature: b.signature });
    return { status: 200, json: null };
  });
}

/** A29 `DELETE …/store/{path}`. */
export async function deleteKv(ctx: Ctx, a: AccountRecord, pathParam: string | undefined): Promise<HttpResponse> {
  const path = (pathParam ?? '').toLowerCase();
  return ctx.repo.withKv(a.hash, async () => {
    const e = isHash(path) ? await ctx.repo.getKv(a.hash, path) : undefined;
    if (!e) throw new HttpError(404, 'store: path not found');
    if ((await ctx.repo.listKv(a.hash)).some((c) => c.parent === path) && !ctx.faults.deleteStoreEntriesWithChildren) throw new HttpError(409, 'store: entry has children');
    await ctx.repo.deleteKv(a.hash, path);
    return { status: 204 };
  });
}
