/**
 * Start the reference implementation on loopback: the key resolver and (when
 * harness/reference/mailserver/index.ts exports `startMailServer`) the reference mail server,
 * both over HTTPS with certificates from one per-run CA.
 *
 * Library first ({@link startReference}), binary second ({@link serveMain} is what
 * `bm-conformance serve` calls; STYLE.md "Entry points are thin").
 *
 * Identity: the mail server's routing key (ed25519), its routing id
 * (`hash.New(hex(raw public key))`, spec/api.md §1.1) and an admin API key (`BMK-…`, §3.8) are
 * made here. With `dataDir` they, and the CA, are kept in `<dataDir>/reference-identity.json`,
 * so a restart keeps the same routing id and trust anchor; resolver records live in
 * `<dataDir>/resolver`, mail in `<dataDir>/mail` (durable storage, storage.ts).
 *
 * Proof-of-work minimum: default 20 bits for addresses and organisations (the Go client's
 * fallback, §7.5) instead of the lambda's 27/29, so a JS client creates an account in seconds.
 *
 * @example
 * ```ts
 * const ref = await startReference({ pow: { address: 8, organisation: 8 } });
 * // ref.resolverUrl, ref.mailUrl (undefined until the mail server module exists), ref.caPath, ref.caPem,
 * // ref.routingId, ref.routingKey, ref.adminKey
 * await ref.close();
 * ```
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { toHex } from '../protocol/bytes.ts';
import { hashString } from '../protocol/hash.ts';
import { ed25519PublicBytes, formatPrivateKey, formatPublicKey, generateKeyPair, parsePublicKey } from '../protocol/keys.ts';
import { systemRng, type Rng } from '../protocol/random.ts';
import { atomicWriteFile, openDurableStorage, memoryStorage, type Storage } from './storage.ts';
import { createCa, issueServerCert, loadCa, writeCaFile, type CertificateAuthority } from './tls.ts';
import { startResolver, type ResolverOptions, type StartedResolver } from './resolver/server.ts';

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
  /** Start the mail server if its module is present (default true). */
  mail?: boolean;
  /** Extra resolver options (faults, reserved, serialClock…). `storage` and `pow` are set here. */
  resolver?: Omit<ResolverOptions, 'storage' | 'pow'>;
  /** Extra mail server options, passed through to `startMailServer` (limits, faults, clock…). */
  mailOptions?: Record<string, unknown>;
  rng?: Rng;
  log?: (msg: string) => void;
}

export interface ReferenceHandle {
  readonly resolverUrl: string;
  /** Undefined when the mail server was not started (module missing or `mail: false`). */
  readonly mailUrl: string | undefined;
  readonly caPath: string;
  readonly caPem: string;
  readonly routingId: string;
  readonly routingKey: { privateKey: string; publicKey: string };
  readonly adminKey: string;
  readonly dataDir: string | undefined;
  readonly resolver: StartedResolver;
  /** Whatever `startMailServer` returned, for tests that need more than the URL. */
  readonly mail: MailServerHandle | undefined;
  close(): Promise<void>;
}

/** What serve.ts needs from the mail server module (harness/reference/mailserver/index.ts). */
export interface MailServerHandle {
  url: string;
  close(): Promise<void>;
  [k: string]: unknown;
}
type StartMailServer = (opts: Record<string, unknown>) => Promise<MailServerHandle>;

const MAILSERVER_MODULE = fileURLToPath(new URL('./mailserver/index.ts', import.meta.url));

/**
 * Hook: the mail server's `startMailServer`, or undefined while harness/reference/mailserver
 * does not export it yet. Loaded lazily so this module works without the mail server.
 */
export async function loadMailServer(): Promise<StartMailServer | undefined> {
  if (!existsSync(MAILSERVER_MODULE)) return undefined;
  const mod = (await import(pathToFileURL(MAILSERVER_MODULE).href)) as { startMailServer?: StartMailServer };
  return typeof mod.startMailServer === 'function' ? mod.startMailServer : undefined;
}

