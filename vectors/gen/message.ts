/**
 * vectors/message_test.json: composing and opening a whole message (spec/formats.md §3.2, §3.3,
 * §4.1, §5, §13, §14; Go internal/message/compose.go:28-111, envelope.go:92-186,
 * catalog.go:112-249, message.go:47-117).
 *
 * - `message.compose` (seeded, with `now`): every sender key type (rsa, rsa4096, ed25519, ecdsa)
 *   × recipient ed25519 / rsa / rsa4096; the Go compose_test.go case; blocks below and at the
 *   1024-byte zlib threshold; png / gif / text attachments; a non-ASCII subject. An ecdsa recipient
 *   is refused (UnsupportedKeyType).
 *   zlib output is implementation-specific (Go's deflate ≠ node's, spec §3.3), so the ciphertext
 *   of a compressed block or attachment is left out of `expected` (flag ZlibBytesNotPortable);
 *   everything else — header, catalog blob, uncompressed items — is byte-exact.
 * - `message.open`: the composed messages; legacy headers (no `crypto`: RSA PKCS#1 v1.5 → opens;
 *   Ed25519 → Go refuses, §14); and mutants: catalog bits flipped / truncated / swapped, header
 *   checksum or size not matching, block bytes flipped (CFB is unauthenticated: it opens with
 *   different content — documented as acceptable), the catalog key, txid or crypto tampered,
 *   wrong private keys.
 * message.open here does not check the client signature (the adapter op has no sender key);
 * header signatures are covered by header_signature_test.json.
 * @module
 */
import { constants, createHash, createPublicKey, publicEncrypt } from 'node:crypto';
import type { CaseSpec, GenContext, GroupSpec, VectorFileSpec } from './_framework.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import { fromB64, toB64, utf8 } from '../../harness/protocol/bytes.ts';
import {
  ALICE_ECDSA, GO_ED25519_1, GO_ED25519_2, GO_ED25519_4, GO_KEY_2, GO_KEY_3, GO_KEY_5, GO_PRIVKEY_ECDSA, RSA4096_FIXTURE, type KeyPairText,
} from '../../harness/protocol/fixtures.ts';
import { parseHeader, signClientHeader, headerJson } from '../../harness/protocol/header.ts';
import { decryptSecret } from '../../harness/protocol/secret.ts';
import { parsePrivateKey } from '../../harness/protocol/keys.ts';
import { parseJsonLossless } from '../../harness/protocol/gojson.ts';
import { GO_SUITE, flipB64, flipHex, setAt, sha256hex } from './_msgfamily.ts';
import { flip } from './_cryptogen.ts';

type J = Record<string, JsonValue>;

const R = {
  compose: 'BM-MSG-001',
  open: 'BM-MSG-002',
  wrongKey: 'BM-MSG-003',
  kat: 'BM-MSG-004',
  fingerprint: 'BM-HDR-006',
  sizeChecksum: 'BM-HDR-007',
  keyEncrypted: 'BM-HDR-008',
  addresses: 'BM-HDR-009',
  gcm: 'BM-HDR-010',
  checkChecksum: 'BM-HDR-011',
  ids: 'BM-CAT-003',
  uploadIds: 'BM-UPLOAD-011',
  zlib: 'BM-CAT-004',
  plainSize: 'BM-CAT-005',
  inflate: 'BM-CAT-006',
  mime: 'BM-CAT-009',
  cfb: 'BM-CAT-011',
  oaep: 'BM-SEC-001',
  oaepNotPkcs1: 'BM-SEC-002',
  legacyRsa: 'BM-SEC-003',
  edEncrypt: 'BM-SEC-004',
  edCrypto: 'BM-SEC-005',
  edLegacy: 'BM-SEC-006',
  ecdsaRecipient: 'BM-SEC-007',
  cfbSym: 'BM-SYM-004',
  zlibAny: 'BM-SYM-006',
  zlibBad: 'BM-SYM-007',
} as const;

/** 2021-04-15T12:34:56Z */
const NOW = 1618490096;

const SENDERS: { name: string; pair: KeyPairText; address: string }[] = [
  { name: 'rsa', pair: GO_KEY_3, address: 'alice@acme!' },
  { name: 'rsa4096', pair: RSA4096_FIXTURE, address: 'alice@acme!' },
  { name: 'ed25519', pair: GO_ED25519_1, address: 'alice@acme!' },
  { name: 'ecdsa', pair: GO_PRIVKEY_ECDSA, address: 'alice@acme!' },
];
const RECIPIENTS: { name: string; pair: KeyPairText; address: string; crypto: string }[] = [
  { name: 'ed25519', pair: GO_ED25519_2, address: 'bob!', crypto: 'ed25519+aes' },
  { name: 'rsa', pair: GO_KEY_2, address: 'bob!', crypto: 'rsa/oaep' },
  { name: 'rsa4096', pair: RSA4096_FIXTURE, address: 'bob!', crypto: 'rsa/oaep' },
];

