/**
 * The `url` target end to end: a reference server started as a user would (`startReference`
 * with a data directory, as `bm-conformance serve --data-dir` does) is tested through its URLs,
 * CA and admin key. With `--ca-key` the harness can give its peer server a certificate the target
 * trusts, so the interop profile runs; without it those tests are `error`, never pass.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReference } from '../harness/reference/start.ts';
import { runConformance } from '../harness/run/index.ts';
import { parseRunArgs } from '../harness/run/options.ts';

describe('url target against a running reference server', () => {
  it('runs the interop profile with --ca-key (all pass) and reports errors, not passes, without it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bm-url-'));
    const ref = await startReference({ dataDir: join(dir, 'data'), pow: { address: 8, organisation: 8 }, mailOptions: { limits: { ticketPowBits: 8 } } });
    try {
      const identity = JSON.parse(readFileSync(join(dir, 'data', 'reference-identity.json'), 'utf8')) as { ca: { key: string } };
      writeFileSync(join(dir, 'ca.key'), identity.ca.key);
      const base = ['--target', `url:${ref.mailUrl}`, '--resolver', ref.resolverUrl, '--ca', ref.caPath, '--admin-key', ref.adminKey, '--profile', 'interop'];
      const withKey = await runConformance(parseRunArgs([...base, '--ca-key', join(dir, 'ca.key'), '--out', join(dir, 'with')]));
      expect(withKey.tests.length).toBeGreaterThan(0);
      expect(withKey.tests.filter((t) => t.verdict !== 'pass').map((t) => `${t.verdict} ${t.name}: ${t.message}`)).toEqual([]);
      expect(withKey.exitCode).toBe(0);
      const without = await runConformance(parseRunArgs([...base, '--out', join(dir, 'without')]));
      expect(without.tests.length).toBe(withKey.tests.length);
      for (const t of without.tests) expect(t.verdict, t.name).toBe('error');
      expect(without.exitCode).toBe(1);
    } finally {
      await ref.close();
    }
  }, 180_000);
});
