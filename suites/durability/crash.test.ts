/**
 * Durability profile (issue 12): does the mail server lose mail when it dies?
 *
 * Four senders send full messages (client ticket, uploads, `POST /incoming`; api.md §5.4) to
 * four recipients on the target while it is killed (SIGKILL: no shutdown code runs) at a
 * random, seeded moment — including mid-upload — and restarted on the same data; after each
 * restart every recipient's box is listed and every message opened and compared with what was
 * sent (suites/durability/_cycles.ts). `--cycles N` (BM_DURABILITY_CYCLES) sets the number of
 * kill cycles, default 20.
 *
 * Targets: an image whose manifest declares `restart` (the harness gives `BM_RESTART`: the same
 * container is `docker kill`ed and `docker start`ed), and builtin, where the suite runs the
 * reference mail server as a child process (`bm-conformance serve` on a data directory, with the
 * run's resolver and CA) and kills that. `BM_CRASH_FAULTS` (JSON, e.g.
 * `{"acknowledgeBeforeSync":true}` or `{"dropLastBlockOnRestart":true}`) starts that child with
 * a crash defect (harness/reference/crashfaults.ts): the fault proofs of this profile
 * (test/durability.slow.test.ts).
 *
 * The spec says nothing of crashes, so these are SHOULDs (suites/requirements/requirements.json
 * BM-DUR-*): a 2xx to `POST /incoming` is the only acknowledgement a sender gets, and the
 * reference client does not send again after it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { dockerRestartable, restartSpecFromEnv, startReferenceChild, type Restartable } from '../_support/restart.ts';
import { useMailTarget, MailApi } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { mustBe, unsupported } from '../_support/must.ts';
import { suiteRng } from '../_support/target.ts';
import { crashCycles, crashTable, type CrashReport } from './_cycles.ts';

const target = await useMailTarget();
const CYCLES = Number(process.env.BM_DURABILITY_CYCLES ?? '') || 20;
const SENDERS = 4;
const RECIPIENTS = 4;
/** Budget of the whole kill run (each cycle: sends, a restart, a check of every box). */
const RUN_TIMEOUT_MS = 120_000 + CYCLES * 30_000;

function crashFaults(): Record<string, boolean> {
  const raw = process.env.BM_CRASH_FAULTS;
  if (!raw) return {};
  const v = JSON.parse(raw) as unknown;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError(`BM_CRASH_FAULTS: expected a JSON object of switches, got ${raw}`);
  return v as Record<string, boolean>;
}

let run: Promise<CrashReport | 'not-restartable'> | undefined;

/** The kill run, once for the file; every test judges its part of the one report. */
function killRun(): Promise<CrashReport | 'not-restartable'> {
  return (run ??= (async () => {
    let server: Restartable;
    let adminKey = target.adminKey;
    const spec = restartSpecFromEnv();
    if (spec) server = dockerRestartable(spec, target.caPem);
    else if (target.kind === 'builtin') {
      const child = await startReferenceChild({ resolverUrl: target.resolverUrl!, caFile: target.caFile!, caKeyFile: process.env.BM_CA_KEY_FILE!, storageFaults: crashFaults() });
      server = child;
      adminKey = child.adminKey;
    } else return 'not-restartable';
    try {
      const resolver = new SuiteResolver('durability', target.resolverUrl);
      const accounts = new AccountFactory(resolver, { url: server.url, adminKey });
      const api = new MailApi('durability', server.url);
      const senders: MailAccount[] = [];
      const recipients: MailAccount[] = [];
      for (let i = 0; i < SENDERS; i++) senders.push(await accounts.create(`dur-sender${i}`));
      for (let i = 0; i < RECIPIENTS; i++) recipients.push(await accounts.create(`dur-rcpt${i}`));
      const r = await crashCycles({ server, api, senders, recipients, cycles: CYCLES, rng: suiteRng('durability:kills'), log: (l) => process.stderr.write(`${l}\n`) });
      writeTable(r, server.label);
      return r;
    } finally {
      await server.close();
    }
  })());
}

/**
 * The counts table beside the run's reports (`<out>/durability.md`, BM_REPORT_DIR): a passing
 * test carries no message in report.json, and the figures are the point of the profile.
 */
function writeTable(r: CrashReport, label: string): void {
  const dir = process.env.BM_REPORT_DIR;
  if (!dir) return;
  const findings = [...r.lost, ...r.corrupt, ...r.duplicated, ...r.errorsBeforeKill];
  const text = [`# Durability: ${CYCLES} kill cycles against ${label}`, '', ...crashTable(r), '', ...(findings.length > 0 ? ['## Findings', '', ...findings.map((f) => `- ${f}`)] : ['No acknowledged message lost, none corrupt or listed twice.']), ''].join('\n');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'durability.md'), text);
}

async function report(): Promise<CrashReport> {
  const r = await killRun();
  if (r === 'not-restartable') unsupported('the target cannot be restarted by the harness: an image needs `restart` in its target manifest (docs/testing-your-server-image.md); a url target cannot be killed');
  return r;
}

/** The counts table and the first findings, as the test's message. */
function summary(r: CrashReport, findings: readonly string[]): string {
  return [...crashTable(r), ...findings.slice(0, 10), ...(findings.length > 10 ? [`… and ${findings.length - 10} more`] : [])].join('\n');
}

describe('durability › kill and restart on the same data', () => {
  // api.md §5.4 step 4 (202 accepts the message for processing), §5.5 (processing moves it into
  // the recipient's box). A message answered 2xx and missing after the restart is lost.
  it('BM-DUR-001 SHOULD deliver every message whose POST /incoming was acknowledged, across SIGKILLs and restarts on the same data', async () => {
    const r = await report();
    mustBe(r.cycles === CYCLES, `${r.cycles} of ${CYCLES} kill cycles ran`, CYCLES, r.cycles);
    mustBe(r.errorsBeforeKill.length === 0, `sends failed before any kill:\n${summary(r, r.errorsBeforeKill)}`, [], r.errorsBeforeKill);
    mustBe(r.acknowledged >= CYCLES, `only ${r.acknowledged} messages were acknowledged in ${CYCLES} cycles: too few to judge`, `>= ${CYCLES}`, r.acknowledged);
    mustBe(r.lost.length === 0, `acknowledged messages were lost:\n${summary(r, r.lost)}`, 0, r.lost.length);
  }, RUN_TIMEOUT_MS);

  // api.md §4 (a listed message is fetched with its header, catalog, blocks and attachments), §5.5.
  // A message is complete or absent: one listed that does not open, or opens to other content,
  // was made visible half-written.
  it('BM-DUR-002 SHOULD show after a restart only messages that open completely, decrypting to what was sent', async () => {
    const r = await report();
    mustBe(r.corrupt.length === 0, `messages in a box are half-written or altered:\n${summary(r, r.corrupt)}`, 0, r.corrupt.length);
  }, RUN_TIMEOUT_MS);

  // api.md §4 (box listing): one message, one entry, after however many restarts.
  it('BM-DUR-003 SHOULD list each delivered message exactly once after restarts', async () => {
    const r = await report();
    mustBe(r.duplicated.length === 0, `messages are listed more than once:\n${summary(r, r.duplicated)}`, 0, r.duplicated.length);
    process.stderr.write(`${crashTable(r).join('\n')}\n`);
  }, RUN_TIMEOUT_MS);
});
