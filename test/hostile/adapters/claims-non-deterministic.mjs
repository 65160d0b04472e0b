#!/usr/bin/env node
// Hostile adapter (issue 10 "Verdict integrity"): says `deterministic: false`, so its outputs
// cannot be compared byte for byte, and answers every op with fresh random values of the right
// shape (hex hashes, base64 ciphertexts and signatures, `valid: true`). Looks like an
// implementation whose randomised ops merely differ; implements nothing. Only round trips
// through the reference and expected answers can tell.
import { randomBytes } from 'node:crypto';
import { RESULT_FIELDS, serve, write } from './_serve.mjs';

const hex = (n) => randomBytes(n).toString('hex');
const b64 = (n) => randomBytes(n).toString('base64');
function randomResult(op) {
  const result = {};
  for (const f of RESULT_FIELDS[op] ?? []) {
    if (f === 'valid') result[f] = true;
    else if (f.endsWith('_b64')) result[f] = b64(48);
    else if (f.endsWith('_hex') || f.endsWith('hash') || f === 'fingerprint' || f === 'txid') result[f] = hex(32);
    else if (f === 'private_key' || f === 'public_key') result[f] = `ed25519 ${b64(44)}`;
    else if (f === 'version' || f === 'proof') result[f] = randomBytes(2).readUInt16BE(0);
    else if (['catalog', 'claims', 'plaintext', 'vault', 'header'].includes(f)) result[f] = { random: hex(8) };
    else if (f === 'blocks' || f === 'attachments') result[f] = op === 'message.open' ? [] : { [hex(4)]: b64(16) };
    else result[f] = hex(12);
  }
  return result;
}
serve('claims-non-deterministic', { deterministic: false }, (req) => write({ id: req.id, ok: true, result: randomResult(req.op) }));
