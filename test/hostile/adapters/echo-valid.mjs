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
import { createInterface } from 'node:readline';

const OPS = ['hello', 'hash.string', 'hash.from_hex', 'address.hash', 'key.parse', 'key.generate', 'mnemonic.to_key', 'mnemonic.from_entropy', 'sign', 'verify', 'key.exchange', 'secret.encrypt', 'secret.decrypt', 'catalog.encrypt', 'catalog.decrypt', 'header.client_hash', 'header.server_hash', 'header.sign_client', 'header.sign_server', 'header.verify_client', 'header.verify_server', 'authorization.sign', 'message.compose', 'message.open', 'vault.open', 'vault.create', 'jwt.create', 'jwt.verify', 'pow.solve', 'pow.verify', 'invite.create', 'invite.verify', 'resolver.auth'];
const RESULT_FIELDS = {
  'hash.string': ['hash'], 'address.hash': ['address', 'local_hash', 'org_hash', 'hash'], 'key.parse': ['type', 'kind', 'public_key', 'fingerprint'],
  'key.generate': ['private_key', 'public_key', 'fingerprint'], 'mnemonic.to_key': ['private_key', 'public_key', 'fingerprint'], 'mnemonic.from_entropy': ['mnemonic'],
  sign: ['signature_b64'], verify: ['valid'], 'key.exchange': ['secret_hex'], 'secret.encrypt': ['ciphertext_b64', 'crypto', 'txid'], 'secret.decrypt': ['secret_b64'],
  'catalog.encrypt': ['ciphertext_b64'], 'catalog.decrypt': ['catalog'], 'header.client_hash': ['hash_hex', 'preimage'], 'header.server_hash': ['hash_hex', 'preimage'],
  'header.sign_client': ['header'], 'header.sign_server': ['header'], 'header.verify_client': ['valid'], 'header.verify_server': ['valid'], 'authorization.sign': ['signature_b64'],
  'message.compose': ['header', 'catalog_b64', 'blocks', 'attachments'], 'message.open': ['catalog', 'blocks', 'attachments'], 'vault.open': ['version', 'plaintext'], 'vault.create': ['vault'],
  'jwt.create': ['token'], 'jwt.verify': ['claims'], 'pow.solve': ['proof'], 'pow.verify': ['valid'], 'invite.create': ['token'], 'invite.verify': ['valid'], 'resolver.auth': ['bearer'],
};
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
const out = (v) => process.stdout.write(`${JSON.stringify(v)}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return out({ id: null, ok: false, error: { class: 'InvalidInput', message: 'request is not JSON' } });
  }
  if (req.op === 'hello') return out({ id: req.id, ok: true, result: { protocol: 1, implementation: { name: 'echo-valid', version: '1', language: 'js' }, ops: OPS, deterministic: false } });
  out({ id: req.id, ok: true, result: fit ? fitted(req.op, req.args ?? {}) : { ...(req.args ?? {}), valid: true } });
});
