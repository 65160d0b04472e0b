/**
 * The reference peer mail server's own process (peer.ts starts it; no suite imports this).
 *
 * The peer is a counterparty of the target, so it must keep answering while the suite worker is
 * busy: run in the worker, a long synchronous step there (a proof of work, a large message
 * compose) would hold its event loop past the target's 5 s keep-alive, and the target's
 * connection to the peer would be reset (issue 15, item 8). Here it has an event loop of its own.
 *
 * Protocol over the Node IPC channel:
 * - options come as JSON in `BM_PEER_OPTIONS` (peer.ts `PeerProcessOptions`);
 * - the child sends `{type:"ready", url, routingId}` once it serves, or `{type:"failed", message}`;
 * - `{type:"requests", id}` → `{type:"requests", id, requests:[{method, path, body_b64}]}`: every
 *   request the peer received, oldest first;
 * - `{type:"close"}` (or the channel closing: the worker died) closes the server and exits.
 * @module
 */
import { startMailServer, type MailServer } from '../../harness/reference/index.ts';
import { seededRng } from '../../harness/protocol/random.ts';
import type { PeerProcessOptions } from './peer.ts';

const send = (m: unknown) => process.send?.(m);
const o = JSON.parse(process.env.BM_PEER_OPTIONS ?? '{}') as PeerProcessOptions;
const requests: { method: string; path: string; body_b64: string }[] = [];
let server: MailServer | undefined;
let closing = false;

async function shutdown(code: number): Promise<never> {
  if (!closing) {
    closing = true;
    await server?.close().catch(() => undefined);
  }
  process.exit(code);
}

process.on('disconnect', () => void shutdown(0));
process.on('message', (m: { type: string; id?: number }) => {
  if (m.type === 'requests') send({ type: 'requests', id: m.id, requests });
  else if (m.type === 'close') void shutdown(0);
});

try {
  server = await startMailServer({
    resolverUrl: o.resolverUrl,
    caPem: o.caPem,
    tls: o.tls,
    routingKey: o.routingKey,
    adminKey: o.adminKey,
    limits: { ticketPowBits: o.ticketPowBits },
    faults: o.faults,
    rng: seededRng(new TextEncoder().encode(o.rngSeed)),
    onRequest: (r) => void requests.push({ method: r.method, path: r.path, body_b64: Buffer.from(r.body).toString('base64') }),
  });
  send({ type: 'ready', url: server.url, routingId: server.routingId });
} catch (e) {
  send({ type: 'failed', message: e instanceof Error ? e.message : String(e) });
  await shutdown(1);
}
