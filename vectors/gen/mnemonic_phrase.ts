/**
 * vectors/mnemonic_phrase_test.json: recovery phrases (spec/formats.md §7; Go
 * pkg/bmcrypto/mnemonic.go, key_ed25519.go:82-118, tyler-smith/go-bip39 v1.1.0).
 *
 * A phrase is `"<keytype> " + BIP-39 English words of the raw entropy` (standard checksum bits).
 * The entropy itself is the key seed: Ed25519 seed = HKDF-SHA256(entropy, "", "", 32) — the BIP-39
 * PBKDF2 seed is never used. Ed25519 accepts 24 or 32 bytes of entropy (18 or 24 words).
 *
 * Imported: the mnemonic_test.go entropy ↔ phrase KAT and the Go-produced store_key of the §6.3
 * vault (generator → key pair, §7.4). Generated: 24- and 18-word phrases from the file seed, whose
 * key pairs are taken from `key.generate` with the same entropy as seed (the cross-op oracle:
 * the phrase and the seed must give one key). `rsa`/`rsa4096` phrases give Go's seeded RSA keys
 * (spec/formats.md §7.3): the two Go known answers of vectors/external/go-seeded-rsa are imported.
 * `ecdsa` phrases fail as in Go (BM-MNEM-010).
 * @module
 */
import { entropyToMnemonic, validateMnemonic } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { CaseSpec, GroupSpec, VectorFileSpec } from './_framework.ts';
import { fromHex, toHex } from '../../harness/protocol/bytes.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { GO_CLIENT_LIBRARY, GO_SUITE } from './_cryptogen.ts';
import { GO_SEEDED_RSA_FILE, goSeededRsaCases } from '../../harness/protocol/gotestdata.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** mnemonic_test.go:29-50 (spec §7.4). */
const GO_ENTROPY = 'cf8952d5ce19cf8d606ebf6222520a50df7bd81d33be4453';
const GO_WORDS = 'sort enhance rely order ostrich shop like subject giraffe barely little payment waste ugly inquiry jelly dust occur';

const words = (hex: string): string => entropyToMnemonic(fromHex(hex), wordlist);

/** Replace word `i` (0-based, of the words after the type) with `w`. */
function replaceWord(phrase: string, i: number, w: string): string {
  const [type, ...ws] = phrase.split(' ');
  ws[i] = w;
  return [type, ...ws].join(' ');
}

/** The phrase of `hexEntropy` with its last word replaced by the next list word whose checksum bits are wrong. */
function badChecksum(hexEntropy: string): string {
  const ws = words(hexEntropy).split(' ');
  const start = wordlist.indexOf(ws[ws.length - 1]!);
  for (let k = 1; k < 2048; k++) {
    const trial = [...ws.slice(0, -1), wordlist[(start + k) % 2048]!].join(' ');
    if (!validateMnemonic(trial, wordlist)) return trial;
  }
  throw new Error('mnemonic_phrase: no bad-checksum word found');
}

/** Words that must fail the checksum (so a mutant is not silently valid). */
function mustFailChecksum(phrase: string): string {
  if (validateMnemonic(phrase.slice(phrase.indexOf(' ') + 1), wordlist)) throw new Error(`mnemonic_phrase: ${phrase} still has a valid checksum`);
  return phrase;
}

const REQ_FORMAT = ['BM-MNEM-001', 'BM-MNEM-003'];
const REQ_KEY = ['BM-MNEM-002', 'BM-MNEM-003', 'BM-MNEM-007'];

