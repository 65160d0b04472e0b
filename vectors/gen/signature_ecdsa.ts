/**
 * vectors/signature_ecdsa_test.json: ECDSA P-384 signatures, ops `sign` / `verify`: the message
 * IS the digest (no hashing; longer than 48 bytes → leftmost 48), DER SEQUENCE{r, s}, no low-S
 * rule (spec/formats.md §1.5; Go pkg/bmcrypto/key_ecdsa.go:110-133). Go's ECDSA signatures are
 * randomized, so there is no Go known answer; sign cases are deterministic under their case seed
 * (the reference draws the nonce's extra entropy from it). Built by vectors/gen/_signature.ts.
 * @module
 */
import * as F from '../../harness/protocol/fixtures.ts';
import { signatureFile } from './_signature.ts';

export const file = signatureFile('signature_ecdsa', {
  type: 'ecdsa',
  keys: [
    { label: 'privkey.ecdsa', pair: F.GO_PRIVKEY_ECDSA },
    { label: 'alice', pair: F.ALICE_ECDSA },
    { label: 'bob', pair: F.BOB_ECDSA },
  ],
  kats: [],
  other: F.ALICE_ECDSA,
  otherType: F.GO_ED25519_1,
  header: [
    'ECDSA signatures (type ecdsa, P-384): ecdsa.Sign with the message used directly as the digest (truncated to its leftmost 48 bytes), encoded as DER SEQUENCE{INTEGER r, INTEGER s}.',
    'Go signatures are randomized: sign cases carry a seed and are byte-comparable only for an adapter that draws the nonce as the reference does; other adapters are checked by verifying their output.',
    'Go accepts high-S signatures and ignores bytes after the DER SEQUENCE; verify answers {"valid": false} for a wrong signature, and malformed DER may also be refused with BadSignature.',
  ],
});
