/**
 * vectors/hash_string_test.json: `hash.New(s)` = lowercase hex SHA-256 of the UTF-8 bytes of s
 * (spec/formats.md §2.1, §2.3; Go pkg/hash/hash.go:45-49). Imported Go known answers, generated
 * UTF-8 and whitespace cases (nothing is trimmed, folded or normalised), and wire-type errors.
 * @module
 */
import type { CaseSpec, VectorFileSpec } from './_framework.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import { GO_SUITE, sha256hex } from './_cryptogen.ts';

/** [value, hash, Go test file:line or spec reference]. */
const GO_KATS: [string, string, string][] = [
  ['joshua!', '2f92571b5567b4557b94ac5701fc48e552ba9970d6dac89f7c2ebce92f1cd836', 'pkg/hash/hash_test.go'],
  ['somethingelse', '102d0177f8ce6b0f5ada79780043ec90440529a53c98bd6043419e64c1d4274f', 'pkg/hash/hash_test.go'],
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'pkg/hash/hash.go:72-74 (empty organisation hash)'],
  ['example!', '2e4551de804e27aacf20f9df5be3e8cd384ed64488b21ab079fb58e8c90068ab', 'internal/key/auth_key_test.go:36'],
  ['foo', '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae', 'internal/vault/account_test.go:117'],
  ['foobar', 'c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2', 'internal/message/catalog_test.go:60'],
  ['john@acme!', 'e176de99906e21fea81f8c87b6837b73d3b232c4592f20ac3065e586b6e17db7', 'internal/signature/invite_test.go'],
  ['bitmaelum', '49aa67181f4a3176f9b65605390bb81126e8ff1f6d03b1bd220c53e7a6b36d3e', 'spec/formats.md §10.1 (DNS validation test: org bitmaelum)'],
  ['jay', 'bfef4adc39f01b033fe749bb5f28f10b581fef319d34445d21a7bc63fe732fa3', 'pkg/address/address_test.go (local hash of jay!)'],
  ['org', 'e87cb45c05ad389d58904ea398345c24b50f46c15d412d0f671e66b766247d39', 'pkg/address/address_test.go (org hash of jay@org!)'],
  // Address hash = hash.New(localHash ‖ orgHash) on the ASCII hex strings (§2.2).
  ['bfef4adc39f01b033fe749bb5f28f10b581fef319d34445d21a7bc63fe732fa3e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'e3c57837799cbbcaea93913a5ce9d05c21abd5ce0eb0e583c7ee19533d0b8d4b', 'pkg/address/address_test.go (jay! = hash.New(local ‖ org))'],
  ['bfef4adc39f01b033fe749bb5f28f10b581fef319d34445d21a7bc63fe732fa3e87cb45c05ad389d58904ea398345c24b50f46c15d412d0f671e66b766247d39', '7e0f626bc680f4e79c950132bf34bc90bc21233a5649b11355278893501eb5b9', 'pkg/address/address_test.go (jay@org!)'],
];

/** Generated: [key, value, comment, flags]. Expected values are SHA-256 computed here and checked by the reference. */
const GENERATED: [string, string, string, string[]][] = [
  ['utf8-latin1', 'jäy', 'U+00E4 is hashed as its two UTF-8 bytes c3 a4, not as Latin-1', ['Utf8']],
  ['utf8-nfd', 'ja\u0308y', 'decomposed ä (a + U+0308) is hashed as given: no Unicode normalisation', ['Utf8', 'NoNormalisation']],
  ['utf8-cjk', '日本語', 'three-byte UTF-8 sequences', ['Utf8']],
  ['utf8-astral', '😀', 'a code point above U+FFFF is one 4-byte UTF-8 sequence (f0 9f 98 80), not two UTF-16 surrogates', ['Utf8']],
  ['utf8-mixed', 'ß@ÉCOLE!', 'non-ASCII letters are neither lower-cased nor folded by hash.New', ['Utf8', 'NoNormalisation']],
  ['utf8-bom', '\ufeffjoshua!', 'a leading U+FEFF is part of the hashed bytes (ef bb bf)', ['Utf8', 'NoNormalisation']],
  ['utf8-nul', 'a\u0000b', 'an embedded NUL is hashed like any other byte', ['Utf8']],
  ['utf8-line-separator', 'a\u2028b', 'U+2028 (which Go JSON escapes) is hashed as its raw UTF-8 bytes', ['Utf8']],
  ['case-sensitive', 'JOSHUA!', 'hash.New does not lower-case: differs from joshua!', ['NoNormalisation']],
  ['leading-space', ' joshua!', 'leading whitespace is hashed, not trimmed', ['NoNormalisation']],
  ['trailing-newline', 'joshua!\n', 'a trailing newline is hashed, not trimmed', ['NoNormalisation']],
  ['crlf', 'joshua!\r\n', 'CR LF is hashed as two bytes', ['NoNormalisation']],
  ['trailing-cr', 'joshua!\r', 'a trailing CR is hashed, not trimmed', ['NoNormalisation']],
  ['trailing-tab', 'joshua!\t', 'a trailing tab is hashed, not trimmed', ['NoNormalisation']],
  ['trailing-vertical-tab', 'joshua!\u000b', 'a trailing vertical tab is hashed, not trimmed', ['NoNormalisation']],
  ['single-space', ' ', 'one space', []],
  ['hex-upper', '2F92571B5567B4557B94AC5701FC48E552BA9970D6DAC89F7C2EBCE92F1CD836', 'an upper-case hex string is hashed as text (hash.New never parses its input)', ['NoNormalisation']],
  ['long-1000', 'x'.repeat(1000), '1000 ASCII bytes (longer than a SHA-256 block)', []],
  ['block-55', 'a'.repeat(55), '55 bytes: the longest input whose padding fits one SHA-256 block', ['Padding']],
  ['block-56', 'a'.repeat(56), '56 bytes: padding spills into a second block', ['Padding']],
  ['block-64', 'a'.repeat(64), '64 bytes: exactly one block of data', ['Padding']],
];

