/**
 * Profile `client`, area `confidentiality` (issue 12 item 3): a client never leaves the
 * plaintext of a message where it should not be.
 *
 * A mail server never holds plaintext in BitMaelum — the client encrypts the catalog, the blocks
 * and the attachments before upload (spec/formats.md §4.1, only the header is plain) — so the
 * party that can leak it is the client. The check:
 *
 * 1. a fresh canary (drawn from the run seed, so a run repeats) goes into the subject, every
 *    block, the attachment names and the attachment bytes of one message;
 * 2. the adapter, started in a sandbox (suites/_support/sandbox.ts: a fresh HOME, TMPDIR and
 *    working folder for a process; `docker diff` of the container for an image), composes it
 *    with `message.compose` and opens it again with `message.open`; the reference opens the
 *    composed parts too, and both must give back the canary content — an adapter that composes
 *    nothing, or garbage, earns no pass here;
 * 3. the canary is searched (harness/confidentiality/scan.ts: raw, hex, base64/base64url at three
 *    alignments, UTF-16, inside zlib/gzip streams) in
 *    - the composed message: the header JSON and the bytes of the catalog, blocks and
 *      attachments (BM-CONF-001, MUST);
 *    - the adapter's log: its whole stderr, and the container log of an image (BM-CONF-002);
 *    - the files the adapter wrote (BM-CONF-003).
 *
 * One compose-and-open session serves the three tests; each reports the session's failure
 * itself. A hit names the place, the byte offset and the encoding it was found in.
 */
import { describe, it } from 'vitest';
import { GO_ED25519_1, GO_ED25519_2 } from '../../harness/protocol/fixtures.ts';
import { openMessage } from '../../harness/protocol/message.ts';
import { parseHeader } from '../../harness/protocol/header.ts';
import { fromB64, toB64, toHex, utf8 } from '../../harness/protocol/bytes.ts';
import { encodeLine, type AdapterResponse } from '../../harness/adapter/index.ts';
import { parseJsonLossless, type JsonValue } from '../../harness/protocol/gojson.ts';
import { resultProblem } from '../../harness/judge/index.ts';
import { canaryNeedles, describeHit, scanBytes, startSandbox, type Hit, type Leftovers } from '../../harness/confidentiality/index.ts';
import { sandboxSpec } from '../_support/sandbox.ts';
import { suiteRng, suiteTarget } from '../_support/target.ts';
import { trace } from '../_support/http.ts';
import { fail, outOfScope, unsupported } from '../_support/must.ts';
import { isObject, jsonEqual, show } from '../_support/match.ts';

/** 2026-01-01T00:00:12Z, as the other client suites. */
const NOW = 1767225612;
const SENDER = { address: 'sender-confidential!', name: 'Confidentiality Check', keys: GO_ED25519_1 };
const RECIPIENT = { address: 'recipient-confidential!', keys: GO_ED25519_2 };
const OPS = ['message.compose', 'message.open'] as const;

/** The canary: fresh per run seed, printable, long enough that a chance match is impossible. */
const CANARY = `bmcanary${toHex(suiteRng('confidentiality:canary').bytes(12))}`;
const COMPOSE_SEED = toHex(suiteRng('confidentiality:compose').bytes(16));

/** Subject, blocks, attachment names and bytes all carry the canary; one block and one attachment are ≥ 1024 bytes, so they are compressed first (formats.md §4.1 step 3). */
const CONTENT = {
  subject: `Confidential ${CANARY}`,
  blocks: [
    { type: 'default', content: `First block, ${CANARY}.` },
    { type: 'html', content: `<p>${CANARY}</p>${'<p>filler text of a longer block</p>'.repeat(40)}` },
  ],
  attachments: [
    { filename: `${CANARY}.txt`, content: utf8(`attachment ${CANARY}\n`) },
    { filename: `big-${CANARY}.bin`, content: utf8(`${CANARY} `.repeat(64)) },
  ],
};

interface Session {
  trace: string[];
  /** The composed message's parts, by label, as the adapter returned them. */
  parts: { label: string; data: Buffer }[];
  leftovers: Leftovers;
}

type Outcome = { ok: Session } | { unsupported: string } | { failed: string; trace: string[] } | { error: Error; trace: string[] };

