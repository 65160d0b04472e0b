/**
 * The confidentiality check's public entry (issue 12 item 3): the canary scanner (scan.ts) and
 * the adapter sandbox whose leftovers it scans (sandbox.ts).
 * @module
 */
export { canaryNeedles, describeHit, MAX_DEPTH, scanBytes, tarFiles, type Hit, type Needle } from './scan.ts';
export { parseSandboxSpec, SANDBOX_ENV, startSandbox, type Leftovers, type Sandbox, type SandboxSpec } from './sandbox.ts';
