/**
 * Mnemonic recovery phrases (spec/formats.md §7; Go `pkg/bmcrypto/mnemonic.go:30-80`,
 * `key_ed25519.go:82-118`, `key_rsa.go:116-158`, `tyler-smith/go-bip39` v1.1.0).
 *
 * A phrase is `"<keytype> " + BIP-39 English words of the raw entropy` (`GetMnemonic`). The words
 * are the standard BIP-39 encoding (11-bit indices, SHA-256 checksum bits) — but the BIP-39 seed
 * derivation (PBKDF2 over the words) is NOT used: the key is derived from the entropy itself
 * (Ed25519: seed = HKDF-SHA256(entropy), keys.ts `ed25519FromEntropy`). New keys use 32 bytes
 * (24 words); phrases from before 2021-03-26 use 24 bytes (18 words); both give Ed25519 keys.
 *
 * Parsing (`GenerateKeypairFromMnemonic` → `MnemonicToByteArray(words, raw=true)`): split at the
 * first space; the first word must be a key type exactly (`FindKeyType`); the rest must be 12, 15,
 * 18, 21 or 24 words of the English list separated by single spaces, with a valid checksum.
 *
 * Deliberate choices, documented:
 * - Nothing is lower-cased or trimmed. Go's library is case-sensitive; the CLI
 *   (`internal/console/mnemonic_phrase.go`) and the client-lib (`library/client.go:89`) lower-case
 *   the whole phrase, type word included, before parsing — a caller that wants that behaviour
 *   lower-cases first.
 * - go-bip39 validates the words with `strings.Fields` but decodes them with `strings.Split(" ")`,
 *   so a doubled space, tab or newline makes Go decode a different word list (an empty or unknown
 *   word counts as index 0), which almost always fails the checksum. Here any separator other than
 *   one space is InvalidInput. Words are not Unicode-normalised (scure's NFKD is not applied to
 *   what is accepted: every word must be in the list byte for byte).
 * - RSA keys from a phrase are Go's exactly: the port of Go 1.18's `rand.Prime` search over the
 *   AES-CTR stream of `cloudflare/gokey` is rsaseed.ts. ECDSA keys from a phrase fail in Go itself
 *   (P-384 generation needs more bytes than the seed reader holds) → `InvalidInput`.
 * @module
 */
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist as ENGLISH } from '@scure/bip39/wordlists/english.js';
import { InvalidInput, UnsupportedKeyType } from './errors.ts';
import { preview, toHex } from './bytes.ts';
import { ed25519FromEntropy, fingerprint, isKeyType, rsaFromSeed, type KeyType, type PrivateKey, type PublicKey } from './keys.ts';

const WORDS = new Set(ENGLISH);
/** BIP-39 entropy sizes (go-bip39 `validateEntropyBitSize`: 128..256 bits, multiple of 32). */
const ENTROPY_LENGTHS = [16, 20, 24, 28, 32];
const WORD_COUNTS = [12, 15, 18, 21, 24];

/**
 * The BIP-39 English words of `entropy` (go-bip39 `NewMnemonic`; Go `RandomSeedToMnemonic`).
 * @throws InvalidInput unless entropy is 16, 20, 24, 28 or 32 bytes
 * @example entropyToWords(hex('cf8952d5ce19cf8d606ebf6222520a50df7bd81d33be4453')) // 'sort enhance rely … dust occur'
 */
export function entropyToWords(entropy: Uint8Array): string {
  if (!(entropy instanceof Uint8Array)) throw new InvalidInput(`entropy: expected Uint8Array, got ${entropy === null ? 'null' : typeof entropy}`);
  if (!ENTROPY_LENGTHS.includes(entropy.length))
    throw new InvalidInput(`entropy: expected 16, 20, 24, 28 or 32 bytes (BIP-39), got ${entropy.length}`);
  return entropyToMnemonic(entropy, ENGLISH);
}

/**
 * The raw entropy of BIP-39 English words (Go `MnemonicToRandomSeed` = go-bip39
 * `MnemonicToByteArray(words, true)`): single spaces, 12–24 words, checksum checked.
 * @throws InvalidInput for anything else
 */
export function wordsToEntropy(words: string): Uint8Array {
  if (typeof words !== 'string') throw new InvalidInput(`mnemonic words: expected string, got ${words === null ? 'null' : typeof words}`);
  const list = words.split(' ');
  if (!WORD_COUNTS.includes(list.length))
    throw new InvalidInput(`mnemonic words: expected 12, 15, 18, 21 or 24 words separated by single spaces, got ${list.length} parts`);
  for (let i = 0; i < list.length; i++) {
    if (!WORDS.has(list[i]!)) throw new InvalidInput(`mnemonic words: word ${i + 1} ${preview(list[i])} is not in the BIP-39 English list`);
  }
  try {
    return mnemonicToEntropy(words, ENGLISH);
  } catch (e) {
    throw new InvalidInput('mnemonic words: checksum incorrect', { cause: e });
  }
}

function keyType(type: unknown): KeyType {
  if (typeof type !== 'string') throw new InvalidInput(`type: expected string, got ${type === null ? 'null' : typeof type}`);
  if (!isKeyType(type)) throw new UnsupportedKeyType(`type: unknown key type ${preview(type)}`);
  return type;
}

