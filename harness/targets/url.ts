/**
 * `url` target: a running mail server (and optionally its key resolver) over HTTPS. The harness
 * trusts the CA file given with `--ca`; `--insecure` turns verification off and must be asked
 * for. Accounts are provisioned through the management API with `--admin-key`. The harness first
 * checks the server answers `GET /` so an unreachable target is one clear error. `--features`
 * declares the optional features the server has on (BM_FEATURES, e.g. `webhooks`).
 * @module
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import type { OpenOptions, OpenTarget, TargetSpec } from './kind.ts';

export async function openUrl(spec: TargetSpec, o: OpenOptions): Promise<OpenTarget> {
  const url = spec.value!.replace(/\/+$/, '');
  const ca = spec.ca ? readFileSync(spec.ca, 'utf8') : undefined;
  const agent = new Agent({ connect: spec.insecure ? { rejectUnauthorized: false } : ca ? { ca } : {}, connectTimeout: Math.min(o.timeoutMs, 10_000) });
  try {
    const r = await request(`${url}/`, { dispatcher: agent, headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs });
    await r.body.text();
  } catch (e) {
    throw new Error(`the target server at ${url} does not answer GET /: ${(e as Error).message}${!spec.ca && !spec.insecure ? ' (a self-signed server needs --ca FILE)' : ''}`);
  } finally {
    await agent.close();
  }
  const env: Record<string, string> = { BM_TARGET_KIND: 'url', BM_SERVER_URL: url };
  if (spec.resolver) env.BM_RESOLVER_URL = spec.resolver.replace(/\/+$/, '');
  if (spec.ca) env.BM_CA_FILE = spec.ca;
  if (spec.caKey) env.BM_CA_KEY_FILE = spec.caKey;
  if (spec.insecure) env.BM_INSECURE = '1';
  if (spec.adminKey) env.BM_ADMIN_KEY = spec.adminKey;
  // What the server has switched on is the operator's to say (`--features`): nothing is probed.
  if (spec.features?.length) env.BM_FEATURES = spec.features.join(',');
  return { env, identity: { kind: 'url', url }, close: async () => {} };
}
