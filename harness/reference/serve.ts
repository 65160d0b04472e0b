/**
 * `bm-conformance serve`: the command line of {@link startReference} (start.ts). Parses the
 * flags and the `--config FILE`, reads the files they name, starts the reference key resolver
 * and mail server, prints what a client needs, and stops on SIGINT/SIGTERM.
 *
 * Container mode (`bm-conformance serve` as an image entrypoint, DESIGN.md contract 4: "the
 * harness owns the counterparties … and its own TLS CA"): `--tls-cert/--tls-key` serve with the
 * harness's certificate, `--ca` trusts the harness CA for outgoing calls, `--resolver-url` uses
 * the harness's key resolver instead of starting one, `--routing-key` and `--admin-key` take the
 * identity the harness provisions with, `--config FILE` carries all of these as one JSON file the
 * harness renders from a template, and the last line on stdout, `ready: mail=… resolver=…`,
 * says the servers listen.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { formatPublicKey, parsePrivateKey, parsePublicKey, publicKeyOf } from '../protocol/keys.ts';
import { startReference, type ReferenceHandle, type ReferenceOptions } from './start.ts';
import { CRASH_FAULT_NAMES, dropLastBlock, mailDirOf, type CrashFaults } from './crashfaults.ts';

export const SERVE_USAGE = `usage: bm-conformance serve [--port N] [--resolver-port N] [--data-dir DIR] [--out CA.pem] [--pow-bits N] [--org-pow-bits N]
                            [--host H] [--tls-cert FILE --tls-key FILE] [--ca FILE] [--resolver-url URL]
                            [--routing-key FILE] [--admin-key KEY] [--no-mail] [--ticket-pow-bits N]
                            [--config FILE]

Start the reference key resolver and mail server on 127.0.0.1 over HTTPS and print their URLs,
the CA certificate path, the mail server's routing id and an admin API key, then one line
"ready: mail=<url|-> resolver=<url>". Stops on SIGINT/SIGTERM.

  --port N            mail server port (default: any free port)
  --resolver-port N   key resolver port (default: any free port)
  --data-dir DIR      keep state (records, mail, CA, routing key) in DIR across restarts
  --out FILE          write the CA certificate (PEM) to FILE
  --pow-bits N        minimum proof-of-work bits for addresses and organisations (default 20)
  --org-pow-bits N    a different minimum for organisations (default: --pow-bits), so a client
                      can tell which minimum a "too weak" answer names (BM-RES-036)
  --webhooks          serve the webhook routes and post their events (Go's webhooks.enabled;
                      default off, as in Go)

When a harness owns TLS and the key resolver (a container entrypoint, DESIGN.md contract 4):
  --host H            address the key resolver binds (default 127.0.0.1)
  --tls-cert FILE     serve with this certificate chain (PEM) instead of one from our own CA
  --tls-key FILE      its private key (PEM); both or neither
  --ca FILE           trust this CA (PEM) for outgoing calls (the resolver, peer servers);
                      with --tls-cert, the CA that signed it (the mail server calls its resolver)
  --resolver-url URL  use this key resolver instead of starting one
  --routing-key FILE  routing key pair JSON {"privateKey":"ed25519 …","publicKey":"ed25519 …"}
  --admin-key KEY     management API key (BMK-…) accepted on /admin/*
  --no-mail           start the key resolver only
  --ticket-pow-bits N proof-of-work bits for remote senders' tickets (default 25, as Go)
  --config FILE       JSON config with any of: host, port, resolverPort, resolverUrl, tlsCert,
                      tlsKey, ca, routingKey (file or key pair object), adminKey, powBits, orgPowBits,
                      ticketPowBits, dataDir, mail, webhooks (booleans), storageFaults (crash
                      defects for fault proofs: {"acknowledgeBeforeSync":true} or
                      {"dropLastBlockOnRestart":true}). Paths are relative to the config file;
                      flags given on the command line win.
`;

/** What `--config FILE` may hold (all optional); flags win over it. */
export interface ServeConfig {
  host?: string;
  port?: number;
  resolverPort?: number;
  resolverUrl?: string;
  tlsCert?: string;
  tlsKey?: string;
  ca?: string;
  routingKey?: string | { privateKey: string; publicKey: string };
  adminKey?: string;
  powBits?: number;
  /** Organisation minimum when it differs from `powBits` (Go's lambda resolver has two; default `powBits`). */
  orgPowBits?: number;
  /** Proof-of-work bits the mail server demands for tickets of remote senders (default 25, Go's). */
  ticketPowBits?: number;
  dataDir?: string;
  mail?: boolean;
  /** Webhook routes and dispatching on the mail server (default false, as Go). */
  webhooks?: boolean;
  /** Crash defects for the durability profile's fault proofs (crashfaults.ts); never on by default. */
  storageFaults?: Partial<CrashFaults>;
}

