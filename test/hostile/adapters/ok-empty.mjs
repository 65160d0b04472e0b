#!/usr/bin/env node
// Hostile adapter (issue 10 "Verdict integrity"): implements nothing, yet answers every op of
// ADAPTER.md v1 with `{"ok": true, "result": {}}` and a well-formed hello that lists them all
// and claims `deterministic: true`. A conformance run must give it no pass at all: an `ok`
// earns nothing unless its result is checked. Used by test/hostile-adapters.test.ts.
import { createInterface } from 'node:readline';

const OPS = ['hello', 'hash.string', 'hash.from_hex', 'address.hash', 'key.parse', 'key.generate', 'mnemonic.to_key', 'mnemonic.from_entropy', 'sign', 'verify', 'key.exchange', 'secret.encrypt', 'secret.decrypt', 'catalog.encrypt', 'catalog.decrypt', 'header.client_hash', 'header.server_hash', 'header.sign_client', 'header.sign_server', 'header.verify_client', 'header.verify_server', 'authorization.sign', 'message.compose', 'message.open', 'vault.open', 'vault.create', 'jwt.create', 'jwt.verify', 'pow.solve', 'pow.verify', 'invite.create', 'invite.verify', 'resolver.auth'];
const out = (v) => process.stdout.write(`${JSON.stringify(v)}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return out({ id: null, ok: false, error: { class: 'InvalidInput', message: 'request is not JSON' } });
  }
  if (req.op === 'hello') return out({ id: req.id, ok: true, result: { protocol: 1, implementation: { name: 'ok-empty', version: '1', language: 'js' }, ops: OPS, deterministic: true } });
  out({ id: req.id, ok: true, result: {} });
});
