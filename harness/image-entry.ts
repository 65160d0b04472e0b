/**
 * Entry point of the reference images (issue 6, images/build.ts): the `serve`, `adapter` and
 * `idle` sub-commands of `bm-conformance`, with every module imported statically so esbuild can
 * bundle it into one ESM file. harness/cli.ts imports its sub-commands lazily by computed paths
 * (start-up time), which a bundler cannot follow; this entry trades that for a closed module
 * graph.
 *
 *   node /app/bm-conformance.mjs serve [serve flags]   reference mail server + key resolver
 *   node /app/bm-conformance.mjs adapter                reference adapter on stdin/stdout
 *   node /app/bm-conformance.mjs idle                   wait for SIGTERM (keeps a client-adapter
 *                                                       container up for `docker exec`)
 *   node /app/bm-conformance.mjs --version
 * @module
 */
import { adapterMain } from './adapter/index.ts';
import { serveMain } from './reference/index.ts';

declare const __BM_VERSION__: string | undefined;
/** Set by the bundler (esbuild `define`); `dev` when run from source. */
export const IMAGE_VERSION: string = typeof __BM_VERSION__ === 'string' ? __BM_VERSION__ : 'dev';

export const IMAGE_USAGE = `usage: bm-conformance <serve|adapter|idle> [options]   (reference image ${IMAGE_VERSION})
  serve     run the reference mail server and key resolver (serve --help for flags)
  adapter   serve the adapter protocol v1 on stdin/stdout
  idle      do nothing until SIGTERM/SIGINT (client-adapter containers, driven by docker exec)
`;

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    // A pending promise alone does not keep Node alive (it would exit 13, "unsettled top-level await").
    const keepAlive = setInterval(() => undefined, 1 << 30);
    const on = (s: NodeJS.Signals) => {
      clearInterval(keepAlive);
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(s);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/** Run one sub-command; resolves with the exit code. */
export async function imageMain(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'serve': return serveMain(rest);
    case 'adapter': return adapterMain(rest);
    case 'idle': {
      process.stdout.write('idle: ready\n');
      await untilSignal();
      return 0;
    }
    case '--version': case 'version':
      process.stdout.write(`${IMAGE_VERSION}\n`);
      return 0;
    case undefined: case '--help': case '-h': case 'help':
      process.stdout.write(IMAGE_USAGE);
      return cmd === undefined ? 2 : 0;
    default:
      process.stderr.write(`bm-conformance: unknown command ${JSON.stringify(cmd)}\n${IMAGE_USAGE}`);
      return 2;
  }
}

// Run when executed as the bundle's entry (not when imported by a test).
if (process.argv[1] && /bm-conformance\.mjs$|image-entry\.ts$/.test(process.argv[1])) {
  const cmd = process.argv[2];
  const code = await imageMain(process.argv.slice(2));
  // `serve` and `idle` hold timers and sockets until closed; exit once they said they are done.
  // `adapter` ends at end of input: let stdout drain naturally.
  if (cmd === 'adapter') process.exitCode = code;
  else process.exit(code);
}