/** 1×1 PNG (70 bytes) and the Go catalog_test.go 1-pixel GIF (32 bytes). */
const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const GIF_1PX = 'R0lGODlhAQABAAAAACH5BAEAAAAALAAAAAABAAEAAAI=';
const LOREM = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit. Maecenas sagittis sapien non risus sollicitudin malesuada. ';

interface Msg {
  key: string;
  comment: string;
  sender: { address: string; pair: KeyPairText; name?: string };
  recipient: { address: string; pair: KeyPairText };
  subject: string;
  blocks: { type: string; content: string }[];
  attachments: { filename: string; content_b64: string }[];
  flags: string[];
  reqs: string[];
}
interface Composed {
  msg: Msg;
  seed: string;
  inputs: J;
  out: J;
  /** ids of compressed items, whose ciphertext is not portable. */
  compressed: Set<string>;
  opened: J;
}

function composeInputs(m: Msg): J {
  return {
    sender: { address: m.sender.address, private_key: m.sender.pair.privateKey, ...(m.sender.name !== undefined ? { name: m.sender.name } : {}) },
    recipient: { address: m.recipient.address, public_key: m.recipient.pair.publicKey },
    subject: m.subject,
    blocks: m.blocks,
    attachments: m.attachments,
  };
}

function openInputs(priv: string, out: J): J {
  return { private_key: priv, header: out.header!, catalog_b64: out.catalog_b64!, blocks: out.blocks!, attachments: out.attachments! };
}

/** Compose through the reference, open it again, and check what can be checked without trusting it. */
async function compose(ctx: GenContext, m: Msg): Promise<Composed> {
  const seed = ctx.caseSeed(`compose-${m.key}`);
  const inputs = composeInputs(m);
  const out = await ctx.must('message.compose', inputs, { seed, now: NOW });
  const header = out.header as J;
  const blob = fromB64(out.catalog_b64 as string);
  const cat = header.catalog as J;
  // §4.1 step 5: checksums and size of the encrypted catalog; §4.1 step 4: recipient fingerprint.
  const fp = sha256hex(fromB64(m.recipient.pair.publicKey.split(' ')[1]!));
  if ((cat.checksum as J).sha256 !== sha256hex(blob) || (cat.checksum as J).ripemd160 !== createHash('ripemd160').update(blob).digest('hex') || Number(cat.size) !== blob.length)
    throw new Error(`message ${m.key}: header checksum/size do not describe the catalog blob`);
  if ((header.to as J).fingerprint !== fp) throw new Error(`message ${m.key}: to.fingerprint is not the recipient key fingerprint`);
  const opened = await ctx.must('message.open', openInputs(m.recipient.pair.privateKey, out));
  const blocks = opened.blocks as J[];
  const atts = opened.attachments as J[];
  if (JSON.stringify(blocks.map((b) => [b.type, b.content])) !== JSON.stringify(m.blocks.map((b) => [b.type, b.content])))
    throw new Error(`message ${m.key}: blocks do not round-trip`);
  if (JSON.stringify(atts.map((a) => [a.filename, a.content_b64])) !== JSON.stringify(m.attachments.map((a) => [a.filename.split('/').pop(), a.content_b64])))
    throw new Error(`message ${m.key}: attachments do not round-trip`);
  const catalog = opened.catalog as J;
  const compressed = new Set<string>();
  for (const e of [...((catalog.blocks as J[] | null) ?? []), ...((catalog.attachments as J[] | null) ?? [])]) {
    const size = Number(e.size);
    if ((size >= 1024) !== (e.compression === 'zlib')) throw new Error(`message ${m.key}: item of ${size} bytes has compression ${String(e.compression)}`);
    if (e.compression === 'zlib') compressed.add(e.id as string);
  }
  return { msg: m, seed, inputs, out, compressed, opened };
}

/** Expected compose output: everything except the ciphertext of compressed items. */
function composeExpected(c: Composed): J {
  const strip = (o: J) => Object.fromEntries(Object.entries(o).filter(([id]) => !c.compressed.has(id)));
  return { header: c.out.header!, catalog_b64: c.out.catalog_b64!, blocks: strip(c.out.blocks as J), attachments: strip(c.out.attachments as J) };
}

function composeCase(c: Composed): CaseSpec {
  const flags = [...c.msg.flags, ...(c.compressed.size ? ['ZlibBytesNotPortable'] : [])];
  return { key: `compose-${c.msg.key}`, comment: c.msg.comment, flags, inputs: c.inputs, seed: c.seed, now: NOW, result: 'valid', expected: composeExpected(c), requirements: [R.compose, ...c.msg.reqs] };
}

