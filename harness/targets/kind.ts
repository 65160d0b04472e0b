/**
 * What a target kind is given and what it gives back (index.ts keeps the registry of kinds): a
 * module of its own so that each kind and the registry import it, not each other.
 * @module
 */
import type { TargetIdentity } from '../../reports/index.ts';
import type { RunProfile } from '../../suites/index.ts';

/** A target as the command line names it (`--target`, harness/run/options.ts `parseTarget`). */
export interface TargetSpec {
  kind: 'builtin' | 'url' | 'command' | 'image';
  /** url: mail server base URL; image: manifest path or image name; command: the command line. */
  value?: string;
  resolver?: string;
  ca?: string;
  /** url: the CA's private key (PEM file), for counterparties the target must trust. */
  caKey?: string;
  insecure?: boolean;
  adminKey?: string;
  /** url: optional features the server has switched on (`--features`, BM_FEATURES). */
  features?: string[];
}

export interface OpenTarget {
  /** Environment for the suite workers (BM_*). */
  env: Record<string, string>;
  identity: TargetIdentity;
  close(): Promise<void>;
  /** ms the target took to start and become ready (image targets). */
  startMs?: number;
  /** What the run should know about the target after the suites ran, asked before close(). */
  diagnostics?(): Promise<TargetDiagnostics>;
}

/** After-run facts about a target (an image target's container log and whether it died). */
export interface TargetDiagnostics {
  /** Trace lines added to every failing test (e.g. `container log: <file>`). */
  notes: string[];
  /** Set when the target went away during the run: failures become `error` with this reason. */
  died?: string;
  logFile?: string;
}

export interface OpenOptions {
  seed: string;
  timeoutMs: number;
  profiles: RunProfile[];
  /** Run id (labels the run's containers). */
  runId?: string;
  /** Report folder (container logs are written there). */
  out?: string;
}
