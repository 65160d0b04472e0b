/**
 * junit.xml writer (the JUnit XML dialect CI systems read: Jenkins, GitLab, GitHub test
 * reporters). One `<testsuite>` per profile; per test verdict:
 *
 * - `fail`, `xpass` → `<failure>` whose body is the message and the expected-vs-actual diff;
 * - `error` → `<error>` (the harness could not get an answer; kept apart from failures);
 * - `unsupported`, `xfail`, `out-of-scope` → `<skipped>` with the reason (pytest writes xfail the same way).
 *
 * Run metadata (seed, vector manifest hash, target identity, requirements passed / weak / failed
 * per level) goes in `<properties>`; trace and
 * replay command in `<system-out>`. All text goes through escapeXml, which also replaces the
 * code points XML 1.0 cannot carry at all (see _escape.ts).
 * @module
 */

import { diffText, hasComparison } from './_diff.ts';
import { escapeXml } from './_escape.ts';
import { LEVELS, runProperties, type RunResult, type TestResult } from './model.ts';

const seconds = (ms: number): string => (ms / 1000).toFixed(3);
const attr = (s: string): string => escapeXml(s, true);

function failureBody(t: TestResult): string {
  const parts: string[] = [];
  if (t.message !== undefined) parts.push(t.message);
  if (hasComparison(t)) parts.push(diffText(t.expected, t.actual));
  if (t.replay !== undefined) parts.push(`replay: ${t.replay}`);
  return parts.join('\n\n');
}

function testcase(t: TestResult): string {
  const open = `    <testcase name="${attr(t.name)}" classname="${attr(`${t.profile}.${t.area}`)}" time="${seconds(t.durationMs)}"`;
  const inner: string[] = [];
  const msg = t.message ?? '';
  switch (t.verdict) {
    case 'pass':
      break;
    case 'fail':
    case 'xpass':
      inner.push(`      <failure type="${t.verdict}" message="${attr(firstLine(msg) || t.verdict)}">${escapeXml(failureBody(t))}</failure>`);
      break;
    case 'error':
      inner.push(`      <error type="error" message="${attr(firstLine(msg) || 'error')}">${escapeXml(failureBody(t))}</error>`);
      break;
    case 'unsupported':
      inner.push(`      <skipped message="${attr(`unsupported${msg !== '' ? `: ${firstLine(msg)}` : ''}`)}"/>`);
      break;
    case 'out-of-scope':
      inner.push(`      <skipped message="${attr(`out of scope${t.scope !== undefined ? ` (${t.scope})` : ''}`)}"/>`);
      break;
    case 'xfail': {
      const e = t.expectation?.entry;
      const why = e !== undefined ? `${e.reason}${e.link !== undefined ? ` (${e.link})` : ''}` : msg;
      inner.push(`      <skipped message="${attr(`expected failure: ${why}`)}">${escapeXml(failureBody(t))}</skipped>`);
      break;
    }
  }
  const out: string[] = [];
  if (t.trace !== undefined) out.push(...t.trace);
  if (t.replay !== undefined && t.verdict === 'pass') out.push(`replay: ${t.replay}`);
  if (out.length > 0) inner.push(`      <system-out>${escapeXml(out.join('\n'))}</system-out>`);
  return inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n    </testcase>`;
}

function firstLine(s: string): string {
  return s.split('\n', 1)[0] ?? '';
}

function counts(tests: readonly TestResult[]): string {
  const c = { failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const t of tests) {
    if (t.verdict === 'fail' || t.verdict === 'xpass') c.failures++;
    else if (t.verdict === 'error') c.errors++;
    else if (t.verdict === 'unsupported' || t.verdict === 'xfail' || t.verdict === 'out-of-scope') c.skipped++;
    c.time += t.durationMs;
  }
  return `tests="${tests.length}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" time="${seconds(c.time)}"`;
}

/** Renders junit.xml for a run. */
export function reportJunit(r: RunResult): string {
  const byProfile = new Map<string, TestResult[]>();
  for (const p of r.meta.profiles) byProfile.set(p, []);
  for (const t of r.tests) {
    const list = byProfile.get(t.profile) ?? [];
    list.push(t);
    byProfile.set(t.profile, list);
  }
  // Requirement figures per level: JUnit has no requirement element, and a `weak` requirement
  // (tests pass, nothing shows they could fail) must not read as met in CI either.
  const levels = LEVELS.map((l): [string, string] => {
    const x = r.summary.requirements[l];
    return [`requirements.${l}`, `${x.passed} passed, ${x.weak} weak, ${x.failed} failed of ${x.total}`];
  });
  const props = [...runProperties(r), ...levels]
    .map(([k, v]) => `      <property name="${attr(k)}" value="${attr(v)}"/>`)
    .join('\n');
  const suites = [...byProfile].map(
    ([profile, tests]) =>
      `  <testsuite name="${attr(profile)}" ${counts(tests)} timestamp="${attr(r.meta.startedAt)}">\n` +
      `    <properties>\n${props}\n    </properties>\n` +
      tests.map(testcase).join('\n') +
      (tests.length > 0 ? '\n' : '') +
      '  </testsuite>',
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="bitmaelum conformance" ${counts(r.tests).replace(/ time="[^"]*"/, ` time="${seconds(r.meta.durationMs)}"`)}>\n` +
    suites.join('\n') +
    '\n</testsuites>\n'
  );
}