/**
 * The recovery phrase `"<type> <words>"` for key `type` and `entropy` (Go `GetMnemonic`).
 * @throws UnsupportedKeyType for an unknown type; InvalidInput for an entropy length BIP-39 refuses
 * @example entropyToPhrase('ed25519', hex('19831f82dd7560260b3b70b94e139ae28b10bea53bfe3cf1')) // 'ed25519 book body thing … diagram mask'
 */
export function entropyToPhrase(type: KeyType, entropy: Uint8Array): string {
  const t = keyType(type);
  return `${t} ${entropyToWords(entropy)}`;
}

/**
 * Go `GetMnemonic(kp)` on a key pair's generator (hex entropy): `""` whenever Go returns `""`
 * (generator not hex, or not a BIP-39 entropy length), else the phrase.
 * @example generatorToPhrase('ed25519', 'FOOBAR') // ''
 */
export function generatorToPhrase(type: KeyType, generatorHex: string): string {
  const t = keyType(type);
  if (typeof generatorHex !== 'string') throw new InvalidInput(`generator: expected string, got ${generatorHex === null ? 'null' : typeof generatorHex}`);
  // Go hex.DecodeString: even length, either case.
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(generatorHex)) return '';
  const entropy = new Uint8Array(Buffer.from(generatorHex, 'hex'));
  if (!ENTROPY_LENGTHS.includes(entropy.length)) return '';
  return `${t} ${entropyToMnemonic(entropy, ENGLISH)}`;
}

/**
 * Split a phrase into its key type and raw entropy (the parsing half of Go
 * `GenerateKeypairFromMnemonic`).
 * @throws InvalidInput when there is no space or the words are invalid; UnsupportedKeyType when
 *   the first word is not a key type (e.g. a legacy unprefixed ed25519 phrase: prepend `ed25519 `)
 */
export function phraseToEntropy(phrase: string): { type: KeyType; entropy: Uint8Array } {
  if (typeof phrase !== 'string') throw new InvalidInput(`mnemonic: expected string, got ${phrase === null ? 'null' : typeof phrase}`);
  const sp = phrase.indexOf(' ');
  // Go: FindKeyType(words[0]) runs first, so "foobar" is "unknown key type"; "ed25519" alone panics.
  const first = sp < 0 ? phrase : phrase.slice(0, sp);
  if (!isKeyType(first)) {
    const legacy = WORDS.has(first) ? ' (a legacy ed25519 phrase without its type word? prepend "ed25519 ")' : '';
    throw new UnsupportedKeyType(`mnemonic: first word ${preview(first)} is not a key type${legacy}`);
  }
  if (sp < 0) throw new InvalidInput('mnemonic: no words after the key type');
  return { type: first, entropy: wordsToEntropy(phrase.slice(sp + 1)) };
}

/**
 * The key pair a recovery phrase stands for (Go `GenerateKeypairFromMnemonic` → `CreateKeypair`).
 * Ed25519: seed = HKDF-SHA256(entropy, no salt, no info, 32); the entropy must be 24 or 32 bytes
 * (18 or 24 words), as in Go. rsa / rsa4096: Go's seeded derivation (rsaseed.ts) from the first 24
 * entropy bytes, so at least 18 words.
 * @returns the pair plus Go's `KeyPair` extras: `generator` = hex(entropy), `fingerprint`
 * @throws InvalidInput for ecdsa (Go fails: its generator runs out of seed bytes) and for too few
 *   words; InvalidInput / UnsupportedKeyType as {@link phraseToEntropy}
 * @example phraseToKeyPair('ed25519 book body thing road …').publicKey // ed25519 MCowBQYDK2VwAyEAX3C2…
 */
export function phraseToKeyPair(phrase: string): { privateKey: PrivateKey; publicKey: PublicKey; generator: string; fingerprint: string } {
  const { type, entropy } = phraseToEntropy(phrase);
  switch (type) {
    case 'ed25519': {
      if (entropy.length !== 24 && entropy.length !== 32)
        throw new InvalidInput(`mnemonic: an ed25519 key needs 18 or 24 words (24 or 32 bytes of entropy), got ${entropy.length} bytes`);
      const kp = ed25519FromEntropy(entropy);
      return { ...kp, generator: toHex(entropy), fingerprint: fingerprint(kp.publicKey) };
    }
    case 'rsa':
    case 'rsa4096': {
      // key_rsa.go reads the first 24 bytes of the entropy; shorter phrases fail in Go as well.
      if (entropy.length < 24) throw new InvalidInput(`mnemonic: an ${type} key needs at least 24 bytes of entropy (18 words), got ${entropy.length}`);
      const kp = rsaFromSeed(type, entropy);
      return { ...kp, generator: toHex(entropy), fingerprint: fingerprint(kp.publicKey) };
    }
    case 'ecdsa':
      // Go's ecdsa.GenerateKey(P-384) reads 56 bytes from a reader holding the 24 or 32 entropy
      // bytes: io.ErrUnexpectedEOF, an input that cannot make this key type.
      throw new InvalidInput(`mnemonic: ecdsa keys cannot be derived from a phrase (Go ecdsa.GenerateKey(P-384) needs 56 bytes, the phrase holds ${entropy.length}: unexpected EOF)`);
  }
}
