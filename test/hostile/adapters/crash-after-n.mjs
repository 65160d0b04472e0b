#!/usr/bin/env node
// Hostile adapter (issue 10 "Verdict integrity"): echo-plus-valid (every op answered `ok` with
// its own arguments plus `valid: true`, `deterministic: false`) that exits after answering N
// requests (default 5; `crash-after-n.mjs N`), so the harness keeps restarting it. Restarts must
// neither hide its lies nor turn crashes into passes.
import { serve, write } from './_serve.mjs';

const limit = Number(process.argv[2] ?? 5);
let answered = 0;
serve('crash-after-n', { deterministic: false }, (req) => {
  if (answered >= limit) process.exit(70);
  answered++;
  write({ id: req.id, ok: true, result: { ...(req.args ?? {}), valid: true } });
});
