/**
 * Composing and opening a message (spec/formats.md §4.1, §5; Go `internal/message/compose.go:28-111`,
 * `envelope.go:92-186`, `catalog.go:112-249`, `message.go:47-117`).
 *
 * composeMessage follows Go's order of operations, and draws from `rng` in this order (a seeded
 * rng therefore gives a byte-identical message; Go reads the same amounts from crypto/rand in the
 * same order):
 *   0. `created_at` = `clock.now()` as UTC whole seconds (Go `NewCatalog` runs before `NewEnvelope`; no rng);
 *   1. catalog key: 32 bytes (`NewEnvelope` → `CreateCatalogKey`);
 *   2. per block, in input order, then per attachment, in input order: id = UUIDv4 from 16 bytes
 *      (`uuid.NewRandom`), then IV 16 bytes, then key 32 bytes (`GenerateIvAndKey` draws the IV
 *      first, `aes_256_gcm.go:141-155`); content of ≥ 1024 bytes is zlib-compressed first;
 *   3. catalog GCM nonce: 12 bytes (`JSONEncrypt`);
 *   4. the catalog key to the recipient (`encryptSecret`, secret.ts: RSA-OAEP seed 32 bytes, or
 *      Ed25519 dual-exchange scalar 32 bytes + GCM nonce 12 bytes);
 *   5. the client signature (`signClientHeader`; only ecdsa senders draw).
 * Sender/recipient `address` may be a BitMaelum address (catalog gets the normalised address,
 * header gets its hash) or, as Go's hash fallback, a 64-hex hash (both get the hash string); for
 * `signedBy: 'server'` the sender may be any routing ID string. Flags: `postmaster` for server,
 * `onbehalf` for authorized, none (null) for origin. Block/attachment `size` is the plaintext size;
 * attachment filenames go through Go `path.Base`; the MIME type comes from mimetype.ts.
 * `authorizedBy` (optional) is copied into the header's `authorized_by`; in Go the originating
 * mail server adds it (`incoming.go:68-85`), it is not covered by the client signature.
 *
 * openMessage is stricter than Go's `Decrypt` in three documented ways:
 *   - the header's `catalog.size` and every present `catalog.checksum` entry (`sha256`,
 *     `ripemd160`) must match the catalog blob, else `DecryptionFailed` — the header is what the
 *     sender signed, so a blob that does not match it is treated like a failed MAC (Go never
 *     checks them; GCM would still catch a changed blob);
 *   - every block/attachment id of the catalog must be present in the given maps (else
 *     `InvalidInput` naming the id) and have a 16-byte IV and 16/24/32-byte key (else `InvalidInput`;
 *     Go silently leaves such an item without a reader);
 *   - inflated output is bounded (`maxInflate`, default 256 MiB) → `InvalidInput` beyond it.
 * With `opts.senderPublicKey` the client signature is verified first, as Go does (→ `BadSignature`).
 * Errors: wrong private key / crypto / txid / flipped catalog bit → `DecryptionFailed`;
 * an ecdsa recipient → `UnsupportedKeyType` (nothing can be encrypted to ecdsa keys).
 * @module
 */
import { abytes, aobject, astring, fromUtf8, preview, utf8 } from './bytes.ts';
import { BadSignature, DecryptionFailed, InvalidAddress, InvalidInput, UnsupportedKeyType } from './errors.ts';
import { parseAddress } from './address.ts';
import { isHash } from './hash.ts';
import { checksums } from './checksum.ts';
import { decryptCatalog, encryptCatalog, unixToGoTime, type Catalog, type CatalogAttachment, type CatalogBlock } from './catalog.ts';
import { goPublicKeyString, signClientHeader, verifyClientHeader, SIGNED_BY, type Header } from './header.ts';
import { fingerprint, parsePrivateKey, parsePublicKey, type PrivateKey, type PublicKey } from './keys.ts';
import { decryptSecret, encryptSecret } from './secret.ts';
import { cfbDecrypt, cfbEncrypt, DEFAULT_MAX_INFLATE, zlibCompress, zlibDecompress } from './symmetric.ts';
import { detectMimeType } from './mimetype.ts';
import { uuidv4, type Clock, type Rng } from './random.ts';

