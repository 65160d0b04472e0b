/**
 * The shipped implementations/<name>/ folders: every expectations file is valid
 * (expectations_schema_v1.json and parseExpectations), names its own folder, and the Go files list
 * exactly the registry requirements marked `go_conforms: false` — the Go deviations are recorded
 * once, as data (DESIGN.md "The protocol"), and this test keeps the two in step.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatErrors, validator } from '../schemas/index.ts';
import { parseExpectations } from './expectations.ts';
import { generate } from './implementations.ts';

const ROOT = fileURLToPath(new URL('../implementations/', import.meta.url));
const REGISTRY = fileURLToPath(new URL('../suites/requirements/requirements.json', import.meta.url));
const folders = readdirSync(ROOT, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

interface Req {
  id: string;
  applies_to: string[];
  go_conforms: boolean;
}
const registry = (JSON.parse(readFileSync(REGISTRY, 'utf8')) as { requirements: Req[] }).requirements;
interface Entry {
  requirement?: string;
  verdict?: string;
}
const entries = (name: string): Entry[] => (JSON.parse(readFileSync(`${ROOT}${name}/expectations.json`, 'utf8')) as { entries: Entry[] }).entries;
/** The distinct requirement ids a file's entries name (a requirement may take several narrowed entries). */
const ids = (name: string): string[] => [...new Set(entries(name).flatMap((e) => (e.requirement === undefined ? [] : [e.requirement])))].sort();

describe('implementations/', () => {
  it('the reference, the Go suite and the Go key resolver each have a folder', () => {
    expect(folders).toEqual(expect.arrayContaining(['reference', 'go-bitmaelum-suite-95952d1', 'go-key-resolver-7d3c4fc']));
  });

  it.each(folders)('implementations/%s has a README and a valid expectations file for itself', (name) => {
    expect(existsSync(`${ROOT}${name}/README.md`)).toBe(true);
    const data: unknown = JSON.parse(readFileSync(`${ROOT}${name}/expectations.json`, 'utf8'));
    const v = validator('expectations_schema_v1.json');
    expect(v(data), formatErrors(v.errors)).toBe(true);
    expect(parseExpectations(data).implementation).toBe(name);
  });

  it('the reference implementation has no known failures', () => {
    expect(ids('reference')).toEqual([]);
  });

  it('the Go expectations name exactly the registry requirements Go does not conform to (resolver-only ones under the key resolver)', () => {
    const nonConforming = registry.filter((r) => !r.go_conforms);
    const resolverOnly = (r: Req) => r.applies_to.length === 1 && r.applies_to[0] === 'resolver';
    const byId = new Map(registry.map((r) => [r.id, r]));
    // An optional feature a Go program does not offer is declared `unsupported` without being a deviation.
    const deviations = (name: string) => ids(name).filter((id) => !entries(name).some((e) => e.requirement === id && e.verdict === 'unsupported' && byId.get(id)?.go_conforms === true));
    const hint = 'out of step with suites/requirements/requirements.json: run `npx tsx harness/implementations.ts`';
    expect(deviations('go-bitmaelum-suite-95952d1'), hint).toEqual(nonConforming.filter((r) => !resolverOnly(r)).map((r) => r.id).sort());
    expect(deviations('go-key-resolver-7d3c4fc'), hint).toEqual(nonConforming.filter(resolverOnly).map((r) => r.id).sort());
  });

  it('every requirement an entry names is in the registry, and one Go conforms to is named only to declare a feature unsupported', () => {
    for (const name of ['go-bitmaelum-suite-95952d1', 'go-key-resolver-7d3c4fc']) {
      for (const e of entries(name)) {
        if (e.requirement === undefined) continue;
        const r = registry.find((q) => q.id === e.requirement);
        expect(r, `${name}: ${e.requirement}`).toBeDefined();
        if (r!.go_conforms) expect(e.verdict, `${name}: ${e.requirement} conforms; only an unsupported entry may name it`).toBe('unsupported');
      }
    }
  });

  it('the generated expectations files and README tables are up to date', () => {
    const read = (p: string) => readFileSync(p, 'utf8');
    for (const [folder, f] of generate(JSON.parse(read(REGISTRY)) as Parameters<typeof generate>[0], read)) {
      expect(read(`${ROOT}${folder}/expectations.json`), `${folder}: run npx tsx harness/implementations.ts`).toBe(f.json);
      expect(read(`${ROOT}${folder}/README.md`), `${folder}: run npx tsx harness/implementations.ts`).toBe(f.readme);
    }
  });
});
