import { describe, expect, it } from 'vitest';
import { fixtureResult, HOSTILE } from './fixture.ts';
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
    expect(md).toMatch(/\| MUST \| 6 \| 1 \| 0 \| 2 \| 1 \| 1 \| 0 \| 0 \| 1 \|/);
    // The headline adds up: every verdict, and requirements met / out of scope / with no test apart.
    expect(md).toContain('**Result: FAIL** — 8 tests: 2 pass, 2 fail, 1 xpass, 1 error, 1 xfail, 1 unsupported, 0 out of scope.');
    expect(md).toContain('- MUST: 1 of 5 in scope met; 0 out of scope; 1 with no test in this run');
  });

  it('a failure section carries the expected-vs-actual diff and the replay command', () => {
    const section = md.slice(md.indexOf('### `library › header › BM-HDR-002 › tc2`'));
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
    // Outside code fences and code spans (where text is shown literally) no markup survives.
    const prose = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '').replace(/(`+)(?!`)[^\n]*?[^`\n]\1(?!`)/g, '');
    expect(prose).not.toContain('<script>');
    expect(prose).not.toContain('<img');
    // Untrusted text is shown as written, in code spans: no entity and no backslash escape to read.
    expect(md).toContain('<script>alert("x")</script>');
    expect(md).not.toContain('&quot;');
    expect(md).not.toContain('\\!');
    expect(md).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(escapeMarkdownInline('a|b\nc <b> *x* &#39;')).toBe('a&#124;b<br>c &lt;b&gt; \\*x\\* &amp;\\#39;');
    // A body holding ``` gets a longer fence, so it cannot close it early.
    expect(markdownFence('x ``` y ````')).toBe('`````\nx ``` y ````\n`````');
    const fence = md.slice(md.indexOf('### `library › hostile'));
    expect(fence).toContain('````diff');
    expect(HOSTILE).toContain('```');
  });
});

describe('report.md: names and values a person can read', () => {
  it('a failure is headed by the test sentence in full, keeps its id, and folds a long value instead of cutting it', async () => {
    const { buildRunResult, testName } = await import('./model.ts');
    const { FIXTURE_META } = await import('./fixture.ts');
    const long = 'ab'.repeat(300);
    const title = 'BM-HASH-001 MUST hash a 600-character value exactly as Go does, without trimming anything at all';
    const r = buildRunResult({
      meta: FIXTURE_META,
      registry: [],
      tests: [{ name: testName('library', 'HASH', ['BM-HASH-001'], 'hash_string#1'), title, profile: 'library', area: 'HASH', caseId: 'hash_string#1', requirementIds: ['BM-HASH-001'], verdict: 'fail', durationMs: 1, message: 'result differs in hash', expected: { hash: long }, actual: { hash: `${long}x` } }],
    });
    const md = reportMarkdown(r);
    expect(md).toContain(`### \`${title}\``);
    expect(md).toContain('id `library › HASH › BM-HASH-001 › hash_string#1`');
    const diff = md.slice(md.indexOf('```diff'), md.indexOf('```', md.indexOf('```diff') + 3));
    // Folded: every line short, and the whole value is there.
    expect(diff.split('\n').every((l) => l.length <= 100)).toBe(true);
    expect(diff.replace(/\n[-+ ]/g, '').includes(long)).toBe(true);
  });
});

describe('folding long lines', () => {
  it('folds instead of cutting, and a folded diff line keeps its marker', async () => {
    const { foldLines } = await import('./_diff.ts');
    expect(foldLines('abcdefghij', 4)).toBe('abcd\nefgh\nij');
    expect(foldLines('-abcdefg', 4, true)).toBe('-abc\n-def\n-g');
    expect(foldLines('short\nline', 4)).toBe('shor\nt\nline');
  });
});
