/**
 * A synthetic run result with every verdict kind and hostile strings, shared by the report
 * writer tests, the headless-browser test and the expectations test (harness/expectations.test.ts);
 * test data, not a report of a real run.
 * @module
 */

import { buildRunResult, testName, type RequirementInfo, type RunMeta, type RunResult, type TestResult } from './model.ts';

/** Text a target could send back: markup, quotes, control characters, line separators, a lone surrogate. */
export const HOSTILE = `<script>alert("x")</script> & 'q' "dq" \u0000\u0007\u001b[31m \u2028\u2029 \uD800 ]]> \`\`\`| <!-- --> <img src=x onerror=alert(1)>`;

export const FIXTURE_REGISTRY: RequirementInfo[] = [
  { id: 'BM-ADR-001', level: 'MUST', text: 'An address MUST be normalised before hashing.', source: 'formats.md §2.2; go: pkg/address/address.go:88' },
  { id: 'BM-HDR-001', level: 'MUST', text: 'A header MUST carry a catalog checksum.', source: 'formats.md §4.2' },
  { id: 'BM-HDR-002', level: 'MUST', text: 'The client signature MUST verify.' },
  { id: 'BM-SRV-001', level: 'MUST', text: 'DELETE of a box MUST succeed.' },
  { id: 'BM-SRV-002', level: 'SHOULD', text: 'Errors SHOULD be one JSON object.' },
  { id: 'BM-RES-001', level: 'MUST', text: 'The resolver MUST answer 404 for a missing record.' },
  { id: 'BM-VLT-001', level: 'MAY', text: 'A vault MAY be v1.' },
  { id: 'BM-KEY-009', level: 'MUST', text: `An untested requirement ${HOSTILE}` },
];

export const FIXTURE_META: RunMeta = {
  tool: { name: 'bm-conformance', version: '0.1.0', node: 'v20.20.0' },
  runId: '6f1c1d9e-3b1a-4c55-9a53-5d2a8f0e7b11',
  startedAt: '2026-11-27T09:00:00.000Z',
  finishedAt: '2026-11-27T09:00:12.345Z',
  durationMs: 12345,
  command: ['bm-conformance', 'run', '--target', 'image', '--image', 'ghcr.io/example/bitmaelum:latest'],
  profiles: ['library', 'server', 'resolver'],
  seed: '00112233445566778899aabbccddeeff',
  host: 'linux-x64',
  vectors: { manifestPath: 'vectors/manifest.json', manifestSha256: 'a'.repeat(64), requirementsSha256: 'd'.repeat(64) },
  target: {
    kind: 'image',
    image: 'ghcr.io/example/bitmaelum:latest',
    imageDigest: `sha256:${'b'.repeat(64)}`,
    url: 'https://127.0.0.1:2424',
    implementation: { name: 'go-bitmaelum-suite', version: '95952d1', language: 'go' },
  },
  expectationsFile: { path: 'implementations/go-bitmaelum-suite-95952d1/expectations.json', sha256: 'c'.repeat(64) },
};

function t(profile: TestResult['profile'], area: string, ids: string[], caseId: string, rest: Partial<TestResult> & Pick<TestResult, 'verdict'>): TestResult {
  return { name: testName(profile, area, ids, caseId), profile, area, caseId, requirementIds: ids, durationMs: 7, ...rest };
}

export const FIXTURE_TESTS: TestResult[] = [
  t('library', 'address', ['BM-ADR-001'], 'normalise-1', { verdict: 'pass', durationMs: 3, evidence: 'known-answer' }),
  t('library', 'header', ['BM-HDR-001'], 'tc1', { verdict: 'pass', replay: 'npx bm-conformance run --profile library -t tc1' }),
  t('library', 'header', ['BM-HDR-002'], 'tc2', {
    verdict: 'fail',
    message: 'client signature did not verify',
    expected: { valid: true, header: { from: { address: 'alice!' }, catalog: { checksum: 'abc' } } },
    actual: { valid: false, header: { from: { address: 'alice!' }, catalog: { checksum: 'abd' } } },
    vector: { file: 'vectors/header_signature_test.json', sha256: 'e'.repeat(64), tcId: 2, result: 'valid', flags: ['ClientSignature'] },
    trace: ['> {"id":1,"op":"verify"}', '< {"id":1,"result":{"valid":false}}'],
    replay: `npx bm-conformance run --seed 00112233445566778899aabbccddeeff -t 'library › header › BM-HDR-002 › tc2'`,
  }),
  t('server', 'box', ['BM-SRV-001'], 'delete-box', {
    verdict: 'xfail',
    message: 'status 405',
    expected: 200,
    actual: 405,
    expectation: { index: 0, entry: { requirement: 'BM-SRV-001', reason: 'route regex never matches (api.md §8.1)', link: 'spec/api.md §8' }, originalVerdict: 'fail' },
  }),
  t('server', 'errors', ['BM-SRV-002'], 'double-json', {
    verdict: 'xpass',
    message: 'known failure now passes: remove it from the expectations file',
    expectation: { index: 1, entry: { test: 'server › errors › *', reason: 'two JSON objects' }, originalVerdict: 'pass' },
  }),
  t('resolver', 'record', ['BM-RES-001'], 'delete-missing', { verdict: 'error', message: `timeout after 5000 ms; target said ${HOSTILE}`, trace: [HOSTILE, 'second line'] }),
  t('library', 'vault', ['BM-VLT-001'], 'v1', { verdict: 'unsupported', message: 'adapter: vault.open unsupported' }),
  t('library', 'hostile', ['BM-HDR-001'], 'evil', {
    verdict: 'fail',
    message: HOSTILE,
    expected: HOSTILE,
    actual: `${HOSTILE}!`,
    trace: [HOSTILE],
    replay: `echo '${HOSTILE}'`,
  }),
];

/**
 * The synthetic run result. Counts: 8 tests — pass 2, fail 2, error 1, unsupported 1, xfail 1,
 * xpass 1; MUST requirements 6 (1 passed, 2 failed, 1 errored, 1 xfailed, 1 untested).
 */
export function fixtureResult(): RunResult {
  return buildRunResult({
    meta: structuredClone(FIXTURE_META),
    tests: structuredClone(FIXTURE_TESTS),
    registry: FIXTURE_REGISTRY,
    expectationProblems: [
      { index: 1, entry: { test: 'server › errors › *', reason: 'two JSON objects' }, problem: 'xpass' },
      { index: 2, entry: { test: HOSTILE, reason: 'hostile pattern' }, problem: 'unmatched' },
    ],
    warnings: [{ kind: 'unmatched-expectation', message: `entry #2 (test "${HOSTILE}") matches no test` }],
  });
}
