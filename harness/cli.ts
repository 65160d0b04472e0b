/**
 * The `bm-conformance` command (DESIGN.md "Layout": harness/cli). Parses the sub-command and
 * hands its arguments to the module that owns it; nothing else lives here (STYLE.md: entry
 * points are thin).
 *
 * Start-up time matters (an adapter is spawned per run, and `echo … | bm-conformance adapter`
 * is the smoke test), so every sub-command is imported lazily: `--version` loads nothing but
 * package.json, `adapter` loads the adapter loop and only the protocol modules its ops touch.
 *
 * To add a sub-command (`run`, `replay`, `vectors`, `matrix`): add one entry to COMMANDS
 * with a one-line summary and a `run(argv)` that imports its module and returns an exit code.
 * @module
 */
import { readFileSync } from 'node:fs';

export interface Command {
  /** One line for `bm-conformance help`. */
  summary: string;
  /** Runs the sub-command with the arguments after its name; resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export const COMMANDS: Record<string, Command> = {
  adapter: {
    summary: 'serve the adapter protocol v1 (ADAPTER.md) over stdin/stdout with the reference library',
    async run(argv) {
      const { adapterMain } = await import('./adapter/index.ts');
      return adapterMain(argv);
    },
  },
  serve: {
    summary: 'run the reference mail server and key resolver on loopback',
    async run(argv) {
      const { serveMain } = await import('./reference/index.ts');
      return serveMain(argv);
    },
  },
  run: {
    summary: 'run the conformance suites against a target and write the reports (--help for options)',
    async run(argv) {
      if (argv.includes('--help')) {
        const { readFileSync } = await import('node:fs');
        const text = readFileSync(new URL('./run/options.ts', import.meta.url), 'utf8');
        process.stdout.write((/\/\*\*([\s\S]*?)\*\//.exec(text)?.[1] ?? '').replace(/^ \* ?/gm, '') + '\n');
        return 0;
      }
      const { runMain } = await import('./run/index.ts');
      return runMain(argv);
    },
  },
  replay: {
    summary: 'rerun one vector case (<file>#<tcId>) against a target and print the full exchange',
    async run(argv) {
      const { replayMain } = await import('./run/replay.ts');
      return replayMain(argv);
    },
  },
  matrix: {
    summary: 'run the interop and client profiles over every server × client pair and write matrix.md/.html',
    async run(argv) {
      const { matrixMain } = await import('./run/matrix.ts');
      return matrixMain(argv);
    },
  },
  merge: {
    summary: 'join the out folders of `run --shard I/N` into the reports of the whole run (--out DIR)',
    async run(argv) {
      const { mergeMain } = await import('./run/merge.ts');
      return mergeMain(argv);
    },
  },
  diff: {
    summary: 'compare two report.json files: Markdown of what newly fails or passes; exit 1 on a regression',
    async run(argv) {
      const { diffMain } = await import('./run/diff.ts');
      return diffMain(argv);
    },
  },
  load: {
    summary: 'N concurrent senders doing full sends against a mail server target: msg/s, latency, errors, lost (load.html)',
    async run(argv) {
      const { loadMain } = await import('./load/index.ts');
      return loadMain(argv);
    },
  },
  vectors: {
    summary: 'regenerate the published vectors from the seed (--check: fail on any difference)',
    async run(argv) {
      const { vectorsMain } = await import('../vectors/generate.ts');
      return vectorsMain(argv);
    },
  },
  help: {
    summary: 'show this help',
    async run() {
      process.stdout.write(usage());
      return 0;
    },
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    `bm-conformance ${packageVersion()} — conformance suite and interop harness for BitMaelum`,
    '',
    'usage: bm-conformance <command> [options]',
    '',
    'commands:',
    ...lines,
    '',
    'options:',
    '  --version  print the version',
    '  --help     show this help (also: bm-conformance <command> --help)',
    '',
  ].join('\n');
}

/** Entry point: returns the process exit code (2 for a usage error). */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const cmd = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!cmd) {
    process.stderr.write(`bm-conformance: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return 2;
  }
  return cmd.run(rest);
}
