/**
 * A load run (issue 12 item 2): N concurrent senders doing real full sends against a mail server
 * (resolve the recipient, client ticket, header, catalog, block, attachment, `POST /incoming`;
 * api.md §5.4, through the reference client harness/reference/client.ts), half of them to an
 * account of the same server (local delivery), half to an account of a peer server (remote
 * delivery, api.md §5.5), for a number of messages or a duration. After the senders stop, every
 * acknowledged message must arrive in its recipient's box within {@link ARRIVAL_WAIT_MS}.
 *
 * The verdict: any lost message, any 5xx and any send without an answer fails; a slow server
 * does not (the figures say how slow). A 4xx is counted as an error too: the sends are well-formed.
 *
 * Reusable: `bm-conformance load` (harness/load/index.ts) calls {@link runLoad} with a target it
 * opened; bench/ can call it with any server it started (see {@link LoadTarget}).
 * @module
 */
import { ApiError, ReferenceClient, type ClientAccount } from '../reference/index.ts';
import { formatPrivateKey, generateKeyPair } from '../protocol/keys.ts';
import { systemRng, type Rng } from '../protocol/random.ts';
import { latencySummary, type LatencySummary, type SendSample } from './stats.ts';

/** How long acknowledged messages get to arrive after the senders stop. */
export const ARRIVAL_WAIT_MS = 30_000;

/** A mail server to load, and optionally a peer for remote delivery (both on one resolver and CA). */
export interface LoadTarget {
  serverUrl: string;
  resolverUrl: string;
  /** PEM of the CA that signed both servers' certificates. */
  caPem: string;
  /** Management key for `POST /admin/invite` on the server. */
  adminKey: string;
  peer?: { url: string; adminKey: string };
}

export interface LoadOptions {
  /** Concurrent senders (default 8). */
  senders?: number;
  /** Total messages to send (default 200 when no duration is given). */
  messages?: number;
  /** Send for this long instead (ms). */
  durationMs?: number;
  rng?: Rng;
  /** Progress lines. */
  log?: (line: string) => void;
}

export interface LoadResult {
  senders: number;
  durationMs: number;
  attempts: number;
  acknowledged: number;
  /** Acknowledged messages per second of the sending phase. */
  messagesPerSecond: number;
  latency: LatencySummary;
  /** Failed sends by outcome (`503`, `no-answer`, …). */
  errors: Record<string, number>;
  serverErrors: number;
  /** Acknowledged, not in the recipient's box after {@link ARRIVAL_WAIT_MS}. */
  lost: string[];
  delivery: { local: number; remote: number };
  remoteDelivery: boolean;
  samples: SendSample[];
  ok: boolean;
  /** Why it failed (empty when ok). */
  reasons: string[];
}

interface Sent {
  from: ClientAccount;
  to: ClientAccount;
  id: string;
  /** The header's client signature: a relayed message gets a new id on the recipient's server (its ticket there), the signature stays. */
  signature: string;
}

async function invite(client: ReferenceClient, serverUrl: string, adminKey: string, hash: string): Promise<string> {
  const r = await client.raw('POST', `${serverUrl}/admin/invite`, { headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ address: hash, days: 1 }) });
  const token = (r.json as { token?: unknown } | undefined)?.token;
  if (r.status !== 201 || typeof token !== 'string') throw new Error(`POST ${serverUrl}/admin/invite answered ${r.status}: the load run needs the management key to make accounts`);
  return token;
}

