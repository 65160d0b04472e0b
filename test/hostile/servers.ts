/**
 * Hostile mail servers (issue 10 "Verdict integrity", item 4): small loopback HTTPS targets that
 * implement nothing, each failing in one way, for test/hostile/hostile.slow.test.ts. Each listens
 * on 127.0.0.1 port 0 with a certificate from a fresh CA (the `caFile` to pass with `--ca`).
 *
 * | mode                 | behaviour                                                                 |
 * |----------------------|---------------------------------------------------------------------------|
 * | `yes-man`            | `200 {}` (application/json) to every request                              |
 * | `plausible-echo`     | `200` JSON: the request's JSON body echoed back with `"status": "ok"`, or for a body-less request the path's last segment as `hash` |
 * | `accept-then-silence`| accepts TCP connections and never sends a byte, from the first one         |
 * | `reset`              | answers the harness's open probe (`GET /`), then resets every connection  |
 * | `garbage`            | answers the open probe, then sends bytes that are not HTTP                |
 * | `get-root-then-hang` | answers `GET /` with `200 {"status":"ok"}` every time; hangs on anything else |
 * @module
 */
import { startTlsFront } from '../_tlsfront.ts';

export const SERVER_MODES = ['yes-man', 'plausible-echo', 'accept-then-silence', 'reset', 'garbage', 'get-root-then-hang'] as const;
export type ServerMode = (typeof SERVER_MODES)[number];

export interface HostileServer {
  url: string;
  caFile: string;
  close(): Promise<void>;
}

function echo(path: string, body: string): string {
  try {
    const v: unknown = JSON.parse(body);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return JSON.stringify({ ...v, status: 'ok' });
  } catch {
    // not JSON: answer as if it were a read
  }
  return JSON.stringify({ status: 'ok', hash: path.split('/').filter(Boolean).pop() ?? '' });
}

/** Start a hostile server in `mode`; `dir` receives its CA certificate (`ca.pem`). */
export async function startHostileServer(mode: ServerMode, dir: string): Promise<HostileServer> {
  let probed = false;
  const front = await startTlsFront(dir, {
    caName: `hostile ${mode} CA`,
    onRequest: (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const root = req.method === 'GET' && req.url === '/';
        if (!probed && root) {
          probed = true;
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
          return;
        }
        switch (mode) {
          case 'yes-man':
            res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
            return;
          case 'plausible-echo':
            res.writeHead(200, { 'content-type': 'application/json' }).end(echo(req.url ?? '/', Buffer.concat(chunks).toString('utf8')));
            return;
          case 'garbage':
            req.socket.end('SSH-2.0-OpenSSH_9.6\r\n\u0000\u0001\u0002 not HTTP\r\n\r\n');
            return;
          case 'get-root-then-hang':
            if (root) res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
            return; // anything else: read, never answer
          default:
            return;
        }
      });
    },
    admit: () => (mode === 'accept-then-silence' ? 'hold' : mode === 'reset' && probed ? 'reset' : 'serve'),
  });
  front.https.on('clientError', (_e, sock) => sock.destroy());
  return { url: front.url, caFile: front.caFile, close: front.close };
}