/** Parsed command line: ReferenceOptions fields plus the files still to be read. */
interface ServeArgs {
  help: boolean;
  flags: ServeConfig & { caOut?: string };
  config?: string;
}

function checkPort(name: string, v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535) return `${name}: expected a port 0..65535, got ${JSON.stringify(v) ?? 'nothing'}`;
  return undefined;
}

function checkPow(name: string, v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 256) return `${name}: expected 0..256, got ${JSON.stringify(v) ?? 'nothing'}`;
  return undefined;
}

function checkUrl(name: string, v: unknown): string | undefined {
  try {
    const u = new URL(String(v));
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return `${name}: expected an http(s) URL, got ${String(v)}`;
  } catch {
    return `${name}: not a URL: ${JSON.stringify(v)}`;
  }
  return undefined;
}

function parseArgs(argv: readonly string[]): ServeArgs | string {
  const flags: ServeArgs['flags'] = {};
  let help = false;
  let config: string | undefined;
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
    const str = (what: string): string | { error: string } => {
      const x = next();
      return x ? x : { error: `${a}: expected ${what}` };
    };
    switch (a) {
      case '-h': case '--help': help = true; break;
      case '--port': { const p = port(a, next()); if (typeof p === 'string') return p; flags.port = p; break; }
      case '--resolver-port': { const p = port(a, next()); if (typeof p === 'string') return p; flags.resolverPort = p; break; }
      case '--pow-bits': {
        const b = next();
        if (!b || !/^\d{1,3}$/.test(b) || Number(b) > 256) return `--pow-bits: expected 0..256, got ${b ?? 'nothing'}`;
        flags.powBits = Number(b);
        break;
      }
      case '--org-pow-bits': {
        const b = next();
        if (!b || !/^\d{1,3}$/.test(b) || Number(b) > 256) return `--org-pow-bits: expected 0..256, got ${b ?? 'nothing'}`;
        flags.orgPowBits = Number(b);
        break;
      }
      case '--no-mail': flags.mail = false; break;
      case '--webhooks': flags.webhooks = true; break;
      case '--ticket-pow-bits': {
        const b = next();
        if (!b || !/^\d{1,3}$/.test(b) || Number(b) > 256) return `--ticket-pow-bits: expected 0..256, got ${b ?? 'nothing'}`;
        flags.ticketPowBits = Number(b);
        break;
      }
      case '--data-dir': case '--out': case '--host': case '--tls-cert': case '--tls-key': case '--ca':
      case '--resolver-url': case '--routing-key': case '--admin-key': case '--config': {
        const what = a === '--data-dir' ? 'a directory' : a === '--host' ? 'an address' : a === '--resolver-url' ? 'a URL' : a === '--admin-key' ? 'a key' : 'a file path';
        const x = str(what);
        if (typeof x !== 'string') return x.error;
        if (a === '--data-dir') flags.dataDir = x;
        else if (a === '--out') flags.caOut = x;
        else if (a === '--host') flags.host = x;
        else if (a === '--tls-cert') flags.tlsCert = x;
        else if (a === '--tls-key') flags.tlsKey = x;
        else if (a === '--ca') flags.ca = x;
        else if (a === '--resolver-url') { const e = checkUrl(a, x); if (e) return e; flags.resolverUrl = x; }
        else if (a === '--routing-key') flags.routingKey = x;
        else if (a === '--admin-key') flags.adminKey = x;
        else config = x;
        break;
      }
      default: return `unknown argument: ${a}`;
    }
  }
  return { help, flags, config };
}