export const file: VectorFileSpec = {
  name: 'mnemonic_phrase',
  area: 'MNEM',
  requirements: ['BM-MNEM-001', 'BM-MNEM-003', 'BM-MNEM-004'],
  source: { kind: 'generated', note: 'Go known answers from mnemonic_test.go and the §6.3 vault store_key, plus phrases generated from the file seed' },
  header: [
    'Recovery phrase = "<keytype> " + the BIP-39 English words of the raw key entropy (spec/formats.md §7.1).',
    'mnemonic.to_key: split at the first space, the first word is the key type; the rest are words separated by single spaces, case-sensitive lower case, with a valid BIP-39 checksum.',
    'ed25519: seed32 = HKDF-SHA256(IKM = entropy, salt = "", info = "", 32) — never the BIP-39 PBKDF2 seed; only 18-word (24-byte) and 24-word (32-byte) phrases make keys.',
    'rsa/rsa4096: the key Go derives from the first 24 entropy bytes (spec/formats.md §7.3, as key.generate with that seed), so 18 or 24 words; ecdsa phrases fail (Go\'s P-384 generator runs out of seed bytes: InvalidInput).',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Value asserted by a Go test or produced by Go (mnemonic_test.go; the §6.3 vault store_key).', links: ['spec/formats.md §7.4'] },
    Legacy18Words: { bugType: 'LEGACY', description: '192-bit entropy (18 words), the phrase length used before 2021-03-26; still accepted for ed25519.', effect: 'Refusing it locks users of older phrases out of their accounts.', links: ['spec/formats.md §7.2'] },
    Current24Words: { bugType: 'BASIC', description: '256-bit entropy (24 words), the current phrase length.', links: ['spec/formats.md §7.2'] },
    RawEntropySeed: { bugType: 'WRONG_PRIMITIVE', description: 'The key comes from HKDF over the raw entropy, not from the BIP-39 PBKDF2("mnemonic") seed.', effect: 'A BIP-39 wallet-style derivation gives another key; the account cannot be recovered.', links: ['spec/formats.md §7.3'] },
    EntropyLength: { bugType: 'EDGE_CASE', description: 'A valid BIP-39 phrase of 12, 15 or 21 words: Ed25519 generation needs exactly 24 or 32 bytes of entropy.', effect: 'Deriving a key from it creates a key Go cannot re-derive from the phrase.', links: ['pkg/bmcrypto/key_ed25519.go:85-96'] },
    BadChecksum: { bugType: 'INTEGRITY', description: 'The last word does not carry the SHA-256 checksum bits of the entropy.', effect: 'A typo in the phrase silently yields a different key.', links: ['spec/formats.md §7.1'] },
    UnknownWord: { bugType: 'BASIC', description: 'A word that is not in the BIP-39 English list (Go KATs "ed25519 foo bar baz", "ed25519 ship", "ed25519 foobar").', links: ['spec/formats.md §7.4'] },
    Separator: { bugType: 'EDGE_CASE', description: 'Words separated by something other than one space (double space, tab, leading or trailing space): go-bip39 splits on " ".', effect: 'A lenient parser derives keys from text Go refuses, or a different key.', links: ['spec/formats.md §7.1'] },
    NoTypePrefix: { bugType: 'LEGACY', description: 'A phrase without the key-type word (ed25519 phrases of Oct–Nov 2020, and bm-config generate-routing-id output): the current parser refuses it; the user must prepend "ed25519 ".', links: ['spec/formats.md §7.2'] },
    UpperCase: {
      bugType: 'INTEROP',
      description: 'Upper-case letters: Go (go-bip39, FindKeyType) is case-sensitive and refuses them; the CLI and the client-lib lower-case the whole phrase before parsing (BM-MNEM-011), so a client accepts it. Either answer is acceptable for the library op.',
      effect: 'A user typing with caps lock is refused by a library but accepted by the Go client.',
      links: ['spec/formats.md §7.1', 'spec/formats.md §15 item 4'],
    },
    UnknownType: { bugType: 'BASIC', description: 'Key-type word that is not rsa, rsa4096, ed25519 or ecdsa.', links: ['spec/formats.md §1.1'] },
    RsaPhrase: { bugType: 'BASIC', description: 'An rsa or rsa4096 phrase gives the key Go derives from the first 24 entropy bytes (HKDF, AES-CTR stream, Go 1.18 rand.Prime; spec/formats.md §7.3).', effect: 'Another prime search gives another key: the RSA account cannot be recovered from its phrase.', links: ['spec/formats.md §7.3'] },
    EcdsaPhrase: { bugType: 'EDGE_CASE', description: 'An ecdsa phrase makes no key: Go ecdsa.GenerateKey(P-384) needs 56 bytes, the phrase holds 24 or 32 (unexpected EOF).', links: ['spec/formats.md §7.3'] },
    EntropyEncoding: { bugType: 'BASIC', description: 'mnemonic.from_entropy: the BIP-39 words of the given entropy, prefixed by the key type (GetMnemonic).', links: ['pkg/bmcrypto/mnemonic.go:30-42'] },
  },
  async build(ctx) {
    const m = F.MNEMONIC_ED25519;
    const goSrc = { kind: 'imported' as const, ...GO_SUITE, path: 'pkg/bmcrypto/mnemonic_test.go', note: 'spec/formats.md §7.4' };
    const storeSrc = { kind: 'imported' as const, ...GO_CLIENT_LIBRARY, path: 'library/vault_test.go', note: 'store_key of the §6.3 vault: generator → key pair produced by Go (phrase computed with standard BIP-39, spec §7.4)' };
    if (words(GO_ENTROPY) !== GO_WORDS) throw new Error('mnemonic_phrase: scure disagrees with the Go KAT');
    if (`ed25519 ${words(m.entropyHex)}` !== m.phrase) throw new Error('mnemonic_phrase: scure disagrees with the §7.4 phrase');

    // Keys of the generated phrases come from key.generate with the entropy as seed.
    const keyOf = async (entropyHex: string): Promise<Record<string, string>> => {
      const r = await ctx.must('key.generate', { type: 'ed25519' }, { seed: entropyHex });
      return { private_key: r.private_key as string, public_key: r.public_key as string, fingerprint: r.fingerprint as string };
    };
    const goKey = await keyOf(GO_ENTROPY);

    const fromEntropy: CaseSpec[] = [
      { key: 'go-from-entropy-18', comment: 'Go KAT: entropy cf8952d5…4453 → "ed25519 sort enhance … dust occur"', flags: ['GoKnownAnswer', 'Legacy18Words'], inputs: { type: 'ed25519', entropy_hex: GO_ENTROPY }, result: 'valid', expected: { mnemonic: `ed25519 ${GO_WORDS}` }, requirements: ['BM-MNEM-001', 'BM-MNEM-008'] },
      { key: 'go-store-key-from-entropy', comment: 'the §6.3 store_key generator 19831f82…3cf1 → "ed25519 book body … diagram mask"', flags: ['GoKnownAnswer', 'Legacy18Words'], inputs: { type: 'ed25519', entropy_hex: m.entropyHex }, result: 'valid', expected: { mnemonic: m.phrase }, requirements: ['BM-MNEM-001'] },
    ];
    const toKey: CaseSpec[] = [
      { key: 'go-to-key-18', comment: 'Go KAT phrase → its ed25519 key pair (HKDF over the 24 entropy bytes)', flags: ['GoKnownAnswer', 'Legacy18Words', 'RawEntropySeed'], inputs: { mnemonic: `ed25519 ${GO_WORDS}` }, result: 'valid', expected: goKey, requirements: [...REQ_KEY, 'BM-MNEM-005', 'BM-MNEM-008'] },
      { key: 'go-store-key-to-key', comment: 'Go-produced: "ed25519 book body …" → ed25519 MC4CAQAw…FkhH / MCowBQYD…P+XU=, fingerprint b124c619…2488', flags: ['GoKnownAnswer', 'Legacy18Words', 'RawEntropySeed'], inputs: { mnemonic: m.phrase }, result: 'valid', expected: { private_key: m.privateKey, public_key: m.publicKey, fingerprint: m.fingerprint }, requirements: [...REQ_KEY, 'BM-MNEM-005'] },
    ];
    const goBad: CaseSpec[] = [
      { key: 'go-foo-bar-baz', comment: 'Go KAT: "ed25519 foo bar baz" is refused', flags: ['GoKnownAnswer', 'UnknownWord'], inputs: { mnemonic: 'ed25519 foo bar baz' }, result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-MNEM-003', 'BM-MNEM-004'] },
      { key: 'go-ship', comment: 'Go KAT: "ed25519 ship" (one valid word) is refused', flags: ['GoKnownAnswer', 'UnknownWord'], inputs: { mnemonic: 'ed25519 ship' }, result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-MNEM-003', 'BM-MNEM-004'] },
      { key: 'go-ed25519-foobar', comment: 'Go KAT: "ed25519 foobar" is refused', flags: ['GoKnownAnswer', 'UnknownWord'], inputs: { mnemonic: 'ed25519 foobar' }, result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-MNEM-003', 'BM-MNEM-004'] },
      { key: 'go-foobar', comment: 'Go KAT: "foobar" (no key type) is refused', flags: ['GoKnownAnswer', 'UnknownType'], inputs: { mnemonic: 'foobar' }, result: 'invalid', errorClass: 'UnsupportedKeyType', alsoAllowedErrorClasses: ['InvalidInput'], requirements: ['BM-MNEM-003', 'BM-MNEM-004'] },
    ];

    // ---- generated phrases ----------------------------------------------------------------
    const genFrom: CaseSpec[] = [];
    const genTo: CaseSpec[] = [];
    const fixed: [string, string, string[]][] = [
      ['zero-32', '00'.repeat(32), ['Current24Words']],
      ['ff-32', 'ff'.repeat(32), ['Current24Words']],
      ['zero-24', '00'.repeat(24), ['Legacy18Words']],
      ['ff-24', 'ff'.repeat(24), ['Legacy18Words']],
    ];
    const generated: [string, string, string[]][] = [...fixed];
    for (let i = 0; i < 5; i++) generated.push([`random-32-${i}`, toHex(ctx.rng.bytes(32)), ['Current24Words']]);
    for (let i = 0; i < 3; i++) generated.push([`random-24-${i}`, toHex(ctx.rng.bytes(24)), ['Legacy18Words']]);
    for (const [key, hex, flags] of generated) {
      const phrase = `ed25519 ${words(hex)}`;
      const n = hex.length / 2 === 32 ? 24 : 18;
      genFrom.push({ key: `from-entropy-${key}`, comment: `${hex.length / 2}-byte entropy ${hex.slice(0, 12)}… → ${n} words "${phrase.split(' ').slice(1, 4).join(' ')} …"`, flags: ['EntropyEncoding', ...flags], inputs: { type: 'ed25519', entropy_hex: hex }, result: 'valid', expected: { mnemonic: phrase }, requirements: [...REQ_FORMAT, 'BM-MNEM-005'] });
      genTo.push({ key: `to-key-${key}`, comment: `${n}-word phrase "${phrase.split(' ').slice(1, 4).join(' ')} …" → the key key.generate derives from the same entropy`, flags: ['RawEntropySeed', ...flags], inputs: { mnemonic: phrase }, result: 'valid', expected: await keyOf(hex), requirements: [...REQ_KEY, 'BM-MNEM-005', 'BM-MNEM-006'] });
    }
    const rsaEntropy = toHex(ctx.rng.bytes(32));
    genFrom.push(
      { key: 'from-entropy-rsa', comment: 'type rsa: the same words with the prefix "rsa "', flags: ['EntropyEncoding'], inputs: { type: 'rsa', entropy_hex: rsaEntropy }, result: 'valid', expected: { mnemonic: `rsa ${words(rsaEntropy)}` }, requirements: REQ_FORMAT },
      { key: 'from-entropy-rsa4096', comment: 'type rsa4096: prefix "rsa4096 "', flags: ['EntropyEncoding'], inputs: { type: 'rsa4096', entropy_hex: rsaEntropy }, result: 'valid', expected: { mnemonic: `rsa4096 ${words(rsaEntropy)}` }, requirements: REQ_FORMAT },
    );
    for (const n of [16, 20, 28]) {
      const hex = toHex(ctx.rng.bytes(n));
      genFrom.push({ key: `from-entropy-${n}-bytes`, comment: `${n}-byte entropy is valid BIP-39 (${(n * 3) / 4} words); GetMnemonic writes it even though no ed25519 key can come from it`, flags: ['EntropyEncoding', 'EntropyLength'], inputs: { type: 'ed25519', entropy_hex: hex }, result: 'valid', expected: { mnemonic: `ed25519 ${words(hex)}` }, requirements: REQ_FORMAT });
    }
    const fromBad: CaseSpec[] = [
      ...[0, 15, 17, 33].map((n): CaseSpec => ({ key: `from-entropy-${n}-bytes-refused`, comment: `${n}-byte entropy is not a BIP-39 size (16..32, multiple of 4)`, flags: ['EntropyLength'], inputs: { type: 'ed25519', entropy_hex: '5a'.repeat(n) }, result: 'invalid', errorClass: 'InvalidInput', requirements: REQ_FORMAT })),
      { key: 'from-entropy-unknown-type', comment: 'type "foo" is not a key type', flags: ['UnknownType'], inputs: { type: 'foo', entropy_hex: '00'.repeat(32) }, result: 'invalid', errorClass: 'UnsupportedKeyType', alsoAllowedErrorClasses: ['InvalidInput'], requirements: ['BM-MNEM-001'] },
    ];

    // ---- phrases to refuse ------------------------------------------------------------------
    const base24 = `ed25519 ${words(generated[4]![1])}`; // random-32-0
    const base18 = `ed25519 ${GO_WORDS}`;
    const refuse = (key: string, comment: string, mnemonic: string, flags: string[], errorClass = 'InvalidInput', reqs = ['BM-MNEM-003', 'BM-MNEM-004']): CaseSpec => ({
      key,
      comment,
      flags,
      inputs: { mnemonic },
      result: 'invalid',
      errorClass,
      ...(errorClass === 'UnsupportedKeyType' ? { alsoAllowedErrorClasses: ['InvalidInput'] } : {}),
      mutant: true,
      requirements: reqs,
    });
    const shortPhrases: CaseSpec[] = [12, 15, 21].map((n) => {
      const hex = toHex(ctx.rng.bytes((n * 4) / 3));
      return refuse(`length-${n}-words`, `a valid ${n}-word BIP-39 phrase (${(n * 4) / 3} bytes) cannot make an ed25519 key`, `ed25519 ${words(hex)}`, ['EntropyLength'], 'InvalidInput', ['BM-MNEM-006']);
    });
    const bad: CaseSpec[] = [
      ...shortPhrases,
      refuse('bad-checksum-24', '24 words with a wrong last word (checksum bits)', `ed25519 ${badChecksum(generated[4]![1])}`, ['BadChecksum']),
      refuse('bad-checksum-18', 'the Go KAT phrase with a wrong last word', `ed25519 ${badChecksum(GO_ENTROPY)}`, ['BadChecksum', 'Legacy18Words']),
      refuse('swapped-words', 'the Go KAT phrase with its first two words swapped (checksum no longer matches)', mustFailChecksum(replaceWord(replaceWord(base18, 0, 'enhance'), 1, 'sort')), ['BadChecksum']),
      refuse('unknown-word', 'the 24-word phrase with word 5 replaced by "bitmaelum"', replaceWord(base24, 4, 'bitmaelum'), ['UnknownWord']),
      refuse('one-word-missing', 'the 24-word phrase without its last word (23 words)', base24.split(' ').slice(0, -1).join(' '), ['EntropyLength']),
      refuse('one-word-extra', 'the 24-word phrase with "abandon" appended (25 words)', `${base24} abandon`, ['EntropyLength']),
      refuse('double-space', 'two spaces between words 3 and 4 (go-bip39 splits on " ")', base18.replace(/^(\S+ \S+ \S+ \S+) /, '$1  '), ['Separator']),
      refuse('trailing-space', 'a trailing space', `${base18} `, ['Separator']),
      refuse('tab-separated', 'words separated by tabs', base18.replace(/ /g, '\t'), ['Separator'], 'UnsupportedKeyType'),
      refuse('newline-before-words', 'a newline instead of the space after the type', base18.replace(' ', '\n'), ['Separator'], 'UnsupportedKeyType'),
      refuse('leading-space', 'a leading space (the first word is "")', ` ${base18}`, ['Separator'], 'UnsupportedKeyType'),
      refuse('no-type-prefix-18', 'the Go KAT words without "ed25519 " (legacy Oct 2020 form)', GO_WORDS, ['NoTypePrefix'], 'UnsupportedKeyType'),
      refuse('no-type-prefix-24', 'a 24-word phrase without its type word', base24.slice('ed25519 '.length), ['NoTypePrefix'], 'UnsupportedKeyType'),
      refuse('type-only', '"ed25519" with no words (Go panics on the missing second part)', 'ed25519', ['UnknownWord']),
      refuse('type-and-space', '"ed25519 " with an empty word list', 'ed25519 ', ['UnknownWord']),
      refuse('unknown-type', 'type "ed448"', base24.replace('ed25519', 'ed448'), ['UnknownType'], 'UnsupportedKeyType'),
      refuse('empty', 'the empty string', '', ['UnknownType'], 'UnsupportedKeyType'),
      refuse('bip39-passphrase-style', 'words followed by a BIP-39 passphrase are not a phrase', `${base18} TREZOR`, ['UnknownWord']),
    ];
    // A client that accepts a phrase with capitals lower-cases it first (BM-MNEM-011): it must
    // recover the key of the lower-case phrase.
    const lowered = await ctx.must('mnemonic.to_key', { mnemonic: base18 });
    const upper = (key: string, comment: string, mnemonic: string): CaseSpec => ({ key, comment, flags: ['UpperCase'], inputs: { mnemonic }, result: 'acceptable', expected: lowered, requirements: ['BM-MNEM-003', 'BM-MNEM-011'] });
    const caseCases: CaseSpec[] = [
      upper('upper-case-all', 'the whole Go KAT phrase in upper case (the client-lib lower-cases it; go-bip39 refuses it)', base18.toUpperCase()),
      upper('upper-case-type', 'type word "ED25519", words lower case (FindKeyType is case-sensitive)', base18.replace('ed25519', 'ED25519')),
      upper('capitalised-word', 'first word capitalised "Sort" (a phone keyboard does that)', base18.replace(' sort ', ' Sort ')),
      // Lower-casing (BM-MNEM-011) makes a phrase readable, never valid: the checksum still decides.
      refuse('upper-case-bad-checksum', 'the Go KAT phrase with a wrong last word, words in upper case: refused by Go, and still a bad checksum once lower-cased', `ed25519 ${badChecksum(GO_ENTROPY).toUpperCase()}`, ['BadChecksum', 'UpperCase'], 'InvalidInput', ['BM-MNEM-011', 'BM-MNEM-004']),
      refuse('upper-case-unknown-word', 'the 24-word phrase with word 5 replaced by "BITMAELUM": no lower-casing makes it a word of the list', replaceWord(base24, 4, 'BITMAELUM'), ['UnknownWord', 'UpperCase'], 'InvalidInput', ['BM-MNEM-011', 'BM-MNEM-004']),
    ];
    const groups: GroupSpec[] = [
      { op: 'mnemonic.from_entropy', comment: 'Go known answers: entropy → phrase', source: goSrc, cases: fromEntropy.slice(0, 1) },
      { op: 'mnemonic.from_entropy', comment: 'Go-produced store key generator → phrase', source: storeSrc, cases: fromEntropy.slice(1) },
      { op: 'mnemonic.to_key', comment: 'Go known answers: phrase → key pair', source: goSrc, cases: [toKey[0]!, ...goBad] },
      { op: 'mnemonic.to_key', comment: 'Go-produced: the §6.3 store_key from its phrase', source: storeSrc, cases: [toKey[1]!] },
      { op: 'mnemonic.from_entropy', comment: 'generated entropy → phrase', source: { kind: 'generated' }, cases: genFrom },
      { op: 'mnemonic.from_entropy', comment: 'entropy lengths and types that cannot be written', source: { kind: 'generated' }, cases: fromBad },
      { op: 'mnemonic.to_key', comment: 'generated phrases → key pairs (oracle: key.generate with the entropy as seed)', source: { kind: 'generated' }, cases: genTo },
      { op: 'mnemonic.to_key', comment: 'phrases Go refuses', source: { kind: 'generated' }, cases: bad },
      { op: 'mnemonic.to_key', comment: 'upper case: refused by Go, lower-cased by Go clients', source: { kind: 'generated' }, cases: caseCases },
    ];

    // ---- rsa / rsa4096 / ecdsa phrases (appended; case seeds, so no earlier case moves) -----------
    const rsaKeyOf = async (type: string, entropyHex: string): Promise<Record<string, string>> => {
      const r = await ctx.must('key.generate', { type }, { seed: entropyHex });
      return { private_key: r.private_key as string, public_key: r.public_key as string, fingerprint: r.fingerprint as string };
    };
    const REQ_RSA = ['BM-MNEM-002', 'BM-MNEM-003', 'BM-MNEM-009'];
    const goRsa: CaseSpec[] = goSeededRsaCases().map((c) => ({
      key: `go-seeded-${c.key_type}-to-key`,
      comment: `Go-produced: "${c.mnemonic.split(' ').slice(0, 4).join(' ')} …" → ${c.key_type} key, fingerprint ${c.fingerprint.slice(0, 8)}…`,
      flags: ['GoKnownAnswer', 'RsaPhrase', 'Current24Words'],
      inputs: { mnemonic: c.mnemonic },
      result: 'valid',
      expected: { private_key: c.private_key, public_key: c.public_key, fingerprint: c.fingerprint },
      requirements: REQ_RSA,
    }));
    const rsaGen: CaseSpec[] = [];
    const rsaPhrases: [string, string, string, string[]][] = [
      ['rsa-24-words', 'rsa', ctx.caseSeed('rsa-24-words'), ['Current24Words']],
      ['rsa-18-words', 'rsa', ctx.caseSeed('rsa-18-words').slice(0, 48), ['Legacy18Words']],
      ['rsa4096-24-words', 'rsa4096', ctx.caseSeed('rsa4096-24-words'), ['Current24Words']],
    ];
    for (const [key, type, hex, flags] of rsaPhrases) {
      const phrase = `${type} ${words(hex)}`;
      rsaGen.push({ key: `to-key-${key}`, comment: `${type} phrase "${phrase.split(' ').slice(1, 4).join(' ')} …" → the key key.generate derives from the same entropy`, flags: ['RsaPhrase', ...flags], inputs: { mnemonic: phrase }, result: 'valid', expected: await rsaKeyOf(type, hex), requirements: REQ_RSA });
    }
    const rsaBad: CaseSpec[] = [
      ...[12, 15].map((n) => refuse(`rsa-${n}-words`, `a valid ${n}-word phrase (${(n * 4) / 3} bytes) cannot make an rsa key (Go reads 24 bytes)`, `rsa ${words(ctx.caseSeed(`rsa-${n}-words`).slice(0, (n * 8) / 3))}`, ['EntropyLength'], 'InvalidInput', ['BM-MNEM-009'])),
      ...[18, 24].map((n): CaseSpec => ({ key: `ecdsa-${n}-words`, comment: `an ecdsa ${n}-word phrase makes no key (Go's P-384 generator runs out of seed bytes)`, flags: ['EcdsaPhrase'], inputs: { mnemonic: `ecdsa ${words(ctx.caseSeed(`ecdsa-${n}-words`).slice(0, (n * 8) / 3))}` }, result: 'invalid', errorClass: 'InvalidInput', alsoAllowedErrorClasses: ['UnsupportedKeyType'], requirements: ['BM-MNEM-010'] })),
    ];
    const goRsaSource = {
      kind: 'imported' as const,
      ...GO_SUITE,
      path: 'vectors/external/go-seeded-rsa/seeded_rsa.json (output of pkg/bmcrypto CreateKeypair(type, seed) and GenerateKeypairFromMnemonic)',
      sha256: createHash('sha256').update(readFileSync(GO_SEEDED_RSA_FILE)).digest('hex'),
      note: 'spec/formats.md §7.3; provenance in vectors/external/go-seeded-rsa.provenance.json',
    };
    groups.push(
      { op: 'mnemonic.to_key', comment: 'Go-produced: RSA keys from their phrases', source: goRsaSource, cases: goRsa },
      { op: 'mnemonic.to_key', comment: 'generated rsa and rsa4096 phrases → key pairs (oracle: key.generate with the entropy as seed)', source: { kind: 'generated' }, cases: rsaGen },
      { op: 'mnemonic.to_key', comment: 'rsa phrases too short for Go, and ecdsa phrases', source: { kind: 'generated' }, cases: rsaBad },
    );
    return groups;
  },
};
