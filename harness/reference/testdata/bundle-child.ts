/**
 * Test helper: bundle a TypeScript child-process entry into one ES module with esbuild, so the
 * kill-and-restart tests start a child with plain `node` (about a third of a second) instead of
 * through tsx (one to two seconds on a busy machine), dozens of times per test.
 * @module
 */
import { build } from 'esbuild';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface BundledChild {
  /** The bundle: run it with `node <file>`. */
  file: string;
  remove(): Promise<void>;
}

export async function bundleChild(entry: string): Promise<BundledChild> {
  const dir = await mkdtemp(join(tmpdir(), 'bm-child-'));
  const file = join(dir, 'child.mjs');
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
    // Bundled CommonJS dependencies call require(); give the ES module one.
    banner: { js: "import { createRequire as __bmCreateRequire } from 'node:module'; const require = __bmCreateRequire(import.meta.url);" },
  });
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