const CONFIG_KEYS: Record<keyof ServeConfig, (v: unknown) => string | undefined> = {
  host: (v) => (typeof v === 'string' && v !== '' ? undefined : 'host: expected a non-empty string'),
  port: (v) => checkPort('port', v),
  resolverPort: (v) => checkPort('resolverPort', v),
  resolverUrl: (v) => (typeof v === 'string' ? checkUrl('resolverUrl', v) : 'resolverUrl: expected a URL string'),
  tlsCert: (v) => (typeof v === 'string' && v !== '' ? undefined : 'tlsCert: expected a file path'),
  tlsKey: (v) => (typeof v === 'string' && v !== '' ? undefined : 'tlsKey: expected a file path'),
  ca: (v) => (typeof v === 'string' && v !== '' ? undefined : 'ca: expected a file path'),
  routingKey: (v) =>
    (typeof v === 'string' && v !== '') ||
    (typeof v === 'object' && v !== null && typeof (v as Record<string, unknown>).privateKey === 'string' && typeof (v as Record<string, unknown>).publicKey === 'string')
      ? undefined
      : 'routingKey: expected a file path or {"privateKey","publicKey"}',
  adminKey: (v) => (typeof v === 'string' && v !== '' ? undefined : 'adminKey: expected a string'),
  powBits: (v) => checkPow('powBits', v),
  orgPowBits: (v) => checkPow('orgPowBits', v),
  ticketPowBits: (v) => checkPow('ticketPowBits', v),
  dataDir: (v) => (typeof v === 'string' && v !== '' ? undefined : 'dataDir: expected a directory'),
  mail: (v) => (typeof v === 'boolean' ? undefined : 'mail: expected true or false'),
  webhooks: (v) => (typeof v === 'boolean' ? undefined : 'webhooks: expected true or false'),
  storageFaults: (v) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.entries(v).every(([k, b]) => (CRASH_FAULT_NAMES as readonly string[]).includes(k) && typeof b === 'boolean')
      ? undefined
      : `storageFaults: expected an object of booleans with keys from ${CRASH_FAULT_NAMES.join(', ')}`,
};

/**
 * Read and check a `--config` file: a JSON object whose keys are those of {@link ServeConfig};
 * relative paths in it are made relative to the file's folder.
 * @returns the config, or an error sentence naming the field
 */
export async function readServeConfig(path: string): Promise<ServeConfig | string> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    return `--config ${path}: ${(e as Error).message}`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `--config ${path}: expected a JSON object`;
  const out: Record<string, unknown> = {};
  const base = dirname(resolvePath(path));
  for (const [k, v] of Object.entries(raw)) {
    if (!Object.hasOwn(CONFIG_KEYS, k)) return `--config ${path}: unknown key ${JSON.stringify(k)} (known: ${Object.keys(CONFIG_KEYS).join(', ')})`;
    const e = CONFIG_KEYS[k as keyof ServeConfig](v);
    if (e) return `--config ${path}: ${e}`;
    const isPath = k === 'tlsCert' || k === 'tlsKey' || k === 'ca' || k === 'dataDir' || (k === 'routingKey' && typeof v === 'string');
    out[k] = isPath ? resolvePath(base, v as string) : v;
  }
  return out as ServeConfig;
}