const b64map = (v: JsonValue | undefined, what: string): Map<string, Uint8Array> => {
  if (!isObject(v)) throw new Problem(`${what}: expected an object of id → base64, got ${show(v)}`);
  return new Map(Object.entries(v).map(([id, x]) => [id, typeof x === 'string' ? fromB64(x, `${what}.${id}`) : (() => { throw new Problem(`${what}.${id}: expected base64 text`); })()]));
};

/** A failed expectation of the session (the tests fail with it, not error). */
class Problem extends Error {}

function sameContent(got: { subject: unknown; blocks: unknown; attachments: unknown }, who: string): void {
  const want = {
    subject: CONTENT.subject,
    blocks: CONTENT.blocks,
    attachments: CONTENT.attachments.map((a) => ({ filename: a.filename, content_b64: toB64(a.content) })),
  };
  if (!jsonEqual(got, want)) throw new Problem(`${who} does not give back the message composed: expected ${show(want, 400)}, got ${show(got, 400)}`);
}

let session: Promise<Outcome> | undefined;

/** Compose and open the canary message once per file, then collect what the adapter left behind. */
function runSession(): Promise<Outcome> {
  return (session ??= (async (): Promise<Outcome> => {
    const lines: string[] = [];
    const t = suiteTarget();
    const { spec, description } = sandboxSpec();
    lines.push(`canary ${CANARY}; adapter ${description}`);
    let sandbox;
    try {
      sandbox = await startSandbox(spec, { requestTimeoutMs: t.requestTimeoutMs, helloTimeoutMs: Math.max(t.requestTimeoutMs, 20_000) });
    } catch (e) {
      return { error: e as Error, trace: lines };
    }
    try {
      const info = sandbox.client.info!;
      const missing = OPS.filter((op) => !info.ops.includes(op));
      if (missing.length > 0) return { unsupported: `out of scope: the adapter's hello does not list ${missing.join(', ')}` };
      const call = async (op: string, args: Record<string, unknown>, opts: { seed?: string; now?: number } = {}): Promise<Record<string, JsonValue>> => {
        lines.push(`> ${op} ${show(args, 300)}`);
        const raw: AdapterResponse = await sandbox.client.request(op, args, opts);
        const r = parseJsonLossless(encodeLine(raw)) as unknown as AdapterResponse;
        lines.push(`< ${show(r, 300)}`);
        if ('unsupported' in r) throw Object.assign(new Problem(`${op}: ${r.reason}`), { unsupported: true });
        if (!r.ok) throw new Problem(`${op} answered ${r.error.class}: ${r.error.message}`);
        const malformed = resultProblem(op, r.result);
        if (malformed) throw new Problem(`${op}: ${malformed}`);
        return r.result;
      };
      const composed = await call(
        'message.compose',
        {
          sender: { address: SENDER.address, private_key: SENDER.keys.privateKey, name: SENDER.name },
          recipient: { address: RECIPIENT.address, public_key: RECIPIENT.keys.publicKey },
          subject: CONTENT.subject,
          blocks: CONTENT.blocks,
          attachments: CONTENT.attachments.map((a) => ({ filename: a.filename, content_b64: toB64(a.content) })),
        },
        { seed: COMPOSE_SEED, now: NOW },
      );
      const catalog = typeof composed.catalog_b64 === 'string' ? fromB64(composed.catalog_b64, 'catalog_b64') : undefined;
      if (catalog === undefined) throw new Problem('message.compose: catalog_b64: expected base64 text');
      const blocks = b64map(composed.blocks, 'blocks');
      const attachments = b64map(composed.attachments, 'attachments');
      // The reference opens what the adapter composed: the parts really are the message.
      let header;
      try {
        header = parseHeader(composed.header);
        const opened = openMessage(RECIPIENT.keys.privateKey, header, catalog, blocks, attachments);
        sameContent(
          {
            subject: opened.catalog.subject,
            blocks: opened.blocks.map((b) => ({ type: b.type, content: b.content })),
            attachments: opened.attachments.map((a) => ({ filename: a.filename, content_b64: toB64(a.content) })),
          },
          'the reference, opening the composed message,',
        );
      } catch (e) {
        throw e instanceof Problem ? e : new Problem(`the reference cannot open the composed message: ${(e as Error).name}: ${(e as Error).message}`);
      }
      // …and the adapter opens it too (a client reads its own mail).
      const opened = await call('message.open', { private_key: RECIPIENT.keys.privateKey, header: composed.header, catalog_b64: composed.catalog_b64, blocks: composed.blocks, attachments: composed.attachments });
      const cat = isObject(opened.catalog) ? opened.catalog : {};
      sameContent(
        {
          subject: cat.subject,
          blocks: Array.isArray(opened.blocks) ? opened.blocks.map((b) => (isObject(b) ? { type: b.type, content: b.content } : b)) : opened.blocks,
          attachments: Array.isArray(opened.attachments) ? opened.attachments.map((a) => (isObject(a) ? { filename: a.filename, content_b64: a.content_b64 } : a)) : opened.attachments,
        },
        "the adapter's message.open",
      );
      const parts = [
        { label: 'composed header (the plain part)', data: Buffer.from(encodeLine(composed.header)) },
        { label: 'composed catalog', data: Buffer.from(catalog) },
        ...[...blocks].map(([id, d]) => ({ label: `composed block ${id}`, data: Buffer.from(d) })),
        ...[...attachments].map(([id, d]) => ({ label: `composed attachment ${id}`, data: Buffer.from(d) })),
      ];
      const leftovers = await sandbox.collect();
      lines.push(`collected: ${leftovers.log.length} bytes of log, ${leftovers.files.length} files (${leftovers.scope})`, ...leftovers.unreadable.map((u) => `not read: ${u}`));
      return { ok: { trace: lines, parts, leftovers } };
    } catch (e) {
      if ((e as { unsupported?: boolean }).unsupported) return { unsupported: (e as Error).message };
      return e instanceof Problem ? { failed: e.message, trace: lines } : { error: e as Error, trace: lines };
    } finally {
      await sandbox.dispose();
    }
  })());
}

