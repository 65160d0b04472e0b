/**
 * vectors/address_hash_test.json: address normalisation and hashing (spec/formats.md §2.2–§2.3,
 * Go pkg/address/address.go, pkg/hash/hash.go). Imported Go known answers plus generated
 * normalisation edge cases (dots, dashes, case, Unicode lower-casing, length limits).
 * @module
 */
import type { CaseSpec, VectorFileSpec } from './_framework.ts';
import { GO_SUITE } from './_cryptogen.ts';

const KATS: [string, string, string?, string?][] = [
  // address, hash, local hash, org hash
  ['joshua@bitmaelum!', '6b024a4e51c0c4a30c3750115c66be776253880bb4af0f313e3bf2236e808840', 'fc52fabe94c0e037d2df4498e87481a6438960c9f73d517584a7a5c564535ac4', '49aa67181f4a3176f9b65605390bb81126e8ff1f6d03b1bd220c53e7a6b36d3e'],
  ['joshua!', '66c94b6643ada5661b2d940eb87502b5af0f47f40fd45ce0fa125502dfa9c1ee', undefined, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['example!', '2244643da7475120bf84d744435d15ea297c36ca165ea0baaa69ec818d0e952f'],
  ['jaytaph!', '88667a68d0976d6c9106d4a68b4097026f0daeaec1aeb8351b096637679cf350'],
  ['bitmaelum!', 'dcc59b2c83ea86f1fd4d82f54acebfb083283553ef798380b18a0b5e512e668b'],
  ['hello@bitmaelum!', 'f3828fb0917561b49b2229953110e65785228f5302973ee52208a76bffc26aee'],
  ['hello@example!', 'a5098c40c4b7e272403f94d752026f45faeab26b4d67804c887969461b032074'],
  ['jay!', 'e3c57837799cbbcaea93913a5ce9d05c21abd5ce0eb0e583c7ee19533d0b8d4b', 'bfef4adc39f01b033fe749bb5f28f10b581fef319d34445d21a7bc63fe732fa3'],
  ['jay@org!', '7e0f626bc680f4e79c950132bf34bc90bc21233a5649b11355278893501eb5b9', undefined, 'e87cb45c05ad389d58904ea398345c24b50f46c15d412d0f671e66b766247d39'],
];
const NORMALISE_TO_JAY_ORG = ['ja.y@org!', 'j.a.y@org!', 'j.a.y@o..rg!', 'j.a.y@o..r---g!', 'j.a.y@o..r-..--g.....!'];
const VALID_GO = ['j1234!', '1ja!', 'abc@de!', 'y' + 'jay'.repeat(21) + '!', 'y' + 'jay'.repeat(21) + '@y' + 'jay'.repeat(21) + '!'];
const INVALID_GO = ['jay', 'j!', 'ja!', '1!', 'jay-@o$rg!', '@@org!', '@org!', 'ab@de!', 'abc@d!', 'y' + 'jay'.repeat(21) + 'x!', 'abc@y' + 'jay'.repeat(21) + 'x!'];

/** [key, address, comment] of addresses with a control character; Go refuses each. */
const CONTROL: [string, string, string][] = [
  ['trailing-lf', 'jay!\n', 'a trailing newline after the !'],
  ['trailing-lf-org', 'abc@de!\n', 'a trailing newline after local@org!'],
  ['trailing-crlf', 'jay!\r\n', 'a trailing CR LF'],
  ['trailing-cr', 'jay!\r', 'a trailing CR'],
  ['trailing-tab', 'jay!\t', 'a trailing tab'],
  ['trailing-nul', 'jay!\u0000', 'a trailing NUL'],
  ['leading-lf', '\njay!', 'a leading newline'],
  ['lf-before-bang', 'jay\n!', 'a newline before the !'],
  ['lf-in-local', 'ja\ny!', 'a newline inside the local part'],
  ['tab-in-org', 'jay@o\trg!', 'a tab inside the organisation'],
  ['vertical-tab', 'jay!\u000b', 'a trailing vertical tab'],
  ['del', 'jay!\u007f', 'a trailing DEL'],
];

export const file: VectorFileSpec = {
  name: 'address_hash',
  area: 'ADDR',
  requirements: ['BM-ADDR-001', 'BM-ADDR-002', 'BM-ADDR-003', 'BM-ADDR-004', 'BM-ADDR-005', 'BM-ADDR-006', 'BM-ADDR-009', 'BM-HASH-001', 'BM-HASH-005', 'BM-HASH-007'],
  source: { kind: 'imported', ...GO_SUITE, path: 'pkg/address/address_test.go, pkg/hash/hash_test.go', note: 'Go known answers (spec/formats.md §2.3) plus generated normalisation cases' },
  header: [
    'Address parsing, normalisation and hashing: hash = sha256hex(sha256hex(local) ‖ sha256hex(org)).',
    'Normalisation lower-cases per rune (Go strings.ToLower) and deletes every "." and "-" before the syntax check.',
    'Every hash is lowercase hex: hashes travel in URLs and bodies and are compared as strings (BM-HASH-007).',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Value asserted by a Go test at bitmaelum-suite 95952d1.', links: ['spec/formats.md §2.3'] },
    Normalisation: { bugType: 'EDGE_CASE', description: 'Dots, dashes and upper case are removed or folded before hashing.', effect: 'Two spellings of one address hash differently, so mail is routed to the wrong or no account.', links: ['pkg/address/address.go:88-93'] },
    UnicodeLower: { bugType: 'GO_QUIRK', description: "Go lower-cases rune by rune (U+0130 → 'i', U+212A → 'k'); JavaScript's full-string toLowerCase gives different text.", effect: 'An implementation accepts or hashes a different address than Go.', links: ['spec/formats.md §2.2'] },
    ControlCharacter: { bugType: 'EDGE_CASE', description: 'A newline, CR, tab, NUL or other control character before, inside or after the address. A regex whose $ also matches before a final newline (PCRE, PHP preg_match) accepts the trailing-newline cases.', effect: 'Two texts name one account, or an address with a newline reaches a header or a log.', links: ['pkg/address/address.go:35'] },
    Syntax: { bugType: 'BASIC', description: 'Address that the Go regex rejects (after normalisation local must be 3–64 [a-z0-9], org 2–64).', effect: 'Accepting it creates accounts Go clients cannot address.', links: ['pkg/address/address.go:35'] },
  },
  build() {
    const kats: CaseSpec[] = KATS.map(([address, hash, local, org]) => ({
      key: `go-${address}`,
      comment: `Go known answer for ${address}`,
      flags: ['GoKnownAnswer'],
      inputs: { address },
      result: 'valid',
      expected: { hash, ...(local ? { local_hash: local } : {}), ...(org ? { org_hash: org } : {}) },
      // Every hash is compared as exact lowercase hex text (BM-HASH-007: upper case would not match).
      requirements: ['BM-ADDR-005', 'BM-ADDR-006', 'BM-ADDR-009', 'BM-HASH-007'],
    }));
    const norm: CaseSpec[] = NORMALISE_TO_JAY_ORG.map((address) => ({
      key: `normalise-${address}`,
      comment: `${address} normalises to jay@org!`,
      flags: ['GoKnownAnswer', 'Normalisation'],
      inputs: { address },
      result: 'valid',
      expected: { address: 'jay@org!', hash: '7e0f626bc680f4e79c950132bf34bc90bc21233a5649b11355278893501eb5b9' },
      requirements: ['BM-ADDR-002', 'BM-ADDR-004', 'BM-ADDR-009'],
    }));
    const generatedNorm: CaseSpec[] = [
      { key: 'upper-case', comment: 'upper case folds to lower case', flags: ['Normalisation'], requirements: ['BM-ADDR-002', 'BM-ADDR-004'], inputs: { address: 'JAY@ORG!' }, result: 'valid', expected: { address: 'jay@org!' } },
      { key: 'dash-local', comment: 'dashes are removed from the local part', flags: ['Normalisation'], requirements: ['BM-ADDR-002', 'BM-ADDR-004'], inputs: { address: 'j-a-y!' }, result: 'valid', expected: { address: 'jay!' } },
      { key: 'dotted-dotted-short', comment: 'a 5-character local part that is 2 characters after normalisation is invalid', flags: ['Normalisation', 'Syntax'], requirements: ['BM-ADDR-002', 'BM-ADDR-003'], inputs: { address: 'j.-.a!' }, result: 'invalid', errorClass: 'InvalidAddress' },
      { key: 'unicode-dotted-I', comment: "U+0130 lower-cases to 'i' in Go (one rune), so 'J\u0130M!' is the valid address 'jim!'", flags: ['UnicodeLower'], requirements: ['BM-ADDR-010'], inputs: { address: 'J\u0130M!' }, result: 'valid', expected: { address: 'jim!' } },
      { key: 'unicode-kelvin', comment: "U+212A KELVIN SIGN lower-cases to 'k' in Go", flags: ['UnicodeLower'], requirements: ['BM-ADDR-010'], inputs: { address: '\u212Aay!' }, result: 'valid', expected: { address: 'kay!' } },
      { key: 'unicode-other', comment: 'a non-ASCII letter that stays non-ASCII is invalid', flags: ['Syntax'], requirements: ['BM-ADDR-001', 'BM-ADDR-003'], inputs: { address: 'jäy!' }, result: 'invalid', errorClass: 'InvalidAddress' },
      { key: 'no-bang', comment: 'the trailing ! is mandatory', flags: ['Syntax'], requirements: ['BM-ADDR-001', 'BM-ADDR-003'], inputs: { address: 'jay@org' }, result: 'invalid', errorClass: 'InvalidAddress' },
      { key: 'two-at', comment: 'two @ signs', flags: ['Syntax'], requirements: ['BM-ADDR-001', 'BM-ADDR-003'], inputs: { address: 'jay@org@org!' }, result: 'invalid', errorClass: 'InvalidAddress' },
      { key: 'trailing-space', comment: 'whitespace is not trimmed', flags: ['Syntax'], requirements: ['BM-ADDR-001', 'BM-ADDR-003'], inputs: { address: 'jay! ' }, result: 'invalid', errorClass: 'InvalidAddress' },
      { key: 'empty', comment: 'empty string', flags: ['Syntax'], requirements: ['BM-ADDR-001', 'BM-ADDR-003'], inputs: { address: '' }, result: 'invalid', errorClass: 'InvalidAddress' },
    ];
    // Go's regex `$` (RE2) matches only at the end of the text; PCRE's `$` also matches before a
    // final "\n", so a PHP library accepted "jay!\n". Nothing is trimmed before the check.
    const control: CaseSpec[] = CONTROL.map(([key, address, comment]) => ({ key, comment, flags: ['Syntax', 'ControlCharacter'], requirements: ['BM-ADDR-001', 'BM-ADDR-003'], inputs: { address }, result: 'invalid', errorClass: 'InvalidAddress' }));
    const valid: CaseSpec[] = VALID_GO.map((address, i) => ({ key: `go-valid-${i}`, comment: `Go accepts ${address.length > 20 ? address.slice(0, 20) + '…' : address}`, flags: ['GoKnownAnswer'], requirements: ['BM-ADDR-003', 'BM-ADDR-009'], inputs: { address }, result: 'valid' }));
    const invalid: CaseSpec[] = INVALID_GO.map((address, i) => ({ key: `go-invalid-${i}`, comment: `Go rejects ${address.length > 20 ? address.slice(0, 20) + '…' : address}`, flags: ['GoKnownAnswer', 'Syntax'], requirements: ['BM-ADDR-001', 'BM-ADDR-003', 'BM-ADDR-009'], inputs: { address }, result: 'invalid', errorClass: 'InvalidAddress' }));
    return [
      { op: 'address.hash', comment: 'Go known answers', cases: [...kats, ...norm] },
      { op: 'address.hash', comment: 'normalisation edge cases', source: { kind: 'generated' }, cases: generatedNorm },
      { op: 'address.hash', comment: 'syntax accepted and rejected by Go', cases: [...valid, ...invalid] },
      { op: 'address.hash', comment: 'control characters around and inside an address, refused by Go', source: { kind: 'generated' }, cases: control },
    ];
  },
};
