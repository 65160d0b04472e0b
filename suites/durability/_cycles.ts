/**
 * Kill cycles for the durability profile (issue 12 item 1): several senders send full messages
 * (client ticket, header, catalog, every block and attachment, `POST /incoming`; api.md §5.4)
 * while the target is killed at a random moment; after each restart on the same data every
 * recipient's box is read and every message in it opened.
 *
 * What each cycle finds, per message (the id is its ticket id, api.md §5.4 step 3):
 * - acknowledged: its `POST /incoming` answered 2xx before the kill. It must be in its
 *   recipient's box after the restart (within {@link DELIVERY_WAIT_MS}: 202 hands it to
 *   processing, which may finish after the restart), else it is **lost**;
 * - every message in a box must open completely and decrypt to what its sender sent, else it is
 *   **corrupt** (acknowledged or not: a message either opens completely or is absent);
 * - a message listed twice in a box is a **duplicate**;
 * - a message delivered whose `POST /incoming` got no answer is **delivered but not
 *   acknowledged**: allowed (the sender cannot tell), counted.
 *
 * The kill point is seeded: after a random number (4–15) of acknowledgements in the cycle plus a
 * random delay (0–100 ms), while the senders go on sending; one message in four carries a 256 KiB block,
 * so some kills land mid-upload (the report counts the stages senders were in).
 * @module
 */
import type { Rng } from '../../harness/protocol/random.ts';
import type { Restartable } from '../_support/restart.ts';
import type { MailAccount } from '../_support/accounts.ts';
import { compose, TICKET_HEADER, type Content, type MailApi } from '../_support/mail.ts';
import { isObject } from '../_support/match.ts';

/** How long a restarted target gets to show an acknowledged message in its box. */
export const DELIVERY_WAIT_MS = 15_000;

export interface CrashReport {
  cycles: number;
  /** Sends started (a ticket was asked for). */
  attempts: number;
  acknowledged: number;
  /** Acknowledged, not in the box after the restart. */
  lost: string[];
  /** In a box, but does not open completely or reads back other content. */
  corrupt: string[];
  /** Listed more than once in a box. */
  duplicated: string[];
  /** Delivered although `POST /incoming` got no answer (allowed). */
  deliveredNotAcknowledged: number;
  /** Where the other senders were when the target was killed, summed over cycles. */
  inFlightAtKill: Record<Stage, number>;
  /** Failures before any kill of the cycle (the target misbehaving under plain load). */
  errorsBeforeKill: string[];
}

type Stage = 'ticket' | 'upload' | 'complete';

interface Sent {
  to: number;
  content: Content;
  acknowledged: boolean;
}

export interface CrashOptions {
  server: Restartable;
  api: MailApi;
  senders: readonly MailAccount[];
  recipients: readonly MailAccount[];
  cycles: number;
  rng: Rng;
  /** Progress lines (stderr of the suite worker). */
  log?: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function uniform(rng: Rng): number {
  const b = rng.bytes(4);
  return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) / 2 ** 32;
}

function contentFor(rng: Rng, cycle: number, sender: number, i: number): Content {
  const tag = `c${cycle} s${sender} m${i}`;
  const big = i % 4 === 3;
  return {
    subject: `durability ${tag}`,
    blocks: [
      { type: 'text', content: `first block of ${tag}` },
      { type: 'html', content: big ? Buffer.from(rng.bytes(192 * 1024)).toString('base64') : `<p>second block of ${tag}</p>` },
    ],
    attachments: [{ filename: `${tag.replace(/ /g, '-')}.bin`, content: rng.bytes(1024 + (i % 7) * 512) }],
  };
}

/** What is different between what was sent and what was read back; undefined when equal. */
function difference(sent: Content, got: { blocks: { type: string; content: string }[]; attachments: { filename: string; content: Uint8Array }[] }, subject: string): string | undefined {
  if (subject !== sent.subject) return `subject ${JSON.stringify(subject.slice(0, 60))}, sent ${JSON.stringify(sent.subject)}`;
  if (got.blocks.length !== sent.blocks.length) return `${got.blocks.length} blocks, sent ${sent.blocks.length}`;
  for (let b = 0; b < sent.blocks.length; b++) {
    if (got.blocks[b]!.content !== sent.blocks[b]!.content) return `block ${b} differs (${got.blocks[b]!.content.length} characters, sent ${sent.blocks[b]!.content.length})`;
  }
  const want = sent.attachments ?? [];
  if (got.attachments.length !== want.length) return `${got.attachments.length} attachments, sent ${want.length}`;
  for (let a = 0; a < want.length; a++) {
    if (got.attachments[a]!.filename !== want[a]!.filename) return `attachment ${a} named ${got.attachments[a]!.filename}, sent ${want[a]!.filename}`;
    if (Buffer.compare(Buffer.from(got.attachments[a]!.content), Buffer.from(want[a]!.content)) !== 0) return `attachment ${a} bytes differ`;
  }
  return undefined;
}

/** Every id listed in box 1 of `a`, in order, duplicates kept. */
async function listed(api: MailApi, a: MailAccount): Promise<string[]> {
  const r = await api.account('GET', a, '/box/1');
  if (r.status !== 200) throw new Error(`GET /account/…/box/1 answered ${r.status}`);
  const list = isObject(r.json) && Array.isArray(r.json.messages) ? r.json.messages : [];
  return list.map((m) => (isObject(m) && typeof m.id === 'string' ? m.id.toLowerCase() : ''));
}

