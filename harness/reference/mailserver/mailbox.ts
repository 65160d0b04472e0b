/**
 * Boxes and stored messages of an account (spec/api.md §3.2 A1–A3, A5–A11, §3.3 B1; Go
 * cmd/bm-server/handler/boxes.go, handler/message.go), plus the sender's delivery status
 * (`GET /account/{addr}/delivery/{msg}`, our addition).
 *
 * Intended behaviour where Go is defective (DEVIATIONS.md): `DELETE …/box/{box}` works
 * (§8 item 1); `parent_box_id` names
 * the parent and the server picks the new id (item 13); a missing box is "box not found" and a
 * missing message is "message not found" without file paths (item 12); boxes are listed in
 * numeric order; `total` counts every message in the box.
 * @module
 */
import { HttpError, type HttpRequest, type HttpResponse } from '../handler.ts';
import { parseHeader, headerToGo } from '../../protocol/header.ts';
import { decodeBody } from './body.ts';
import { ID_RE } from './tickets.ts';
import type { Ctx } from './context.ts';
import type { AccountRecord, BoxRecord } from './repo.ts';
import type { GoValue } from '../../protocol/gojson.ts';

/** Boxes 1 (inbox), 2 (outbox), 3 (trash) and every id up to 99 are mandatory (boxes.go:70-91). */
const MAX_MANDATORY_BOX = 99;
const MAX_BOXES = 1000;

function box(a: AccountRecord, id: number): BoxRecord | undefined {
  return a.boxes.find((b) => b.id === id);
}

function parseBoxId(s: string | undefined): number {
  if (s === undefined || !/^[0-9]{1,9}$/.test(s)) throw new HttpError(404, 'box not found');
  return Number(s);
}

function msgId(s: string | undefined): string {
  if (s === undefined || !ID_RE.test(s)) throw new HttpError(404, 'message not found');
  return s.toLowerCase();
}

/** A1 `POST /account/{addr}/boxes` — body `{"parent_box_id": int}` (0 = top level). */
export async function createBox(ctx: Ctx, a: AccountRecord, body: Uint8Array): Promise<HttpResponse> {
  const b = decodeBody(body, { parent_box_id: 'uint' });
  const r = await ctx.repo.updateAccount(a.hash, (acc) => {
    if (b.parent_box_id !== 0 && !box(acc, b.parent_box_id)) return 'parent';
    if (acc.boxes.length >= MAX_BOXES) return 'full';
    const id = Math.max(MAX_MANDATORY_BOX, ...acc.boxes.map((x) => x.id)) + 1;
    acc.boxes.push({ id, parent: b.parent_box_id === 0 ? null : b.parent_box_id, messages: [] });
    return id;
  });
  if (r === 'parent') throw new HttpError(404, 'parent box not found');
  if (r === 'full') throw new HttpError(400, `too many boxes (limit ${MAX_BOXES})`);
  return { status: 201, json: { id: r as number, parent_box_id: b.parent_box_id } };
}

/** A2 `DELETE /account/{addr}/box/{box}`. Messages left in no box are deleted. */
export async function deleteBox(ctx: Ctx, a: AccountRecord, boxParam: string | undefined): Promise<HttpResponse> {
  const id = parseBoxId(boxParam);
  // 404, as the Go handler answers every DeleteBox error (boxes.go:84-88; BM-BOX-006).
  if (id <= MAX_MANDATORY_BOX && box(a, id) && !ctx.faults.deleteMandatoryBoxes) throw new HttpError(404, 'cannot delete mandatory box');
  const orphans: string[] = [];
  const r = await ctx.repo.updateAccount(a.hash, (acc) => {
    const b = box(acc, id);
    if (!b) return false;
    if (acc.boxes.some((x) => x.parent === id)) return 'children';
    acc.boxes = acc.boxes.filter((x) => x.id !== id);
    for (const m of b.messages) if (!acc.boxes.some((x) => x.messages.some((y) => y.id === m.id))) orphans.push(m.id);
    return true;
  });
  if (r === false) throw new HttpError(404, 'box not found');
  if (r === 'children') throw new HttpError(400, 'box has child boxes');
  for (const m of orphans) await ctx.repo.deleteMessageFiles(a.hash, m);
  return { status: 204 };
}

/** B1 `GET /account/{addr}/boxes`. */
export function listBoxes(a: AccountRecord): HttpResponse {
  const boxes = [...a.boxes].sort((x, y) => x.id - y.id);
  return {
    status: 200,
    json: {
      meta: { total: boxes.length, returned: boxes.length },
      boxes: boxes.map((b) => ({ id: b.id, total: b.messages.length, messages: b.messages.length ? b.messages.map((m) => m.id) : null })),
    },
  };
}

function intParam(q: URLSearchParams, name: string, dflt: number): number {
  const v = q.get(name);
  if (v === null || !/^[0-9]{1,15}$/.test(v)) return dflt; // Go: non-integers fall back to the default
  return Number(v);
}

async function loadHeader(ctx: Ctx, acct: string, id: string): Promise<GoValue | undefined> {
  const raw = await ctx.repo.getMessageFile(acct, id, 'header');
  if (!raw) return undefined;
  return headerToGo(parseHeader(Buffer.from(raw).toString('utf8')));
}

