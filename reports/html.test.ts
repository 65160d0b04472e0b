import { describe, expect, it } from 'vitest';
import { fixtureResult, HOSTILE } from './fixture.ts';
import { escapeHtml, escapeXml, shellQuote, visibleControls } from './_escape.ts';
import { reportHtml } from './html.ts';

describe('report.html', () => {
  const html = reportHtml(fixtureResult());

  it('report.html is self-contained: no external script, stylesheet, image, font or fetch', () => {
    expect(html).not.toMatch(/<(script|img|link|iframe|object|embed)[^>]*\s(src|href)=/i);
    expect(html).not.toMatch(/url\(\s*['"]?(?!#)/i);
    expect(html).not.toMatch(/@import/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('hostile strings are escaped everywhere: no injected tag, no raw control character, no raw U+2028', () => {
    // The only <script> is ours; the hostile text appears escaped.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!-- -->');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u2028\u2029]/);
    expect(html).toContain('\\u{1B}[31m &#x2028;&#x2029; \\u{D800}');
    // Attribute values cannot be broken out of: no raw quote in any data-search value.
    for (const m of html.matchAll(/data-search="([^"]*)"/g)) expect(m[1]).not.toMatch(/[<>]/);
  });

  it('the summary shows every verdict count and the result', () => {
    for (const [v, n] of Object.entries({ total: 8, pass: 2, fail: 2, error: 1, unsupported: 1, xfail: 1, xpass: 1 })) {
      expect(html).toMatch(new RegExp(`data-count="${v}"><span class="n">${n}</span>`));
    }
    expect(html).toContain('<span id="result" class="result notok">FAIL</span>');
  });

  it('a failing test row holds its diff, values, trace and replay command, and failing rows come first', () => {
    const rows = [...html.matchAll(/<details class="test (group )?v-([a-z-]+)"/g)].map((m) => `${m[1] ?? ''}${m[2]}`);
    // Unsupported (and out-of-scope) tests sit last, inside one expandable row per op or area.
    expect(rows).toEqual(['fail', 'fail', 'xpass', 'error', 'xfail', 'pass', 'pass', 'group unsupported', 'unsupported']);
    const row = html.slice(html.indexOf('library › header › BM-HDR-002 › tc2'));
    expect(row).toContain('<span class="del">-  &quot;valid&quot;: true,</span><span class="add">+  &quot;valid&quot;: false,</span>');
    expect(row).toContain('data-role="replay"');
    expect(row).toContain('vectors/header_signature_test.json#2');
  });

  it('the requirement table has one row per requirement and the untested table the reason', () => {
    expect(html.match(/<tr id="req-/g)).toHaveLength(8);
    expect(html).toContain('<tr id="req-BM-KEY-009" data-verdict="untested"');
    expect(html).toContain('<table id="untested">');
  });
});

describe('escaping helpers', () => {
  it('escapeHtml escapes the five markup characters and U+2028/U+2029, and shows control characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>\u2028\u0000`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;&#x2028;\\u{00}');
  });

  it('visibleControls keeps TAB, LF, CR, paired surrogates and normal text, and marks the rest', () => {
    expect(visibleControls('a\tb\nc\rd 😀 é')).toBe('a\tb\nc\rd 😀 é');
    expect(visibleControls('\u0000\u001f\u007f\u0085\uFFFE\uFFFF\uDC00x\uD800')).toBe('\\u{00}\\u{1F}\\u{7F}\\u{85}\\u{FFFE}\\u{FFFF}\\u{DC00}x\\u{D800}');
  });

  it('escapeXml in an attribute keeps newlines and tabs as character references', () => {
    expect(escapeXml('a\nb\tc"', true)).toBe('a&#10;b&#9;c&quot;');
  });

  it('shellQuote leaves safe words alone and single-quotes the rest', () => {
    expect(shellQuote('--seed')).toBe('--seed');
    expect(shellQuote("it's › x")).toBe(`'it'\\''s › x'`);
    expect(HOSTILE).toContain('<script>');
  });
});
