/**
 * `bm-conformance adapter`: the reference adapter on this process's stdin/stdout
 * (ADAPTER.md). Stdout carries protocol lines only; anything a library might print with
 * `console.log` is sent to stderr so it cannot corrupt the stream.
 * @module
 */
import { runAdapter } from './adapter.ts';
import { ADAPTER_FAULTS_ENV, parseAdapterFaults } from './faults.ts';

export const ADAPTER_USAGE = `usage: bm-conformance adapter

Serve the adapter protocol v1 (ADAPTER.md) on stdin/stdout: one JSON request per line in,
one JSON response per line out, logs on stderr. Exits 0 at end of input.
BM_ADAPTER_FAULTS=log-subject,plain-block-file switches on confidentiality defects (tests only).`;

export async function adapterMain(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(ADAPTER_USAGE + '\n');
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`bm-conformance adapter: unexpected argument ${JSON.stringify(argv[0])}\n${ADAPTER_USAGE}\n`);
    return 2;
  }
  let faults;
  try {
    faults = parseAdapterFaults(process.env[ADAPTER_FAULTS_ENV]);
  } catch (e) {
    process.stderr.write(`bm-conformance adapter: ${(e as Error).message}\n`);
    return 2;
  }
  const toStderr = (...a: unknown[]) => console.error(...a);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  await runAdapter(process.stdin, process.stdout, { faults });
  return 0;
}