/** The session, or the test ends as the session did (fail, error, unsupported, out of scope). */
async function earnedSession(): Promise<Session> {
  const o = await runSession();
  if ('ok' in o) {
    trace(...o.ok.trace);
    return o.ok;
  }
  if ('unsupported' in o) {
    if (o.unsupported.startsWith('out of scope: ')) outOfScope(`op ${OPS.filter((op) => o.unsupported.includes(op)).join(', ')}`, o.unsupported.slice('out of scope: '.length));
    unsupported(o.unsupported);
  }
  trace(...o.trace);
  if ('failed' in o) fail(`the canary message was not composed and opened, so nothing is earned: ${o.failed}`);
  throw o.error;
}

function mustNotHold(hits: Hit[], where: string): void {
  if (hits.length === 0) return;
  const shown = hits.slice(0, 10).map(describeHit);
  fail(`the canary ${CANARY} is in ${where} at ${hits.length} place${hits.length === 1 ? '' : 's'}: ${shown.join('; ')}${hits.length > shown.length ? '; …' : ''}`, 'no occurrence of the canary', shown);
}

const needles = canaryNeedles(CANARY);

describe('client › confidentiality', { meta: { area: 'confidentiality' } }, () => {
  // Only the header is plain text: the catalog (subject, names) is a GCM blob and every block
  // and attachment an AES-CFB stream, each under its own key (formats.md §4.1 steps 3 and 5,
  // §5). The header JSON, and the bytes of every other part, must not hold the plaintext in any
  // encoding.
  it('BM-CONF-001 MUST keep the message plaintext out of the header and out of the encrypted catalog, blocks and attachments it composes', async () => {
    const s = await earnedSession();
    mustNotHold(s.parts.flatMap((p) => scanBytes(p.data, needles, p.label)), 'the composed message');
  });

  // A log is kept, shipped and read by others than the recipient: the plaintext that only the
  // recipient's key should reveal must not be written there. The spec is silent on logs.
  it('BM-CONF-002 SHOULD not write the plaintext of a message it composes or opens to its log', async () => {
    const s = await earnedSession();
    const logs = [{ label: 'adapter log (stderr)', text: s.leftovers.log }, ...s.leftovers.otherLogs];
    mustNotHold(logs.flatMap((l) => scanBytes(Buffer.from(l.text), needles, l.label)), 'the log');
  });

  // Temporary and cache files outlive the operation and are read by backups and other users of
  // the machine. The spec is silent on them.
  it('BM-CONF-003 SHOULD not write the plaintext of a message it composes or opens to files', async () => {
    const s = await earnedSession();
    mustNotHold(s.leftovers.files.flatMap((f) => scanBytes(f.data, needles, f.path)), `the files it wrote (${s.leftovers.scope})`);
  });
});
