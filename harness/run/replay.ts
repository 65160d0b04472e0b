/**
 * `bm-conformance replay <file>#<tcId> [--target builtin|command:<cmd>]`: reruns one vector case
 * through the target adapter and prints the request, the response and the verdict, so an
 * implementer can debug one failing case without the whole run. The verdict is the judge's
 * (harness/judge), exactly as the library suite decides it.
 * @module
 */
import { expectedAnswer, judgeCase, referenceCounterparty } from '../judge/index.ts';
import { builtinAdapter, commandAdapter } from '../../suites/index.ts';
import { casesOf, readManifest, readVectorFile } from '../../vectors/index.ts';
import { encodeLine } from '../adapter/index.ts';
import { parseTarget, UsageError, type TargetSpec } from './options.ts';

export async function replayMain(argv: readonly string[]): Promise<number> {
  const caseId = argv[0];
  let target: TargetSpec = { kind: 'builtin' };
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--target') target = parseTarget(argv[++i] ?? '');
    else if (['--seed', '--resolver', '--ca'].includes(argv[i]!)) i++;
  }
  if (!caseId || !/^[a-z0-9_]+#\d+$/.test(caseId)) {
    process.stderr.write('usage: bm-conformance replay <file>#<tcId> [--target builtin|command:<cmd>]\n');
    return 2;
  }
  if (target.kind !== 'builtin' && target.kind !== 'command') {
    process.stderr.write(`replay: vector cases run through an adapter; target ${target.kind} has none (use the run command's --only)\n`);
    return 2;
  }
  const [file] = caseId.split('#');
  const entry = readManifest().files.find((f) => f.path === `${file}_test.json`);
  if (!entry) throw new UsageError(`replay: no vector file ${file}_test.json`);
  const c = casesOf(readVectorFile(entry.path).json).find((x) => x.caseId === caseId);
  if (!c) {
    process.stderr.write(`replay: ${caseId} is not in ${entry.path} (removed ids are tombstoned in vectors/manifest.json)\n`);
    return 2;
  }
  const adapter = target.kind === 'command' ? await commandAdapter(target.value!) : builtinAdapter();
  try {
    const req = { op: c.op, args: c.inputs, ...(c.seed ? { seed: c.seed } : {}), ...(c.now !== undefined ? { now: c.now } : {}) };
    process.stdout.write(`case     ${caseId} [${c.result}] ${c.comment}\nrequires ${c.requirements.join(' ')}\nflags    ${c.flags.join(' ') || '-'}\n`);
    if (!adapter.info.ops.includes(c.op)) {
      // As the library suite: an op missing from hello is out of the declared scope, never sent, never a pass.
      process.stdout.write(`verdict  OUT OF SCOPE: the adapter's hello does not list op ${c.op}\n`);
      return 1;
    }
    process.stdout.write(`> ${encodeLine(req)}\n`);
    const res = await adapter.request(c.op, c.inputs, { seed: c.seed, now: c.now });
    process.stdout.write(`< ${encodeLine(res)}\n`);
    process.stdout.write(`expected ${encodeLine(expectedAnswer(c) ?? {})}\n`);
    const v = await judgeCase(c, res, { deterministic: adapter.info.deterministic, reference: referenceCounterparty(), subject: adapter });
    process.stdout.write(v.verdict === 'pass' ? 'verdict  pass\n' : `verdict  ${v.verdict === 'fail' ? 'FAIL' : 'UNSUPPORTED'}: ${v.reason}\n`);
    return v.verdict === 'pass' ? 0 : 1;
  } finally {
    await adapter.close();
  }
}
