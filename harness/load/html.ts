/**
 * load.html and load.md of a load run (harness/load): the figures, the verdict, and two charts
 * drawn as inline SVG — a histogram of send latency and acknowledged messages per second over
 * the run. One self-contained file: no script, no stylesheet or font from elsewhere.
 * @module
 */
import { escapeHtml } from '../../reports/index.ts';
import { latencyHistogram, throughputPerSecond } from './stats.ts';
import type { LoadResult } from './run.ts';

const W = 640;
const H = 220;
const PAD = { left: 48, right: 12, top: 12, bottom: 36 };

/** Bars of `values` with x labels; `id` names the chart for readers and tests. */
function barChart(id: string, title: string, values: readonly number[], xLabel: (i: number) => string, xAxis: string, yAxis: string): string {
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const max = Math.max(1, ...values);
  const bw = values.length > 0 ? innerW / values.length : innerW;
  const bars = values
    .map((v, i) => {
      const h = (v / max) * innerH;
      return `<rect class="bar" x="${(PAD.left + i * bw + 1).toFixed(1)}" y="${(PAD.top + innerH - h).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${h.toFixed(1)}" data-value="${v}"><title>${escapeHtml(`${xLabel(i)}: ${v}`)}</title></rect>`;
    })
    .join('');
  const every = Math.max(1, Math.ceil(values.length / 8));
  const ticks = values
    .map((_, i) => (i % every === 0 ? `<text x="${(PAD.left + i * bw + bw / 2).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${escapeHtml(xLabel(i))}</text>` : ''))
    .join('');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption><svg id="${id}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">
<line x1="${PAD.left}" y1="${PAD.top + innerH}" x2="${W - PAD.right}" y2="${PAD.top + innerH}" stroke="#888"/>
<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + innerH}" stroke="#888"/>
<text x="${PAD.left - 6}" y="${PAD.top + 10}" text-anchor="end">${max}</text><text x="${PAD.left - 6}" y="${PAD.top + innerH}" text-anchor="end">0</text>
${bars}${ticks}
<text x="${PAD.left + innerW / 2}" y="${H - 4}" text-anchor="middle">${escapeHtml(xAxis)}</text>
<text x="12" y="${PAD.top + innerH / 2}" text-anchor="middle" transform="rotate(-90 12 ${PAD.top + innerH / 2})">${escapeHtml(yAxis)}</text>
</svg></figure>`;
}

function figures(r: LoadResult): [string, string][] {
  const l = r.latency;
  const ms = (v: number | undefined) => (v === undefined ? '-' : `${v} ms`);
  return [
    ['verdict', r.ok ? 'pass' : `fail: ${r.reasons.join('; ')}`],
    ['senders', String(r.senders)],
    ['attempts', String(r.attempts)],
    ['acknowledged', `${r.acknowledged} (local ${r.delivery.local}, remote ${r.remoteDelivery ? r.delivery.remote : 'not run: no peer server'})`],
    ['messages/s', String(r.messagesPerSecond)],
    ['latency p50 / p95 / p99 / max', `${ms(l.p50)} / ${ms(l.p95)} / ${ms(l.p99)} / ${ms(l.max)}`],
    ['errors', Object.keys(r.errors).length === 0 ? '0' : Object.entries(r.errors).map(([k, n]) => `${k}: ${n}`).join(', ')],
    ['lost', String(r.lost.length)],
    ['sending time', `${(r.durationMs / 1000).toFixed(1)} s`],
  ];
}

export function loadHtml(r: LoadResult, target: string): string {
  const hist = latencyHistogram(r.samples);
  const tput = throughputPerSecond(r.samples, r.durationMs);
  const rows = figures(r).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td data-figure="${escapeHtml(k)}">${escapeHtml(v)}</td></tr>`).join('\n');
  const lost = r.lost.length > 0 ? `<h2>Lost</h2><ul>${r.lost.slice(0, 50).map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bm-conformance load: ${escapeHtml(target)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:60em}th{text-align:left;padding-right:1em}svg text{font-size:11px;fill:#333}.bar{fill:#3b6ea5}figure{margin:1.5em 0}figcaption{font-weight:600;margin-bottom:.3em}#verdict.pass{color:#1a7f37}#verdict.fail{color:#b42318}</style>
</head><body>
<h1>Load run against ${escapeHtml(target)}</h1>
<p id="verdict" class="${r.ok ? 'pass' : 'fail'}">${r.ok ? 'PASS' : 'FAIL'}: any lost message, 5xx or unanswered send fails the run; slowness does not.</p>
<table id="figures">${rows}</table>
${barChart('latency-histogram', 'Send latency (ticket to POST /incoming answered), acknowledged sends', hist.map((b) => b.count), (i) => `≤${hist[i]!.upToMs}`, 'latency, ms', 'sends')}
${barChart('throughput', 'Acknowledged messages per second over the run', tput, (i) => `${i + 1}`, 'second of the run', 'messages')}
${lost}
</body></html>
`;
}

export function loadMarkdown(r: LoadResult, target: string): string {
  return [`# Load run against ${target}`, '', '| figure | value |', '|---|---|', ...figures(r).map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`), '', ...r.lost.slice(0, 50).map((x) => `- ${x}`), ''].join('\n');
}
