/**
 * `builtin` target: the reference mail server and key resolver on loopback (harness/reference),
 * with a per-run CA; the library and client profiles use the in-process reference adapter.
 *
 * The harness owns the run's CA (DESIGN.md contract 4: "the harness owns … its own TLS CA"): it
 * issues the reference servers' certificate and hands the suites the CA certificate
 * (`BM_CA_FILE`) and its private key (`BM_CA_KEY_FILE`), so a suite can start a counterparty —
 * a reference peer mail server (suites/_support/peer.ts) — whose certificate the target trusts.
 * Both files live in a temporary folder removed when the target closes.
 *
 * The reference mail server runs with webhooks on (Go's default config has them off), and the
 * suites learn it from `BM_FEATURES=webhooks`, so the webhook tests run against the reference.
 *
 * Environment read here (by the harness process, not the suites):
 *
 * | variable              | meaning                                                                 |
 * |-----------------------|-------------------------------------------------------------------------|
 * | `BM_REFERENCE_FAULTS` | JSON `{"mail":{<switch>:true,…},"resolver":{<switch>:true,…}}`: start the reference with these fault switches on (harness/reference/mailserver/options.ts `Faults`, harness/reference/resolver/server.ts `ResolverFaults`). Used by test/faults.test.ts to prove that each switch makes exactly its conformance tests fail. Unset = a conforming reference. |
 * @module
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenOptions, OpenTarget, TargetSpec } from './kind.ts';
import { referenceImplementation } from '../adapter/index.ts';

/** Optional features the builtin reference mail server runs with (BM_FEATURES for the suites). */
export const BUILTIN_FEATURES: readonly string[] = ['webhooks'];

/** Fault switches for the builtin reference, parsed from `BM_REFERENCE_FAULTS`. */
export interface ReferenceFaults {
  mail: Record<string, boolean>;
  resolver: Record<string, boolean>;
}

/**
 * Parse and check `BM_REFERENCE_FAULTS` (see the module doc).
 * @throws Error naming the bad part: not JSON, unknown section, unknown switch, non-boolean value
 */
export async function referenceFaults(text: string | undefined = process.env.BM_REFERENCE_FAULTS): Promise<ReferenceFaults> {
  const out: ReferenceFaults = { mail: {}, resolver: {} };
  if (text === undefined || text.trim() === '') return out;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`BM_REFERENCE_FAULTS: not JSON: ${(e as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('BM_REFERENCE_FAULTS: expected {"mail":{…},"resolver":{…}}');
  const { NO_FAULTS, NO_RESOLVER_FAULTS } = await import('../reference/index.ts');
  const known: Record<keyof ReferenceFaults, readonly string[]> = { mail: Object.keys(NO_FAULTS), resolver: Object.keys(NO_RESOLVER_FAULTS) };
  for (const [section, switches] of Object.entries(raw as Record<string, unknown>)) {
    if (section !== 'mail' && section !== 'resolver') throw new Error(`BM_REFERENCE_FAULTS: unknown section ${JSON.stringify(section)} (known: mail, resolver)`);
    if (typeof switches !== 'object' || switches === null || Array.isArray(switches)) throw new Error(`BM_REFERENCE_FAULTS.${section}: expected an object of switches`);
    for (const [name, on] of Object.entries(switches as Record<string, unknown>)) {
      if (!known[section].includes(name)) throw new Error(`BM_REFERENCE_FAULTS.${section}: unknown switch ${JSON.stringify(name)} (known: ${known[section].join(', ')})`);
      if (typeof on !== 'boolean') throw new Error(`BM_REFERENCE_FAULTS.${section}.${name}: expected true or false`);
      out[section][name] = on;
    }
  }
  return out;
}

export async function openBuiltin(_spec: TargetSpec, o: OpenOptions): Promise<OpenTarget> {
  const needsServers = o.profiles.some((p) => p !== 'library' && p !== 'client');
  const env: Record<string, string> = { BM_TARGET_KIND: 'builtin' };
  let close = async () => {};
  if (needsServers) {
    const faults = await referenceFaults();
    const { startReference, createCa, issueServerCert } = await import('../reference/index.ts');
    // The run's CA: its certificate and key go to the suites (BM_CA_FILE, BM_CA_KEY_FILE).
    const dir = await mkdtemp(join(tmpdir(), 'bm-builtin-'));
    const ca = await createCa();
    const caPath = join(dir, 'ca.pem');
    const caKeyPath = join(dir, 'ca-key.pem');
    await writeFile(caPath, ca.cert, { mode: 0o644 });
    await writeFile(caKeyPath, ca.key, { mode: 0o600 });
    const leaf = await issueServerCert(ca);
    let ref;
    try {
      // Low proof-of-work minimums keep account creation and tickets fast; the suites still
      // check that the server refuses proofs below its minimum. The two resolver minimums
      // differ so that BM-RES-036 (which minimum the organisation error names) can be observed.
      ref = await startReference({
        pow: { address: 8, organisation: 9 },
        tls: { cert: leaf.cert, key: leaf.key },
        trustCa: { pem: ca.cert, path: caPath },
        // Webhooks on (Go's default is off): the builtin target is where the webhook tests run
        // against the reference; it declares them in BM_FEATURES.
        mailOptions: { limits: { ticketPowBits: 8 }, faults: faults.mail, webhooks: true },
        resolver: { faults: faults.resolver },
      });
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    if (!ref.mailUrl) {
      await ref.close();
      await rm(dir, { recursive: true, force: true });
      throw new Error('the reference mail server did not start');
    }
    Object.assign(env, {
      BM_SERVER_URL: ref.mailUrl,
      BM_RESOLVER_URL: ref.resolverUrl,
      BM_CA_FILE: caPath,
      BM_CA_KEY_FILE: caKeyPath,
      BM_ADMIN_KEY: ref.adminKey,
      BM_ROUTING_ID: ref.routingId,
      BM_FEATURES: BUILTIN_FEATURES.join(','),
    });
    const r = ref;
    close = async () => {
      await r.close();
      await rm(dir, { recursive: true, force: true });
    };
  }
  return {
    env,
    identity: { kind: 'builtin', url: env.BM_SERVER_URL, implementation: referenceImplementation() },
    close,
  };
}
