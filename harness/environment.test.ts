/**
 * Tests for environment.ts: the table of `BM_*` variables covers every one the code mentions,
 * says truthfully where each is read, and harness/ENVIRONMENT.md is its rendering (STYLE.md:
 * environment settings are documented where they are read; the page is generated from that).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT, ENVIRONMENT_MD, renderEnvironmentMd, ROOT } from './environment.ts';

/** Code and configuration files: where a variable can be read or set (docs and vector data are not). */
const CODE = /\.(?:ts|mts|mjs|js|cjs|json|sh)$|(?:^|\/)(?:Dockerfile|run)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'vectors']);
const NAME = /(?<![A-Za-z0-9_])BM_[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*(?![A-Za-z0-9_])/g;

function* codeFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) {
      if (!SKIP_DIRS.has(e)) yield* codeFiles(p);
    } else if (CODE.test(relative(ROOT, p)) && st.size < 2_000_000) {
      yield p;
    }
  }
}

/** Every `BM_*` name in the code, with the files that mention it (this table's own files aside). */
function namesInCode(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const own = new Set(['harness/environment.ts', 'harness/environment.test.ts']);
  for (const p of codeFiles(ROOT)) {
    const rel = relative(ROOT, p);
    if (own.has(rel)) continue;
    for (const m of readFileSync(p, 'utf8').matchAll(NAME)) {
      const list = found.get(m[0]) ?? [];
      if (!list.includes(rel)) list.push(rel);
      found.set(m[0], list);
    }
  }
  // vectors/gen holds code (the generators); the vector data files beside it hold none.
  for (const e of readdirSync(join(ROOT, 'vectors', 'gen'))) {
    const rel = `vectors/gen/${e}`;
    if (!CODE.test(rel)) continue;
    for (const m of readFileSync(join(ROOT, rel), 'utf8').matchAll(NAME)) {
      const list = found.get(m[0]) ?? [];
      if (!list.includes(rel)) list.push(rel);
      found.set(m[0], list);
    }
  }
  return found;
}

describe('environment variables', () => {
  const inCode = namesInCode();

  it('every BM_* variable the code mentions is documented in harness/environment.ts', () => {
    const documented = new Set(ENVIRONMENT.map((v) => v.name));
    const missing = [...inCode.entries()].filter(([n]) => !documented.has(n)).map(([n, files]) => `${n} (in ${files.join(', ')})`);
    expect(missing, 'add these to ENVIRONMENT in harness/environment.ts, then `npm run docs:env`').toEqual([]);
  });

  it('every documented variable is one the code mentions, listed once, and each file it names as reading it mentions it', () => {
    const names = ENVIRONMENT.map((v) => v.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    expect(names.filter((n) => !inCode.has(n)), 'documented but no longer in the code').toEqual([]);
    const wrong = ENVIRONMENT.flatMap((v) => v.readIn.filter((f) => !(inCode.get(v.name) ?? []).includes(f)).map((f) => `${v.name}: ${f}`));
    expect(wrong, 'readIn files that do not mention the variable').toEqual([]);
  });

  it('harness/ENVIRONMENT.md is the rendering of the table (run `npm run docs:env` after editing it)', () => {
    expect(readFileSync(ENVIRONMENT_MD, 'utf8')).toBe(renderEnvironmentMd());
  });

  it('the page lists every variable with its meaning and where it is read', () => {
    const md = renderEnvironmentMd();
    for (const v of ENVIRONMENT) expect(md).toMatch(new RegExp(`\\| \`${v.name}\` \\| .+ \\| .+ \\| \`${v.readIn[0]!.replace(/[.]/g, '\\.')}\``));
  });
});
