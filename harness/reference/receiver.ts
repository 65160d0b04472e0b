/**
 * A plain-HTTP receiver on 127.0.0.1 that records every request it gets: the other end of a
 * webhook (spec/api.md §3.7), for the reference's own tests and for the server suite's.
 * @module
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Every request so far, oldest first. */
  got: ReceivedRequest[];
  close(): Promise<void>;
}

/** Listen on an ephemeral loopback port; every request is answered `status` once its body is read. */
export async function startReceiver(status = 200): Promise<Receiver> {
  const got: ReceivedRequest[] = [];
  const srv: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', resolve);
  });
  const port = (srv.address() as AddressInfo).port;
  return { url: `http://127.0.0.1:${port}`, got, close: () => new Promise((r) => srv.close(() => r())) };
}