/** Plaintext size from which blocks and attachments are zlib-compressed (`catalog.go:162,218`). */
export const COMPRESS_THRESHOLD = 1024;

export type SignedBy = 'origin' | 'authorized' | 'server';

export interface ComposeInput {
  readonly sender: { readonly address: string; readonly privateKey: PrivateKey | string; readonly name?: string };
  readonly recipient: { readonly address: string; readonly publicKey: PublicKey | string };
  readonly subject: string;
  readonly blocks: readonly { readonly type: string; readonly content: string | Uint8Array }[];
  readonly attachments?: readonly { readonly filename: string; readonly content: Uint8Array }[];
  /** Default `origin`. */
  readonly signedBy?: SignedBy;
  /** Header `authorized_by` (public key text and b64 signature), normally added by the sending server. */
  readonly authorizedBy?: { readonly publicKey: string; readonly signature: string };
}

export interface ComposedMessage {
  readonly header: Header;
  readonly catalog: Catalog;
  /** The encrypted catalog: uploaded as the raw `catalog` file. */
  readonly catalogBlob: Uint8Array;
  /** Block id → CFB ciphertext (uploaded as `/incoming/block/<id>`). */
  readonly blocks: Map<string, Uint8Array>;
  readonly attachments: Map<string, Uint8Array>;
}

export interface OpenedMessage {
  readonly catalog: Catalog;
  /** `content` is the UTF-8 reading of `bytes` (U+FFFD for invalid sequences). */
  readonly blocks: { id: string; type: string; content: string; bytes: Uint8Array }[];
  readonly attachments: { id: string; filename: string; mimetype: string; content: Uint8Array }[];
}

export interface OpenOptions {
  /** Verify the client signature against this key first (Go `message.go:56`); failure → BadSignature. */
  readonly senderPublicKey?: PublicKey | string;
  /** Inflate output cap per item (default 256 MiB). */
  readonly maxInflate?: number;
}

