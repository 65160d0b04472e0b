/**
 * `command` target: an adapter executable. The harness checks it answers hello before any
 * suite runs (so a broken adapter is one clear error, not hundreds), then hands the command
 * line to the suites, which spawn one adapter per suite file.
 * @module
 */
import { AdapterClient } from '../adapter/index.ts';
import type { OpenOptions, OpenTarget, TargetSpec } from './kind.ts';

export async function openCommand(spec: TargetSpec, o: OpenOptions): Promise<OpenTarget> {
  const cmd = spec.value!;
  const client = await AdapterClient.start({ command: 'sh', args: ['-c', cmd], requestTimeoutMs: o.timeoutMs });
  const info = client.info!;
  await client.stop().catch(() => client.kill());
  return {
    env: { BM_TARGET_KIND: 'command', BM_ADAPTER_CMD: cmd },
    identity: { kind: 'command', command: ['sh', '-c', cmd], implementation: info.implementation },
    close: async () => {},
  };
}
