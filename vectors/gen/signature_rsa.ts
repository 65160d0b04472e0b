/**
 * vectors/signature_rsa_test.json: RSA signatures, ops `sign` / `verify`: RSASSA-PKCS1-v1_5 over
 * SHA-256(message) (spec/formats.md §1.5; Go pkg/bmcrypto/key_rsa.go:172-188). Go known answer of
 * sign_test.go:57 (the 1024-bit PKCS#1 test key), every RSA-2048 test key of testdata/, mutants.
 * Built by vectors/gen/_signature.ts.
 * @module
 */
import * as F from '../../harness/protocol/fixtures.ts';
import { GO_SIGN_MESSAGE, signatureFile } from './_signature.ts';

export const file = signatureFile('signature_rsa', {
  type: 'rsa',
  keys: [
    { label: 'key-1', pair: F.GO_KEY_1 },
    { label: 'privkey.rsa', pair: F.GO_PRIVKEY_RSA_1024 },
    { label: 'key-2', pair: F.GO_KEY_2 },
    { label: 'key-3', pair: F.GO_KEY_3 },
    { label: 'key-4', pair: F.GO_KEY_4 },
    { label: 'key-5', pair: F.GO_KEY_5 },
    { label: 'key-6', pair: F.GO_KEY_6 },
    { label: 'key-7', pair: F.GO_KEY_7 },
    { label: 'key-8', pair: F.GO_KEY_8 },
    { label: 'routing', pair: F.GO_ROUTING_V0_KEY },
  ],
  kats: [
    [
      'privkey.rsa',
      GO_SIGN_MESSAGE,
      '74c7079a727e01f2aca1564e95974160b6231316da6ba1e15d5237e28bac5509acbe2dbd2fd4aedbd40fd6eefe7586f5caa52f6fba24db8ab3d581ebbfe671e4b11b6e8a6e726c5d275724b74ea5b1f50084ad998288b71a2a7ecc616f77583dda09180bfc0322f5039644f510f920fc27b747fef7564b985cce13ed11748e4e',
      'sign_test.go:57',
    ],
  ],
  other: F.GO_KEY_2,
  otherType: F.GO_ED25519_1,
  header: [
    'RSA signatures (type rsa): RSASSA-PKCS1-v1_5 with SHA-256 over the message bytes; a 32-byte digest message is hashed again.',
    'Signatures are deterministic, so sign cases compare bytes. verify answers {"valid": false} for a wrong signature; a signature of the wrong length may also be refused with BadSignature.',
  ],
});
