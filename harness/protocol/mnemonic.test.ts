/**
 * Tests for mnemonic.ts: mnemonic_test.go known answers and the Go seed→key vector of the §6.3
 * vault store_key (spec/formats.md §7.4), parse rules of §7.1, and hostile phrases.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { entropyToPhrase, entropyToWords, generatorToPhrase, phraseToEntropy, phraseToKeyPair, wordsToEntropy } from './mnemonic.ts';
import { HOSTILE_VALUES, classOf } from './_hostile.ts';
import { fromHex, toHex } from './bytes.ts';
import { formatPrivateKey, formatPublicKey, ed25519Seed, KEY_TYPES, type KeyType } from './keys.ts';
import { MNEMONIC_ED25519 } from './fixtures.ts';

const KAT_ENTROPY = 'cf8952d5ce19cf8d606ebf6222520a50df7bd81d33be4453';
const KAT_WORDS = 'sort enhance rely order ostrich shop like subject giraffe barely little payment waste ugly inquiry jelly dust occur';

describe('mnemonic known answers (mnemonic_test.go, §7.4)', () => {
  it('entropy cf8952d5…4453 encodes to "sort enhance rely … dust occur" and back', () => {
    expect(entropyToWords(fromHex(KAT_ENTROPY))).toBe(KAT_WORDS);
    expect(toHex(wordsToEntropy(KAT_WORDS))).toBe(KAT_ENTROPY);
  });
  it.each(['foo', 'ed25519 foo bar baz', 'ed25519 ship'])('MnemonicToRandomSeed(%j) is an error', (w) => {
    expect(classOf(() => wordsToEntropy(w))).toBe('InvalidInput');
  });
  it('GenerateKeypairFromMnemonic("foobar") and ("ed25519 foobar") are errors', () => {
    expect(classOf(() => phraseToKeyPair('foobar'))).toBe('UnsupportedKeyType');
    expect(classOf(() => phraseToKeyPair('ed25519 foobar'))).toBe('InvalidInput');
  });
  it('GetMnemonic of generator "FOOBAR" (not hex) is ""', () => {
    expect(generatorToPhrase('ed25519', 'FOOBAR')).toBe('');
    expect(generatorToPhrase('ed25519', '')).toBe('');
    expect(generatorToPhrase('ed25519', MNEMONIC_ED25519.entropyHex.toUpperCase())).toBe(MNEMONIC_ED25519.phrase);
  });
  it('the vault store_key generator 19831f82…3cf1 gives the phrase "ed25519 book body … diagram mask"', () => {
    expect(entropyToPhrase('ed25519', fromHex(MNEMONIC_ED25519.entropyHex))).toBe(MNEMONIC_ED25519.phrase);
  });
  it('that phrase recovers the Go-produced key pair, seed and fingerprint', () => {
    const kp = phraseToKeyPair(MNEMONIC_ED25519.phrase);
    expect(toHex(ed25519Seed(kp.privateKey))).toBe(MNEMONIC_ED25519.seedHex);
    expect(formatPrivateKey(kp.privateKey)).toBe(MNEMONIC_ED25519.privateKey);
    expect(formatPublicKey(kp.publicKey)).toBe(MNEMONIC_ED25519.publicKey);
    expect(kp.fingerprint).toBe(MNEMONIC_ED25519.fingerprint);
    expect(kp.generator).toBe(MNEMONIC_ED25519.entropyHex);
  });
  it('the 18-word KAT phrase with an ed25519 prefix yields a key (legacy 24-byte entropy)', () => {
    const kp = phraseToKeyPair(`ed25519 ${KAT_WORDS}`);
    expect(kp.generator).toBe(KAT_ENTROPY);
  });
});

describe('mnemonic phrase rules (§7.1, §7.2)', () => {
  it('round-trips any 24- or 32-byte entropy for every key type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KEY_TYPES), fc.constantFrom(16, 20, 24, 28, 32), fc.uint8Array({ minLength: 32, maxLength: 32 }), (type, n, bytes) => {
        const entropy = bytes.subarray(0, n);
        const phrase = entropyToPhrase(type, entropy);
        expect(phrase.split(' ')).toHaveLength(1 + (n * 8 + n / 4) / 11);
        const back = phraseToEntropy(phrase);
        expect(back.type).toBe(type);
        expect(toHex(back.entropy)).toBe(toHex(entropy));
      }),
      { numRuns: 100 },
    );
  });
  it('a 24-word phrase derives a key equal to the one from its 32-byte entropy (deterministic)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (entropy) => {
        const p = entropyToPhrase('ed25519', entropy);
        expect(formatPublicKey(phraseToKeyPair(p).publicKey)).toBe(formatPublicKey(phraseToKeyPair(p).publicKey));
        expect(phraseToKeyPair(p).generator).toBe(toHex(entropy));
      }),
      { numRuns: 20 },
    );
  });
  it('is case-sensitive: an upper-case word or type word is rejected (the client-lib lower-cases first; we do not)', () => {
    expect(classOf(() => phraseToEntropy(MNEMONIC_ED25519.phrase.replace('book', 'Book')))).toBe('InvalidInput');
    expect(classOf(() => phraseToEntropy(MNEMONIC_ED25519.phrase.replace('ed25519', 'ED25519')))).toBe('UnsupportedKeyType');
  });
  it.each([
    ['a doubled space', MNEMONIC_ED25519.phrase.replace('book body', 'book  body')],
    ['a tab', MNEMONIC_ED25519.phrase.replace('book body', 'book\tbody')],
    ['a trailing space', MNEMONIC_ED25519.phrase + ' '],
    ['a trailing newline', MNEMONIC_ED25519.phrase + '\n'],
    ['two spaces after the type', MNEMONIC_ED25519.phrase.replace('ed25519 ', 'ed25519  ')],
    ['a wrong checksum word', MNEMONIC_ED25519.phrase.replace(/mask$/, 'abandon')],
    ['an NFKD-equivalent but different word (ligature ﬁ)', `ed25519 ${KAT_WORDS.replace('giraffe', 'gira\ufb00e')}`],
    ['one word too few', MNEMONIC_ED25519.phrase.replace(' mask', '')],
    ['nothing after the type', 'ed25519 '],
    ['the type only', 'ed25519'],
  ])('rejects a phrase with %s as InvalidInput', (_n, phrase) => {
    expect(classOf(() => phraseToEntropy(phrase))).toBe('InvalidInput');
  });
  it('rejects an unprefixed (Oct–Nov 2020 style) phrase as UnsupportedKeyType, hinting at the ed25519 prefix', () => {
    expect(() => phraseToEntropy(KAT_WORDS)).toThrow(/prepend "ed25519 "/);
    expect(classOf(() => phraseToEntropy(KAT_WORDS))).toBe('UnsupportedKeyType');
  });
  it('ed25519 keys need 18 or 24 words: a valid 12-word phrase is InvalidInput', () => {
    const p = entropyToPhrase('ed25519', new Uint8Array(16));
    expect(phraseToEntropy(p).entropy.length).toBe(16);
    expect(classOf(() => phraseToKeyPair(p))).toBe('InvalidInput');
  });
  it('BM-MNEM-010 an ecdsa phrase is InvalidInput (Go\'s P-384 generator runs out of seed bytes)', () => {
    for (const n of [24, 32]) {
      expect(classOf(() => phraseToKeyPair(entropyToPhrase('ecdsa', new Uint8Array(n).fill(7))))).toBe('InvalidInput');
    }
    expect(() => phraseToKeyPair(entropyToPhrase('ecdsa', new Uint8Array(32)))).toThrow(/unexpected EOF/);
  });
  it('BM-MNEM-009 rsa and rsa4096 phrases need 24 entropy bytes: 12 and 15 words are InvalidInput', () => {
    for (const t of ['rsa', 'rsa4096'] as KeyType[]) {
      for (const n of [16, 20]) expect(classOf(() => phraseToKeyPair(entropyToPhrase(t, new Uint8Array(n))))).toBe('InvalidInput');
    }
  });
  it('BM-MNEM-009 an 18-word rsa phrase derives the same key as its 24-word extension (only 24 bytes count)', () => {
    const e24 = new Uint8Array(24).fill(9);
    const e32 = new Uint8Array(32).fill(9);
    e32.fill(1, 24);
    const a = phraseToKeyPair(entropyToPhrase('rsa', e24));
    const b = phraseToKeyPair(entropyToPhrase('rsa', e32));
    expect(formatPrivateKey(b.privateKey)).toBe(formatPrivateKey(a.privateKey));
    expect(a.generator).not.toBe(b.generator);
  });
  it('hostile arguments give typed errors only', () => {
    for (const h of [...HOSTILE_VALUES, new Uint8Array(32)]) {
      expect(classOf(() => phraseToEntropy(h as string))).toBe('InvalidInput');
      expect(classOf(() => phraseToKeyPair(h as string))).toBe('InvalidInput');
      expect(classOf(() => wordsToEntropy(h as string))).toBe('InvalidInput');
      expect(['InvalidInput', 'UnsupportedKeyType']).toContain(classOf(() => entropyToPhrase(h as KeyType, new Uint8Array(32))));
      expect(classOf(() => entropyToPhrase('ed25519', h as Uint8Array))).toBe(h instanceof Uint8Array ? 'no error' : 'InvalidInput');
    }
    expect(classOf(() => entropyToPhrase('dsa' as KeyType, new Uint8Array(32)))).toBe('UnsupportedKeyType');
    for (const n of [0, 15, 17, 33, 64]) expect(classOf(() => entropyToPhrase('ed25519', new Uint8Array(n)))).toBe('InvalidInput');
  });
});
