import { describe, expect, it } from 'vitest';
import { fixtureResult, HOSTILE } from './_fixture.ts';
import { escapeMarkdownInline, markdownFence } from './_escape.ts';
import { reportMarkdown } from './markdown.ts';

describe('report.md', () => {
  const md = reportMarkdown(fixtureResult());

  it('report.md states the overall result and has a summary table with every verdict count', () => {
    expect(md).toContain('**Result: FAIL**');
    expect(md).toMatch(/\| ✅ pass \| 2 \|/);
    expect(md).toMatch(/\| ❌ fail \| 2 \|/);
    expect(md).toMatch(/\| ⚠️ error \| 1 \|/);
    expect(md).toMatch(/\| 🟡 xfail \| 1 \|/);
    expect(md).toMatch(/\| ❌ xpass \| 1 \|/);
    expect(md).toMatch(/\| ➖ unsupported \| 1 \|/);
    expect(md).toMatch(/\| MUST \| 6 \| 1 \| 0 \| 2 \| 1 \| 1 \| 0 \| 1 \|/);
  });

  it('a failure section carries the expected-vs-actual diff and the replay command', () => {
    const section = md.slice(md.indexOf('### library › header › BM-HDR-002 › tc2'));
    expect(section).toContain('```diff\n--- expected\n+++ actual\n');
    expect(section).toContain('-  "valid": true,\n+  "valid": false,');
    expect(section).toContain('```sh\nnpx bm-conformance run --seed 00112233445566778899aabbccddeeff');
  });

  it('the per-requirement table lists every requirement with its verdict, and untested ones with the reason', () => {
    expect(md).toMatch(/\| BM-SRV-001 \| MUST \| 🟡 xfail \| 1 \|/);
    expect(md).toMatch(/\| BM-KEY-009 \| MUST \| ◻️ untested \| 0 \|/);
    expect(md).toContain('## Requirements with no test (1)');
    expect(md).toContain('not selected in this run');
  });

  it('known failures list the expectation reason and link', () => {
    expect(md).toContain('## Known failures (1)');
    expect(md).toContain('route regex never matches (api.md §8.1)');
  });

  it('hostile text cannot open HTML tags, end a table cell or close a code fence', () => {
    // Outside code fences (where text is shown literally) no markup survives.
    const prose = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
    expect(prose).not.toContain('<script>');
    expect(prose).not.toContain('<img');
    expect(prose).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(md).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(escapeMarkdownInline('a|b\nc <b> *x* &#39;')).toBe('a&#124;b<br>c &lt;b&gt; \\*x\\* &amp;\\#39;');
    // A body holding ``` gets a longer fence, so it cannot close it early.
    expect(markdownFence('x ``` y ````')).toBe('`````\nx ``` y ````\n`````');
    const fence = md.slice(md.indexOf('### library › hostile'));
    expect(fence).toContain('````diff');
    expect(HOSTILE).toContain('```');
  });
});
