/**
 * Target kinds (DESIGN.md contract 4), a small registry: each kind turns a TargetSpec into the
 * environment the suites read (suites/_support/target.ts) and an identity for the report.
 *
 * - builtin: the reference implementation. The harness starts a reference mail server and key
 *   resolver on loopback with its own CA; the library and client profiles use the in-process
 *   reference adapter.
 * - url: a running mail server (and optionally its resolver) reached over HTTPS, trusting
 *   `--ca` (or `--insecure`, never the default); accounts are provisioned with `--admin-key`.
 * - command: an adapter executable (ADAPTER.md) spawned per suite file; its hello gives the
 *   implementation name and version for the report.
 * - image: a container image started with testcontainers from a target manifest (image.ts):
 *   host networking on loopback ports the harness picks, the harness's CA, certificate, routing
 *   key, admin key and key resolver handed in as files and template variables, a readiness probe
 *   with a bound, and removal after the run (also on failure and SIGINT). Mail server and
 *   resolver images are reached over HTTPS like `url`; a client image through
 *   `docker exec -i <container> <adapter command>`.
 * @module
 */
import type { TestResult } from '../../reports/index.ts';
import type { OpenOptions, OpenTarget, TargetDiagnostics, TargetSpec } from './kind.ts';
import { openBuiltin } from './builtin.ts';
import { openCommand } from './command.ts';
import { openImage } from './image.ts';
import { openUrl } from './url.ts';

export type { OpenOptions, OpenTarget, TargetDiagnostics, TargetSpec } from './kind.ts';
// What the run reads of a target manifest (`--target image:<manifest>`, the roles' profiles).
export { isManifestPath, loadManifest, profilesForRole } from './manifest.ts';

/**
 * Attach a target's diagnostics to the failing results: every `fail`/`error` gets the notes in
 * its trace, and when the target died during the run its failures become `error` ("could not
 * run": the answers were missing, not wrong), with the reason first in the message.
 */
export function annotateResults(tests: readonly TestResult[], d: TargetDiagnostics | undefined): TestResult[] {
  if (!d) return [...tests];
  return tests.map((t) => {
    if (t.verdict !== 'fail' && t.verdict !== 'error') return t;
    const out: TestResult = { ...t, trace: [...(t.trace ?? []), ...d.notes].slice(-40) };
    if (d.died) {
      out.verdict = 'error';
      out.message = `${d.died}; ${t.message ?? ''}`.slice(0, 4000);
    }
    return out;
  });
}

export const TARGET_KINDS: Record<TargetSpec['kind'], (spec: TargetSpec, o: OpenOptions) => Promise<OpenTarget>> = {
  builtin: openBuiltin,
  url: openUrl,
  command: openCommand,
  image: openImage,
};

export function openTarget(spec: TargetSpec, o: OpenOptions): Promise<OpenTarget> {
  return TARGET_KINDS[spec.kind](spec, o);
}
