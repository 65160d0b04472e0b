/**
 * What counts as evidence that a passing test could have failed (suites/requirements/failproof.ts,
 * issue 10 item 3): read from the vector data, the fault proofs and the hostile proofs, never
 * from a test's own say-so.
 */
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './coverage.ts';
import { faultSwitchesByTest, HOSTILE_PROOFS, testEvidence, trivialAnswers, vectorCase, vectorCaseEvidence } from './failproof.ts';
import { FAULT_PROOFS } from './faults.ts';
import { loadRequirements } from './index.ts';

describe('evidence of a vector case', () => {
  it('an invalid case is a negative, whatever its expected answer', () => {
    expect(vectorCaseEvidence({ result: 'invalid', inputs: {}, expected: { valid: false } })).toBe('negative-vector');
    expect(vectorCaseEvidence({ result: 'invalid', inputs: {} })).toBe('negative-vector');
  });

  it('a valid or acceptable case is evidence only when no trivial answer gives its expected answer', () => {
    expect(vectorCaseEvidence({ result: 'valid', inputs: { header: {} }, expected: { valid: true } })).toBeUndefined();
    expect(vectorCaseEvidence({ result: 'acceptable', inputs: { bits: 8, data: 'x', proof: 0 }, expected: { valid: true } })).toBeUndefined();
    expect(vectorCaseEvidence({ result: 'valid', inputs: { bits: 8, data: 'x', proof: 0 }, expected: { valid: false } })).toBeUndefined();
    expect(vectorCaseEvidence({ result: 'valid', inputs: { data: 'x' }, expected: { data: 'x' } })).toBeUndefined();
    expect(vectorCaseEvidence({ result: 'valid', inputs: {}, expected: {} })).toBeUndefined();
    expect(vectorCaseEvidence({ result: 'valid', inputs: { phrase: 'a b' } })).toBeUndefined();
    expect(vectorCaseEvidence({ result: 'valid', inputs: { bits: 1, data: 'x' }, expected: { proof: 0 } })).toBeUndefined();
    expect(vectorCaseEvidence({ result: 'valid', inputs: { data: 'x' }, expected: { list: [], name: '', n: null } })).toBeUndefined();
    expect(vectorCaseEvidence({ result: 'valid', inputs: { data: 'x' }, expected: { hash: 'ab12' } })).toBe('known-answer');
    expect(vectorCaseEvidence({ result: 'acceptable', inputs: { n: 5 }, expected: { n: 6 } })).toBe('known-answer');
  });

  it('the trivial answers are the empty result and the inputs echoed with valid true or false', () => {
    expect(trivialAnswers({ a: 1 })).toEqual([{}, { a: 1, valid: true }, { a: 1, valid: false }]);
  });

  it('reads published cases by file and tcId', () => {
    const c = vectorCase('vectors/pow_proof_test.json', 1);
    expect(c?.caseId).toBe('pow_proof#1');
    expect(vectorCase('vectors/pow_proof_test.json', 999_999)).toBeUndefined();
    expect(vectorCase('vectors/no_such_test.json', 1)).toBeUndefined();
  });
});

describe('the fault proofs as data', () => {
  it('name each test as profile › area › requirement ids › case id, with ids the registry defines', () => {
    const ids = new Set(loadRequirements().requirements.map((r) => r.id));
    const bad = FAULT_PROOFS.flatMap((f) => f.fails.filter((n) => {
      const parts = n.split(' › ');
      return parts.length !== 4 || !['server', 'security', 'resolver', 'interop'].includes(parts[0]!) || !parts[2]!.split('+').every((id) => ids.has(id)) || !/^[a-z0-9#-]+$/.test(parts[3]!);
    }));
    expect(bad).toEqual([]);
    expect(new Set(FAULT_PROOFS.map((f) => `${f.section}.${f.name}`)).size).toBe(FAULT_PROOFS.length);
  });
});

describe('evidence of a test', () => {
  const faults = faultSwitchesByTest();

  it('a test a fault switch is proven to break is fault-switch evidence', () => {
    const name = FAULT_PROOFS[0]!.fails[0]!;
    expect(faults.get(name)).toContain(`${FAULT_PROOFS[0]!.section}.${FAULT_PROOFS[0]!.name}`);
    expect(testEvidence({ name, profile: name.split(' › ')[0]! }, REPO_ROOT, faults)).toBe('fault-switch');
  });

  it('a test of a profile the hostile corpus fails entirely is hostile-target evidence, if that corpus test exists', () => {
    for (const p of HOSTILE_PROOFS) {
      for (const profile of p.profiles) expect(testEvidence({ name: `${profile} › X › - › x`, profile }, REPO_ROOT, faults), `${profile} (${p.test})`).toBe('hostile-target');
      for (const profile of p.profiles) expect(testEvidence({ name: `${profile} › X › - › x`, profile }, '/nonexistent', faults)).toBeUndefined();
    }
  });

  it('a durability test of a requirement a crash fault is proven to break is fault-switch evidence; of another, none', () => {
    expect(testEvidence({ name: 'durability › DUR › BM-DUR-001 › x', profile: 'durability', requirementIds: ['BM-DUR-001'] }, REPO_ROOT, faults)).toBe('fault-switch');
    expect(testEvidence({ name: 'durability › DUR › BM-DUR-003 › x', profile: 'durability', requirementIds: ['BM-DUR-003'] }, REPO_ROOT, faults)).toBeUndefined();
  });

  it('a library test that is not a vector case, and an interop test no fault switch breaks, carry no evidence', () => {
    expect(testEvidence({ name: 'library › POW › BM-POW-001 › sweep', profile: 'library' }, REPO_ROOT, faults)).toBeUndefined();
    expect(testEvidence({ name: 'interop › X › - › x', profile: 'interop' }, REPO_ROOT, faults)).toBeUndefined();
  });

  it('a vector case test takes the evidence of its case', () => {
    const name = 'library › POW › BM-POW-001 › pow_proof#1';
    const c = vectorCase('vectors/pow_proof_test.json', 1)!;
    expect(testEvidence({ name, profile: 'library', vector: { file: 'vectors/pow_proof_test.json', tcId: 1 } }, REPO_ROOT, faults)).toBe(vectorCaseEvidence(c));
  });
});
