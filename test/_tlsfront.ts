/**
 * The plumbing under the misbehaving loopback targets of the project's own tests
 * (test/_broken.ts, test/hostile/servers.ts): a fresh CA whose certificate goes to
 * `<dir>/ca.pem`, an HTTPS server for the answers, and a raw TCP front that decides per
 * connection whether it reaches that server, is held open and never answered, or is reset.
 * Not a test file.
 */
import { writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { RequestListener } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { createCa, issueServerCert, type CertificateAuthority } from '../harness/reference/tls.ts';

export interface TlsFront {
  url: string;
  caFile: string;
  /** The HTTPS server behind the front, for a caller that wants more of its events. */
  https: HttpsServer;
  close(): Promise<void>;
}

/** What the front does with a new TCP connection. */
export type Admit = 'serve' | 'hold' | 'reset';

/**
 * Listen on 127.0.0.1 port 0. `admit` is asked once per connection; `ca` reuses a CA (a test file
 * that starts many targets), else a fresh one named `caName` is made.
 */
export async function startTlsFront(dir: string, opts: { caName: string; ca?: CertificateAuthority; onRequest: RequestListener; admit: () => Admit }): Promise<TlsFront> {
  const ca = opts.ca ?? (await createCa({ commonName: opts.caName }));
  const cert = await issueServerCert(ca, ['127.0.0.1']);
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  const https = createHttpsServer({ cert: cert.cert, key: cert.key }, opts.onRequest);
  https.on('tlsClientError', () => undefined);
  const held = new Set<Socket>();
  const front = createNetServer((sock) => {
    sock.on('error', () => undefined);
    held.add(sock);
    sock.on('close', () => held.delete(sock));
    const how = opts.admit();
    if (how === 'reset') sock.resetAndDestroy();
    else if (how === 'serve') https.emit('connection', sock);
    // 'hold': accepted; never a byte
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const port = (front.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caFile,
    https,
    close: async () => {
      for (const s of held) s.destroy();
      https.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    },
  };
}