async function account(client: ReferenceClient, server: { url: string; adminKey: string }, name: string, rng: Rng): Promise<ClientAccount> {
  const { parseAddress } = await import('../protocol/address.ts');
  const address = `${name}!`;
  const privateKey = formatPrivateKey(generateKeyPair('ed25519', rng).privateKey);
  const token = await invite(client, server.url, server.adminKey, parseAddress(address).hash);
  return client.createAccount({ address, privateKey, inviteToken: token, serverUrl: server.url });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(t: LoadTarget, o: LoadOptions = {}): Promise<LoadResult> {
  const senders = o.senders ?? 8;
  const rng = o.rng ?? systemRng;
  const log = o.log ?? (() => undefined);
  const total = o.durationMs === undefined ? (o.messages ?? 200) : o.messages;
  const client = new ReferenceClient({ resolverUrl: t.resolverUrl, caPem: t.caPem, rng });
  try {
    const run = Buffer.from(rng.bytes(4)).toString('hex');
    const server = { url: t.serverUrl, adminKey: t.adminKey };
    const from: ClientAccount[] = [];
    const local: ClientAccount[] = [];
    const remote: ClientAccount[] = [];
    for (let i = 0; i < senders; i++) {
      from.push(await account(client, server, `load-${run}-sender${i}`, rng));
      local.push(await account(client, server, `load-${run}-local${i}`, rng));
      if (t.peer) remote.push(await account(client, t.peer, `load-${run}-remote${i}`, rng));
    }
    log(`load: ${senders} senders, ${senders} local${t.peer ? ` and ${senders} remote` : ''} recipients ready`);

    const samples: SendSample[] = [];
    const sent: Sent[] = [];
    const errors: Record<string, number> = {};
    let next = 0;
    const started = performance.now();
    const deadline = o.durationMs !== undefined ? started + o.durationMs : Infinity;
    const attachment = rng.bytes(2048);
    const sender = async (w: number) => {
      for (;;) {
        if (performance.now() >= deadline) return;
        const n = next++;
        if (total !== undefined && n >= total) return;
        const remoteOne = t.peer !== undefined && n % 2 === 1;
        const to = remoteOne ? remote[w]! : local[w]!;
        const t0 = performance.now();
        try {
          const { id, header } = await client.send(from[w]!, to.address, { subject: `load ${run} #${n}`, blocks: [{ type: 'text', content: `message ${n} of sender ${w}` }], attachments: [{ filename: `load-${n}.bin`, content: attachment }] });
          samples.push({ startMs: t0 - started, ms: performance.now() - t0, outcome: 'ok', delivery: remoteOne ? 'remote' : 'local' });
          sent.push({ from: from[w]!, to, id: id.toLowerCase(), signature: header.signatures?.client ?? '' });
        } catch (e) {
          const outcome = e instanceof ApiError ? e.status : 'no-answer';
          samples.push({ startMs: t0 - started, ms: performance.now() - t0, outcome, delivery: remoteOne ? 'remote' : 'local' });
          errors[String(outcome)] = (errors[String(outcome)] ?? 0) + 1;
        }
      }
    };
    await Promise.all(from.map((_, w) => sender(w)));
    const durationMs = performance.now() - started;
    log(`load: ${sent.length} of ${samples.length} sends acknowledged in ${Math.round(durationMs)} ms; checking arrival`);

    // Every acknowledged message must arrive (remote ones go through the target's delivery).
    const waitUntil = performance.now() + ARRIVAL_WAIT_MS;
    let missing = sent;
    while (missing.length > 0) {
      const byRecipient = new Map<ClientAccount, Set<string>>();
      for (const s of missing) {
        if (byRecipient.has(s.to)) continue;
        const listed = await client.list(s.to, 1, { limit: 10_000 }).catch(() => undefined);
        const seen = new Set<string>();
        for (const m of listed?.messages ?? []) {
          seen.add(m.id.toLowerCase());
          const sig = (m.header as { signatures?: { client?: unknown } } | undefined)?.signatures?.client;
          if (typeof sig === 'string' && sig !== '') seen.add(sig);
        }
        byRecipient.set(s.to, seen);
      }
      missing = missing.filter((s) => !byRecipient.get(s.to)!.has(s.to.serverUrl === t.serverUrl ? s.id : s.signature));
      if (missing.length === 0 || performance.now() >= waitUntil) break;
      await sleep(250);
    }
    const lost: string[] = [];
    for (const s of missing) {
      // The sender's server may say why (the reference's delivery status; other servers may 404).
      const st = lost.length < 20 ? await client.deliveryStatus(s.from, s.id).catch(() => undefined) : undefined;
      lost.push(`message ${s.id} to ${s.to.address} (${s.to.serverUrl === t.serverUrl ? 'local' : 'remote'}) was acknowledged but did not arrive within ${ARRIVAL_WAIT_MS / 1000} s${st ? ` (sender's server: ${st.state}${st.reason ? `, ${st.reason}` : ''}, ${st.retries} retries)` : ''}`);
    }
    const serverErrors = Object.entries(errors).filter(([k]) => /^5\d\d$/.test(k)).reduce((a, [, n]) => a + n, 0);
    const reasons = [
      ...(lost.length > 0 ? [`${lost.length} acknowledged messages lost`] : []),
      ...(serverErrors > 0 ? [`${serverErrors} sends answered 5xx`] : []),
      ...Object.entries(errors).filter(([k]) => !/^5\d\d$/.test(k)).map(([k, n]) => `${n} sends ${k === 'no-answer' ? 'got no answer' : `answered ${k}`}`),
      ...(samples.length === 0 ? ['no message was sent'] : []),
    ];
    return {
      senders,
      durationMs,
      attempts: samples.length,
      acknowledged: sent.length,
      messagesPerSecond: Math.round((sent.length / (durationMs / 1000)) * 10) / 10,
      latency: latencySummary(samples),
      errors,
      serverErrors,
      lost,
      delivery: { local: samples.filter((s) => s.outcome === 'ok' && s.delivery === 'local').length, remote: samples.filter((s) => s.outcome === 'ok' && s.delivery === 'remote').length },
      remoteDelivery: t.peer !== undefined,
      samples,
      ok: reasons.length === 0,
      reasons,
    };
  } finally {
    await client.close();
  }
}
