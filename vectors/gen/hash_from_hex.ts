/**
 * vectors/hash_from_hex_test.json: a hash given as text, as Go's `hash.NewFromHash` parses it
 * (spec/formats.md §2.1, §2.3; Go pkg/hash/hash.go:52-59), through the optional adapter op
 * `hash.from_hex`. Go accepts `s` iff `strings.ToLower(s)` matches `^[a-f0-9]{64}$` and keeps `s`
 * as given: upper-case hex passes and stays upper-case. Go's `$` (RE2, no multi-line flag)
 * matches only at the end of the text, so a trailing newline is refused, unlike PCRE's `$`, which
 * also matches before a final "\n" (a PHP library accepted such hashes).
 * @module
 */
import type { CaseSpec, VectorFileSpec } from './_framework.ts';
import { GO_SUITE } from './_cryptogen.ts';

/** hash.New("somethingelse"), which hash_test.go parses back with NewFromHash. */
const GO_HASH = '102d0177f8ce6b0f5ada79780043ec90440529a53c98bd6043419e64c1d4274f';
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** [key, text, comment, flags] of texts Go accepts; each comes back exactly as given. */
const ACCEPTED: [string, string, string, string[]][] = [
  ['go-known', GO_HASH, 'Go known answer: NewFromHash of hash.New("somethingelse") succeeds (hash_test.go)', ['GoKnownAnswer']],
  ['empty-org-hash', EMPTY, 'the empty-organisation hash parses like any other', []],
  ['all-zero', '0'.repeat(64), '64 zeros are a well-formed hash', []],
  ['upper-case', GO_HASH.toUpperCase(), 'upper-case hex is accepted and kept upper-case: Go lower-cases for the check only', ['CaseKept']],
  ['mixed-case', GO_HASH.slice(0, 32).toUpperCase() + GO_HASH.slice(32), 'mixed-case hex is accepted and kept as given', ['CaseKept']],
];

/** [key, text, comment, flags] of texts Go refuses. */
const REFUSED: [string, string, string, string[]][] = [
  ['go-short', '12345678', 'Go known answer: NewFromHash("12345678") fails (hash_test.go)', ['GoKnownAnswer', 'Length']],
  ['empty', '', 'the empty text', ['Length']],
  ['len-63', GO_HASH.slice(0, 63), '63 hex characters', ['Length']],
  ['len-65', `${GO_HASH}0`, '65 hex characters', ['Length']],
  ['len-128', GO_HASH + GO_HASH, 'two hashes back to back (128 characters)', ['Length']],
  ['all-z', 'z'.repeat(64), '64 × z: letters past f are not hex', ['NonHex']],
  ['last-g', `${GO_HASH.slice(0, 63)}g`, 'a g in the last place', ['NonHex']],
  ['upper-g', `${GO_HASH.slice(0, 63).toUpperCase()}G`, 'an upper-case G, which lower-cases to g, not hex', ['NonHex']],
  ['prefix-0x', `0x${GO_HASH.slice(0, 62)}`, 'a 0x prefix (64 characters in all)', ['NonHex']],
  ['fullwidth-digit', `${GO_HASH.slice(0, 63)}\uff10`, 'a fullwidth digit zero (U+FF10) is not an ASCII digit', ['NonHex']],
  ['kelvin', `${GO_HASH.slice(0, 63)}\u212a`, "U+212A KELVIN SIGN lower-cases to 'k' in Go: still not hex", ['NonHex']],
  ['trailing-lf', `${GO_HASH}\n`, 'a trailing newline: Go\'s $ matches only at the end of the text', ['ControlCharacter']],
  ['trailing-crlf', `${GO_HASH}\r\n`, 'a trailing CR LF', ['ControlCharacter']],
  ['trailing-cr', `${GO_HASH}\r`, 'a trailing CR', ['ControlCharacter']],
  ['trailing-tab', `${GO_HASH}\t`, 'a trailing tab', ['ControlCharacter']],
  ['trailing-nul', `${GO_HASH}\u0000`, 'a trailing NUL', ['ControlCharacter']],
  ['leading-lf', `\n${GO_HASH}`, 'a leading newline', ['ControlCharacter']],
  ['lf-replacing-last', `${GO_HASH.slice(0, 63)}\n`, 'a newline in place of the last character (64 characters in all)', ['ControlCharacter']],
  ['trailing-space', `${GO_HASH} `, 'a trailing space is not trimmed', ['ControlCharacter']],
];

