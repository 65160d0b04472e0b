/**
 * The bm-conformance dispatcher (harness/cli.ts): help/version/usage errors and the table every
 * sub-command registers in. The adapter sub-command itself is exercised in
 * harness/adapter/process.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { COMMANDS, main, usage } from './cli.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

function capture() {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  return { out: () => out, err: () => err };
}
afterEach(() => vi.restoreAllMocks());

describe('bm-conformance CLI', () => {
  it('--version prints the package.json version and exits 0', async () => {
    const io = capture();
    expect(await main(['--version'])).toBe(0);
    expect(io.out()).toBe(`${pkg.version}\n`);
  });

  it('help lists every registered sub-command with its summary', async () => {
    const io = capture();
    expect(await main(['help'])).toBe(0);
    for (const [name, c] of Object.entries(COMMANDS)) expect(io.out()).toContain(`${name}`), expect(io.out()).toContain(c.summary);
    expect(usage()).toContain('adapter');
  });

  it('an unknown sub-command is a usage error (exit 2) naming it, and no arguments print usage with exit 2', async () => {
    const io = capture();
    expect(await main(['frobnicate'])).toBe(2);
    expect(io.err()).toContain('unknown command "frobnicate"');
    expect(await main([])).toBe(2);
  });

  it('inherited object keys are not sub-commands', async () => {
    capture();
    expect(await main(['toString'])).toBe(2);
    expect(await main(['__proto__'])).toBe(2);
  });

  it('adapter rejects unexpected arguments with exit 2', async () => {
    const io = capture();
    expect(await main(['adapter', '--bogus'])).toBe(2);
    expect(io.err()).toContain('--bogus');
  });
});
