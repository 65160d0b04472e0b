/**
 * Child process of the "reference mail server" bench section (bench/server.ts): one
 * startReference() (harness/reference/start.ts) — a key resolver and a mail server, or only a
 * mail server that uses another child's resolver — in its own process, so the server has a
 * thread of its own and its CPU time can be read apart from the client's.
 *
 * Input: JSON in the environment variable `BM_BENCH_SERVER` ({@link ChildConfig}).
 * Output on stdout, one line each:
 *   `READY <json>`            listening: {mailUrl, resolverUrl, adminKey, routingId}
 *   `DELIVERED <id> <epoch>`  a message relayed to its recipient's server was accepted there
 *                             (epoch = performance.timeOrigin + performance.now(), in ms)
 *   `CPU <user µs> <sys µs>`  answer to a `cpu` line on stdin (process.cpuUsage())
 * Stops on SIGTERM or when stdin closes.
 * @module
 */
import { createInterface } from 'node:readline';
import { startReference } from '../harness/reference/start.ts';

export interface ChildConfig {
  /** PEM of the CA both servers' certificates come from (trusted for outgoing calls). */
  caPem: string;
  /** This server's certificate and key (PEM), issued by that CA for the loopback names. */
  cert: string;
  key: string;
  /** Use this resolver instead of starting one. */
  resolverUrl?: string;
  /** Proof-of-work bits this server demands for tickets of remote senders. */
  ticketPowBits: number;
  /** Resolver PoW bits for addresses and organisations (when it starts the resolver). */
  accountPowBits: number;
  /** Durable storage here; in memory when absent. */
  dataDir?: string;
}

const cfg = JSON.parse(process.env.BM_BENCH_SERVER ?? '{}') as ChildConfig;
const now = () => performance.timeOrigin + performance.now();

const ref = await startReference({
  tls: { cert: cfg.cert, key: cfg.key },
  trustCa: { pem: cfg.caPem },
  pow: { address: cfg.accountPowBits, organisation: cfg.accountPowBits },
  ...(cfg.resolverUrl ? { resolverUrl: cfg.resolverUrl } : {}),
  ...(cfg.dataDir ? { dataDir: cfg.dataDir } : {}),
  mailOptions: {
    limits: { ticketPowBits: cfg.ticketPowBits },
    // delivery.ts logs "delivery <id>: delivered remotely" once the recipient's server answered
    // POST /incoming, i.e. once the message is in the recipient's box over there.
    log: (m: string) => {
      const d = /^delivery (\S+): delivered remotely/.exec(m);
      if (d) process.stdout.write(`DELIVERED ${d[1]} ${now().toFixed(3)}\n`);
      else if (!/delivered locally/.test(m)) process.stderr.write(`${m}\n`);
    },
  },
});
process.stdout.write(`READY ${JSON.stringify({ mailUrl: ref.mailUrl, resolverUrl: ref.resolverUrl, adminKey: ref.adminKey, routingId: ref.routingId })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await ref.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
const rl = createInterface({ input: process.stdin });
rl.on('line', (l) => {
  if (l.trim() === 'cpu') {
    const c = process.cpuUsage();
    process.stdout.write(`CPU ${c.user} ${c.system}\n`);
  }
});
rl.on('close', () => void stop());