/** Turn flags + config into ReferenceOptions, reading the files they name. */
async function toReferenceOptions(c: ServeConfig & { caOut?: string }): Promise<ReferenceOptions | string> {
  const opts: ReferenceOptions = {};
  if (c.port !== undefined) opts.port = c.port;
  if (c.resolverPort !== undefined) opts.resolverPort = c.resolverPort;
  if (c.dataDir !== undefined) opts.dataDir = c.dataDir;
  if (c.caOut !== undefined) opts.caOut = c.caOut;
  if (c.powBits !== undefined || c.orgPowBits !== undefined) {
    const address = c.powBits ?? 20;
    opts.pow = { address, organisation: c.orgPowBits ?? address };
  }
  if (c.ticketPowBits !== undefined) opts.mailOptions = { ...(opts.mailOptions ?? {}), limits: { ticketPowBits: c.ticketPowBits } };
  if (c.webhooks !== undefined) opts.mailOptions = { ...(opts.mailOptions ?? {}), webhooks: c.webhooks };
  if (c.storageFaults?.acknowledgeBeforeSync) opts.mailOptions = { ...(opts.mailOptions ?? {}), storageFaults: { acknowledgeBeforeSync: true } };
  if (c.host !== undefined) opts.host = c.host;
  if (c.mail !== undefined) opts.mail = c.mail;
  if (c.resolverUrl !== undefined) opts.resolverUrl = c.resolverUrl;
  if (c.adminKey !== undefined) {
    if (!/^BMK-[A-Za-z0-9]{1,128}$/.test(c.adminKey)) return `admin key: expected BMK- and letters/digits, got ${JSON.stringify(c.adminKey)}`;
    opts.adminKey = c.adminKey;
  }
  const read = async (what: string, file: string): Promise<string | { error: string }> => {
    try {
      return await readFile(file, 'utf8');
    } catch (e) {
      return { error: `${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
  };
  if ((c.tlsCert === undefined) !== (c.tlsKey === undefined)) return '--tls-cert and --tls-key go together';
  if (c.tlsCert !== undefined && c.tlsKey !== undefined) {
    const cert = await read('--tls-cert', c.tlsCert);
    if (typeof cert !== 'string') return cert.error;
    const key = await read('--tls-key', c.tlsKey);
    if (typeof key !== 'string') return key.error;
    if (!cert.includes('-----BEGIN CERTIFICATE-----')) return `--tls-cert ${c.tlsCert}: no PEM certificate`;
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) return `--tls-key ${c.tlsKey}: no PEM private key`;
    opts.tls = { cert, key };
  }
  if (c.ca !== undefined) {
    const pem = await read('--ca', c.ca);
    if (typeof pem !== 'string') return pem.error;
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) return `--ca ${c.ca}: no PEM certificate`;
    opts.trustCa = { pem, path: resolvePath(c.ca) };
  }
  if (c.routingKey !== undefined) {
    let pair: unknown = c.routingKey;
    if (typeof c.routingKey === 'string') {
      const text = await read('--routing-key', c.routingKey);
      if (typeof text !== 'string') return text.error;
      try {
        pair = JSON.parse(text);
      } catch (e) {
        return `--routing-key ${c.routingKey}: ${(e as Error).message}`;
      }
    }
    const p = pair as { privateKey?: unknown; publicKey?: unknown };
    if (typeof p?.privateKey !== 'string' || typeof p.publicKey !== 'string') return 'routing key: expected {"privateKey":"ed25519 …","publicKey":"ed25519 …"}';
    try {
      const pub = parsePublicKey(p.publicKey);
      if (pub.type !== 'ed25519') return 'routing key: must be ed25519';
      if (formatPublicKey(publicKeyOf(parsePrivateKey(p.privateKey))) !== formatPublicKey(pub)) return 'routing key: privateKey and publicKey do not belong together';
    } catch (e) {
      return `routing key: ${(e as Error).message}`;
    }
    opts.routingKey = { privateKey: p.privateKey, publicKey: p.publicKey };
  }
  return opts;
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
  let merged: ServeConfig & { caOut?: string } = parsed.flags;
  if (parsed.config !== undefined) {
    const cfg = await readServeConfig(parsed.config);
    if (typeof cfg === 'string') {
      err(`bm-conformance serve: ${cfg}\n`);
      return 2;
    }
    merged = { ...cfg, ...parsed.flags };
  }
  const opts = await toReferenceOptions(merged);
  if (typeof opts === 'string') {
    err(`bm-conformance serve: ${opts}\n`);
    return 2;
  }
  let ref: ReferenceHandle;
  try {
    if (merged.storageFaults?.dropLastBlockOnRestart && opts.dataDir) {
      const dropped = await dropLastBlock(mailDirOf(opts.dataDir));
      if (dropped) err(`fault dropLastBlockOnRestart: deleted block ${dropped}\n`);
    }
    ref = await startReference({ ...opts, log: (m) => err(`${m}\n`) });
  } catch (e) {
    err(`bm-conformance serve: could not start: ${(e as Error).message}\n`);
    return 1;
  }
  out(
    [
      `resolver:    ${ref.resolverUrl}`,
      `mail server: ${ref.mailUrl ?? '(not available)'}`,
      `ca:          ${ref.caPath || '(given by the harness: none)'}`,
      `routing id:  ${ref.routingId}`,
      `admin key:   ${ref.adminKey}`,
      ...(ref.dataDir ? [`data dir:    ${ref.dataDir}`] : []),
      // Readiness line (last, one line): a container harness may wait for /^ready: / in the log.
      `ready: mail=${ref.mailUrl ?? '-'} resolver=${ref.resolverUrl}`,
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
