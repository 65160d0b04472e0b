// Shared by the hostile adapters in this folder (not an adapter itself): the ADAPTER.md v1 op
// names, the result fields each op's schema requires, and a line loop that answers hello and
// hands every other request to the adapter's answer function.
import { createInterface } from 'node:readline';

export const OPS = ['hello', 'hash.string', 'hash.from_hex', 'address.hash', 'key.parse', 'key.generate', 'mnemonic.to_key', 'mnemonic.from_entropy', 'sign', 'verify', 'key.exchange', 'secret.encrypt', 'secret.decrypt', 'catalog.encrypt', 'catalog.decrypt', 'header.client_hash', 'header.server_hash', 'header.sign_client', 'header.sign_server', 'header.verify_client', 'header.verify_server', 'authorization.sign', 'message.compose', 'message.open', 'vault.open', 'vault.create', 'jwt.create', 'jwt.verify', 'pow.solve', 'pow.verify', 'invite.create', 'invite.verify', 'resolver.auth'];

/** Result fields per op (ADAPTER.md "Ops (v1)"). */
export const RESULT_FIELDS = {
  'hash.string': ['hash'], 'address.hash': ['address', 'local_hash', 'org_hash', 'hash'], 'key.parse': ['type', 'kind', 'public_key', 'fingerprint'],
  'key.generate': ['private_key', 'public_key', 'fingerprint'], 'mnemonic.to_key': ['private_key', 'public_key', 'fingerprint'], 'mnemonic.from_entropy': ['mnemonic'],
  sign: ['signature_b64'], verify: ['valid'], 'key.exchange': ['secret_hex'], 'secret.encrypt': ['ciphertext_b64', 'crypto', 'txid'], 'secret.decrypt': ['secret_b64'],
  'catalog.encrypt': ['ciphertext_b64'], 'catalog.decrypt': ['catalog'], 'header.client_hash': ['hash_hex', 'preimage'], 'header.server_hash': ['hash_hex', 'preimage'],
  'header.sign_client': ['header'], 'header.sign_server': ['header'], 'header.verify_client': ['valid'], 'header.verify_server': ['valid'], 'authorization.sign': ['signature_b64'],
  'message.compose': ['header', 'catalog_b64', 'blocks', 'attachments'], 'message.open': ['catalog', 'blocks', 'attachments'], 'vault.open': ['version', 'plaintext'], 'vault.create': ['vault'],
  'jwt.create': ['token'], 'jwt.verify': ['claims'], 'pow.solve': ['proof'], 'pow.verify': ['valid'], 'invite.create': ['token'], 'invite.verify': ['valid'], 'resolver.auth': ['bearer'],
};

export const write = (v) => process.stdout.write(`${typeof v === 'string' ? v : JSON.stringify(v)}\n`);

/**
 * Serve the protocol: hello gets a well-formed answer listing every op; any other request goes
 * to `answer(req)`, which writes its own reply (or none).
 */
export function serve(name, { deterministic = true } = {}, answer) {
  createInterface({ input: process.stdin }).on('line', (line) => {
    let req;
    try {
      req = JSON.parse(line);
    } catch {
      return write({ id: null, ok: false, error: { class: 'InvalidInput', message: 'request is not JSON' } });
    }
    if (req.op === 'hello') return write({ id: req.id, ok: true, result: { protocol: 1, implementation: { name, version: '1', language: 'js' }, ops: OPS, deterministic } });
    answer(req);
  });
}