export async function crashCycles(o: CrashOptions): Promise<CrashReport> {
  const { api, server, senders, recipients, rng } = o;
  const log = o.log ?? (() => undefined);
  const sent = new Map<string, Sent>();
  const verified = new Set<string>();
  const report: CrashReport = { cycles: 0, attempts: 0, acknowledged: 0, lost: [], corrupt: [], duplicated: [], deliveredNotAcknowledged: 0, inFlightAtKill: { ticket: 0, upload: 0, complete: 0 }, errorsBeforeKill: [] };
  const reportedLost = new Set<string>();
  const reportedCorrupt = new Set<string>();

  for (let cycle = 0; cycle < o.cycles; cycle++) {
    const killAfter = 4 + Math.floor(uniform(rng) * 12);
    const delay = Math.floor(uniform(rng) * 100);
    let acked = 0;
    let stop = false;
    let killing: Promise<void> | undefined;
    const stages = new Map<number, Stage>();
    // The senders go on until the kill itself, so it lands on sends in every stage.
    const kill = () => {
      killing ??= sleep(delay).then(() => {
        stop = true;
        for (const s of stages.values()) report.inFlightAtKill[s]++;
        return server.kill();
      });
    };
    const sender = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const to = (w + i + cycle) % recipients.length;
        const content = contentFor(rng, cycle, w, i);
        const m = compose(api.rng, senders[w]!, recipients[to]!, content);
        let id: string | undefined;
        try {
          stages.set(w, 'ticket');
          report.attempts++;
          const t = await api.validClientTicket(senders[w]!, recipients[to]!.hash);
          id = t.ID.toLowerCase();
          sent.set(id, { to, content, acknowledged: false });
          stages.set(w, 'upload');
          await api.uploadAll(t.ID, m);
          stages.set(w, 'complete');
          const done = await api.req('POST', '/incoming', { headers: { [TICKET_HEADER]: t.ID } });
          stages.delete(w);
          if (done.status >= 200 && done.status < 300) {
            sent.get(id)!.acknowledged = true;
            report.acknowledged++;
            if (++acked >= killAfter) kill();
          } else if (!stop) {
            report.errorsBeforeKill.push(`cycle ${cycle}: POST /incoming of ${id} answered ${done.status}`);
            return;
          }
        } catch (e) {
          stages.delete(w);
          if (!stop) report.errorsBeforeKill.push(`cycle ${cycle}: ${(e as Error).message.split('\n')[0]}`);
          return;
        }
      }
    };
    await Promise.all(senders.map((_, w) => sender(w)));
    // Every sender failed before the kill point: the cycle still kills and checks.
    kill();
    await killing;
    report.cycles++;
    await server.start();

    // Wait for every acknowledged message to show (processing may finish after the restart).
    const deadline = Date.now() + DELIVERY_WAIT_MS;
    let boxes: string[][] = [];
    for (;;) {
      boxes = [];
      for (const r of recipients) boxes.push(await listed(api, r));
      const missing = [...sent].filter(([id, s]) => s.acknowledged && !boxes[s.to]!.includes(id));
      if (missing.length === 0 || Date.now() >= deadline) {
        for (const [id, s] of missing) {
          if (reportedLost.has(id)) continue;
          reportedLost.add(id);
          report.lost.push(`cycle ${cycle}: acknowledged message ${id} ("${s.content.subject}") is not in its recipient's box after the restart`);
        }
        break;
      }
      await sleep(250);
    }

    for (let r = 0; r < recipients.length; r++) {
      const ids = boxes[r]!;
      const seen = new Set<string>();
      for (const id of ids) {
        if (seen.has(id)) {
          if (!report.duplicated.some((d) => d.includes(id))) report.duplicated.push(`cycle ${cycle}: message ${id} is listed more than once in its recipient's box`);
          continue;
        }
        seen.add(id);
        if (verified.has(id) || reportedCorrupt.has(id)) continue;
        const s = sent.get(id);
        const bad = (why: string) => {
          reportedCorrupt.add(id);
          report.corrupt.push(`cycle ${cycle}: message ${id}${s ? ` ("${s.content.subject}", ${s.acknowledged ? 'acknowledged' : 'not acknowledged'})` : ''} ${why}`);
        };
        if (!s || s.to !== r) {
          bad('is in a box but was never sent there');
          continue;
        }
        try {
          const got = await api.read(recipients[r]!, id);
          const diff = difference(s.content, got, got.catalog.subject);
          if (diff) bad(`reads back other content: ${diff}`);
          else {
            verified.add(id);
            if (!s.acknowledged) report.deliveredNotAcknowledged++;
          }
        } catch (e) {
          bad(`does not open completely: ${(e as Error).message.split('\n')[0]}`);
        }
      }
    }
    log(`durability cycle ${cycle + 1}/${o.cycles}: ${report.attempts} attempts, ${report.acknowledged} acknowledged, lost ${report.lost.length}, corrupt ${report.corrupt.length}`);
  }
  return report;
}

/** The report's table (Markdown), for the test's trace and the docs. */
export function crashTable(r: CrashReport): string[] {
  return [
    '| cycles | attempts | acknowledged | lost | corrupt | duplicated | delivered, not acknowledged | senders in flight at the kills (ticket / upload / complete) |',
    '|---|---|---|---|---|---|---|---|',
    `| ${r.cycles} | ${r.attempts} | ${r.acknowledged} | ${r.lost.length} | ${r.corrupt.length} | ${r.duplicated.length} | ${r.deliveredNotAcknowledged} | ${r.inFlightAtKill.ticket} / ${r.inFlightAtKill.upload} / ${r.inFlightAtKill.complete} |`,
  ];
}