export const file: VectorFileSpec = {
  name: 'hash_string',
  area: 'HASH',
  requirements: ['BM-HASH-001'],
  source: { kind: 'imported', ...GO_SUITE, path: 'pkg/hash/hash_test.go, pkg/address/address_test.go and the tests named per case', note: 'Go known answers (spec/formats.md §2.3) plus generated UTF-8 and whitespace cases' },
  header: [
    'hash.New(s): lowercase hex SHA-256 of the UTF-8 bytes of s, always carried as the 64-character hex text.',
    'Nothing is trimmed, lower-cased or Unicode-normalised before hashing.',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Value asserted by a Go test (or Go constant) at bitmaelum-suite 95952d1.', links: ['spec/formats.md §2.3'] },
    Utf8: { bugType: 'EDGE_CASE', description: 'Non-ASCII input: the hash covers the UTF-8 encoding of the string.', effect: 'Hashing UTF-16 code units or Latin-1 gives different address and organisation hashes than Go.', links: ['pkg/hash/hash.go:45-49'] },
    NoNormalisation: { bugType: 'EDGE_CASE', description: 'hash.New hashes its input verbatim: no trimming, case folding or Unicode normalisation (address normalisation happens earlier, in the address parser).', effect: 'A normalising hash function disagrees with Go on every such input.', links: ['spec/formats.md §2.1'] },
    Padding: { bugType: 'EDGE_CASE', description: 'Input length at a SHA-256 padding boundary.', effect: 'A hand-written SHA-256 with a padding bug gives a wrong hash.' },
    WireType: { bugType: 'BASIC', description: 'The op argument is not a JSON string.', effect: 'An adapter that coerces numbers or null to text hashes the wrong bytes.', links: ['ADAPTER.md "Messages"'] },
  },
  build() {
    const kats: CaseSpec[] = GO_KATS.map(([value, hash, where], i) => {
      if (sha256hex(value) !== hash) throw new Error(`hash_string: Go KAT ${i} does not hash to its recorded value`);
      return {
        key: `go-${i}`,
        comment: `Go known answer hash.New(${JSON.stringify(value.length > 24 ? value.slice(0, 24) + '…' : value)}) (${where})`,
        flags: ['GoKnownAnswer'],
        inputs: { value },
        result: 'valid',
        expected: { hash },
        requirements: value === '' ? ['BM-HASH-001', 'BM-HASH-005'] : ['BM-HASH-001'],
      };
    });
    const gen: CaseSpec[] = GENERATED.map(([key, value, comment, flags]) => ({
      key,
      comment,
      flags,
      inputs: { value },
      result: 'valid',
      expected: { hash: sha256hex(value) },
      requirements: ['BM-HASH-001'],
    }));
    const wireInputs: [string, string, Record<string, JsonValue>][] = [
      ['wire-number', 'value is a JSON number, not a string', { value: 42 }],
      ['wire-null', 'value is null', { value: null }],
      ['wire-missing', 'value is missing', {}],
      ['wire-array', 'value is an array of strings', { value: ['joshua!'] }],
    ];
    const wire: CaseSpec[] = wireInputs.map(([key, comment, inputs]) => ({ key, comment, flags: ['WireType'], inputs, result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-HASH-001'] }));
    return [
      { op: 'hash.string', comment: 'Go known answers', cases: kats },
      { op: 'hash.string', comment: 'UTF-8, whitespace and block-boundary inputs', source: { kind: 'generated' }, cases: gen },
      { op: 'hash.string', comment: 'arguments of the wrong JSON type', source: { kind: 'generated' }, cases: wire },
    ];
  },
};
