/**
 * The durable storage under SIGKILL at length (issue 18): 50 kill cycles, eight concurrent
 * writers each, killed at random points (seeded) while batches are being written; 0 acknowledged
 * writes lost and 0 commits half-visible. And the acknowledgeBeforeSync fault is caught.
 * Run by `npm run test:slow`; about half a minute. The short version is in storage.test.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleChild, type BundledChild } from './testdata/bundle-child.ts';
import { storageKillCycles } from './testdata/storage-kill.ts';

let child: BundledChild;
let dir: string;
beforeAll(async () => {
  child = await bundleChild(fileURLToPath(new URL('./testdata/storage-crash-child.ts', import.meta.url)));
  dir = await mkdtemp(join(tmpdir(), 'bm-storage-kill-'));
}, 60_000);
afterAll(async () => {
  await child?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('durable storage: 50 SIGKILL cycles with 8 concurrent writers', () => {
  it('loses no acknowledged write and shows no half commit', async () => {
    const r = await storageKillCycles({ child: child.file, dir: join(dir, 'ok'), cycles: 50, writers: 8, seed: 1800 });
    process.stderr.write(`storage kill cycles: ${r.cycles} cycles, ${r.acknowledged} acknowledged writes, largest batch ${r.largestBatch}, ${r.midBatchKills} kills mid-batch\n`);
    expect(r.cycles).toBe(50);
    expect(r.lost).toEqual([]);
    expect(r.halfVisible).toEqual([]);
    expect(r.acknowledged).toBeGreaterThan(50);
    expect(r.largestBatch, 'writes shared batches').toBeGreaterThan(1);
    expect(r.midBatchKills, 'kills that landed while a batch was being written').toBeGreaterThan(0);
  }, 170_000);

  it('catches the acknowledgeBeforeSync fault within 10 cycles', async () => {
    const r = await storageKillCycles({ child: child.file, dir: join(dir, 'fault'), cycles: 10, writers: 8, seed: 1801, faults: { acknowledgeBeforeSync: true }, stopOnLoss: true });
    process.stderr.write(`storage kill cycles with acknowledgeBeforeSync: lost ${r.lost.length} after ${r.cycles} cycles\n`);
    expect(r.lost.length).toBeGreaterThan(0);
  }, 60_000);
});
