/**
 * vectors/signature_ed25519_test.json: Ed25519 signatures, ops `sign` / `verify`: pure Ed25519
 * over the message bytes, verified with Go's rule (cofactorless, S < ℓ, lenient key decoding)
 * (spec/formats.md §1.5; Go pkg/bmcrypto/key_ed25519.go:132-139, crypto/ed25519). Go known answer
 * of sign_test.go:107, the Go test keys, mutants, and small-order keys Go accepts.
 * Built by vectors/gen/_signature.ts.
 * @module
 */
import * as F from '../../harness/protocol/fixtures.ts';
import { GO_SIGN_MESSAGE, signatureFile } from './_signature.ts';

export const file = signatureFile('signature_ed25519', {
  type: 'ed25519',
  keys: [
    { label: 'key-ed25519-1', pair: F.GO_ED25519_1 },
    { label: 'privkey.ed25519', pair: F.GO_PRIVKEY_ED25519 },
    { label: 'key-ed25519-3', pair: F.GO_ED25519_3 },
    { label: 'key-ed25519-4', pair: F.GO_ED25519_4 },
    { label: 'alice', pair: F.ALICE_ED25519 },
    { label: 'bob', pair: F.BOB_ED25519 },
    { label: 'dke-recipient', pair: F.DKE_RECIPIENT_ED25519 },
    { label: 'vault-store-key', pair: { privateKey: F.MNEMONIC_ED25519.privateKey, publicKey: F.MNEMONIC_ED25519.publicKey } },
  ],
  kats: [
    [
      'privkey.ed25519',
      GO_SIGN_MESSAGE,
      '415c11b44a3abc626f0e217dd9ee3e4a529f02e53fdbd6e7b3ddb262669142434cbe7f2c8d48f7e29ac2e538c4c3d22dcc60f525eca909b1a65fe1fae414d005',
      'sign_test.go:107',
    ],
  ],
  other: F.GO_ED25519_3,
  otherType: F.GO_KEY_1,
  header: [
    'Ed25519 signatures: pure Ed25519 (RFC 8032) over the message bytes, 64 raw bytes. Deterministic.',
    "Verification follows Go crypto/ed25519: S < ℓ, cofactorless equation [S]B = R + [k]A compared as encoded R, public key decoded leniently; small-order keys are accepted by Go (acceptable cases).",
    'verify answers {"valid": false} for a wrong signature; a signature of the wrong length may also be refused with BadSignature.',
  ],
});
