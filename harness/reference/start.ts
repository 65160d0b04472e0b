/**
 * Start the reference implementation on loopback: the key resolver and the reference mail
 * server (harness/reference/mailserver), both over HTTPS with certificates from one per-run CA.
 * This is the library; `bm-conformance serve` (serve.ts) is its command line.
 *
 * Identity (identity.ts): the CA, the mail server's routing key and id, and an admin API key.
 * With `dataDir` they are kept in `<dataDir>/reference-identity.json`, resolver records live in
 * `<dataDir>/resolver`, mail in `<dataDir>/mail` (durable-storage.ts).
 *
 * Container mode (DESIGN.md contract 4: "the harness owns the counterparties … and its own TLS
 * CA"): `tls` serves with the harness's certificate, `trustCa` trusts the harness CA for
 * outgoing calls, `resolverUrl` uses the harness's key resolver instead of starting one, and
 * `routingKey` / `adminKey` take the identity the harness provisions with.
 *
 * Proof-of-work minimum: default 20 bits for addresses and organisations (the Go client's
 * fallback, §7.5) instead of the lambda's 27/29, so a JS client creates an account in seconds.
 *
 * @example
 * ```ts
 * const ref = await startReference({ pow: { address: 8, organisation: 8 } });
 * // ref.resolverUrl, ref.mailUrl (undefined with `mail: false`), ref.caPath, ref.caPem,
 * // ref.routingId, ref.routingKey, ref.adminKey
 * await ref.close();
 * ```
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { systemRng, type Rng } from '../protocol/random.ts';
import { memoryStorage, type Storage } from './storage.ts';
import { openDurableStorage } from './durable-storage.ts';
import { issueServerCert, writeCaFile } from './tls.ts';
import { startResolver, type ResolverOptions, type StartedResolver } from './resolver/server.ts';
import { startMailServer, type MailServer, type MailServerOptions } from './mailserver/index.ts';
import { loadOrMakeIdentity, routingIdOf } from './identity.ts';

export { routingIdOf } from './identity.ts';

export interface ReferenceOptions {
  /** Mail server port (default 0 = any free port). */
  port?: number;
  /** Resolver port (default 0 = any free port). */
  resolverPort?: number;
  /** Persist everything here; omit for in-memory. */
  dataDir?: string;
  /** Write the CA certificate here (default `<dataDir>/ca.pem`, else a temp file removed on close). */
  caOut?: string;
  /** Resolver PoW minimum (default 20 / 20). */
  pow?: { address: number; organisation: number };
  /** Start the mail server (default true). */
  mail?: boolean;
  /** Extra resolver options (faults, reserved, serialClock…). `storage` and `pow` are set here. */
  resolver?: Omit<ResolverOptions, 'storage' | 'pow'>;
  /**
   * Extra mail server options, passed through to `startMailServer` (limits, faults, clock…); the
   * ones set here are left out, so that a name that is not a mail server option, such as
   * `powBits`, is a type error.
   */
  mailOptions?: Partial<Omit<MailServerOptions, 'resolverUrl' | 'caPem' | 'tls' | 'routingKey' | 'routingId' | 'adminKey' | 'port' | 'dataDir'>>;
  rng?: Rng;
  log?: (msg: string) => void;
  /** Address the resolver binds (default 127.0.0.1; the mail server always binds 127.0.0.1). */
  host?: string;
  /**
   * TLS certificate chain and key (PEM) to serve with instead of one issued by our own CA: the
   * harness of an `image` target owns TLS and hands the container its certificate.
   */
  tls?: { cert: string; key: string };
  /**
   * Extra CA certificate(s) (PEM) trusted for outgoing calls — the external resolver, peer
   * servers — and reported as `caPem`/`caPath` when `tls` is given.
   */
  trustCa?: { pem: string; path?: string };
  /** Use this key resolver instead of starting one (the harness's own, for an `image` target). */
  resolverUrl?: string;
  /** Routing key pair as key strings; overrides the generated / stored one. */
  routingKey?: { privateKey: string; publicKey: string };
  /** Management API key (`BMK-…`); overrides the generated / stored one. */
  adminKey?: string;
}