interface Identity {
  ca: { cert: string; key: string };
  routingKey: { privateKey: string; publicKey: string };
  adminKey: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function adminKeyFrom(rng: Rng): string {
  // Unbiased: reject bytes ≥ 248 (= 4 × 62).
  let out = 'BMK-';
  while (out.length < 36) {
    for (const b of rng.bytes(32)) {
      if (b < 248 && out.length < 36) out += ALNUM[b % 62];
    }
  }
  return out;
}

async function makeIdentity(rng: Rng): Promise<{ id: Identity; ca: CertificateAuthority }> {
  const ca = await createCa({ rng });
  const kp = generateKeyPair('ed25519', rng);
  return { ca, id: { ca: { cert: ca.cert, key: ca.key }, routingKey: { privateKey: formatPrivateKey(kp.privateKey), publicKey: formatPublicKey(kp.publicKey) }, adminKey: adminKeyFrom(rng) } };
}

/** Routing id of a routing public key string (spec/api.md §1.1). */
export function routingIdOf(publicKeyText: string): string {
  return hashString(toHex(ed25519PublicBytes(parsePublicKey(publicKeyText))));
}

/** Start resolver (+ mail server if available). See the module doc. */
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
    // Identity: loaded from dataDir when present, else made fresh (and saved).
    let id: Identity;
    let ca: CertificateAuthority;
    const idPath = dataDir && join(dataDir, 'reference-identity.json');
    if (idPath && existsSync(idPath)) {
      id = JSON.parse(await readFile(idPath, 'utf8')) as Identity;
      ca = await loadCa(id.ca.cert, id.ca.key);
    } else {
      ({ id, ca } = await makeIdentity(rng));
      if (idPath) {
        await mkdir(dataDir!, { recursive: true });
        await atomicWriteFile(idPath, JSON.stringify(id, null, 2) + '\n', 0o600);
      }
    }
    const routingId = routingIdOf(id.routingKey.publicKey);

    let caPath: string;
    if (opts.caOut) caPath = await writeCaFile(ca, resolvePath(opts.caOut));
    else if (dataDir) caPath = await writeCaFile(ca, join(dataDir, 'ca.pem'));
    else {
      const tmp = await mkdtemp(join(tmpdir(), 'bm-ref-'));
      cleanup.push(() => rm(tmp, { recursive: true, force: true }));
      caPath = await writeCaFile(ca, join(tmp, 'ca.pem'));
    }

    const leaf = await issueServerCert(ca, undefined, { rng });

    let resolverStorage: Storage;
    if (dataDir) resolverStorage = await openDurableStorage(join(dataDir, 'resolver'));
    else resolverStorage = memoryStorage();
    cleanup.push(() => resolverStorage.close());
    const resolver = await startResolver(
      { ...(opts.resolver ?? {}), storage: resolverStorage, pow: opts.pow ?? { address: 20, organisation: 20 } },
      { host: '127.0.0.1', port: opts.resolverPort ?? 0, tls: { cert: leaf.cert, key: leaf.key } },
    );
    cleanup.push(() => resolver.close());
    log(`resolver listening on ${resolver.url}`);

    let mail: MailServerHandle | undefined;
    const startMail = opts.mail === false ? undefined : await loadMailServer();
    if (startMail) {
      mail = await startMail({
        ...(opts.mailOptions ?? {}),
        resolverUrl: resolver.url,
        caPem: ca.cert,
        tls: { certPem: leaf.cert, keyPem: leaf.key },
        routingKey: id.routingKey,
        routingId,
        adminKey: id.adminKey,
        port: opts.port ?? 0,
        ...(dataDir ? { dataDir: join(dataDir, 'mail') } : {}),
      });
      const m = mail;
      cleanup.push(() => m.close());
      log(`mail server listening on ${mail.url}`);
    } else if (opts.mail !== false) {
      log('mail server not started: harness/reference/mailserver/index.ts does not export startMailServer yet');
    }

