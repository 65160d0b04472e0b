/**
 * vitest global set-up of the profile suites (vitest.suites.config.ts). Under `bm-conformance
 * run` the harness has opened the target and set BM_TARGET_KIND, and this does nothing. A
 * developer's `vitest run --config suites/vitest.suites.config.ts suites/server/…` has no target:
 * this opens the builtin one here, once, in vitest's main process, and the workers inherit its
 * BM_* environment — the same reference `bm-conformance run` gives them. It lives in the vitest
 * configuration, on top of the layers, because opening a target is the targets' job, which the
 * suites below them do not import.
 * @module
 */
import { openTarget } from '../harness/targets/index.ts';

export default async function openBuiltinForDeveloperRun(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.BM_TARGET_KIND !== undefined) return undefined;
  const opened = await openTarget({ kind: 'builtin' }, { seed: '', timeoutMs: 20_000, profiles: ['server'] });
  Object.assign(process.env, opened.env);
  return () => opened.close();
}
