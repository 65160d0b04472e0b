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
 * - image: a container image started from a target manifest (not available in this build).
 * @module
 */
import type { TargetIdentity } from '../../reports/model.ts';
import type { RunProfile, TargetSpec } from '../run/options.ts';
import { openBuiltin } from './builtin.ts';
import { openCommand } from './command.ts';
import { openUrl } from './url.ts';

export interface OpenTarget {
  /** Environment for the suite workers (BM_*). */
  env: Record<string, string>;
  identity: TargetIdentity;
  close(): Promise<void>;
}

export interface OpenOptions {
  seed: string;
  timeoutMs: number;
  profiles: RunProfile[];
}

export const TARGET_KINDS: Record<TargetSpec['kind'], (spec: TargetSpec, o: OpenOptions) => Promise<OpenTarget>> = {
  builtin: openBuiltin,
  url: openUrl,
  command: openCommand,
  image: async () => {
    throw new Error('image targets need the container support of a later build (see README "Testing your own server image")');
  },
};

export function openTarget(spec: TargetSpec, o: OpenOptions): Promise<OpenTarget> {
  return TARGET_KINDS[spec.kind](spec, o);
}