export const file: VectorFileSpec = {
  name: 'hash_from_hex',
  area: 'HASH',
  requirements: ['BM-HASH-003', 'BM-HASH-004'],
  source: { kind: 'imported', ...GO_SUITE, path: 'pkg/hash/hash.go:52-59, pkg/hash/hash_test.go', note: 'Go known answers (spec/formats.md §2.3) plus generated case, length, alphabet and control-character cases graded from NewFromHash' },
  header: [
    'A hash given as text (hash.NewFromHash): accepted iff its lower-cased form is exactly 64 characters of [a-f0-9].',
    'An accepted hash is kept exactly as given: upper-case hex stays upper-case (case is not folded).',
    'Nothing is trimmed: a trailing newline, CR LF, tab, NUL or space makes the text invalid.',
    'Op hash.from_hex is optional for adapters: one whose hello does not list it has these cases out of scope.',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Value asserted by a Go test at bitmaelum-suite 95952d1.', links: ['spec/formats.md §2.3'] },
    CaseKept: { bugType: 'GO_QUIRK', description: 'Go checks the lower-cased text but keeps the text as given.', effect: 'An implementation that lower-cases (or refuses upper case) disagrees with Go on what hash a request names.', links: ['pkg/hash/hash.go:52-59'] },
    Length: { bugType: 'BASIC', description: 'Not 64 characters.', effect: 'Accepting it lets a truncated or padded hash name an account.', links: ['pkg/hash/hash.go:52-59'] },
    NonHex: { bugType: 'BASIC', description: '64 characters, not all hex digits.', effect: 'Accepting it stores a hash no SHA-256 can produce.', links: ['pkg/hash/hash.go:52-59'] },
    ControlCharacter: { bugType: 'EDGE_CASE', description: 'Whitespace or a control character before, after or inside the hex. A regex whose $ also matches before a final newline (PCRE, PHP preg_match) accepts the trailing-newline case.', effect: 'Two texts name one hash, or a hash with a newline reaches a path or a log.', links: ['spec/formats.md §2.1'] },
    WireType: { bugType: 'BASIC', description: 'The op argument is not a JSON string.', effect: 'An adapter that coerces numbers or null to text parses the wrong value.', links: ['ADAPTER.md "Messages"'] },
  },
  build() {
    const accepted: CaseSpec[] = ACCEPTED.map(([key, hex, comment, flags]) => ({ key, comment, flags, inputs: { hex }, result: 'valid', expected: { hash: hex }, requirements: ['BM-HASH-003'] }));
    const refused: CaseSpec[] = REFUSED.map(([key, hex, comment, flags]) => ({
      key,
      comment,
      flags,
      inputs: { hex },
      result: 'invalid',
      errorClass: 'InvalidInput',
      requirements: flags.includes('Length') ? ['BM-HASH-003', 'BM-HASH-004'] : ['BM-HASH-003'],
    }));
    const wire: CaseSpec[] = [
      { key: 'wire-number', comment: 'hex is a JSON number, not a string', flags: ['WireType'], inputs: { hex: 12345678 }, result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-HASH-003'] },
      { key: 'wire-missing', comment: 'hex is missing', flags: ['WireType'], inputs: {}, result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-HASH-003'] },
    ];
    return [
      { op: 'hash.from_hex', comment: 'texts Go accepts, kept as given', cases: accepted },
      { op: 'hash.from_hex', comment: 'texts Go refuses: length, alphabet, whitespace and control characters', source: { kind: 'generated' }, cases: refused },
      { op: 'hash.from_hex', comment: 'arguments of the wrong JSON type', source: { kind: 'generated' }, cases: wire },
    ];
  },
};
