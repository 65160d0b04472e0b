/**
 * report.html writer: one self-contained page (inline CSS and JS, no external asset, no network;
 * a Content-Security-Policy of `default-src 'none'` makes the browser refuse any fetch).
 *
 * Everything is rendered on the server side into HTML, escaped by escapeHtml, so the page reads
 * the same with scripts off; the inline script only adds filters (verdict checkboxes, text
 * search, "expand failures"). Tests are `<details>` rows, failing ones first: clicking a row shows
 * the message, the expected-vs-actual diff, both values, the trace and the replay command.
 * No untrusted text is ever placed inside the `<script>` element.
 * @module
 */

import { diffValues, hasComparison, renderValue, truncate } from './_diff.ts';
import { escapeHtml as h } from './_escape.ts';
import { compareRuns, type Change, type Comparable } from './compare.ts';
import { LEVELS, VERDICTS, VERDICT_MEANING, requirementLine, runProperties, scopeHeadline, verdictLine, type RequirementVerdict, type RunResult, type TestResult, type Verdict } from './model.ts';

/** Longest value / trace shown on the page; report.json keeps all of it. */
const SHOW_MAX = 20_000;

/** Display order of test rows: what needs attention first. */
const ORDER: Record<Verdict, number> = { fail: 0, xpass: 1, error: 2, xfail: 3, unsupported: 4, pass: 5, 'out-of-scope': 6 };

const CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--error:#bc4c00;--unsupported:#6e7781;--xfail:#9a6700;--xpass:#a40e26;--untested:#8c959f;--weak:#bf8700;--out-of-scope:#afb8c1;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--code:#f6f8fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:0;color:var(--fg);background:var(--bg)}
main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0}h3{font-size:15px;margin:16px 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
.result{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:600}
.result.ok{background:var(--pass)}.result.notok{background:var(--fail)}
table{border-collapse:collapse;width:100%}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
th{background:var(--code)}td.num{text-align:right;font-variant-numeric:tabular-nums}
.meta td:first-child{white-space:nowrap;color:var(--muted);width:1%}.meta td{word-break:break-all}
#run-details{margin:12px 0}#run-details>summary{cursor:pointer;color:var(--muted)}
.cards{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0 16px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px;border-top:4px solid var(--c)}
.card .n{display:block;font-size:24px;font-weight:600;color:var(--c)}.card .label{color:var(--muted)}
.v{display:inline-block;min-width:86px;text-align:center;border-radius:3px;color:#fff;font-size:12px;font-weight:600;padding:0 6px;background:var(--c)}
.v-pass{--c:var(--pass)}.v-fail{--c:var(--fail)}.v-error{--c:var(--error)}.v-unsupported{--c:var(--unsupported)}.v-xfail{--c:var(--xfail)}.v-xpass{--c:var(--xpass)}.v-untested{--c:var(--untested)}.v-out-of-scope{--c:var(--out-of-scope)}.v-weak{--c:var(--weak)}
.filters{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0;padding:8px;background:var(--code);border-radius:6px}
.filters input[type=search]{min-width:280px;padding:4px 6px}
details.test{border:1px solid var(--line);border-left:4px solid var(--c);border-radius:4px;margin:4px 0}
details.test>summary{cursor:pointer;padding:4px 8px;display:flex;gap:8px;align-items:baseline}
details.test>summary .name{flex:1;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
details.test>summary .dur{color:var(--muted);font-size:12px}
details.test>summary .title{display:block;font-family:inherit;color:var(--fg);word-break:normal}
details.group>summary .name{font-family:inherit}details.group .body details.test{margin-left:8px}
.body{padding:4px 12px 12px;border-top:1px solid var(--line)}
.body dt{font-weight:600;margin-top:8px}.body dd{margin:2px 0 0}
pre{background:var(--code);padding:8px;overflow:auto;max-height:480px;margin:4px 0;white-space:pre-wrap;word-break:break-all;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.diff .del{background:#ffebe9;color:#82071e;display:block}.diff .add{background:#dafbe1;color:#116329;display:block}.diff .ctx{display:block}.diff .skip{display:block;color:var(--muted);font-style:italic}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.hidden{display:none!important}.muted{color:var(--muted)}
footer{margin-top:32px;color:var(--muted);font-size:12px}
`;

// Filters only: reads data-* attributes and toggles the .hidden class; never reads report text into HTML.
const JS = `
(function(){
  var boxes=[].slice.call(document.querySelectorAll('#filters input[data-verdict]'));
  var search=document.getElementById('search');
  var rows=[].slice.call(document.querySelectorAll('#tests details.test'));
  var reqs=[].slice.call(document.querySelectorAll('#requirements tbody tr'));
  var shown=document.getElementById('shown');
  function apply(){
    var on={};boxes.forEach(function(b){on[b.getAttribute('data-verdict')]=b.checked;});
    var q=(search.value||'').toLowerCase();var n=0;
    rows.forEach(function(r){
      var ok=on[r.getAttribute('data-verdict')]&&(q===''||r.getAttribute('data-search').indexOf(q)>=0);
      r.classList.toggle('hidden',!ok);if(ok&&!r.classList.contains('group'))n++;
    });
    reqs.forEach(function(r){r.classList.toggle('hidden',!(q===''||r.getAttribute('data-search').indexOf(q)>=0));});
    shown.textContent=String(n);
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  search.addEventListener('input',apply);
  document.getElementById('only-failing').addEventListener('click',function(){
    boxes.forEach(function(b){var v=b.getAttribute('data-verdict');b.checked=(v==='fail'||v==='xpass'||v==='error');});apply();
  });
  document.getElementById('show-all').addEventListener('click',function(){boxes.forEach(function(b){b.checked=true;});search.value='';apply();});
  document.getElementById('expand-failing').addEventListener('click',function(){
    rows.forEach(function(r){var v=r.getAttribute('data-verdict');if(v==='fail'||v==='xpass'||v==='error')r.open=true;});
  });
  if(location.hash){var t=document.getElementById(decodeURIComponent(location.hash.slice(1)));if(t&&t.tagName==='DETAILS')t.open=true;}
  apply();
})();
`;

function badge(v: RequirementVerdict): string {
  return `<span class="v v-${v}">${v}</span>`;
}

function diffHtml(t: TestResult): string {
  const lines = diffValues(t.expected, t.actual).map((l) => {
    const text = h(truncate(l.text, SHOW_MAX));
    switch (l.op) {
      case '-': return `<span class="del">-${text}</span>`;
      case '+': return `<span class="add">+${text}</span>`;
      case '…': return `<span class="skip">… ${text}</span>`;
      default: return `<span class="ctx"> ${text}</span>`;
    }
  });
  return `<pre class="diff" data-role="diff"><span class="del">--- expected</span><span class="add">+++ actual</span>${lines.join('')}</pre>`;
}

function testRow(t: TestResult, i: number): string {
  const items: string[] = [];
  items.push(`<dt>requirements</dt><dd>${t.requirementIds.map((id) => `<a href="#req-${h(id)}">${h(id)}</a>`).join(', ') || '—'}</dd>`);
  items.push(`<dt>id</dt><dd><code>${h(t.name)}</code></dd>`);
  items.push(`<dt>case</dt><dd><code>${h(t.caseId)}</code> · ${h(t.profile)} › ${h(t.area)}</dd>`);
  if (t.evidence !== undefined) items.push(`<dt>evidence</dt><dd>${h(t.evidence)}</dd>`);
  if (t.expectation !== undefined) {
    const e = t.expectation.entry;
    items.push(
      `<dt>expectation</dt><dd>entry #${t.expectation.index}: ${h(e.reason)}${e.link !== undefined ? ` — ${h(e.link)}` : ''}${e.expires !== undefined ? ` (expires ${h(e.expires)})` : ''}; verdict before: ${t.expectation.originalVerdict}</dd>`,
    );
  }
  if (t.message !== undefined) items.push(`<dt>message</dt><dd><pre data-role="message">${h(truncate(t.message, SHOW_MAX))}</pre></dd>`);
  if (hasComparison(t)) {
    items.push(`<dt>expected vs actual</dt><dd>${diffHtml(t)}</dd>`);
    items.push(
      `<dt>values</dt><dd><div class="pair"><div><div class="muted">expected</div><pre data-role="expected">${h(truncate(renderValue(t.expected), SHOW_MAX))}</pre></div>` +
        `<div><div class="muted">actual</div><pre data-role="actual">${h(truncate(renderValue(t.actual), SHOW_MAX))}</pre></div></div></dd>`,
    );
  }
  if (t.vector !== undefined) {
    const v = t.vector;
    items.push(`<dt>vector</dt><dd><code>${h(v.file)}#${h(String(v.tcId))}</code> · ${h(v.result)}${v.flags !== undefined && v.flags.length > 0 ? ` · flags: ${v.flags.map(h).join(', ')}` : ''}</dd>`);
  }
  if (t.trace !== undefined) items.push(`<dt>trace</dt><dd><pre data-role="trace">${h(truncate(t.trace.join('\n'), SHOW_MAX))}</pre></dd>`);
  if (t.replay !== undefined) items.push(`<dt>replay</dt><dd><pre data-role="replay">${h(t.replay)}</pre></dd>`);
  // Bounded: a multi-megabyte message must not be copied into an attribute.
  const search = [t.name, t.title ?? '', t.verdict, (t.message ?? '').slice(0, 2000)].join(' ').toLowerCase();
  return (
    `<details class="test v-${t.verdict}" id="test-${i}" data-verdict="${t.verdict}" data-search="${h(search)}">` +
    `<summary>${badge(t.verdict)}<span class="name">${t.title !== undefined ? `<span class="title">${h(t.title)}</span>` : ''}${h(t.name)}</span><span class="dur">${t.durationMs} ms</span></summary>` +
    `<div class="body"><dl>${items.join('')}</dl></div></details>`
  );
}

/** The unit an out-of-scope or unsupported test is grouped under: its scope unit (op), else its profile and area. */
function groupOf(t: TestResult): string {
  return t.scope ?? `${t.profile} › ${t.area}`;
}

/**
 * Out-of-scope and unsupported tests, one expandable row per verdict and op (or profile and
 * area), holding the tests themselves: a partial implementation's report is not a wall of rows.
 */
function groupedRows(tests: readonly { t: TestResult; i: number }[]): string {
  const groups = new Map<string, { verdict: Verdict; unit: string; rows: { t: TestResult; i: number }[] }>();
  for (const x of tests) {
    const key = `${x.t.verdict}\u0000${groupOf(x.t)}`;
    const g = groups.get(key) ?? { verdict: x.t.verdict, unit: groupOf(x.t), rows: [] };
    g.rows.push(x);
    groups.set(key, g);
  }
  return [...groups.values()]
    .map(
      (g) =>
        `<details class="test group v-${g.verdict}" data-verdict="${g.verdict}" data-group="${h(g.unit)}" data-search="${h(`${g.unit} ${g.verdict} ${g.rows.map(({ t }) => t.name).join(' ')}`.slice(0, 20_000).toLowerCase())}">` +
        `<summary>${badge(g.verdict)}<span class="name">${h(g.unit)}: ${g.rows.length} test${g.rows.length === 1 ? '' : 's'}</span></summary>` +
        `<div class="body">${g.rows.map(({ t, i }) => testRow(t, i)).join('\n')}</div></details>`,
    )
    .join('\n');
}

/** The scope section: units in scope and out of it, and what the latter leave untested. */
function scopeSection(r: RunResult): string {
  const sc = r.scope;
  if (sc === undefined) return '';
  const headline = scopeHeadline(r);
  // In-scope units first: what the target declared, then what it left out.
  const rows = [...sc.units.filter((u) => u.inScope), ...sc.units.filter((u) => !u.inScope)]
    .map(
      (u) =>
        `<tr data-unit="${h(u.unit)}" data-in-scope="${u.inScope}"><td><code>${h(u.unit)}</code></td><td>${u.inScope ? 'in scope' : badge('out-of-scope')}</td><td class="num">${u.tests}</td>` +
        `<td class="num">${u.counts.pass}</td><td class="num">${u.counts.fail + u.counts.xpass}</td><td class="num">${u.counts.error}</td><td class="num">${u.counts.unsupported}</td>` +
        `<td>${u.requirementsLeftUntested.map((id) => `<a href="#req-${h(id)}">${h(id)}</a>`).join(', ')}</td></tr>`,
    )
    .join('');
  const profiles = sc.profilesOutOfScope !== undefined ? `<p>Profiles out of scope (the target does not serve them): ${sc.profilesOutOfScope.map(h).join(', ')}</p>` : '';
  const strict = sc.strict ? '<p>--strict-scope: tests outside the declared scope count as unsupported.</p>' : '';
  return `<section id="scope"><h2>Scope</h2>${headline !== undefined ? `<p id="scope-headline">${h(headline)}</p>` : ''}${profiles}${strict}` +
    `<table id="scope-units"><thead><tr><th>unit</th><th>scope</th><th>tests</th><th>pass</th><th>fail</th><th>error</th><th>unsupported</th><th>requirements it leaves untested</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** A run to compare with (`run --baseline FILE`): its report.json, and what to call it. */
export interface Baseline extends Comparable {
  label: string;
}

function changeList(title: string, list: readonly Change[], id: string): string {
  if (list.length === 0) return '';
  const item = (c: Change) =>
    `<li><code>${h(c.name)}</code> ${c.before !== undefined ? badge(c.before as RequirementVerdict) : '<span class="muted">new</span>'} → ${c.after !== undefined ? badge(c.after as RequirementVerdict) : '<span class="muted">removed</span>'}</li>`;
  return `<h3>${h(title)} (${list.length})</h3><ul data-change="${id}">${list.map(item).join('')}</ul>`;
}

/** The "changes since" section: the same comparison `bm-conformance diff` prints (reports/compare.ts). */
function baselineSection(r: RunResult, base: Baseline): string {
  const c = compareRuns(base, r);
  const t = c.tests;
  const q = c.requirements;
  const lists = [
    changeList('Tests newly failing', t.newlyFailing, 'tests-newly-failing'),
    changeList('Requirements newly failing', q.newlyFailing, 'requirements-newly-failing'),
    changeList('Requirements no longer met', q.noLongerMet, 'requirements-no-longer-met'),
    changeList('Tests newly passing', t.newlyPassing, 'tests-newly-passing'),
    changeList('Requirements newly passing', q.newlyPassing, 'requirements-newly-passing'),
    changeList('Tests with another verdict change', t.changed, 'tests-changed'),
    changeList('Requirements with another verdict change', q.changed, 'requirements-changed'),
    changeList('Tests added', t.added, 'tests-added'),
    changeList('Tests removed', t.removed, 'tests-removed'),
  ].join('');
  const verdict = c.regressions > 0 ? `<span class="result notok">${c.regressions} regression${c.regressions === 1 ? '' : 's'}</span>` : '<span class="result ok">no regression</span>';
  return `<section id="baseline"><h2>Changes since ${h(base.label)}</h2><p>${verdict}</p>${lists || '<p class="muted">No test or requirement changed its verdict.</p>'}</section>`;
}

/**
 * Renders the self-contained report.html for a run; with a baseline, a section of what changed
 * since that run follows the summary.
 */
export function reportHtml(r: RunResult, opts: { baseline?: Baseline } = {}): string {
  const s = r.summary;
  const failed = s.verdicts.fail + s.verdicts.xpass;
  const collapsed = (v: Verdict) => v === 'out-of-scope' || v === 'unsupported';
  const cards = [
    `<div class="card" style="--c:var(--fg)" data-count="total"><span class="n">${s.tests}</span><span class="label">tests</span></div>`,
    ...VERDICTS.map((v) => `<div class="card v-${v}" data-count="${v}"><span class="n">${s.verdicts[v]}</span><span class="label">${v}</span></div>`),
  ].join('');
  const levelRows = LEVELS.map((l) => {
    const x = s.requirements[l];
    return `<tr data-level="${l}"><th>${l}</th>${[x.total, x.passed, x.weak, x.failed, x.errored, x.xfailed, x.unsupported, x.outOfScope, x.untested].map((n) => `<td class="num">${n}</td>`).join('')}</tr>`;
  }).join('');
  const meta = [
    ['started', r.meta.startedAt],
    ['finished', r.meta.finishedAt],
    ['duration', `${(r.meta.durationMs / 1000).toFixed(1)} s`],
    ['profiles', r.meta.profiles.join(', ')],
    ...runProperties(r),
  ]
    .map(([k, v]) => `<tr><td>${h(k!)}</td><td>${h(v!)}</td></tr>`)
    .join('');
  const indexed = r.tests.map((t, i) => ({ t, i }));
  indexed.sort((a, b) => ORDER[a.t.verdict] - ORDER[b.t.verdict] || a.i - b.i);
  const filters = VERDICTS.map(
    (v) => `<label><input type="checkbox" data-verdict="${v}" checked> ${badge(v)} ${s.verdicts[v]}</label>`,
  ).join('');
  const reqRows = r.requirements
    .map(
      (q) =>
        `<tr id="req-${h(q.id)}" data-verdict="${q.verdict}" data-search="${h([q.id, q.level, q.verdict, q.text ?? ''].join(' ').toLowerCase())}">` +
        `<td><code>${h(q.id)}</code></td><td>${q.level}</td><td>${badge(q.verdict)}</td><td class="num">${q.tests.length}</td>` +
        `<td>${h(q.text ?? '')}${q.source !== undefined ? `<div class="muted">${h(q.source)}</div>` : ''}</td></tr>`,
    )
    .join('');
  const warnings =
    r.warnings.length === 0 ? '' : `<h2>Warnings (${r.warnings.length})</h2><ul id="warnings">${r.warnings.map((w) => `<li><b>${h(w.kind)}</b>: ${h(w.message)}</li>`).join('')}</ul>`;
  const untested =
    r.untested.length === 0
      ? ''
      : `<h2>Requirements with no test (${r.untested.length})</h2><table id="untested"><thead><tr><th>id</th><th>level</th><th>why</th></tr></thead><tbody>${r.untested
          .map((u) => `<tr><td><code>${h(u.id)}</code></td><td>${u.level}</td><td>${h(u.reason)}</td></tr>`)
          .join('')}</tbody></table>`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<title>BitMaelum conformance report — ${s.ok ? 'PASS' : 'FAIL'}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>BitMaelum conformance report <span id="result" class="result ${s.ok ? 'ok' : 'notok'}">${s.ok ? 'PASS' : 'FAIL'}</span></h1>
<p class="muted" id="headline">${s.tests} tests: ${h(verdictLine(s.verdicts))}${scopeHeadline(r) !== undefined ? ` · ${h(scopeHeadline(r)!)}` : ''}</p>
<p class="muted" id="requirement-headline">${LEVELS.map((l) => h(requirementLine(l, s.requirements[l]))).join(' · ')}</p>
<div class="cards" id="summary">${cards}</div>
<table id="levels"><thead><tr><th>level</th><th>requirements</th><th>pass</th><th title="${h(VERDICT_MEANING.weak)}">weak</th><th>fail</th><th>error</th><th>xfail</th><th>unsupported</th><th>out of scope</th><th>untested</th></tr></thead><tbody>${levelRows}</tbody></table>
<details id="run-details"><summary>Run: ${h(r.meta.target.kind)} target${r.meta.target.implementation !== undefined ? ` ${h(r.meta.target.implementation.name)} ${h(r.meta.target.implementation.version)}` : ''} · seed ${h(r.meta.seed)} · ${h(r.meta.startedAt)}</summary>
<table class="meta" id="run">${meta}</table></details>
${opts.baseline !== undefined ? baselineSection(r, opts.baseline) : ''}
${scopeSection(r)}
<h2>Tests (<span id="shown">${s.tests}</span> shown)</h2>
<div class="filters" id="filters">${filters}
<input type="search" id="search" placeholder="filter by name, requirement id, message" aria-label="filter tests">
<button type="button" id="only-failing">only failing</button><button type="button" id="show-all">show all</button><button type="button" id="expand-failing">expand failing</button></div>
<div id="tests">${indexed.filter(({ t }) => !collapsed(t.verdict)).map(({ t, i }) => testRow(t, i)).join('\n')}
${groupedRows(indexed.filter(({ t }) => collapsed(t.verdict)))}</div>
<h2>Requirements (${r.requirements.length})</h2>
<table id="requirements"><thead><tr><th>id</th><th>level</th><th>verdict</th><th>tests</th><th>requirement</th></tr></thead><tbody>${reqRows}</tbody></table>
${untested}
${warnings}
<footer>${h(r.meta.tool.name)} ${h(r.meta.tool.version)} · report schema v${r.schemaVersion} · the full data is in report.json</footer>
</main>
<script>${JS}</script>
</body>
</html>
`;
}