    return {
      resolverUrl: resolver.url,
      mailUrl: mail?.url,
      caPath,
      caPem: ca.cert,
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

// ---------------------------------------------------------------------------------------------
// CLI

export const SERVE_USAGE = `usage: bm-conformance serve [--port N] [--resolver-port N] [--data-dir DIR] [--out CA.pem] [--pow-bits N]

Start the reference key resolver and mail server on 127.0.0.1 over HTTPS and print their URLs,
the CA certificate path, the mail server's routing id and an admin API key. Stops on SIGINT/SIGTERM.

  --port N            mail server port (default: any free port)
  --resolver-port N   key resolver port (default: any free port)
  --data-dir DIR      keep state (records, mail, CA, routing key) in DIR across restarts
  --out FILE          write the CA certificate (PEM) to FILE
  --pow-bits N        minimum proof-of-work bits for addresses and organisations (default 20)
`;

function parseArgs(argv: readonly string[]): { opts: ReferenceOptions; help: boolean } | string {
  const opts: ReferenceOptions = {};
  let help = false;
  const port = (name: string, v: string | undefined): number | string => {
    if (v === undefined || !/^\d{1,5}$/.test(v) || Number(v) > 65535) return `${name}: expected a port 0..65535, got ${v ?? 'nothing'}`;
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!;
    let v: string | undefined;
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { v = a.slice(eq + 1); a = a.slice(0, eq); }
    const next = () => v ?? argv[++i];
    switch (a) {
      case '-h': case '--help': help = true; break;
      case '--port': { const p = port(a, next()); if (typeof p === 'string') return p; opts.port = p; break; }
      case '--resolver-port': { const p = port(a, next()); if (typeof p === 'string') return p; opts.resolverPort = p; break; }
      case '--data-dir': { const d = next(); if (!d) return '--data-dir: expected a directory'; opts.dataDir = d; break; }
      case '--out': { const d = next(); if (!d) return '--out: expected a file path'; opts.caOut = d; break; }
      case '--pow-bits': {
        const b = next();
        if (!b || !/^\d{1,3}$/.test(b) || Number(b) > 256) return `--pow-bits: expected 0..256, got ${b ?? 'nothing'}`;
        opts.pow = { address: Number(b), organisation: Number(b) };
        break;
      }
      default: return `unknown argument: ${a}`;
    }
  }
  return { opts, help };
}

/**
 * `bm-conformance serve`: start, print, wait for SIGINT/SIGTERM, stop. Resolves with the exit
 * code (0 clean stop, 2 usage error, 1 start failure).
 */
export async function serveMain(argv: readonly string[], io: { out?: (s: string) => void; err?: (s: string) => void } = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s));
  const err = io.err ?? ((s: string) => process.stderr.write(s));
  const parsed = parseArgs(argv);
  if (typeof parsed === 'string') {
    err(`bm-conformance serve: ${parsed}\n\n${SERVE_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    out(SERVE_USAGE);
    return 0;
  }
  let ref: ReferenceHandle;
  try {
    ref = await startReference({ ...parsed.opts, log: (m) => err(`${m}\n`) });
  } catch (e) {
    err(`bm-conformance serve: could not start: ${(e as Error).message}\n`);
    return 1;
  }
  out(
    [
      `resolver:    ${ref.resolverUrl}`,
      `mail server: ${ref.mailUrl ?? '(not available)'}`,
      `ca:          ${ref.caPath}`,
      `routing id:  ${ref.routingId}`,
      `admin key:   ${ref.adminKey}`,
      ...(ref.dataDir ? [`data dir:    ${ref.dataDir}`] : []),
      '',
    ].join('\n'),
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
  err(`received ${signal}, stopping\n`);
  await ref.close();
  return 0;
}
