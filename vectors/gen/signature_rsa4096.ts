/**
 * vectors/signature_rsa4096_test.json: RSA signatures under type rsa4096 (same rule as rsa:
 * RSASSA-PKCS1-v1_5 over SHA-256(message), spec/formats.md §1.5). The key is the suite's own
 * RSA-4096 fixture (Go's test data has none). Built by vectors/gen/_signature.ts.
 * @module
 */
import * as F from '../../harness/protocol/fixtures.ts';
import { signatureFile } from './_signature.ts';

export const file = signatureFile('signature_rsa4096', {
  type: 'rsa4096',
  keys: [{ label: 'rsa4096-fixture', pair: F.RSA4096_FIXTURE }],
  kats: [],
  other: {
    // key-1 (2048 bits) under the rsa4096 type word: Go parses it (no size check), and it is another key.
    privateKey: F.GO_KEY_1.privateKey.replace(/^rsa /, 'rsa4096 '),
    publicKey: F.GO_KEY_1.publicKey.replace(/^rsa /, 'rsa4096 '),
  },
  otherType: F.GO_PRIVKEY_ECDSA,
  header: [
    'RSA-4096 signatures (type rsa4096): RSASSA-PKCS1-v1_5 with SHA-256 over the message bytes, 512-byte signatures.',
    'Signatures are deterministic, so sign cases compare bytes. verify answers {"valid": false} for a wrong signature; a signature of the wrong length may also be refused with BadSignature.',
  ],
});