/** A3 `GET /account/{addr}/box/{box}?since&offset&limit`. */
export async function listMessages(ctx: Ctx, a: AccountRecord, boxParam: string | undefined, req: HttpRequest): Promise<HttpResponse> {
  const id = parseBoxId(boxParam);
  const b = box(a, id);
  if (!b) throw new HttpError(404, 'box not found');
  const since = intParam(req.query, 'since', 0);
  const offset = intParam(req.query, 'offset', 0);
  const limit = Math.min(intParam(req.query, 'limit', 1000), 1000);
  const matching = b.messages.filter((m) => m.at >= since).sort((x, y) => x.at - y.at); // stable: link order within a second
  const page = matching.slice(offset, offset + limit);
  const messages: GoValue[] = [];
  for (const m of page) {
    const header = await loadHeader(ctx, a.hash, m.id);
    const catalog = await ctx.repo.getMessageFile(a.hash, m.id, 'catalog');
    if (header === undefined || !catalog) continue;
    messages.push({ id: m.id, header, catalog });
  }
  // Capital `Meta`: Go's untagged struct field (repository.go:47-50). Not a defect (api.md §3.2
  // A3); a case-sensitive client written against Go reads only this key (BM-BOX-002).
  return { status: 200, json: { Meta: { total: matching.length, returned: messages.length, limit, offset }, messages } };
}

function inSomeBox(a: AccountRecord, id: string): boolean {
  return a.boxes.some((b) => b.messages.some((m) => m.id === id));
}

/** A5 `GET /account/{addr}/message/{msg}` → `{"id","h","c"}`. */
export async function getMessage(ctx: Ctx, a: AccountRecord, p: string | undefined): Promise<HttpResponse> {
  const id = msgId(p);
  const header = inSomeBox(a, id) ? await loadHeader(ctx, a.hash, id) : undefined;
  const catalog = await ctx.repo.getMessageFile(a.hash, id, 'catalog');
  if (header === undefined || !catalog) throw new HttpError(404, 'message not found');
  return { status: 200, json: { id, h: header, c: catalog } };
}

/** A6 / A7 — raw block or attachment bytes (`application/binary`). */
export async function getMessageFile(ctx: Ctx, a: AccountRecord, p: string | undefined, fileId: string | undefined, kind: 'block' | 'attachment'): Promise<HttpResponse> {
  const id = msgId(p);
  const missing = kind === 'block' ? 'incorrect block ID' : 'incorrect attachment';
  if (fileId === undefined || !ID_RE.test(fileId) || !inSomeBox(a, id)) throw new HttpError(400, missing);
  const data = await ctx.repo.getMessageFile(a.hash, id, `blk/${fileId.toLowerCase()}`);
  if (!data) throw new HttpError(400, missing);
  return { status: 200, bytes: data, headers: { 'content-type': 'application/binary' } };
}

/** A8 `DELETE /account/{addr}/message/{msg}` → `200 null` (also for an unknown message, as Go). */
export async function deleteMessage(ctx: Ctx, a: AccountRecord, p: string | undefined): Promise<HttpResponse> {
  const id = msgId(p);
  await ctx.repo.updateAccount(a.hash, (acc) => {
    for (const b of acc.boxes) b.messages = b.messages.filter((m) => m.id !== id);
  });
  await ctx.repo.deleteMessageFiles(a.hash, id);
  return { status: 200, json: null };
}

/** A9 move `{from,to}`, A10 copy `{to}`, A11 remove `{from}` → `200 ""`. */
export async function moveCopyRemove(ctx: Ctx, a: AccountRecord, p: string | undefined, op: 'move' | 'copy' | 'remove', body: Uint8Array): Promise<HttpResponse> {
  const id = msgId(p);
  const b = decodeBody(body, { from: 'uint', to: 'uint' });
  if (op !== 'copy' && !b.present.has('from')) throw new HttpError(400, 'invalid body: from');
  if (op !== 'remove' && !b.present.has('to')) throw new HttpError(400, 'invalid body: to');
  if (op === 'move' && b.from === b.to) throw new HttpError(400, 'from and to are the same box');
  const now = ctx.clock.now();
  let orphan = false;
  const r = await ctx.repo.updateAccount(a.hash, (acc) => {
    if (!inSomeBox(acc, id)) return 'message not found';
    const from = op === 'copy' ? undefined : box(acc, b.from);
    const to = op === 'remove' ? undefined : box(acc, b.to);
    if (op !== 'copy' && !from) return 'box not found';
    if (op !== 'remove' && !to && !ctx.faults.fileIntoMissingBoxes) return 'box not found';
    if (from && !from.messages.some((m) => m.id === id)) return 'message not found in box';
    if (from) from.messages = from.messages.filter((m) => m.id !== id);
    if (to && !to.messages.some((m) => m.id === id)) to.messages.push({ id, at: now });
    orphan = !inSomeBox(acc, id);
    return '';
  });
  if (r) throw new HttpError(404, r);
  if (orphan) await ctx.repo.deleteMessageFiles(a.hash, id);
  return { status: 200, json: '' };
}

/** `GET /account/{addr}/delivery/{msg}` — what became of a message this account sent. */
export async function deliveryStatus(ctx: Ctx, a: AccountRecord, p: string | undefined): Promise<HttpResponse> {
  const id = msgId(p);
  const j = await ctx.repo.getJob(id);
  if (!j || j.sender !== a.hash || !j.origin) throw new HttpError(404, 'message not found');
  return {
    status: 200,
    json: { id: j.id, recipient: j.recipient, state: j.state, reason: j.reason, retries: j.retries, retry_at: j.state === 'retrying' ? j.retryAt : 0 },
  };
}
