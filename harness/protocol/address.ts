/**
 * BitMaelum addresses (spec/formats.md §2.2; Go `pkg/address/address.go:35-123`).
 *
 * Normalisation (`sanitizeAddress`) runs before validation: Go `strings.ToLower`, then every `.`
 * and `-` is deleted anywhere in the string. Go lower-cases rune by rune with the simple
 * (one-to-one) Unicode mapping, whereas JS `String.prototype.toLowerCase` applies SpecialCasing
 * (U+0130 → "i̇", two code points) and the context rule for final sigma. We therefore map each
 * code point on its own and special-case U+0130 → "i" (its simple mapping, the only unconditional
 * one-to-many lowercase entry in SpecialCasing). The result matters: "JAY@ORG!" and "İAY@org!"
 * are valid addresses in Go.
 * @module
 */
import { astring, preview } from './bytes.ts';
import { InvalidAddress } from './errors.ts';
import { hashString } from './hash.ts';

export interface Address {
  /** Normalised text form: `local!` or `local@org!`. */
  readonly address: string;
  readonly local: string;
  /** `""` when the address has no organisation part. */
  readonly org: string;
  /** `hash.New(local)`. */
  readonly localHash: string;
  /** `hash.New(org)` (the empty-string hash when there is no org). */
  readonly orgHash: string;
  /** `Address.Hash()` = `hash.New(localHash + orgHash)` on the hex strings. */
  readonly hash: string;
}

/** Go `strings.ToLower`: per-rune simple lowercase mapping. */
export function goToLower(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\u0130') out += 'i';
    else {
      const l = ch.toLowerCase();
      // Any other one-to-many result would be a SpecialCasing entry Go does not apply; keep the rune then.
      out += [...l].length === 1 ? l : ch;
    }
  }
  return out;
}

/** Lower-case, then delete every '.' and '-' (`address.go:88-93`). */
export function sanitizeAddress(s: string): string {
  return goToLower(s).replace(/[.-]/g, '');
}

const ADDRESS_RE = /^([a-z0-9][a-z0-9.-]{1,62}[a-z0-9])(?:@([a-z0-9][a-z0-9.-]{0,62}[a-z0-9]))?!$/;

/** `address.NewAddress`: throws `InvalidAddress` for anything the Go regex rejects after normalisation. */
export function parseAddress(s: string): Address {
  astring(s, 'address');
  const clean = sanitizeAddress(s);
  const m = ADDRESS_RE.exec(clean);
  if (!m) throw new InvalidAddress(`address: incorrect address format specified: ${preview(s)}`);
  const local = m[1]!;
  const org = m[2] ?? '';
  const localHash = hashString(local);
  const orgHash = hashString(org);
  return {
    address: org === '' ? `${local}!` : `${local}@${org}!`,
    local,
    org,
    localHash,
    orgHash,
    hash: hashString(localHash + orgHash),
  };
}

/** `IsValidAddress`. */
export function isValidAddress(s: unknown): boolean {
  if (typeof s !== 'string') return false;
  return ADDRESS_RE.test(sanitizeAddress(s));
}

/** Hash of an organisation name as used by resolver records, vault and org PoW: the single `hash.New(org)`. */
export function organisationHash(org: string): string {
  astring(org, 'org');
  return hashString(org);
}