function openCase(c: Composed, reqs: string[] = []): CaseSpec {
  return { key: `open-${c.msg.key}`, comment: `open: ${c.msg.comment}`, flags: c.msg.flags.filter((f) => f !== 'SeededEcdsa'), inputs: openInputs(c.msg.recipient.pair.privateKey, c.out), result: 'valid', expected: c.opened, requirements: [...new Set([R.open, ...reqs, ...c.msg.reqs.filter((r) => r !== R.kat)])] };
}

/** RSAES-PKCS1-v1_5 encryption with padding bytes from the file's stream (deterministic legacy ciphertext). */
function pkcs1v15Encrypt(publicKeyText: string, message: Uint8Array, rng: GenContext['rng']): Uint8Array {
  const key = createPublicKey({ key: Buffer.from(fromB64(publicKeyText.split(' ')[1]!)), format: 'der', type: 'spki' });
  const k = Math.ceil(key.asymmetricKeyDetails!.modulusLength! / 8);
  const ps = new Uint8Array(k - 3 - message.length);
  for (let i = 0; i < ps.length; i++) {
    let b = 0;
    while (b === 0) b = rng.bytes(1)[0]!;
    ps[i] = b;
  }
  const em = Uint8Array.from([0x00, 0x02, ...ps, 0x00, ...message]);
  return Uint8Array.from(publicEncrypt({ key, padding: constants.RSA_NO_PADDING }, em));
}

/** Re-sign a modified header with the sender key (deterministic for rsa/ed25519) so legacy headers are self-consistent. */
function resign(header: J, senderPriv: string): J {
  return parseJsonLossless(headerJson(signClientHeader(parseHeader(header), senderPriv))) as J;
}

