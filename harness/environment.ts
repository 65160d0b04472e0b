/**
 * Every `BM_*` environment variable of the project: who sets it, which files read it, and what
 * it means. harness/ENVIRONMENT.md is generated from this table (STYLE.md "Harness and
 * adapters": environment settings are documented where they are read, and the docs page is
 * generated from that — after matrix-org/complement `config/config.go` → `ENVIRONMENT.md`).
 *
 * harness/environment.test.ts keeps the three in step: it fails when a `BM_*` name appears in the
 * code but not here, when an entry's `readIn` file does not mention its variable, and when
 * ENVIRONMENT.md is not the rendering of this table. After changing the table:
 *
 *     npm run docs:env        # = tsx harness/environment.ts --write
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Who the variable is for, which is also the section of the page it is listed in. */
export type EnvGroup = 'run' | 'switch' | 'tests' | 'internal';

export interface EnvVar {
  name: string;
  group: EnvGroup;
  /** Who sets it: a person, CI, or the module that passes it to a child process. */
  setBy: string;
  /** Repository paths of the files that read it (each must mention the name). */
  readIn: string[];
  /** What it means, the values it takes, and the default when unset. Markdown, one paragraph. */
  meaning: string;
}

const RUN_TARGETS = 'bm-conformance run (harness/targets/*.ts)';

