/**
 * report.html in a real browser: headless Debian chromium driven by playwright-core.
 * Checks what a reader sees: the summary counts, a failing test's diff appearing when its row is
 * clicked, the "only failing" filter, no script error, no dialog from hostile text, and no
 * request leaving the file (the page is self-contained).
 *
 * Needs /usr/bin/chromium (Debian package `chromium`; override with BM_CHROMIUM) and the
 * playwright-core dev dependency. Without them the test is skipped, unless BM_REQUIRE_BROWSER=1
 * (set by .ci/run), where it fails. BM_UPDATE_SCREENSHOT=1 also saves the page to
 * docs/report-screenshot.png for the README.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { fixtureResult } from './fixture.ts';
import { writeReports } from './index.ts';

const CHROMIUM = process.env.BM_CHROMIUM ?? '/usr/bin/chromium';
const REQUIRED = process.env.BM_REQUIRE_BROWSER === '1';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const SCREENSHOT = fileURLToPath(new URL('../docs/report-screenshot.png', import.meta.url));

function hasPlaywright(): boolean {
  try {
    createRequire(import.meta.url).resolve('playwright-core');
    return true;
  } catch {
    return false;
  }
}

const missing = [!existsSync(CHROMIUM) ? `chromium at ${CHROMIUM}` : '', !hasPlaywright() ? 'playwright-core' : ''].filter(Boolean);

describe('report.html in headless chromium', () => {
  if (missing.length > 0) {
    it.runIf(REQUIRED)('BM_REQUIRE_BROWSER=1 needs a browser to test report.html', () => {
      expect.fail(`missing: ${missing.join(', ')} (install the Debian package chromium; playwright-core is a dev dependency)`);
    });
    it.skipIf(REQUIRED)(`skipped: missing ${missing.join(', ')} (set BM_REQUIRE_BROWSER=1 to make this a failure)`, () => {});
    return;
  }

  const dir = mkdtempSync(join(tmpdir(), 'bm-report-html-'));
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const file = pathToFileURL(writeReports(fixtureResult(), dir).html).href;
    page.on('request', (r) => {
      if (r.url() !== file) requests.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(file, { waitUntil: 'load', timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the summary shows the test count and every verdict count', async () => {
    const want = { total: '8', pass: '2', fail: '2', error: '1', unsupported: '1', xfail: '1', xpass: '1' };
    for (const [verdict, n] of Object.entries(want)) {
      const count = page.locator(`#summary [data-count="${verdict}"] .n`);
      await expect.poll(() => count.isVisible()).toBe(true);
      expect(await count.innerText(), verdict).toBe(n);
    }
    expect(await page.locator('#result').innerText()).toBe('FAIL');
  });

  it("a failing test's expected-vs-actual diff is hidden until its row is clicked, then visible", async () => {
    const row = page.locator('details.test', { has: page.locator('.name', { hasText: 'library › header › BM-HDR-002 › tc2' }) });
    const diff = row.locator('pre.diff');
    expect(await diff.isVisible()).toBe(false);
    await row.locator('summary').click();
    await expect.poll(() => diff.isVisible()).toBe(true);
    const text = await diff.innerText();
    expect(text).toContain('-  "valid": true,');
    expect(text).toContain('+  "valid": false,');
    expect(await row.locator('pre[data-role="replay"]').isVisible()).toBe(true);
    if (process.env.BM_UPDATE_SCREENSHOT === '1') {
      // For the README: the top of the page (result, counts) with this row's diff open below.
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      await page.setViewportSize({ width: 1280, height: 1300 });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: SCREENSHOT });
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    await page.screenshot({ path: join(dir, 'report.png') });
  });

  it('"only failing" hides passing rows and shows fail, xpass and error rows', async () => {
    await page.locator('#only-failing').click();
    expect(await page.locator('#shown').innerText()).toBe('4');
    const visible = await page.locator('details.test:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-verdict')));
    expect(visible.sort()).toEqual(['error', 'fail', 'fail', 'xpass']);
    await page.locator('#show-all').click();
    expect(await page.locator('#shown').innerText()).toBe('8');
  });

  it('the text filter narrows tests and requirements', async () => {
    await page.locator('#search').fill('bm-srv-001');
    expect(await page.locator('#shown').innerText()).toBe('1');
    expect(await page.locator('#requirements tbody tr:visible').count()).toBe(1);
    await page.locator('#search').fill('');
  });

  it('hostile text renders as text: no script error, no dialog, and the hostile row shows it literally', async () => {
    const row = page.locator('details.test', { has: page.locator('.name', { hasText: 'library › hostile' }) });
    await row.locator('summary').click();
    expect(await row.locator('pre[data-role="message"]').innerText()).toContain('<script>alert("x")</script>');
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);
  });

  it('the page makes no request besides itself', () => {
    expect(requests).toEqual([]);
  });
});

// load.html of `bm-conformance load` (harness/load/html.ts): the two charts are drawn (inline SVG,
// one bar per bin or second, heights following the data) and the page fetches nothing.
describe('load.html in headless chromium', () => {
  if (missing.length > 0) {
    it.skipIf(REQUIRED)(`skipped: missing ${missing.join(', ')}`, () => {});
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bm-load-html-'));
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    const { loadHtml } = await import('../harness/load/html.ts');
    const { latencySummary } = await import('../harness/load/stats.ts');
    // 30 acknowledged sends over 3 s: latency 10..300 ms, 5, 10 and 15 per second; one 503.
    const samples = Array.from({ length: 30 }, (_, i) => ({ startMs: i < 5 ? i * 100 : i < 15 ? 1000 + (i - 5) * 50 : 2000 + (i - 15) * 30, ms: (i + 1) * 10, outcome: 'ok' as const, delivery: (i % 2 ? 'remote' : 'local') as 'local' | 'remote' }));
    samples.push({ startMs: 2500, ms: 5, outcome: 503 as never, delivery: 'local' });
    const result = { senders: 8, durationMs: 2900, attempts: 31, acknowledged: 30, messagesPerSecond: 10.3, latency: latencySummary(samples), errors: { '503': 1 }, serverErrors: 1, lost: [], delivery: { local: 15, remote: 15 }, remoteDelivery: true, samples, ok: false, reasons: ['1 sends answered 5xx'] };
    const file = join(dir, 'load.html');
    writeFileSync(file, loadHtml(result, 'builtin <script>alert(1)</script>'));
    browser = await (await import('playwright-core')).chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
    page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const url = pathToFileURL(file).href;
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('dialog', (d) => void d.dismiss().then(() => errors.push(`dialog: ${d.message()}`)));
    await page.goto(url, { waitUntil: 'load', timeout: 15_000 });
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws the latency histogram: 20 bins holding the 30 acknowledged sends, rendered with height', async () => {
    const bars = page.locator('#latency-histogram rect.bar');
    expect(await bars.count()).toBe(20);
    const values = await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(values.reduce((a, b) => a + b, 0)).toBe(30);
    const box = await page.locator('#latency-histogram').boundingBox();
    expect(box?.height).toBeGreaterThan(100);
  });

  it('draws throughput over time: one bar per second, 5 / 10 / 15 acknowledged, the tallest bar the highest second', async () => {
    const bars = page.locator('#throughput rect.bar');
    expect(await bars.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))))).toEqual([5, 10, 15]);
    const heights = await bars.evaluateAll((els) => els.map((e) => (e as SVGGraphicsElement).getBBox().height));
    expect(heights[2]).toBeGreaterThan(heights[1]!);
    expect(heights[1]).toBeGreaterThan(heights[0]!);
  });

  it('shows the failing verdict and the 5xx, renders hostile text as text, and makes no request', async () => {
    expect(await page.locator('#verdict').innerText()).toMatch(/^FAIL/);
    expect(await page.locator('[data-figure="errors"]').innerText()).toBe('503: 1');
    expect(await page.locator('h1').innerText()).toContain('<script>');
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
