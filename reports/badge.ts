/**
 * badge.svg writer: a shields.io-style "flat" badge, `bitmaelum conformance | 123/130 MUST`
 * (MUST requirements passed / MUST requirements in the registry, untested ones included so a
 * thin suite cannot look complete; a `weak` requirement, whose passing tests nothing shows could
 * fail, is not counted as passed). Requirements only out-of-scope tests check are left out of the
 * denominator and named beside it (`5/40 MUST (230 out of scope)`); the title carries every
 * verdict count (pass, fail, error, xfail, unsupported, out of scope).
 *
 * Colour: green when every MUST requirement passed and the run is ok; red when a MUST
 * requirement failed or errored or the run failed; yellow otherwise (known failures, untested,
 * unsupported). Text widths are estimated from Verdana 11px advance widths, as shields does.
 * @module
 */

import { escapeXml } from './_escape.ts';
import type { RunResult } from './model.ts';

export const BADGE_LABEL = 'bitmaelum conformance';
const GREEN = '#4c1';
const YELLOW = '#dfb317';
const RED = '#e05d44';

// Approximate Verdana 11px advance widths (px) by character class.
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    if (/[ilj.,:;|!'/()\[\] ]/.test(ch)) w += 3.9;
    else if (/[mwMW@%]/.test(ch)) w += 10.5;
    else if (/[A-Z0-9#&+=?_~<>]/.test(ch)) w += 7.6;
    else if (/[frt]/.test(ch)) w += 4.8;
    else w += 6.7;
  }
  return Math.round(w);
}

/** The badge's right-hand text and colour for a run. */
export function badgeStatus(r: RunResult): { message: string; color: string; detail: string } {
  const m = r.summary.requirements.MUST;
  const v = r.summary.verdicts;
  // With a declared scope the badge counts what lies inside it, and says how much lies outside.
  const outside = m.outOfScope > 0 ? ` (${m.outOfScope} out of scope)` : '';
  const message = `${m.passed}/${m.total - m.outOfScope} MUST${outside}`;
  const color = m.failed + m.errored > 0 || !r.summary.ok ? RED : m.passed === m.total ? GREEN : YELLOW;
  // Every verdict count, for the badge's title (what a reader sees on hover and a screen reader reads).
  const detail = `${v.pass} pass, ${v.fail + v.xpass} fail, ${v.error} error, ${v.xfail} xfail, ${v.unsupported} unsupported, ${v['out-of-scope']} out of scope`;
  return { message, color, detail };
}

/** Renders badge.svg for a run. */
export function reportBadge(r: RunResult): string {
  const { message, color, detail } = badgeStatus(r);
  const lw = textWidth(BADGE_LABEL) + 10;
  const rw = textWidth(message) + 10;
  const w = lw + rw;
  const label = escapeXml(BADGE_LABEL);
  const msg = escapeXml(message);
  const title = escapeXml(`${BADGE_LABEL}: ${message}; tests: ${detail}`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" role="img" aria-label="${title}">
<title>${title}</title>
<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>
<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>
<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="#555"/><rect x="${lw}" width="${rw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>
<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">
<text x="${lw / 2}" y="15" fill="#010101" fill-opacity=".3">${label}</text><text x="${lw / 2}" y="14">${label}</text>
<text x="${lw + rw / 2}" y="15" fill="#010101" fill-opacity=".3">${msg}</text><text x="${lw + rw / 2}" y="14">${msg}</text>
</g>
</svg>
`;
}
