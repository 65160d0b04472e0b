/**
 * `builtin` target: the reference mail server and key resolver on loopback (harness/reference),
 * with a per-run CA; the library and client profiles use the in-process reference adapter.
 * @module
 */
import type { TargetSpec } from '../run/options.ts';
import type { OpenOptions, OpenTarget } from './index.ts';

export async function openBuiltin(_spec: TargetSpec, o: OpenOptions): Promise<OpenTarget> {
  const needsServers = o.profiles.some((p) => p !== 'library' && p !== 'client');
  const env: Record<string, string> = { BM_TARGET_KIND: 'builtin' };
  let close = async () => {};
  if (needsServers) {
    const { startReference } = await import('../reference/serve.ts');
    // Low proof-of-work minimums keep account creation fast; the suites still check that the
    // server refuses proofs below its minimum.
    const ref = await startReference({ pow: { address: 8, organisation: 8 }, mailOptions: { powBits: 8 } });
    if (!ref.mailUrl) {
      await ref.close();
      throw new Error('the reference mail server did not start');
    }
    Object.assign(env, {
      BM_SERVER_URL: ref.mailUrl,
      BM_RESOLVER_URL: ref.resolverUrl,
      BM_CA_FILE: ref.caPath,
      BM_ADMIN_KEY: ref.adminKey,
      BM_ROUTING_ID: ref.routingId,
    });
    close = () => ref.close();
  }
  return {
    env,
    identity: { kind: 'builtin', url: env.BM_SERVER_URL, implementation: { name: 'bitmaelum-conformance-reference', version: '0.1.0', language: 'typescript' } },
    close,
  };
}
