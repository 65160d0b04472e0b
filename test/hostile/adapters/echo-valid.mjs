#!/usr/bin/env node
// Hostile adapter (issue 10 "Verdict integrity"): implements nothing, yet answers every op of
// ADAPTER.md v1 with its own arguments plus `valid: true`, and says `deterministic: false` so
// that its outputs cannot be compared byte for byte. Whatever it "passes" must be a case whose
// correct answer can be read off the inputs; a verifier that is always true, an encryption
// that returns its plaintext or a signature that is the message must all fail.
// `--fit` shapes the lie to each op's result schema instead (every field the schema requires,
// none extra): a field named like an argument echoes it, `valid` is true, a `_b64` field echoes
// the first `_b64` argument, anything else is an empty value of the right kind. Then only the
// judge's semantic checks (expected answers, round trips) stand between it and a pass.
// Used by test/hostile-adapters.test.ts.
import { RESULT_FIELDS, serve, write } from './_serve.mjs';

const fit = process.argv.includes('--fit');
function fitted(op, args) {
  const b64 = Object.keys(args).find((k) => k.endsWith('_b64'));
  const result = {};
  for (const f of RESULT_FIELDS[op] ?? []) {
    if (f in args) result[f] = args[f];
    else if (f === 'valid') result[f] = true;
    else if (f.endsWith('_b64')) result[f] = b64 ? args[b64] : '';
    else if (f === 'version' || f === 'proof') result[f] = 0;
    else if (['catalog', 'claims', 'plaintext', 'vault', 'header'].includes(f)) result[f] = {};
    else if (f === 'blocks' || f === 'attachments') result[f] = op === 'message.open' ? [] : {};
    else result[f] = '';
  }
  return result;
}

serve('echo-valid', { deterministic: false }, (req) => {
  write({ id: req.id, ok: true, result: fit ? fitted(req.op, req.args ?? {}) : { ...(req.args ?? {}), valid: true } });
});
