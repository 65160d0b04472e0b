/**
 * What proves that a test can fail (issue 10 item 3, DESIGN.md contract 7 "A requirement is met
 * only with evidence that could fail").
 *
 * A requirement whose tests all pass is reported met only when at least one of the passing tests
 * is evidence: a test that a trivial implementation — an adapter answering every op `ok` with
 * `{}`, one echoing its arguments plus `valid: true`, a server saying yes to everything — does
 * not pass. Otherwise the report says `weak` (reports/model.ts). Evidence is read from data,
 * never from the test's own say-so:
 *
 * - `negative-vector`: a vector case graded `invalid` (the target must refuse it);
 * - `known-answer`: a vector case graded valid or acceptable whose expected answer none of the
 *   trivial answers gives (`trivialAnswers`: `{}`, the inputs plus `valid: true`, the inputs
 *   plus `valid: false`) and that is not all zeros (a solver answering proof 0 whatever it is
 *   asked gives `{"proof": 0}`), so the target must compute it;
 * - `fault-switch`: a test that test/faults.test.ts has seen failing against the reference with a
 *   fault switch on (suites/requirements/faults.ts), a confidentiality test that
 *   test/confidentiality.test.ts sees failing with a fault switch of the reference adapter on
 *   (`ADAPTER_FAULT_PROOFS`), or a durability test of a requirement that
 *   test/durability.slow.test.ts sees failing under a crash fault (`CRASH_FAULT_PROOFS`);
 * - `hostile-target`: a test of a profile that the hostile corpus (test/hostile/) shows no trivial
 *   target passes at all (`HOSTILE_PROOFS`, each naming the test file that asserts it).
 *
 * `failProofs` (suites/requirements/coverage.ts) lists the same per requirement, for
 * `npm run requirements:coverage`; `failproof-gaps.json` holds the requirements for which no
 * such proof can exist, one reason each.
 * @module
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import { casesOf, readVectorFile, type VectorCase } from '../../vectors/index.ts';
import type { Evidence } from '../../reports/index.ts';
import { ADAPTER_FAULT_PROOFS, FAULT_PROOFS } from './faults.ts';

export { EVIDENCE_KINDS, type Evidence } from '../../reports/index.ts';

/** A profile-wide proof: a test file of the hostile corpus asserts that no test of these profiles passes against any trivial target. */
export interface HostileProof {
  profiles: readonly string[];
  /** Repository-relative path of the test that asserts it. */
  test: string;
  claim: string;
}

/**
 * Profiles whose every test the hostile corpus fails. The library profile is not one: its
 * vector cases are judged one by one (a trivial adapter can give a trivial expected answer).
 */
export const HOSTILE_PROOFS: readonly HostileProof[] = [
  {
    profiles: ['server', 'security', 'resolver'],
    test: 'test/hostile/hostile.slow.test.ts',
    claim: 'no test of these profiles passes against any hostile server (yes-man 200 {}, plausible echo, accept-then-silence, reset, garbage, GET / then hang)',
  },
  {
    profiles: ['client'],
    test: 'test/hostile-adapters.test.ts',
    claim: 'no client test passes against the ok-empty adapter, the echo-plus-valid adapter, or the echo shaped to every result schema',
  },
];

/**
 * Does `answer` hold every field of `expected` with the same value (as the judge compares an
 * `ok` result with a case's expected answer, harness/judge)? Integers compare by value whether
 * held as number or bigint.
 */
function givesExpected(expected: JsonValue, answer: JsonValue | undefined): boolean {
  if ((typeof expected === 'number' || typeof expected === 'bigint') && (typeof answer === 'number' || typeof answer === 'bigint')) {
    return Number.isInteger(Number(expected)) && Number.isInteger(Number(answer)) ? BigInt(expected) === BigInt(answer) : expected === answer;
  }
  if (expected === null || typeof expected !== 'object') return expected === answer;
  if (answer === null || typeof answer !== 'object' || Array.isArray(expected) !== Array.isArray(answer)) return false;
  if (Array.isArray(expected)) {
    const a = answer as JsonValue[];
    return a.length === expected.length && expected.every((e, i) => givesExpected(e, a[i]));
  }
  const a = answer as Record<string, JsonValue>;
  return Object.entries(expected).every(([k, v]) => givesExpected(v, a[k]));
}