export const ENVIRONMENT: readonly EnvVar[] = [
  // ----- run → suites: how the suites learn their target -----
  { name: 'BM_TARGET_KIND', group: 'run', setBy: RUN_TARGETS, readIn: ['suites/_support/target.ts', 'suites/vitest.suites.setup.ts'], meaning: '`builtin` | `url` | `command` | `image`. Unset (a suite run under plain vitest, e.g. `npm test`): the suites\' vitest set-up opens the builtin target (the reference implementation) instead.' },
  { name: 'BM_RESTART', group: 'run', setBy: 'harness/targets/image.ts', readIn: ['suites/_support/restart.ts'], meaning: 'JSON `{"kind":"docker","container","url","readyPath","readyStatus","timeoutMs"}`, set for a mail server image whose manifest declares `restart`: the durability profile kills (`docker kill`) and restarts (`docker start`) that container. Unset: the image cannot be restarted by the suites.' },
  { name: 'BM_REPORT_DIR', group: 'run', setBy: 'bm-conformance run (harness/run/index.ts)', readIn: ['suites/durability/crash.test.ts'], meaning: 'The run\'s `--out` folder, absolute: the durability profile writes its counts table there (`durability.md`).' },
  { name: 'BM_DURABILITY_CYCLES', group: 'run', setBy: 'bm-conformance run --cycles (harness/run/index.ts)', readIn: ['suites/durability/crash.test.ts'], meaning: 'Kill-and-restart cycles of the durability profile. Default 20.' },
  { name: 'BM_SERVER_URL', group: 'run', setBy: RUN_TARGETS, readIn: ['suites/_support/target.ts'], meaning: 'Base URL of the mail server under test (`--target url:…`, the image\'s port, or the builtin reference).' },
  { name: 'BM_RESOLVER_URL', group: 'run', setBy: RUN_TARGETS, readIn: ['suites/_support/target.ts'], meaning: 'Base URL of the key resolver: the one under test (`--resolver`, a resolver image) or the harness\'s own.' },
  { name: 'BM_CA_FILE', group: 'run', setBy: RUN_TARGETS, readIn: ['suites/_support/target.ts'], meaning: 'PEM file of the CA that signs the targets\' TLS certificates (`--ca`, or the harness\'s run CA). Trusted exclusively: the system roots are not.' },
  { name: 'BM_CA_KEY_FILE', group: 'run', setBy: 'harness/targets/builtin.ts, harness/targets/image.ts, harness/targets/url.ts (--ca-key)', readIn: ['suites/_support/peer.ts', 'suites/durability/crash.test.ts'], meaning: 'PEM private key of the run CA, so a suite can issue a certificate the target trusts for a counterparty it starts (a reference peer server). Builtin and image targets own their CA; a url target gives it with --ca-key.' },
  { name: 'BM_INSECURE', group: 'run', setBy: 'harness/targets/url.ts (`--insecure`)', readIn: ['suites/_support/target.ts'], meaning: '`1`: do not verify TLS certificates. Never the default; unset or `0` verifies against `BM_CA_FILE`.' },
  { name: 'BM_ADMIN_KEY', group: 'run', setBy: RUN_TARGETS, readIn: ['suites/_support/target.ts'], meaning: 'Management API key (`BMK-…`, `--admin-key`) the suites use to mint invites and provision accounts. Unset: tests that need an account are `error` ("config: no management key").' },
  { name: 'BM_ROUTING_ID', group: 'run', setBy: RUN_TARGETS, readIn: ['suites/_support/target.ts'], meaning: 'Routing id (64 lowercase hex) of the mail server under test, when the harness knows it.' },
  { name: 'BM_ADAPTER_CMD', group: 'run', setBy: 'harness/targets/command.ts, harness/targets/image.ts, harness/run/index.ts', readIn: ['suites/_support/target.ts', 'suites/_support/adapter.ts'], meaning: 'Adapter command line (ADAPTER.md), run through `sh -c`, one process per suite file. Unset: the built-in reference adapter, in-process.' },
  { name: 'BM_ADAPTER_SANDBOX', group: 'run', setBy: 'harness/targets/image.ts, harness/run/index.ts', readIn: ['suites/_support/sandbox.ts', 'harness/confidentiality/sandbox.ts'], meaning: 'JSON: how the confidentiality check starts a client image\'s adapter so it can read what it left behind: `{"kind":"docker-exec","container","command"}` (`docker diff` of that container) or `{"kind":"docker-run","image","command"}`. Unset: a command target\'s `BM_ADAPTER_CMD`, or the builtin reference adapter, runs as a child process with HOME, TMPDIR and its working directory in a fresh folder.' },
  { name: 'BM_SEED', group: 'run', setBy: 'harness/run/index.ts (`--seed`)', readIn: ['suites/_support/target.ts'], meaning: 'Hex seed of the run; every key and random value a suite makes is drawn from it. Default `626d2d72756e2d7631` ("bm-run-v1").' },
  { name: 'BM_POW_BITS', group: 'run', setBy: 'harness/run/index.ts (`--pow-bits`)', readIn: ['suites/_support/target.ts'], meaning: 'Proof-of-work minimum (bits) of a key resolver whose `/config.json` does not answer (the Go standalone resolver: its `-bits` flag, which sets both the address and the organisation minimum). Used only then. Unset and no `/config.json`: a test that needs the resolver\'s minimum is an `error` asking for `--pow-bits`; the suite does not guess.' },
  { name: 'BM_TIMEOUT_MS', group: 'run', setBy: 'harness/run/index.ts (`--timeout`)', readIn: ['suites/_support/target.ts'], meaning: 'Per-test timeout in ms (default 20000). Each HTTP request and adapter request is bounded by half of it, and a proof of work by the test\'s deadline.' },
  { name: 'BM_LIVENESS_DIR', group: 'run', setBy: 'harness/run/index.ts (a fresh folder per run, removed after it)', readIn: ['suites/_support/deadtargets.ts'], meaning: 'Folder where a suite worker records a target it declared dead (no answer to 3 requests in a row, nor to a probe), so every worker stops asking it and the report says when it stopped answering. Unset (a suite run under plain vitest): the record stays in the worker.' },
  { name: 'BM_FEATURES', group: 'run', setBy: 'harness/targets/builtin.ts (`webhooks`), harness/targets/url.ts (`--features`), harness/targets/image.ts (manifest `features` set to true)', readIn: ['suites/_support/target.ts'], meaning: 'Comma list of optional features the target has switched on, e.g. `webhooks`. A suite declares the tests of a feature only when it is listed and the tests of its absence (webhook routes answer 404) only when it is not. Unset: none.' },
  { name: 'BM_PEER_URL', group: 'run', setBy: 'harness/targets/image.ts', readIn: ['harness/load/index.ts'], meaning: 'Server images: base URL of the reference peer mail server the harness runs on its resolver. `bm-conformance load` sends its remote mail to it instead of starting a peer of its own; the suites start their own peer (suites/_support/peer.ts) and do not read it.' },
  { name: 'BM_PEER_ADMIN_KEY', group: 'run', setBy: 'harness/targets/image.ts', readIn: ['harness/load/index.ts'], meaning: 'Management key (`BMK-…`) of that peer server: `bm-conformance load` makes the remote recipients\' accounts there with it. Used only together with `BM_PEER_URL`.' },

  // ----- switches a person sets -----
  { name: 'BM_REFERENCE_FAULTS', group: 'switch', setBy: 'a person, or test/faults.test.ts', readIn: ['harness/targets/builtin.ts'], meaning: 'JSON `{"mail":{"<switch>":true,…},"resolver":{…}}`: the builtin target starts the reference with these fault switches on (harness/reference/mailserver/options.ts, harness/reference/resolver), to prove the matching tests fail. Unknown switches are refused.' },
  { name: 'BM_CRASH_FAULTS', group: 'switch', setBy: 'a person, or test/durability.slow.test.ts', readIn: ['suites/durability/crash.test.ts'], meaning: 'JSON `{"acknowledgeBeforeSync":true}` or `{"dropLastBlockOnRestart":true}`: the durability profile against builtin starts its reference child process with this crash defect (harness/reference/crashfaults.ts), to prove the profile fails on it.' },
  { name: 'BM_ADAPTER_FAULTS', group: 'switch', setBy: 'a person, a client-image manifest (implementations/reference/adapter-faults/), or test/confidentiality.test.ts', readIn: ['harness/adapter/main.ts', 'harness/adapter/faults.ts'], meaning: 'Comma list `log-subject`, `plain-block-file`: the reference adapter process (`bm-conformance adapter`) runs with these confidentiality defects (harness/adapter/faults.ts), to prove the client profile\'s confidentiality check fails on them. The builtin target\'s confidentiality check starts the reference adapter as a child process, which inherits it. Unknown names are refused (exit 2).' },
  { name: 'BM_BENCH_SERVER_MODES', group: 'switch', setBy: 'a person', readIn: ['bench/server.ts'], meaning: '`npm run bench`: comma list of the mail server modes to measure (`local`, `local-durable`, `remote`), in that order. Unset: all.' },
  { name: 'BM_BENCH_PROFILE', group: 'switch', setBy: 'a person', readIn: ['bench/server.ts'], meaning: '`npm run bench`: a folder; the benchmarked server processes write V8 CPU profiles there (`node --cpu-prof`).' },

  // ----- the project's own tests and CI -----
  { name: 'BM_REQUIRE_DOCKER', group: 'tests', setBy: '.ci/run', readIn: ['harness/targets/image.docker.test.ts', 'vitest.docker.config.ts'], meaning: '`1`: `npm run test:docker` fails when no Docker engine answers, instead of skipping.' },
  { name: 'BM_REQUIRE_BROWSER', group: 'tests', setBy: '.ci/run', readIn: ['reports/html.browser.test.ts'], meaning: '`1`: the headless-browser report test fails when chromium or playwright-core is missing, instead of skipping.' },
  { name: 'BM_CHROMIUM', group: 'tests', setBy: 'a person', readIn: ['reports/html.browser.test.ts'], meaning: 'Path of the chromium executable for the report test (default `/usr/bin/chromium`).' },
  { name: 'BM_UPDATE_SCREENSHOT', group: 'tests', setBy: 'a person', readIn: ['reports/html.browser.test.ts'], meaning: '`1`: the report test also rewrites docs/report-screenshot.png.' },
  { name: 'BM_GO_TESTDATA', group: 'tests', setBy: 'a person', readIn: ['harness/protocol/gotestdata.ts', 'vectors/gen/_msgfamily.ts'], meaning: 'Folder of the Go repository\'s test data (default: the copy in `vectors/external/bitmaelum-suite-testdata`, hashes recorded beside it): known-answer tests and the vector generators read it through `GO_TESTDATA_DIR`.' },
  { name: 'BM_SPEC_DIR', group: 'tests', setBy: 'a person', readIn: ['suites/requirements/requirements.test.ts'], meaning: 'Folder of spec/formats.md and spec/api.md (default: the copy in `spec/`): every section the requirement registry cites is checked to exist in it.' },
  { name: 'BM_FUZZ_REQUESTS', group: 'tests', setBy: 'harness/reference/mailserver/vitest.slow.config.ts (5000)', readIn: ['harness/reference/mailserver/errors.test.ts', 'harness/reference/resolver/fuzz.test.ts'], meaning: 'Number of generated requests the reference servers\' fuzz tests send (default 500 for the mail server, 1000 for the resolver).' },
  { name: 'BM_FUZZ_TRACE', group: 'tests', setBy: 'a person', readIn: ['harness/reference/mailserver/errors.test.ts'], meaning: 'Set: the mail server fuzz test prints its timings.' },

  { name: 'BM_TAKEDOWN_LOG', group: 'internal', setBy: 'harness/run/takedown.test.ts', readIn: ['harness/run/testdata/takedown/suites/server/crash-first.test.ts', 'harness/run/testdata/takedown/suites/server/others.test.ts'], meaning: 'Fixture suites of the takedown test: the file each test appends its title to, so the test can check that a test declaring meta.takesTargetDown ran last.' },
  { name: 'BM_REDIS_PORT', group: 'internal', setBy: 'implementations/go-bitmaelum-suite-95952d1/target.json (the harness renders it into the Go server image)', readIn: ['implementations/go-bitmaelum-suite-95952d1/server/entrypoint.sh'], meaning: 'Go server image: the loopback port its Redis listens on (required there).' },
  { name: 'BM_ETC', group: 'internal', setBy: 'a person building the Go server image', readIn: ['implementations/go-bitmaelum-suite-95952d1/server/entrypoint.sh'], meaning: 'Go server image: folder of config.yml, routing.json and tls/ (default /etc/bm).' },
  { name: 'BM_DATA', group: 'internal', setBy: 'a person building the Go server image', readIn: ['implementations/go-bitmaelum-suite-95952d1/server/entrypoint.sh'], meaning: 'Go server image: folder where Redis and the mail queues keep their files (default /srv/bm/data).' },

  // ----- parent → child process plumbing -----
  { name: 'BM_MAIL_OPTS', group: 'internal', setBy: 'harness/reference/mailserver/durability.slow.test.ts', readIn: ['harness/reference/mailserver/_child.ts'], meaning: 'JSON options of a reference mail server started as a child process (the SIGKILL durability test).' },
  { name: 'BM_PEER_OPTIONS', group: 'internal', setBy: 'suites/_support/peer.ts', readIn: ['suites/_support/_peer-process.ts'], meaning: 'JSON options of the reference peer mail server a suite starts in its own process (so the suite worker\'s own work never starves it): resolver URL, run CA, TLS certificate, routing and admin keys, ticket bits, fault switches, seed.' },
  { name: 'BM_BENCH_SERVER', group: 'internal', setBy: 'bench/server.ts', readIn: ['bench/_server-child.ts'], meaning: 'JSON configuration of a benchmarked server child process.' },
  { name: 'BM_ROLE', group: 'internal', setBy: 'implementations/reference/target.json (container `env`)', readIn: ['implementations/reference/target.json'], meaning: 'Set in the reference server image\'s environment as a label (`server`); the reference entry point does not read it.' },
];

