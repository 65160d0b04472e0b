/**
 * `npm run bench`: runs every benchmark section and prints one Markdown report.
 *
 *   npm run bench                     print the report
 *   npm run bench -- --write          also write it to BENCHMARKS.md
 *   npm run bench -- --quick          ~4× shorter loops (smoke run)
 *   npm run bench -- --only <title>   only sections whose title contains <title>
 *
 * Sections are modules in bench/ exporting a `Section` (bench/_measure.ts). To add one (harness
 * wall time, …), write the module and append it to SECTIONS.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { renderRows, type Section } from './_measure.ts';
import { cryptoSection } from './crypto.ts';
import { adapterSection } from './adapter.ts';
import { serverSection } from './server.ts';
import { imagesSection } from './images.ts';
import { harnessSection } from './harness.ts';
import { rsaSeedSection } from './rsaseed.ts';

const SECTIONS: Section[] = [cryptoSection, rsaSeedSection, adapterSection, serverSection, harnessSection, imagesSection];

function machine(): string {
  const c = cpus();
  return [
    `- CPU: ${c.length} cores, ${c[0]?.model.trim() ?? 'unknown model'}`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- OS: ${platform()} ${release()}`,
    `- Node: ${process.version} (OpenSSL ${process.versions.openssl})`,
    `- Date: ${new Date().toISOString().slice(0, 10)}`,
    // Other work on the machine skews every figure; the ratio column is the steadier one.
    `- Load average at start (1/5/15 min): ${loadavg().map((l) => l.toFixed(2)).join(' / ')}`,
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const write = argv.includes('--write');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1]?.toLowerCase() : undefined;
  const parts: string[] = [
    '# Benchmarks',
    '',
    'Measured with `npm run bench` (bench/run.ts). Rates are per second, single-threaded; higher is better (rows in ms: lower is better).',
    'The last column is the protocol library\'s rate divided by node\'s native rate for the same work.',
    '',
    '## Machine',
    '',
    machine(),
  ];
  for (const s of SECTIONS) {
    if (only && !s.title.toLowerCase().includes(only)) continue;
    process.stderr.write(`bench: ${s.title}…\n`);
    const out = await s.run({ quick });
    parts.push('', `## ${s.title}`, '', s.description, '', Array.isArray(out) ? renderRows(out) : out.markdown);
  }
  const report = parts.join('\n') + '\n';
  process.stdout.write(report);
  if (write) {
    writeFileSync(new URL('../BENCHMARKS.md', import.meta.url), report);
    process.stderr.write('bench: wrote BENCHMARKS.md\n');
  }
}

await main(process.argv.slice(2));
