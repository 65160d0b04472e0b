/**
 * report.json writer: the RunResult mapped onto schemas/report_schema_v1.json (DESIGN.md
 * contract 6), 2-space indented. This file is the one tools should read; report.md and
 * report.html are views that also show registry text.
 *
 * The in-memory model (model.ts) keeps a few things the schema does not carry: each test's area
 * and case id (both are parts of its stable name), the registry text/source of each
 * requirement, the list of test names per requirement, and prose warnings. Everything else maps
 * one to one (camelCase → snake_case). A test with a comparison and a non-pass verdict also gets
 * the `diff` text the other writers show.
 * @module
 */

import { jsonText } from '../harness/protocol/gojson.ts';
import { diffText, hasComparison } from './_diff.ts';
import { REPORT_SCHEMA_NAME, type RunResult, type TestResult, type VerdictCounts } from './model.ts';

type Json = Record<string, unknown>;

function put(o: Json, key: string, v: unknown): void {
  if (v !== undefined) o[key] = v;
}

function testDoc(t: TestResult): Json {
  const o: Json = { name: t.name, profile: t.profile, requirements: t.requirementIds };
  put(o, 'title', t.title);
  put(o, 'scope', t.scope);
  if (t.vector !== undefined) {
    const v: Json = { file: t.vector.file };
    put(v, 'sha256', t.vector.sha256);
    v.tcId = t.vector.tcId;
    v.result = t.vector.result;
    put(v, 'flags', t.vector.flags);
    o.vector = v;
  }
  o.verdict = t.verdict;
  o.duration_ms = t.durationMs;
  put(o, 'expected', t.expected);
  put(o, 'actual', t.actual);
  put(o, 'message', t.message);
  if (t.verdict !== 'pass' && hasComparison(t)) o.diff = diffText(t.expected, t.actual);
  put(o, 'trace', t.trace);
  put(o, 'replay', t.replay);
  put(o, 'expectation', t.expectation?.entry);
  put(o, 'evidence', t.evidence);
  return o;
}

/** The report.json document (a plain object conforming to report_schema_v1.json). */
export function reportDocument(r: RunResult): Json {
  const m = r.meta;
  const run: Json = {
    id: m.runId,
    started_at: m.startedAt,
    finished_at: m.finishedAt,
    duration_ms: Math.round(m.durationMs),
    command: m.command,
    profiles: m.profiles,
    seed: m.seed,
  };
  put(run, 'filter', m.filter);
  put(run, 'host', m.host);
  put(run, 'config', m.config);
  const target: Json = { kind: m.target.kind };
  put(target, 'url', m.target.url);
  put(target, 'image', m.target.image);
  put(target, 'image_digest', m.target.imageDigest);
  put(target, 'command', m.target.command);
  put(target, 'implementation', m.target.implementation);
  put(target, 'expectations', m.expectationsFiles !== undefined && m.expectationsFiles.length > 1 ? m.expectationsFiles : m.expectationsFile);
  const v = r.summary.verdicts;
  return {
    schema: REPORT_SCHEMA_NAME,
    tool: { name: m.tool.name, version: m.tool.version, node: m.tool.node },
    run,
    target,
    vectors: { manifest_path: m.vectors.manifestPath, manifest_sha256: m.vectors.manifestSha256, requirements_sha256: m.vectors.requirementsSha256 },
    summary: {
      total: r.summary.tests,
      pass: v.pass,
      fail: v.fail,
      error: v.error,
      unsupported: v.unsupported,
      xfail: v.xfail,
      xpass: v.xpass,
      out_of_scope: v['out-of-scope'],
      ok: r.summary.ok,
      requirements_total: r.requirements.length,
      requirements_untested: r.untested.length,
    },
    tests: r.tests.map(testDoc),
    requirements: r.requirements.map((q) => {
      const o: Json = { id: q.id, level: q.level, verdict: q.verdict, evidenced: q.evidenced, counts: snakeCounts(q.counts) };
      put(o, 'go_conforms', q.goConforms);
      return o;
    }),
    untested: r.untested,
    expectations: r.expectationProblems.map((p) => ({ entry: p.entry, problem: p.problem, ...(p.file !== undefined ? { file: p.file } : {}) })),
    ...(r.scope !== undefined
      ? {
          scope: {
            units: r.scope.units.map((u) => ({ unit: u.unit, in_scope: u.inScope, tests: u.tests, counts: snakeCounts(u.counts), requirements_left_untested: u.requirementsLeftUntested })),
            ...(r.scope.profilesOutOfScope !== undefined ? { profiles_out_of_scope: r.scope.profilesOutOfScope } : {}),
            ...(r.scope.strict ? { strict: true } : {}),
          },
        }
      : {}),
  };
}

/** Verdict counts with JSON keys (`out-of-scope` → `out_of_scope`). */
function snakeCounts(c: VerdictCounts): Json {
  return Object.fromEntries(Object.entries(c).map(([k, n]) => [k.replace(/-/g, '_'), n]));
}

/**
 * Serialises a run result as report.json. A bigint inside an expected/actual value (not JSON) is
 * written as its decimal string rather than throwing, so a report is always written.
 */
export function reportJson(r: RunResult): string {
  return `${jsonText(reportDocument(r), 2)}\n`;
}