const GROUPS: Record<EnvGroup, { title: string; intro: string }> = {
  run: { title: 'Set by `bm-conformance run` for the suites', intro: 'How a suite learns its target (DESIGN.md contract 4). The suites read them only through suites/_support/target.ts (`suiteTarget()`), never directly; you set them yourself only to run a suite file under plain vitest against a server of your own.' },
  switch: { title: 'Switches you set', intro: '' },
  tests: { title: 'The project\'s own tests and CI', intro: '' },
  internal: { title: 'Parent → child process plumbing', intro: 'Not for people to set: a test or tool passes them to a process it starts.' },
};

const esc = (s: string) => s.replace(/\|/g, '\\|');

/** The Markdown of harness/ENVIRONMENT.md. */
export function renderEnvironmentMd(vars: readonly EnvVar[] = ENVIRONMENT): string {
  const out = [
    '# Environment variables',
    '',
    '<!-- Generated from harness/environment.ts by `npm run docs:env`; edit the table there, not this file. -->',
    '',
    'Every `BM_*` variable the project reads or passes on. Command-line options are in',
    '[docs/running.md](../docs/running.md); an image target\'s template variables (`${PORT_HTTPS}`,',
    '`${TLS_CERT}`, …) in [docs/testing-your-server-image.md](../docs/testing-your-server-image.md).',
    '',
  ];
  for (const [group, { title, intro }] of Object.entries(GROUPS) as [EnvGroup, (typeof GROUPS)[EnvGroup]][]) {
    const rows = vars.filter((v) => v.group === group);
    if (rows.length === 0) continue;
    out.push(`## ${title}`, '');
    if (intro) out.push(intro, '');
    out.push('| variable | meaning | set by | read in |', '|---|---|---|---|');
    for (const v of rows) out.push(`| \`${v.name}\` | ${esc(v.meaning)} | ${esc(v.setBy)} | ${v.readIn.map((f) => `\`${f}\``).join(', ')} |`);
    out.push('');
  }
  return out.join('\n');
}

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ENVIRONMENT_MD = join(ROOT, 'harness', 'ENVIRONMENT.md');

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--write')) {
    writeFileSync(ENVIRONMENT_MD, renderEnvironmentMd());
    process.stdout.write(`wrote ${ENVIRONMENT_MD}\n`);
  } else {
    const same = readFileSync(ENVIRONMENT_MD, 'utf8') === renderEnvironmentMd();
    process.stdout.write(same ? 'harness/ENVIRONMENT.md is up to date\n' : 'harness/ENVIRONMENT.md differs from harness/environment.ts: run `npm run docs:env`\n');
    process.exitCode = same ? 0 : 1;
  }
}
