/**
 * A reference peer mail server for server-to-server tests (DESIGN.md contract 4: "the harness
 * owns the counterparties … a reference peer server"; api.md §5.5): harness/reference/mailserver
 * started in this worker on 127.0.0.1, registered on the target's key resolver under a routing
 * key of its own, serving with a certificate issued by the run's CA so the target trusts it, and
 * trusting that CA for its own calls to the target and the resolver.
 *
 * The run's CA key comes from `BM_CA_KEY_FILE` (set by the builtin target, harness/targets/
 * builtin.ts; for a url or image target the harness must own the CA the target trusts). Without
 * it a peer cannot be started and the test cannot run (HarnessError `config`).
 *
 * What the peer does is declared by the test through {@link PeerOptions}: its ticket difficulty
 * and fault switches (all off by default, i.e. a conforming server).
 * @module
 */
import { readFileSync } from 'node:fs';
import { startMailServer, type Faults, type MailServer } from '../../harness/reference/mailserver/index.ts';
import { issueServerCert, loadCa } from '../../harness/reference/tls.ts';
import { formatPrivateKey, formatPublicKey, generateKeyPair } from '../../harness/protocol/keys.ts';
import { HarnessError } from './errors.ts';
import { runNonce, suiteRng, suiteTarget, type SuiteTarget } from './target.ts';

export interface PeerOptions {
  /** Proof-of-work bits the peer asks of remote senders' tickets (Go `work.pow.bits`; default 8, cheap for the target). */
  ticketPowBits?: number;
  /** Defects to switch on (harness/reference/mailserver/options.ts); default none. */
  faults?: Partial<Faults>;
}

export interface Peer {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  readonly routingId: string;
  /** Management key of the peer (accounts are made with `POST /admin/invite`). */
  readonly adminKey: string;
  /** The running server (idle(), flush()). */
  readonly server: MailServer;
  /** Every request the peer has received (method, raw path, body), oldest first: what the target sent. */
  readonly requests: readonly { method: string; path: string; body: Uint8Array }[];
  close(): Promise<void>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Start a peer (see the module doc). Call in `beforeAll`, close in `afterAll`.
 * @throws HarnessError `config` when the run's CA key or the resolver URL is not available
 */
export async function startPeer(label: string, opts: PeerOptions = {}, t: SuiteTarget = suiteTarget()): Promise<Peer> {
  const caKeyFile = process.env.BM_CA_KEY_FILE;
  if (!t.resolverUrl) throw new HarnessError('config', 'a peer server needs the key resolver the target uses (BM_RESOLVER_URL / --resolver)');
  if (!t.caPem || !caKeyFile) {
    throw new HarnessError('config', 'a peer server needs the run CA and its key (BM_CA_FILE, BM_CA_KEY_FILE) so the target can trust its certificate; builtin and image targets provide both, a url target needs --ca-key');
  }
  let caKey: string;
  try {
    caKey = readFileSync(caKeyFile, 'utf8');
  } catch (e) {
    throw new HarnessError('config', `BM_CA_KEY_FILE: cannot read ${caKeyFile}: ${(e as Error).message}`);
  }
  const ca = await loadCa(t.caPem, caKey);
  const leaf = await issueServerCert(ca);
  const rng = suiteRng(`peer:${label}:${runNonce()}`);
  const kp = generateKeyPair('ed25519', rng);
  let adminKey = 'BMK-';
  for (const b of rng.bytes(32)) adminKey += ALNUM[b % ALNUM.length];
  const requests: { method: string; path: string; body: Uint8Array }[] = [];
  const server = await startMailServer({
    resolverUrl: t.resolverUrl,
    caPem: t.caPem,
    tls: { cert: leaf.cert, key: leaf.key },
    routingKey: { privateKey: formatPrivateKey(kp.privateKey), publicKey: formatPublicKey(kp.publicKey) },
    adminKey,
    limits: { ticketPowBits: opts.ticketPowBits ?? 8 },
    faults: opts.faults ?? {},
    rng,
    onRequest: (r) => void requests.push(r),
  });
  return { url: server.url, routingId: server.routingId, adminKey, server, requests, close: () => server.close() };
}