export interface ReferenceHandle {
  readonly resolverUrl: string;
  /** Undefined when the mail server was not started (`mail: false`). */
  readonly mailUrl: string | undefined;
  readonly caPath: string;
  readonly caPem: string;
  readonly routingId: string;
  readonly routingKey: { privateKey: string; publicKey: string };
  readonly adminKey: string;
  readonly dataDir: string | undefined;
  /** The resolver we started; undefined when an external one was used (`resolverUrl`). */
  readonly resolver: StartedResolver | undefined;
  /** The mail server we started, for tests that need more than the URL. */
  readonly mail: MailServer | undefined;
  close(): Promise<void>;
}

/** Start resolver and mail server. See the module doc. */
export async function startReference(opts: ReferenceOptions = {}): Promise<ReferenceHandle> {
  const rng = opts.rng ?? systemRng;
  const log = opts.log ?? (() => undefined);
  const dataDir = opts.dataDir ? resolvePath(opts.dataDir) : undefined;
  const cleanup: (() => Promise<void>)[] = [];
  const closeAll = async () => {
    for (const fn of cleanup.splice(0).reverse()) {
      try { await fn(); } catch { /* keep closing the rest */ }
    }
  };
  try {
    let { id, ca } = await loadOrMakeIdentity(dataDir, rng);
    if (opts.routingKey) id = { ...id, routingKey: opts.routingKey };
    if (opts.adminKey) id = { ...id, adminKey: opts.adminKey };
    const routingId = routingIdOf(id.routingKey.publicKey);

    // With `tls` from outside, our own CA signs nothing: the trust anchor to report is the one
    // given (`trustCa`), and no CA file of ours is written.
    let caPath: string;
    let caPem: string;
    if (opts.tls) {
      caPem = opts.trustCa?.pem ?? '';
      caPath = opts.trustCa?.path ?? '';
      if (opts.caOut && caPem) caPath = await writeCaFile(caPem, resolvePath(opts.caOut));
    } else {
      caPem = ca.cert;
      if (opts.caOut) caPath = await writeCaFile(ca, resolvePath(opts.caOut));
      else if (dataDir) caPath = await writeCaFile(ca, join(dataDir, 'ca.pem'));
      else {
        const tmp = await mkdtemp(join(tmpdir(), 'bm-ref-'));
        cleanup.push(() => rm(tmp, { recursive: true, force: true }));
        caPath = await writeCaFile(ca, join(tmp, 'ca.pem'));
      }
    }
    // Outgoing calls trust our CA (when it signed anything) and the one given.
    const outgoingCa = [...(opts.tls ? [] : [ca.cert]), ...(opts.trustCa ? [opts.trustCa.pem] : [])].join('\n');

    const leaf = opts.tls ?? (await issueServerCert(ca, undefined, { rng }));

    let resolver: StartedResolver | undefined;
    let resolverUrl: string;
    if (opts.resolverUrl) {
      resolverUrl = opts.resolverUrl.replace(/\/+$/, '');
      log(`using the key resolver at ${resolverUrl}`);
    } else {
      let resolverStorage: Storage;
      if (dataDir) resolverStorage = await openDurableStorage(join(dataDir, 'resolver'));
      else resolverStorage = memoryStorage();
      cleanup.push(() => resolverStorage.close());
      const started = await startResolver(
        { ...(opts.resolver ?? {}), storage: resolverStorage, pow: opts.pow ?? { address: 20, organisation: 20 } },
        { host: opts.host ?? '127.0.0.1', port: opts.resolverPort ?? 0, tls: { cert: leaf.cert, key: leaf.key } },
      );
      resolver = started;
      resolverUrl = started.url;
      cleanup.push(() => started.close());
      log(`resolver listening on ${resolverUrl}`);
    }

    let mail: MailServer | undefined;
    if (opts.mail !== false) {
      const m = await startMailServer({
        ...(opts.mailOptions ?? {}),
        resolverUrl,
        caPem: outgoingCa,
        tls: { certPem: leaf.cert, keyPem: leaf.key },
        routingKey: id.routingKey,
        routingId,
        adminKey: id.adminKey,
        port: opts.port ?? 0,
        ...(dataDir ? { dataDir: join(dataDir, 'mail') } : {}),
      });
      mail = m;
      cleanup.push(() => m.close());
      log(`mail server listening on ${m.url}`);
    }

    return {
      resolverUrl,
      mailUrl: mail?.url,
      caPath,
      caPem,
      routingId,
      routingKey: id.routingKey,
      adminKey: id.adminKey,
      dataDir,
      resolver,
      mail,
      close: closeAll,
    };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