/**
 * Crash faults of the reference (harness/reference/crashfaults.ts) that test/durability.slow.test.ts
 * proves make the durability test of a requirement fail. Keyed by requirement, as that test reads
 * the verdicts.
 */
export const CRASH_FAULT_PROOFS: readonly { fault: string; requirement: string }[] = [
  { fault: 'acknowledgeBeforeSync', requirement: 'BM-DUR-001' },
  { fault: 'dropLastBlockOnRestart', requirement: 'BM-DUR-002' },
];

/** Answers an adapter gives without implementing anything. */
export function trivialAnswers(inputs: Record<string, JsonValue>): Record<string, JsonValue>[] {
  return [{}, { ...inputs, valid: true }, { ...inputs, valid: false }];
}

/** The evidence a vector case gives when it passes, from its data alone (undefined: none). */
export function vectorCaseEvidence(c: Pick<VectorCase, 'result' | 'expected' | 'inputs'>): Evidence | undefined {
  if (c.result === 'invalid') return 'negative-vector';
  if (c.expected === undefined) return undefined;
  const expected = c.expected;
  if (allZero(expected)) return undefined;
  return trivialAnswers(c.inputs).some((a) => givesExpected(expected, a)) ? undefined : 'known-answer';
}

/** Is every leaf 0, "", false or null (an answer a constant, schema-shaped stub gives)? */
function allZero(v: JsonValue): boolean {
  if (v === null || v === 0 || v === 0n || v === '' || v === false) return true;
  if (Array.isArray(v)) return v.every(allZero);
  if (typeof v === 'object') return Object.values(v).every(allZero);
  return false;
}

/** Test name → the fault switches proven to make it fail. */
export function faultSwitchesByTest(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of [...FAULT_PROOFS, ...ADAPTER_FAULT_PROOFS]) for (const n of f.fails) out.set(n, [...(out.get(n) ?? []), `${f.section}.${f.name}`]);
  return out;
}

const caseCache = new Map<string, Map<string, VectorCase>>();

/** A published vector case by its repository-relative file path and tcId (undefined if absent). */
export function vectorCase(file: string, tcId: number | string): VectorCase | undefined {
  const path = file.replace(/^vectors\//, '');
  let byId = caseCache.get(path);
  if (byId === undefined) {
    byId = new Map();
    try {
      for (const c of casesOf(readVectorFile(path).json)) byId.set(String(c.tcId), c);
    } catch {
      // An unreadable file gives no evidence; the library suite reports the file itself.
    }
    caseCache.set(path, byId);
  }
  return byId.get(String(tcId));
}

/** What a test result says about itself, as far as evidence goes. */
export interface EvidenceSubject {
  name: string;
  profile: string;
  requirementIds?: readonly string[];
  vector?: { file: string; tcId: number | string };
}

/**
 * The evidence a test gives when it passes (undefined: none; a pass of it proves nothing a
 * trivial implementation could not also show).
 * @param root repository root, to see whether a hostile proof's test file exists
 */
export function testEvidence(t: EvidenceSubject, root: string, faults: Map<string, string[]> = faultSwitchesByTest()): Evidence | undefined {
  if (faults.has(t.name)) return 'fault-switch';
  if (t.profile === 'durability' && CRASH_FAULT_PROOFS.some((p) => t.requirementIds?.includes(p.requirement))) return 'fault-switch';
  if (t.vector !== undefined) {
    const c = vectorCase(t.vector.file, t.vector.tcId);
    return c === undefined ? undefined : vectorCaseEvidence(c);
  }
  return hostileProofOf(t.profile, root) !== undefined ? 'hostile-target' : undefined;
}

/** The hostile proof covering a profile, if its test file is in the repository. */
export function hostileProofOf(profile: string, root: string): HostileProof | undefined {
  return HOSTILE_PROOFS.find((p) => p.profiles.includes(profile) && exists(join(root, p.test)));
}

const seen = new Map<string, boolean>();

/** Does the file exist (asked once per path: a report asks for every test)? */
function exists(path: string): boolean {
  let known = seen.get(path);
  if (known === undefined) seen.set(path, (known = existsSync(path)));
  return known;
}
