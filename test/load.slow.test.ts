/**
 * `bm-conformance load`'s verdict is earned (harness/load/run.ts): against the reference — a
 * server in a child process and a peer for remote delivery, on the builtin target's resolver and
 * CA — 40 messages from 4 senders all arrive and the run passes; with a peer whose routing record
 * lacks its port (mail fault registerRoutingWithoutPort: the target dials 2424 and keeps the
 * relayed messages queued) the acknowledged remote messages never arrive and the run fails with
 * them counted lost, while local delivery still counts as delivered.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBuiltin } from '../harness/targets/builtin.ts';
import { startReferenceChild } from '../suites/index.ts';
import { loadCa, issueServerCert } from '../harness/reference/tls.ts';
import { startReference } from '../harness/reference/start.ts';
import { runLoad, type LoadTarget } from '../harness/load/run.ts';
import type { OpenTarget } from '../harness/targets/index.ts';

let builtin: OpenTarget;
let server: Awaited<ReturnType<typeof startReferenceChild>>;
let base: Omit<LoadTarget, 'peer'>;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  builtin = await openBuiltin({ kind: 'builtin' }, { seed: '', timeoutMs: 20_000, profiles: ['server'] });
  const e = builtin.env;
  server = await startReferenceChild({ resolverUrl: e.BM_RESOLVER_URL!, caFile: e.BM_CA_FILE!, caKeyFile: e.BM_CA_KEY_FILE! });
  base = { serverUrl: server.url, resolverUrl: e.BM_RESOLVER_URL!, caPem: readFileSync(e.BM_CA_FILE!, 'utf8'), adminKey: server.adminKey };
}, 60_000);

afterAll(async () => {
  for (const c of closers) await c().catch(() => undefined);
  await server?.close();
  await builtin?.close();
});

async function peer(faults: Record<string, boolean>): Promise<{ url: string; adminKey: string }> {
  const e = builtin.env;
  const ca = await loadCa(base.caPem, readFileSync(e.BM_CA_KEY_FILE!, 'utf8'));
  const ref = await startReference({ resolverUrl: base.resolverUrl, tls: await issueServerCert(ca), trustCa: { pem: base.caPem, path: e.BM_CA_FILE! }, mailOptions: { limits: { ticketPowBits: 8 }, faults } });
  closers.push(() => ref.close());
  return { url: ref.mailUrl!, adminKey: ref.adminKey };
}

describe('bm-conformance load against the reference', () => {
  it('passes: every acknowledged message arrives, local and remote, with no error', async () => {
    const r = await runLoad({ ...base, peer: await peer({}) }, { senders: 4, messages: 40 });
    expect(r.reasons).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.acknowledged).toBe(40);
    expect(r.delivery).toEqual({ local: 20, remote: 20 });
    expect(r.latency.p50).toBeGreaterThan(0);
  }, 120_000);

  it('fails when relayed messages never arrive: they are counted lost, the local ones are not', async () => {
    const r = await runLoad({ ...base, peer: await peer({ registerRoutingWithoutPort: true }) }, { senders: 4, messages: 20 });
    expect(r.ok).toBe(false);
    expect(r.acknowledged).toBe(20);
    expect(r.lost).toHaveLength(10);
    expect(r.lost.every((l) => l.includes('(remote)'))).toBe(true);
    expect(r.reasons).toEqual(['10 acknowledged messages lost']);
  }, 120_000);
});
