#!/usr/bin/env node
// Hostile adapter (issue 10 "Verdict integrity", item 5 "dead targets are bounded"): answers
// hello, then N more requests (default 0; `hello-then-silence.mjs N`) with `ok` `{}`, then goes
// to sleep: it reads on and never answers anything again, hello included. With N = 1 each
// restart answers one op and hangs: the harness must still count it as hung, declare it dead
// after one probe, and end the run within the bound, with every remaining test `error`.
import { createInterface } from 'node:readline';
import { OPS, write } from './_serve.mjs';

const answers = Number(process.argv[2] ?? 0);
let helloDone = false;
let answered = 0;
createInterface({ input: process.stdin }).on('line', (line) => {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return;
  }
  if (req.op === 'hello' && !helloDone) {
    helloDone = true;
    return write({ id: req.id, ok: true, result: { protocol: 1, implementation: { name: 'hello-then-silence', version: '1', language: 'js' }, ops: OPS, deterministic: true } });
  }
  if (!helloDone || answered >= answers) return; // asleep: read, never answer
  answered++;
  write({ id: req.id, ok: true, result: {} });
});