export const file: VectorFileSpec = {
  name: 'message',
  area: 'MSG',
  requirements: [R.compose, R.open],
  source: { kind: 'generated', note: 'Composed with the reference from fixed identities (harness/protocol/fixtures.ts), seeded and with a frozen clock; Go compose_test.go facts checked in the generator' },
  header: [
    'message.compose: catalog key, per-item UUID/IV/key and the GCM nonce come from the seeded stream in Go\'s order (harness/protocol/message.ts docblock); created_at from now.',
    'Expected compose outputs are byte-exact except the ciphertext of zlib-compressed items (Go\'s deflate output differs from other zlib implementations): those ids are left out of expected.blocks / expected.attachments.',
    'message.open: decrypt the catalog key (catalog.crypto / txid), the catalog (GCM), then each item (CFB, then inflate if compression is "zlib"). It does not check signatures (see header_signature_test.json).',
    'acceptable cases document what Go accepts and a stricter reader may refuse (header checksum/size not checked by Go; CFB block tampering undetectable; legacy Ed25519 headers).',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Facts asserted by Go internal/message/compose_test.go (from address hash, one block, no attachments).', effect: 'A different from.address means Go servers route the message to another account.', links: ['spec/formats.md §12'] },
    SeededEcdsa: { bugType: 'FUNCTIONALITY', description: 'An ecdsa sender draws signature randomness from the seeded stream after everything else (Go: crypto/rand); a non-deterministic adapter is checked by a round trip.', effect: 'Without the seed the signature bytes differ from the vector; the message must still open and verify.', links: ['ADAPTER.md "seed"'] },
    ZlibThreshold: { bugType: 'EDGE_CASE', description: 'Items of 1024 bytes or more are zlib-compressed before CFB; smaller ones are not (size ≥ 1024, not > 1024).', effect: 'An off-by-one threshold makes Go readers inflate plain data or show compressed bytes.', links: ['internal/message/catalog.go:162,218'] },
    ZlibBytesNotPortable: { bugType: 'INTEROP', description: 'The compressed stream (and so the ciphertext) of items of 1024 bytes or more depends on the deflate implementation; their ciphertext is not in expected. Any zlib stream must be accepted by readers.', effect: "A reader that only accepts one deflate encoder's output cannot open other implementations' mail.", links: ['spec/formats.md §3.3'] },
    Attachments: { bugType: 'BASIC', description: 'Attachments: MIME type detected from content (png, gif, text), filename reduced to its base name, size the plaintext size.', effect: 'Another MIME type or a full path leaks local file names and shows attachments wrongly in Go clients.', links: ['spec/formats.md §5.1'] },
    NonAscii: { bugType: 'EDGE_CASE', description: 'Non-ASCII and HTML-special characters in the subject and block content.', effect: 'Mis-encoding changes the catalog blob and shows another subject to the reader.', links: ['spec/formats.md §4.5'] },
    UnsupportedRecipient: { bugType: 'BASIC', description: 'No catalog key can be encrypted to an ECDSA key (no dual key exchange for ecdsa).', effect: 'An implementation that "encrypts" anyway produces mail nobody can open.', links: ['spec/formats.md §1.7'] },
    LegacyCrypto: { bugType: 'LEGACY', description: 'Header without catalog.crypto (written 2021-01-27…2021-04-15, e.g. by client-lib at d7630bb): RSA recipients decrypt with PKCS#1 v1.5; Ed25519 recipients are refused by Go at 95952d1 (MAY be accepted, BM-SEC-006).', effect: 'Refusing legacy RSA headers makes mail written before April 2021 unreadable.', links: ['spec/formats.md §14', 'spec/formats.md §15.4'] },
    CryptoConfusion: { bugType: 'MODIFIED_PARAMETER', description: 'catalog.crypto names another scheme than the one the catalog key was encrypted with (OAEP ciphertext read as PKCS#1 v1.5, or the reverse).', effect: 'A decoder that falls back between schemes becomes a padding oracle.', links: ['spec/formats.md §1.7'] },
    CatalogTampered: { bugType: 'INTEGRITY', description: 'The encrypted catalog blob was changed, truncated or swapped: GCM must fail (and the header checksums no longer match).', effect: 'Accepting it lets a server swap block keys, filenames or the subject.', links: ['spec/formats.md §5.2'] },
    HeaderChecksumNotChecked: { bugType: 'GO_QUIRK', description: 'Go never compares catalog.checksum / catalog.size with the downloaded blob; GCM still authenticates the blob. A reader SHOULD reject the mismatch (BM-HDR-011), Go opens the message.', effect: 'The header signature then vouches for a catalog other than the one read.', links: ['internal/message/message.go:47-117'] },
    CfbUnauthenticated: { bugType: 'INTEGRITY', description: 'Block and attachment content is AES-CFB without a MAC and its checksum is never filled: a flipped ciphertext bit flips the same plaintext bit (in the last segment, nothing else changes), a truncated ciphertext gives a truncated plaintext. Go opens it; nothing in the format can detect it.', effect: 'Whoever stores the message (the mail server) can alter block text and attachments undetectably.', links: ['spec/formats.md §3.2', 'spec/formats.md §15.8'] },
    ZlibCorrupt: { bugType: 'INTEGRITY', description: 'A flipped bit inside a compressed item makes the zlib stream invalid (or its Adler-32 wrong): opening must fail, not return partial data.', effect: 'Returning partial inflated data shows the reader a truncated or altered message without an error.', links: ['spec/formats.md §3.3'] },
    WrongKey: { bugType: 'BASIC', description: 'The message is opened with a private key it was not encrypted to.', effect: 'A wrong key must never yield a catalog.', links: ['spec/formats.md §1.7'] },
    KeyMaterialTampered: { bugType: 'INTEGRITY', description: 'catalog.encrypted_key or catalog.txid was changed: the catalog key cannot be recovered.', effect: 'Accepting it would mean the catalog key is not bound to the recipient key.', links: ['spec/formats.md §1.7', 'spec/formats.md §1.8'] },
    MissingItem: { bugType: 'BASIC', description: 'The ciphertext of a block listed in the catalog is not supplied.', effect: 'Silently skipping a missing block hides content the sender wrote.', links: ['internal/message/message.go:47-117'] },
  },
  async build(ctx) {
    const base = (s: (typeof SENDERS)[number], r: (typeof RECIPIENTS)[number]): Msg => ({
      key: `${s.name}-to-${r.name}`,
      comment: `${s.name} sender, ${r.name} recipient: catalog key encrypted with ${r.crypto}, client signature by the ${s.name} key`,
      sender: { address: s.address, pair: s.pair, name: 'Alice' },
      recipient: { address: r.address, pair: r.pair },
      subject: 'Lunch?',
      blocks: [{ type: 'text', content: 'Hi Bob, lunch at noon?' }],
      attachments: [],
      flags: s.name === 'ecdsa' ? ['SeededEcdsa'] : [],
      reqs: [R.fingerprint, R.sizeChecksum, R.keyEncrypted, R.addresses, r.name === 'ed25519' ? R.edEncrypt : R.oaep],
    });
    const matrix: Composed[] = [];
    for (const s of SENDERS) for (const r of RECIPIENTS) matrix.push(await compose(ctx, base(s, r)));

    const ed = RECIPIENTS[0]!;
    const edSender = SENDERS[2]!;
    const special = (key: string, comment: string, over: Partial<Msg>, flags: string[], reqs: string[]): Msg => ({ ...base(edSender, ed), key, comment, ...over, flags, reqs: [...base(edSender, ed).reqs.filter((q) => q !== R.edEncrypt), ...reqs] });
    const goKat = await compose(ctx, {
      ...special('go-compose-test', 'compose_test.go: from! (key-ed25519-1) to too! (key-ed25519-2), block default,foobar → from.address 4f16cf35…2e08, one block, no attachments', { sender: { address: 'from!', pair: GO_ED25519_1 }, recipient: { address: 'too!', pair: GO_ED25519_2 }, subject: '', blocks: [{ type: 'default', content: 'foobar' }] }, ['GoKnownAnswer'], [R.kat]),
    });
    if (((goKat.out.header as J).from as J).address !== '4f16cf359aeca741b5516b2c8609919e9f0008b66beb97209fbc694d7f272e08') throw new Error('message: compose_test.go from address not reproduced');
    if (Object.keys(goKat.out.blocks as J).length !== 1 || Object.keys(goKat.out.attachments as J).length !== 0) throw new Error('message: compose_test.go block/attachment counts not reproduced');

    const text = (n: number) => LOREM.repeat(Math.ceil(n / LOREM.length)).slice(0, n);
    const below = await compose(ctx, special('block-1023', 'a 1023-byte block is not compressed (compression "")', { blocks: [{ type: 'text', content: text(1023) }] }, ['ZlibThreshold'], [R.zlib, R.plainSize]));
    const at = await compose(ctx, special('block-1024', 'a 1024-byte block is zlib-compressed (compression "zlib", size = plaintext size)', { blocks: [{ type: 'text', content: text(1024) }] }, ['ZlibThreshold'], [R.zlib, R.plainSize, R.inflate, R.zlibAny]));
    const atts = await compose(ctx, special('attachments', 'png, gif and text attachments (MIME types detected from content, path reduced to the base name) and two blocks in order', {
      blocks: [{ type: 'text', content: 'See attached.' }, { type: 'html', content: '<p>See <b>attached</b>.</p>' }],
      attachments: [{ filename: 'chart.png', content_b64: PNG_1PX }, { filename: 'images/pixel.gif', content_b64: GIF_1PX }, { filename: 'notes.txt', content_b64: toB64(utf8('remember the milk\n')) }],
    }, ['Attachments'], [R.mime, R.ids, R.uploadIds, R.cfbSym]));
    const bigAtt = await compose(ctx, special('attachment-1500', 'a 1500-byte text attachment is zlib-compressed', { attachments: [{ filename: 'minutes.txt', content_b64: toB64(utf8(text(1500))) }] }, ['ZlibThreshold', 'Attachments'], [R.zlib, R.plainSize, R.inflate]));
    const nonAscii = await compose(ctx, special('non-ascii', 'non-ASCII and HTML-special characters in subject, sender name and block', { sender: { address: 'alice@acme!', pair: GO_ED25519_1, name: 'Zoë <Ångström> & co' }, subject: 'Grüße 😀 — café <b>&amp;</b>\u2028', blocks: [{ type: 'text', content: 'Prix: 10 € — 日本語 ✓' }] }, ['NonAscii'], []));
    const noBlocks = await compose(ctx, special('no-blocks', 'no blocks and no attachments: the catalog lists null for both', { blocks: [] }, [], []));

    const composeCases: CaseSpec[] = [...matrix, goKat, below, at, atts, bigAtt, nonAscii, noBlocks].map(composeCase);
    const ecdsaRecipient: Msg = { ...base(edSender, ed), recipient: { address: 'bob!', pair: ALICE_ECDSA } };
    composeCases.push(
      { key: 'compose-to-ecdsa', comment: 'an ecdsa recipient key cannot receive a catalog key → UnsupportedKeyType', flags: ['UnsupportedRecipient'], inputs: composeInputs(ecdsaRecipient), seed: ctx.caseSeed('compose-to-ecdsa'), now: NOW, result: 'invalid', errorClass: 'UnsupportedKeyType', requirements: [R.ecdsaRecipient] },
      { key: 'compose-bad-recipient-address', comment: 'recipient address that is not a BitMaelum address (too short) → InvalidAddress', flags: [], inputs: composeInputs({ ...base(edSender, ed), recipient: { address: 'bo!', pair: GO_ED25519_2 } }), seed: ctx.caseSeed('compose-bad-recipient'), now: NOW, result: 'invalid', errorClass: 'InvalidAddress', requirements: [R.addresses] },
    );

    // Open the composed messages (one per recipient type and sender type, plus the special ones).
    const openCases: CaseSpec[] = [
      ...matrix.filter((c) => /^ed25519-to-rsa/.test(c.msg.key)).map((c) => openCase(c, [])),
      openCase(goKat), openCase(at, [R.inflate]), openCase(atts), openCase(bigAtt, [R.inflate]), openCase(nonAscii),
    ];

    // Legacy headers (§14).
    const rsaMsg = matrix.find((c) => c.msg.key === 'ed25519-to-rsa')!;
    const edMsg = matrix.find((c) => c.msg.key === 'ed25519-to-ed25519')!;
    const rsaHeader = rsaMsg.out.header as J;
    const catalogKey = decryptSecret(parsePrivateKey(GO_KEY_2.privateKey), fromB64((rsaHeader.catalog as J).encrypted_key as string), 'rsa/oaep', '');
    const legacyCt = toB64(pkcs1v15Encrypt(GO_KEY_2.publicKey, catalogKey, ctx.rng));
    const legacyHeader = resign(setAt(setAt(rsaHeader, 'catalog.crypto', undefined), 'catalog.encrypted_key', legacyCt), GO_ED25519_1.privateKey);
    const legacyRsaOut = { ...rsaMsg.out, header: legacyHeader };
    const legacyRsaRsaCrypto = { ...rsaMsg.out, header: resign(setAt(legacyHeader, 'catalog.crypto', 'rsa'), GO_ED25519_1.privateKey) };
    const edNoCrypto = { ...edMsg.out, header: resign(setAt(edMsg.out.header as J, 'catalog.crypto', undefined), GO_ED25519_1.privateKey) };
    const open = (k: string, comment: string, priv: string, out: J, result: 'valid' | 'invalid' | 'acceptable', expectedOrError: J | string, flags: string[], reqs: string[], extra: Partial<CaseSpec> = {}): CaseSpec => ({
      key: k, comment, flags, inputs: openInputs(priv, out), result,
      ...(typeof expectedOrError === 'string' ? { errorClass: expectedOrError } : { expected: expectedOrError }),
      requirements: reqs, ...extra,
    });
    const legacy: CaseSpec[] = [
      open('open-legacy-rsa-no-crypto', 'legacy RSA header: no catalog.crypto, catalog key encrypted with RSAES-PKCS1-v1_5 → opens', GO_KEY_2.privateKey, legacyRsaOut, 'valid', rsaMsg.opened, ['LegacyCrypto'], [R.legacyRsa, R.open]),
      open('open-legacy-rsa-crypto-rsa', 'legacy RSA header with crypto "rsa" (PKCS#1 v1.5) → opens', GO_KEY_2.privateKey, legacyRsaRsaCrypto, 'valid', rsaMsg.opened, ['LegacyCrypto'], [R.legacyRsa, R.open]),
      open('open-legacy-ed25519-no-crypto', 'Ed25519 header without catalog.crypto: Go at 95952d1 refuses it (DecryptionFailed); a reader MAY accept it', GO_ED25519_2.privateKey, edNoCrypto, 'acceptable', 'DecryptionFailed', ['LegacyCrypto'], [R.edCrypto, R.edLegacy], { expected: edMsg.opened }),
      open('open-oaep-as-pkcs1', 'crypto changed rsa/oaep → rsa: the OAEP ciphertext does not decode as PKCS#1 v1.5', GO_KEY_2.privateKey, { ...rsaMsg.out, header: setAt(rsaHeader, 'catalog.crypto', 'rsa') }, 'invalid', 'DecryptionFailed', ['CryptoConfusion'], [R.oaepNotPkcs1], { mutant: true }),
      open('open-pkcs1-as-oaep', 'a PKCS#1 v1.5 catalog key labelled rsa/oaep does not decode as OAEP', GO_KEY_2.privateKey, { ...rsaMsg.out, header: setAt(legacyHeader, 'catalog.crypto', 'rsa/oaep') }, 'invalid', 'DecryptionFailed', ['CryptoConfusion'], [R.oaepNotPkcs1], { mutant: true }),
      open('open-ed25519-crypto-rsa-oaep', 'Ed25519 header with crypto rsa/oaep → refused', GO_ED25519_2.privateKey, { ...edMsg.out, header: setAt(edMsg.out.header as J, 'catalog.crypto', 'rsa/oaep') }, 'invalid', 'DecryptionFailed', ['CryptoConfusion'], [R.edCrypto], { mutant: true }),
    ];

    // Mutants of the ed25519 → ed25519 message (and a few of the RSA one).
    const E = edMsg.out;
    const eh = E.header as J;
    const eblob = fromB64(E.catalog_b64 as string);
    const n = eblob.length;
    const withCatalog = (blob: Uint8Array, fixHeader: boolean): J => {
      const header = fixHeader ? setAt(setAt(setAt(eh, 'catalog.size', blob.length), 'catalog.checksum.sha256', sha256hex(blob)), 'catalog.checksum.ripemd160', createHash('ripemd160').update(blob).digest('hex')) : eh;
      return { ...E, header, catalog_b64: toB64(blob) };
    };
    const edPriv = GO_ED25519_2.privateKey;
    const mut = (k: string, comment: string, out: J, flags: string[], reqs: string[], errorClass = 'DecryptionFailed', priv = edPriv, also?: string[]): CaseSpec =>
      open(`mutant-${k}`, comment, priv, out, 'invalid', errorClass, flags, reqs, { mutant: true, ...(also ? { alsoAllowedErrorClasses: also } : {}) });
    const mutants: CaseSpec[] = [
      mut('catalog-ciphertext-bit', 'a ciphertext bit of the catalog blob flipped', withCatalog(flip(eblob, n >> 1), false), ['CatalogTampered'], [R.gcm]),
      mut('catalog-bit-header-fixed', 'catalog bit flipped and the header checksums/size recomputed to match: GCM still refuses it', withCatalog(flip(eblob, 20), true), ['CatalogTampered'], [R.gcm]),
      mut('catalog-truncated', 'catalog blob missing its last byte (header fixed to match)', withCatalog(eblob.subarray(0, n - 1), true), ['CatalogTampered'], [R.gcm]),
      mut('catalog-from-other-message', 'the catalog blob of another message to the same recipient, header fixed to match', withCatalog(fromB64(goKat.out.catalog_b64 as string), true), ['CatalogTampered'], [R.gcm]),
      mut('wrong-key-ed25519', 'opened with another Ed25519 key (txid not addressed to it)', E, ['WrongKey'], [R.wrongKey], 'DecryptionFailed', GO_ED25519_4.privateKey),
      mut('wrong-key-rsa', 'an Ed25519 message opened with an RSA key', E, ['WrongKey'], [R.wrongKey], 'DecryptionFailed', GO_KEY_2.privateKey),
      mut('wrong-key-ecdsa', 'opened with an ecdsa key (cannot decrypt)', E, ['WrongKey'], [R.wrongKey], 'UnsupportedKeyType', GO_PRIVKEY_ECDSA.privateKey, ['DecryptionFailed']),
      mut('rsa-wrong-key', 'an RSA message opened with another RSA key', rsaMsg.out, ['WrongKey'], [R.wrongKey], 'DecryptionFailed', GO_KEY_5.privateKey),
      mut('rsa-with-ed25519-key', 'an RSA message opened with an Ed25519 key', rsaMsg.out, ['WrongKey'], [R.wrongKey], 'DecryptionFailed', edPriv),
      mut('rsa-encrypted-key-bit', 'one bit of the RSA-OAEP catalog key flipped', { ...rsaMsg.out, header: setAt(rsaHeader, 'catalog.encrypted_key', flipB64((rsaHeader.catalog as J).encrypted_key as string, 100)) }, ['KeyMaterialTampered'], [R.keyEncrypted], 'DecryptionFailed', GO_KEY_2.privateKey),
      mut('encrypted-key-bit', 'one bit of the Ed25519 catalog key blob flipped', { ...E, header: setAt(eh, 'catalog.encrypted_key', flipB64((eh.catalog as J).encrypted_key as string, 30)) }, ['KeyMaterialTampered'], [R.keyEncrypted]),
      mut('txid-p-changed', 'one hex digit of P in the txid changed', { ...E, header: setAt(eh, 'catalog.txid', flipHex((eh.catalog as J).txid as string, 3)) }, ['KeyMaterialTampered'], [R.keyEncrypted]),
      mut('txid-r-changed', 'one hex digit of R in the txid changed', { ...E, header: setAt(eh, 'catalog.txid', flipHex((eh.catalog as J).txid as string, 100)) }, ['KeyMaterialTampered'], [R.keyEncrypted]),
      mut('block-missing', 'the block ciphertext is not supplied', { ...E, blocks: {} }, ['MissingItem'], [R.open], 'InvalidInput', edPriv, ['DecryptionFailed']),
    ];

    // Checksum / size not matching an intact blob: a reader SHOULD refuse (BM-HDR-011); Go opens
    // it, which its expectations list as that requirement's deviation.
    const notChecked = (k: string, comment: string, header: J): CaseSpec =>
      open(`header-${k}`, comment, edPriv, { ...E, header }, 'invalid', 'DecryptionFailed', ['HeaderChecksumNotChecked'], [R.checkChecksum]);
    const acceptable: CaseSpec[] = [
      notChecked('sha256-mismatch', 'header catalog.checksum.sha256 does not match the (intact) catalog blob: Go opens it; SHOULD be refused', setAt(eh, 'catalog.checksum.sha256', flipHex(((eh.catalog as J).checksum as J).sha256 as string, 0))),
      notChecked('ripemd160-mismatch', 'header catalog.checksum.ripemd160 does not match: Go opens it; SHOULD be refused', setAt(eh, 'catalog.checksum.ripemd160', flipHex(((eh.catalog as J).checksum as J).ripemd160 as string, 0))),
      notChecked('size-mismatch', 'header catalog.size is one more than the blob length: Go opens it; SHOULD be refused', setAt(eh, 'catalog.size', Number((eh.catalog as J).size) + 1)),
    ];

    // CFB: flip the lowest bit of the last ciphertext byte of an uncompressed block → the last plaintext
    // character changes ('?' ↔ '>'), nothing else (last CFB segment). Go opens it.
    const bid = Object.keys(E.blocks as J)[0]!;
    const bct = fromB64((E.blocks as J)[bid] as string);
    const flippedOut = { ...E, blocks: { [bid]: toB64(flip(bct, -1)) } };
    const flippedOpen = await ctx.must('message.open', openInputs(edPriv, flippedOut));
    const want = edMsg.msg.blocks[0]!.content.slice(0, -1) + String.fromCharCode(edMsg.msg.blocks[0]!.content.charCodeAt(edMsg.msg.blocks[0]!.content.length - 1) ^ 1);
    if ((flippedOpen.blocks as J[])[0]!.content !== want) throw new Error('message: CFB bit flip did not flip exactly the last plaintext bit');
    const truncatedOut = { ...E, blocks: { [bid]: toB64(bct.subarray(0, bct.length - 5)) } };
    const truncatedOpen = await ctx.must('message.open', openInputs(edPriv, truncatedOut));
    if ((truncatedOpen.blocks as J[])[0]!.content !== edMsg.msg.blocks[0]!.content.slice(0, -5)) throw new Error('message: CFB truncation did not truncate the plaintext');
    const aid = Object.keys(atts.out.attachments as J)[2]!; // notes.txt
    const act = fromB64((atts.out.attachments as J)[aid] as string);
    const attFlipped = { ...atts.out, attachments: { ...(atts.out.attachments as J), [aid]: toB64(flip(act, 0, 0x20)) } };
    const attFlippedOpen = await ctx.must('message.open', openInputs(edPriv, attFlipped));
    const cfb: CaseSpec[] = [
      open('cfb-block-bit-flip', 'last ciphertext bit of a block flipped: opens with the last character changed (? → >) — undetectable, CFB has no MAC', edPriv, flippedOut, 'acceptable', flippedOpen, ['CfbUnauthenticated'], [R.cfb, R.cfbSym]),
      open('cfb-block-truncated', 'block ciphertext missing its last 5 bytes: opens with the text cut short — undetectable', edPriv, truncatedOut, 'acceptable', truncatedOpen, ['CfbUnauthenticated'], [R.cfb, R.cfbSym]),
      open('cfb-attachment-bit-flip', 'first ciphertext byte of a text attachment XOR 0x20: opens with "Remember…" instead of "remember…" and the next 16-byte CFB segment garbled', edPriv, attFlipped, 'acceptable', attFlippedOpen, ['CfbUnauthenticated'], [R.cfb, R.cfbSym]),
    ];
    // A compressed block with a flipped bit: the zlib stream or its Adler-32 breaks → error.
    const zid = [...at.compressed][0]!;
    const zct = fromB64((at.out.blocks as J)[zid] as string);
    for (const [k, i] of [['zlib-block-bit-middle', zct.length >> 1], ['zlib-block-bit-last', zct.length - 1]] as const) {
      mutants.push(open(`mutant-${k}`, `a bit of a zlib-compressed block flipped (byte ${i}): inflate or its Adler-32 check fails → error, no partial text`, edPriv, { ...at.out, blocks: { [zid]: toB64(flip(zct, i)) } }, 'invalid', 'DecryptionFailed', ['ZlibCorrupt'], [R.zlibBad], { mutant: true, alsoAllowedErrorClasses: ['InvalidInput'] }));
    }

    return [
      { op: 'message.compose', comment: 'composing (seeded, now = 2021-04-15T12:34:56Z): sender key types × recipient key types, then content variants', source: { kind: 'generated' }, cases: composeCases },
      { op: 'message.open', comment: 'opening the composed messages', source: { kind: 'generated' }, cases: openCases },
      { op: 'message.open', comment: 'legacy headers without catalog.crypto (spec/formats.md §14) and crypto confusion', source: { kind: 'derived', ...GO_SUITE, note: 'legacy forms reconstructed from the §14 history; the PKCS#1 v1.5 padding is drawn from the file stream' }, cases: legacy },
      { op: 'message.open', comment: 'tampered catalogs, key material and wrong private keys', source: { kind: 'generated' }, cases: mutants },
      { op: 'message.open', comment: 'what Go accepts: header checksums not checked (a reader SHOULD refuse, BM-HDR-011), CFB content tampering (a stricter reader may refuse)', source: { kind: 'generated' }, cases: [...acceptable, ...cfb] },
    ];
  },
};
