#!/usr/bin/env node
// The `bm-conformance` command: registers tsx so the TypeScript sources run without a build
// step, then hands the arguments to harness/cli.ts (STYLE.md: entry points are thin).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/cli.ts');
process.exitCode = await main(process.argv.slice(2));
