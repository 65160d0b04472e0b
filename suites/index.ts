/**
 * The suites' one public entry: what the layers above (targets, run) may know of the suites. The
 * suites themselves run as vitest files, handed their target through BM_* environment variables
 * (suites/_support/target.ts); everything else in suites/_support is private to the suites.
 * @module
 */

/** The profiles a default run may select: one folder of suite files each (suites/<profile>/). */
export const ALL_PROFILES = ['library', 'server', 'resolver', 'client', 'interop', 'security'] as const;
/**
 * Profiles run only when `--profile` names them: durability kills the target on purpose and takes
 * minutes, so a default run (and a run of every profile) leaves it out.
 */
export const OPT_IN_PROFILES = ['durability'] as const;
export type RunProfile = (typeof ALL_PROFILES)[number] | (typeof OPT_IN_PROFILES)[number];

// What the run reads of the requirement registry: each test's evidence and fault switches.
export { faultSwitchesByTest, testEvidence } from './requirements/failproof.ts';

// The defaults of the BM_* contract between the run and the suite workers (_support/target.ts).
export { DEFAULT_SEED, DEFAULT_TIMEOUT_MS, FEATURE_RE } from './_support/target.ts';

// The adapter a suite drives, for `bm-conformance replay` of one vector case.
export { builtinAdapter, commandAdapter } from './_support/adapter.ts';

// The dead-target records the suite workers leave for the run (BM_LIVENESS_DIR).
export { LIVENESS_DIR_ENV, readDeadRecords, TargetDead, type DeadRecord } from './_support/deadtargets.ts';
// How a suite kills and restarts a target: the image target hands it BM_RESTART; the load
// command starts the same reference child process the durability profile does.
export { freePort, RESTART_ENV, startReferenceChild, type DockerRestartSpec } from './_support/restart.ts';
