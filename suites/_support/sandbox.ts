/**
 * The adapter of the confidentiality check (suites/client/confidentiality.test.ts), started in
 * a sandbox whose leftovers can be read (harness/confidentiality/sandbox.ts):
 * - an image target hands its client image's way in as `BM_ADAPTER_SANDBOX` (JSON): the
 *   container the adapter is `docker exec`ed into, or the image it is `docker run` from;
 * - a command target (`BM_ADAPTER_CMD`) runs as a child process in a fresh folder;
 * - with neither, the builtin reference adapter runs the same way, as `bm-conformance adapter`
 *   (the in-process adapter of the other client tests has no log or files of its own to check).
 * @module
 */
import { fileURLToPath } from 'node:url';
import { parseSandboxSpec, SANDBOX_ENV, type SandboxSpec } from '../../harness/confidentiality/index.ts';

const BIN = fileURLToPath(new URL('../../bin/bm-conformance.mjs', import.meta.url));

/** Where this run's adapter is started for the confidentiality check, and a label for messages. */
export function sandboxSpec(): { spec: SandboxSpec; description: string } {
  const sandbox = process.env[SANDBOX_ENV];
  if (sandbox) {
    const spec = parseSandboxSpec(sandbox);
    return { spec, description: spec.kind === 'docker-exec' ? `docker exec into ${spec.container}` : spec.kind === 'docker-run' ? `docker run ${spec.image}` : spec.argv.join(' ') };
  }
  const cmd = process.env.BM_ADAPTER_CMD;
  if (cmd) return { spec: { kind: 'process', argv: ['sh', '-c', cmd] }, description: cmd };
  const argv = [process.execPath, BIN, 'adapter'];
  return { spec: { kind: 'process', argv }, description: `builtin (${argv.join(' ')})` };
}
