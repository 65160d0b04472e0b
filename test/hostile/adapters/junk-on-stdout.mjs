#!/usr/bin/env node
// Hostile adapter (issue 10 "Verdict integrity"): logs to stdout instead of stderr. Before each
// answer (`ok` with `{}`) it prints a progress line that is not JSON, which is the protocol's
// garbage: every request must end as an `error` naming it, never as a pass.
import { serve, write } from './_serve.mjs';

serve('junk-on-stdout', {}, (req) => {
  write(`[info] handling ${req.op} …`);
  write({ id: req.id, ok: true, result: {} });
});