/** Go `path.Base` (slash-separated). */
export function goPathBase(p: string): string {
  if (p === '') return '.';
  const t = p.replace(/\/+$/, '');
  if (t === '') return '/';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** Resolve a sender/recipient string to (catalog text, header hash) as Go's address-or-hash fallback. */
function party(s: string, field: string, allowAnyId: boolean): { text: string; hash: string } {
  astring(s, field);
  try {
    const a = parseAddress(s);
    return { text: a.address, hash: a.hash };
  } catch (e) {
    if (isHash(s) || allowAnyId) return { text: s, hash: s };
    throw new InvalidAddress(`${field}: not a BitMaelum address or hash: ${preview(s)}`, { cause: e });
  }
}

function sealItem(content: Uint8Array, rng: Rng): { id: string; compression: string; key: Uint8Array; iv: Uint8Array; ct: Uint8Array } {
  const id = uuidv4(rng);
  const compress = content.length >= COMPRESS_THRESHOLD;
  const stream = compress ? zlibCompress(content) : content;
  const iv = rng.bytes(16);
  const key = rng.bytes(32);
  return { id, compression: compress ? 'zlib' : '', key, iv, ct: cfbEncrypt(key, iv, stream) };
}

/** Compose and encrypt a message (§4.1). See the module doc for the rng draw order. */
export function composeMessage(input: ComposeInput, rng: Rng, clock: Clock): ComposedMessage {
  aobject(input, 'input');
  aobject(input.sender, 'sender');
  aobject(input.recipient, 'recipient');
  astring(input.subject, 'subject');
  if (!Array.isArray(input.blocks)) throw new InvalidInput('blocks: expected array');
  const attachmentsIn = input.attachments ?? [];
  if (!Array.isArray(attachmentsIn)) throw new InvalidInput('attachments: expected array');
  const signedBy: SignedBy = input.signedBy ?? 'origin';
  if (!Object.hasOwn(SIGNED_BY, signedBy)) throw new InvalidInput(`signedBy: expected origin, authorized or server, got ${preview(signedBy)}`);
  if (input.sender.name !== undefined) astring(input.sender.name, 'sender.name');

  const senderPriv = typeof input.sender.privateKey === 'string' ? parsePrivateKey(input.sender.privateKey) : input.sender.privateKey;
  const recipientPub = typeof input.recipient.publicKey === 'string' ? parsePublicKey(input.recipient.publicKey) : input.recipient.publicKey;
  if (recipientPub.type === 'ecdsa') throw new UnsupportedKeyType('recipient.publicKey: cannot encrypt a catalog key to an ecdsa key');
  const from = party(input.sender.address, 'sender.address', signedBy === 'server');
  const to = party(input.recipient.address, 'recipient.address', false);
  const blocksIn = input.blocks.map((b, i) => {
    aobject(b as unknown, `blocks[${i}]`);
    astring(b.type, `blocks[${i}].type`);
    const content = typeof b.content === 'string' ? utf8(b.content) : b.content;
    abytes(content, `blocks[${i}].content`);
    return { type: b.type, content };
  });
  const attsIn = attachmentsIn.map((a, i) => {
    aobject(a as unknown, `attachments[${i}]`);
    astring(a.filename, `attachments[${i}].filename`);
    abytes(a.content, `attachments[${i}].content`);
    return a;
  });
  const authorizedBy =
    input.authorizedBy === undefined
      ? undefined
      : (aobject(input.authorizedBy, 'authorizedBy'),
        astring(input.authorizedBy.signature, 'authorizedBy.signature'),
        { public_key: goPublicKeyString(input.authorizedBy.publicKey), signature: input.authorizedBy.signature });

  // 0. NewCatalog: time first (no randomness).
  const createdAt = unixToGoTime(clock.now());
  // 1. NewEnvelope: catalog key.
  const catalogKey = rng.bytes(32);
  // 2. Blocks, then attachments.
  const blockCts = new Map<string, Uint8Array>();
  const blocks: CatalogBlock[] = blocksIn.map((b) => {
    const s = sealItem(b.content, rng);
    blockCts.set(s.id, s.ct);
    return { id: s.id, type: b.type, size: b.content.length, encoding: '', compression: s.compression, checksum: null, key: s.key, iv: s.iv };
  });
  const attCts = new Map<string, Uint8Array>();
  const attachments: CatalogAttachment[] = attsIn.map((a) => {
    const mimetype = detectMimeType(a.content); // Go detects before drawing the id
    const s = sealItem(a.content, rng);
    attCts.set(s.id, s.ct);
    return { id: s.id, mimetype, filename: goPathBase(a.filename), size: a.content.length, compression: s.compression, checksum: null, key: s.key, iv: s.iv };
  });
  const catalog: Catalog = {
    from: { address: from.text, name: input.sender.name ?? '', organisation: '', proof_of_work: null, public_key: null },
    to: { address: to.text },
    created_at: createdAt,
    thread_id: '',
    subject: input.subject,
    flags: signedBy === 'server' ? ['postmaster'] : signedBy === 'authorized' ? ['onbehalf'] : null,
    labels: null,
    blocks: blocks.length ? blocks : null,
    attachments: attachments.length ? attachments : null,
  };
  // 3. CloseAndEncrypt: catalog blob, checksums, size, encrypted key, client signature.
  const catalogBlob = encryptCatalog(catalog, catalogKey, rng);
  const sums = checksums(catalogBlob);
  const enc = encryptSecret(recipientPub, catalogKey, rng);
  const unsigned: Header = {
    from: { address: from.hash, signed_by: signedBy },
    to: { address: to.hash, fingerprint: fingerprint(recipientPub) },
    catalog: { size: catalogBlob.length, checksum: { ripemd160: sums.ripemd160, sha256: sums.sha256 }, crypto: enc.crypto, txid: enc.txid, encrypted_key: enc.ciphertext },
    ...(authorizedBy ? { authorized_by: authorizedBy } : {}),
    signatures: { server: '', client: '' },
  };
  const header = signClientHeader(unsigned, senderPriv, rng);
  return { header, catalog, catalogBlob, blocks: blockCts, attachments: attCts };
}

function lookup(map: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>, id: string): Uint8Array | undefined {
  if (map instanceof Map) return map.get(id);
  return Object.hasOwn(map, id) ? (map as Record<string, Uint8Array>)[id] : undefined;
}

function openItem(
  what: string,
  item: { id: string; compression: string; key: Uint8Array | null; iv: Uint8Array | null },
  map: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>,
  maxInflate: number,
): Uint8Array {
  const ct = lookup(map, item.id);
  if (ct === undefined) throw new InvalidInput(`${what} ${preview(item.id)}: ciphertext not provided`);
  abytes(ct, `${what} ${item.id}`);
  if (!item.iv || item.iv.length !== 16) throw new InvalidInput(`${what} ${item.id}: iv must be 16 bytes`);
  if (!item.key || ![16, 24, 32].includes(item.key.length)) throw new InvalidInput(`${what} ${item.id}: key must be 16, 24 or 32 bytes`);
  const stream = cfbDecrypt(item.key, item.iv, ct);
  // Go: "zlib" inflates, any other value means no compression (message.go:107-116).
  return item.compression === 'zlib' ? zlibDecompress(stream, maxInflate) : stream;
}

/** Open a message for `priv` (§4.1 "Reading"); see the module doc for the checks and errors. */
export function openMessage(
  priv: PrivateKey | string,
  header: Header,
  catalogBlob: Uint8Array,
  blocks: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>,
  attachments: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>,
  opts: OpenOptions = {},
): OpenedMessage {
  const key = typeof priv === 'string' ? parsePrivateKey(priv) : priv;
  aobject(header, 'header');
  abytes(catalogBlob, 'catalogBlob');
  if (typeof blocks !== 'object' || blocks === null) throw new InvalidInput('blocks: expected Map or object');
  if (typeof attachments !== 'object' || attachments === null) throw new InvalidInput('attachments: expected Map or object');
  const maxInflate = opts.maxInflate ?? DEFAULT_MAX_INFLATE;

  if (opts.senderPublicKey !== undefined && !verifyClientHeader(header, opts.senderPublicKey))
    throw new BadSignature('header: invalid client signature');

  const c = header.catalog;
  if (BigInt(c.size) !== BigInt(catalogBlob.length))
    throw new DecryptionFailed(`catalogBlob: ${catalogBlob.length} bytes but header catalog.size is ${c.size}`);
  if (c.checksum !== null) {
    const sums = checksums(catalogBlob);
    for (const alg of ['sha256', 'ripemd160'] as const) {
      const want = c.checksum[alg];
      if (want !== undefined && want.toLowerCase() !== sums[alg])
        throw new DecryptionFailed(`catalogBlob: ${alg} checksum does not match the header`);
    }
  }
  if (c.encrypted_key === null) throw new DecryptionFailed('header: catalog.encrypted_key is null');
  const catalogKey = decryptSecret(key, c.encrypted_key, c.crypto, c.txid);
  if (catalogKey.length !== 32) throw new DecryptionFailed(`catalog key: expected 32 bytes, got ${catalogKey.length}`);
  const catalog = decryptCatalog(catalogBlob, catalogKey);

  const outBlocks = (catalog.blocks ?? []).map((b) => {
    const bytes = openItem('block', b, blocks, maxInflate);
    return { id: b.id, type: b.type, content: fromUtf8(bytes), bytes };
  });
  const outAtts = (catalog.attachments ?? []).map((a) => ({
    id: a.id,
    filename: a.filename,
    mimetype: a.mimetype,
    content: openItem('attachment', a, attachments, maxInflate),
  }));
  return { catalog, blocks: outBlocks, attachments: outAtts };
}
