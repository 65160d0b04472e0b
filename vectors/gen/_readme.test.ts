/**
 * vectors/README.md is the preamble plus an index computed from the manifest: one row per file
 * (sorted), a total row, the accumulated sets and the tombstone count. The committed README is
 * compared with a fresh generation by `npm run vectors:check`; here: the index rules, and that
 * the committed README starts with the preamble and lists every manifest file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { README_PREAMBLE_PATH, vectorIndex, vectorsReadme } from './_readme.ts';

const entry = (path: string, cases: number, valid: number, invalid: number, acceptable: number) => ({ path, area: 'X', cases, valid, invalid, acceptable, schema: 'vector_file_schema_v1.json', generator: `vectors/gen/${path.replace('_test.json', '')}.ts` });

describe('vectors README', () => {
  it('indexes files sorted by path with their verdict split and a total row, then accumulated sets and tombstones', () => {
    const text = vectorIndex({
      generatorVersion: '9.9.9',
      seed: 'ab',
      files: [entry('b_test.json', 3, 1, 1, 1), entry('a_test.json', 2, 2, 0, 0)],
      accumulated: [{ name: 'sweep', count: 4, sha256: 'ff', description: 'a | b\nc' }],
      tombstones: 2,
    });
    const rows = text.split('\n').filter((l) => l.startsWith('| ['));
    expect(rows).toEqual([
      '| [a_test.json](a_test.json) | X | 2 | 2 | 0 | 0 | vector_file_schema_v1.json | [vectors/gen/a.ts](../vectors/gen/a.ts) |',
      '| [b_test.json](b_test.json) | X | 3 | 1 | 1 | 1 | vector_file_schema_v1.json | [vectors/gen/b.ts](../vectors/gen/b.ts) |',
    ]);
    expect(text).toContain('| **total** | | 5 | 3 | 1 | 1 | | |');
    expect(text).toContain('| sweep | 4 | `ff` | a \\| b c |');
    expect(text).toContain('2 retired case IDs');
    expect(vectorsReadme({ generatorVersion: '1', seed: 'ab', files: [], accumulated: [], tombstones: 0 }, '# pre\n\n')).toMatch(/^# pre\n\n## Index\n/);
  });

  it('the committed README begins with the preamble and has a row for every manifest file', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme.startsWith(readFileSync(README_PREAMBLE_PATH, 'utf8').trimEnd())).toBe(true);
    const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as { files: { path: string; cases: number }[] };
    for (const f of manifest.files) expect(readme, f.path).toContain(`| [${f.path}](${f.path}) |`);
  });
});
