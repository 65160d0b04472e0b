/**
 * Profile `client`, area `messages`: the client under test composes and opens BitMaelum
 * messages (spec/formats.md §4.1 "Order of operations", §1.7 secret encryption, §5 catalog;
 * Go internal/message/compose.go, message.go), judged against the reference library.
 *
 * - compose: the client's `message.compose` output must open in the reference
 *   (harness/protocol/message.ts `openMessage`, with the client signature checked against the
 *   sender key) to exactly the content given, for every recipient key type that can receive
 *   mail (ed25519, rsa, rsa4096; ecdsa cannot, §1.7) and every sender key type;
 * - open: the client's `message.open` must read what the reference composed, and refuse a
 *   message encrypted to someone else or whose catalog does not authenticate.
 *
 * Fixed identities (harness/protocol/fixtures.ts) and a fixed `now`; seeds per test, so a
 * deterministic client gives the same bytes on every run.
 */
import { afterAll, describe, it } from 'vitest';
import { GO_ED25519_1, GO_ED25519_2, GO_ED25519_3, GO_KEY_1, GO_KEY_3, ALICE_ECDSA, BOB_ECDSA, RSA4096_FIXTURE, type KeyPairText } from '../../harness/protocol/fixtures.ts';
import { composeMessage, openMessage } from '../../harness/protocol/message.ts';
import { parseHeader, headerJson, verifyClientHeader, type Header } from '../../harness/protocol/header.ts';
import { parseAddress } from '../../harness/protocol/address.ts';
import { fingerprint, parsePrivateKey, parsePublicKey } from '../../harness/protocol/keys.ts';
import { decryptSecret } from '../../harness/protocol/secret.ts';
import { gcmOpen } from '../../harness/protocol/symmetric.ts';
import { parseJsonLossless } from '../../harness/protocol/gojson.ts';
import { fromB64, fromUtf8, toB64, utf8 } from '../../harness/protocol/bytes.ts';
import { checksums } from '../../harness/protocol/checksum.ts';
import { fixedClock, seededRng } from '../../harness/protocol/random.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import { suiteAdapter } from '../_support/adapter.ts';
import { mustOp, mustOpError } from '../_support/op.ts';
import { fail, mustBe, mustEqual, mustSchema } from '../_support/must.ts';
import { isObject, show } from '../_support/match.ts';

const adapter = await suiteAdapter();
afterAll(() => adapter.close());

/** 2026-01-01T00:00:12Z: the clock every compose reads. */
const NOW = 1767225612;
const SENDER = { address: 'sender-client!', name: 'Client Suite' };
const RECIPIENT_ADDRESS = 'recipient-client!';

/** Recipient identities per key type that can receive mail (§1.7). */
const RECIPIENTS: Record<'ed25519' | 'rsa' | 'rsa4096', KeyPairText> = { ed25519: GO_ED25519_2, rsa: GO_KEY_1, rsa4096: RSA4096_FIXTURE };
/** Sender identities per signing key type (§1.5). */
const SENDERS: Record<'ed25519' | 'rsa' | 'ecdsa', KeyPairText> = { ed25519: GO_ED25519_1, rsa: GO_KEY_3, ecdsa: ALICE_ECDSA };

/** The message every compose test sends: one small and one large block (≥ 1024 bytes, compressed), one small and one large attachment. */
const CONTENT = {
  subject: 'Conformance: client composes, reference opens',
  blocks: [
    { type: 'default', content: 'Hello from the client suite. Ünïcödé ✓' },
    { type: 'html', content: `<p>${'compressible line of text; '.repeat(60)}</p>` },
  ],
  attachments: [
    { filename: 'notes.txt', content: utf8('attachment number one\n') },
    { filename: 'dir/big.bin', content: Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) % 251) },
  ],
};

function composeArgs(sender: KeyPairText, recipient: KeyPairText): Record<string, unknown> {
  return {
    sender: { address: SENDER.address, private_key: sender.privateKey, name: SENDER.name },
    recipient: { address: RECIPIENT_ADDRESS, public_key: recipient.publicKey },
    subject: CONTENT.subject,
    blocks: CONTENT.blocks,
    attachments: CONTENT.attachments.map((a) => ({ filename: a.filename, content_b64: toB64(a.content) })),
  };
}

const b64map = (v: JsonValue | undefined, what: string): Map<string, Uint8Array> => {
  if (!isObject(v)) fail(`${what}: expected an object of id → base64, got ${show(v)}`);
  return new Map(Object.entries(v).map(([id, x]) => [id, typeof x === 'string' ? fromB64(x, `${what}.${id}`) : fail(`${what}.${id}: expected base64 text`)]));
};

/** Compose through the client, then open with the reference as the recipient; checks the content and returns both sides. */
async function composeAndOpen(senderType: keyof typeof SENDERS, recipientType: keyof typeof RECIPIENTS, seed: string) {
  const sender = SENDERS[senderType];
  const recipient = RECIPIENTS[recipientType];
  const res = await mustOp(adapter, 'message.compose', composeArgs(sender, recipient), { seed, now: NOW });
  mustSchema(res.header, 'header_schema_v1.json', 'composed header');
  let header: Header;
  try {
    header = parseHeader(res.header);
  } catch (e) {
    fail(`the composed header does not parse: ${(e as Error).message}`, 'a BitMaelum header', res.header);
  }
  mustBe(verifyClientHeader(header, sender.publicKey), `the client signature of the composed header does not verify with the ${senderType} sender key`);
  const catalogBlob = typeof res.catalog_b64 === 'string' ? fromB64(res.catalog_b64, 'catalog_b64') : fail('catalog_b64: expected base64 text');
  let opened: ReturnType<typeof openMessage>;
  try {
    opened = openMessage(recipient.privateKey, header, catalogBlob, b64map(res.blocks, 'blocks'), b64map(res.attachments, 'attachments'));
  } catch (e) {
    fail(`the reference cannot open the composed message as the ${recipientType} recipient: ${(e as Error).name}: ${(e as Error).message}`);
  }
  mustEqual(opened.catalog.subject, CONTENT.subject, 'catalog.subject');
  mustEqual(opened.blocks.map((b) => ({ type: b.type, content: b.content })), CONTENT.blocks, 'blocks');
  mustEqual(
    opened.attachments.map((a) => ({ filename: a.filename, content: toB64(a.content) })),
    CONTENT.attachments.map((a) => ({ filename: a.filename.split('/').pop(), content: toB64(a.content) })),
    'attachments (filename is the base name)',
  );
  return { res, header, opened };
}

describe('client › compose', { meta: { area: 'compose' } }, () => {
  // For each recipient key type: the client composes, the reference opens as the recipient to
  // the same subject, blocks and attachments, and the catalog key is encrypted the §1.7 way for
  // that key type (rsa: RSA-OAEP "rsa/oaep", no txid; ed25519: dual key exchange "ed25519+aes"
  // with a 128-hex txid). formats.md §4.1, §1.7.
  for (const { type, req } of [
    { type: 'ed25519', req: 'BM-SEC-004 BM-HDR-008' },
    { type: 'rsa', req: 'BM-SEC-001 BM-HDR-004 BM-HDR-008' },
    { type: 'rsa4096', req: 'BM-SEC-001 BM-HDR-004 BM-HDR-008' },
  ] as const) {
    it(`BM-MSG-001 ${req} MUST compose a message to an ${type} recipient that the reference opens to the original content`, async () => {
      const { header, res } = await composeAndOpen('ed25519', type, `6d73672d${Buffer.from(type).toString('hex')}`);
      if (type === 'ed25519') {
        mustEqual(header.catalog.crypto, 'ed25519+aes', 'catalog.crypto');
        mustBe(/^[0-9a-f]{128}$/.test(header.catalog.txid), `catalog.txid: expected hex(P‖R), 128 hex, got ${show(header.catalog.txid)}`);
      } else {
        mustEqual(header.catalog.crypto, 'rsa/oaep', 'catalog.crypto');
        const wire = isObject(res.header) && isObject(res.header.catalog) ? res.header.catalog : {};
        mustBe(!('txid' in wire), `catalog.txid must be omitted when empty (omitempty), got ${show(wire.txid)}`);
      }
    });
  }

  // For each sender key type: the client signature (§4.4) by an rsa or ecdsa account key
  // verifies in the reference and the message still opens. formats.md §1.5, §4.4.
  it.each(['rsa', 'ecdsa'] as const)('BM-MSG-001 MUST compose a message signed by an %s sender key that verifies and opens in the reference', async (type) => {
    await composeAndOpen(type, 'ed25519', `736e642d${Buffer.from(type).toString('hex')}`);
  });

  // The header names the sender's address hash, the recipient's address hash and the
  // fingerprint of the key the catalog key was encrypted to; catalog.size and checksums
  // describe the uploaded blob. formats.md §4.1 steps 5–9, §4.2.
  it('BM-HDR-006 BM-HDR-007 BM-HDR-009 MUST address the header to the recipient key fingerprint and the sender and recipient address hashes', async () => {
    const res = await mustOp(adapter, 'message.compose', composeArgs(SENDERS.ed25519, RECIPIENTS.ed25519), { seed: '68647273', now: NOW });
    const h = parseHeader(res.header);
    mustEqual(h.from.address, parseAddress(SENDER.address).hash, 'from.address');
    mustEqual(h.to.address, parseAddress(RECIPIENT_ADDRESS).hash, 'to.address');
    mustEqual(h.to.fingerprint, fingerprint(parsePublicKey(RECIPIENTS.ed25519.publicKey)), 'to.fingerprint');
    const blob = fromB64(String(res.catalog_b64), 'catalog_b64');
    mustEqual(String(h.catalog.size), String(blob.length), 'catalog.size');
    mustEqual(h.catalog.checksum, checksums(blob), 'catalog.checksum');
  });

  // The header is written in Go struct order — from, to, catalog, (authorized_by), signatures —
  // each section in its struct order, from.signed_by always present ("origin" here), no
  // authorized_by for an own message. Checked on the JSON object as the client wrote it.
  // formats.md §4.2 (header.go:49-78).
  it('BM-HDR-001 BM-HDR-002 BM-HDR-005 MUST write the header fields in Go struct order with from.signed_by', async () => {
    const res = await mustOp(adapter, 'message.compose', composeArgs(SENDERS.ed25519, RECIPIENTS.ed25519), { seed: '6f72646572', now: NOW });
    const h = isObject(res.header) ? res.header : fail(`header: expected an object, got ${show(res.header)}`);
    mustEqual(Object.keys(h), ['from', 'to', 'catalog', 'signatures'], 'header keys');
    mustEqual(isObject(h.from) ? Object.keys(h.from) : h.from, ['address', 'signed_by'], 'from keys');
    mustEqual(isObject(h.from) ? h.from.signed_by : undefined, 'origin', 'from.signed_by');
    mustEqual(isObject(h.to) ? Object.keys(h.to) : h.to, ['address', 'fingerprint'], 'to keys');
    mustEqual(isObject(h.catalog) ? Object.keys(h.catalog) : h.catalog, ['size', 'checksum', 'crypto', 'txid', 'encrypted_key'], 'catalog keys (ed25519 recipient)');
    mustEqual(isObject(h.signatures) ? Object.keys(h.signatures) : h.signatures, ['server', 'client'], 'signatures keys');
  });

  // The catalog inside the GCM blob (decrypted here with the recipient key) is the Go struct
  // JSON with every key present, block/attachment ids are lowercase UUIDv4, keys 32 and IVs 16
  // bytes, created_at is `now` in UTC whole seconds and unset fields are null / "".
  // formats.md §5.1 (catalog.go:50-134).
  it('BM-CAT-001 BM-CAT-002 BM-CAT-003 BM-CAT-008 BM-UPLOAD-011 MUST write the catalog with every Go field, UUIDv4 ids and created_at = now in UTC', async () => {
    const res = await mustOp(adapter, 'message.compose', composeArgs(SENDERS.ed25519, RECIPIENTS.ed25519), { seed: '636174616c6f67', now: NOW });
    const h = parseHeader(res.header);
    const key = decryptSecret(parsePrivateKey(RECIPIENTS.ed25519.privateKey), h.catalog.encrypted_key ?? new Uint8Array(0), h.catalog.crypto, h.catalog.txid);
    const text = fromUtf8(gcmOpen(key, fromB64(String(res.catalog_b64), 'catalog_b64')));
    const c = parseJsonLossless(text);
    if (!isObject(c)) fail(`catalog: expected an object, got ${show(text)}`);
    mustEqual(Object.keys(c), ['from', 'to', 'created_at', 'thread_id', 'subject', 'flags', 'labels', 'blocks', 'attachments'], 'catalog keys');
    mustEqual(isObject(c.from) ? Object.keys(c.from) : c.from, ['address', 'name', 'organisation', 'proof_of_work', 'public_key'], 'catalog.from keys');
    mustEqual(c.created_at, '2026-01-01T00:00:12Z', 'created_at');
    mustEqual({ organisation: isObject(c.from) ? c.from.organisation : undefined, proof_of_work: isObject(c.from) ? c.from.proof_of_work : undefined, public_key: isObject(c.from) ? c.from.public_key : undefined, thread_id: c.thread_id }, { organisation: '', proof_of_work: null, public_key: null, thread_id: '' }, 'unset catalog fields');
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const items = [...(Array.isArray(c.blocks) ? c.blocks : []), ...(Array.isArray(c.attachments) ? c.attachments : [])];
    mustEqual(items.length, CONTENT.blocks.length + CONTENT.attachments.length, 'number of catalog entries');
    for (const [i, e] of items.entries()) {
      if (!isObject(e)) fail(`catalog entry ${i}: expected an object, got ${show(e)}`);
      const want = i < CONTENT.blocks.length ? ['id', 'type', 'size', 'encoding', 'compression', 'checksum', 'key', 'iv'] : ['id', 'mimetype', 'filename', 'size', 'compression', 'checksum', 'key', 'iv'];
      mustEqual(Object.keys(e), want, `catalog entry ${i} keys`);
      mustBe(typeof e.id === 'string' && uuid.test(e.id), `catalog entry ${i}: id must be a lowercase UUIDv4, got ${show(e.id)}`);
      mustEqual([fromB64(String(e.key), 'key').length, fromB64(String(e.iv), 'iv').length], [32, 16], `catalog entry ${i}: key and iv lengths`);
    }
  });

  // Blocks and attachments of 1024 bytes or more are zlib-compressed before encryption, smaller
  // ones are not; the catalog says which, and `size` is the plaintext size. formats.md §5.1.
  it('BM-CAT-004 BM-CAT-005 MUST zlib-compress blocks and attachments of at least 1024 bytes and only those', async () => {
    const { opened } = await composeAndOpen('ed25519', 'ed25519', '636174');
    const c = opened.catalog;
    const got = [...(c.blocks ?? []).map((b) => ({ size: Number(b.size), compression: b.compression })), ...(c.attachments ?? []).map((a) => ({ size: Number(a.size), compression: a.compression }))];
    const want = [...CONTENT.blocks.map((b) => utf8(b.content).length), ...CONTENT.attachments.map((a) => a.content.length)].map((size) => ({ size, compression: size >= 1024 ? 'zlib' : '' }));
    mustEqual(got, want, 'catalog entries {size, compression}');
  });

  // An ecdsa key cannot be encrypted to (§1.7): composing to an ecdsa recipient must fail with
  // a protocol error, not produce a message. formats.md §1.7, §15 item 6.
  it('BM-SEC-007 MUST refuse to compose a message to an ecdsa recipient', async () => {
    await mustOpError(adapter, 'message.compose', composeArgs(SENDERS.ed25519, BOB_ECDSA), ['UnsupportedKeyType', 'InvalidKey', 'InvalidInput'], { seed: '6563', now: NOW });
  });
});

/** A message the reference composed for `recipient`, in the adapter's `message.open` argument form. */
function referenceMessage(recipient: KeyPairText, seed: string) {
  const m = composeMessage(
    {
      sender: { address: 'reference-sender!', privateKey: GO_ED25519_3.privateKey, name: 'Reference' },
      recipient: { address: RECIPIENT_ADDRESS, publicKey: recipient.publicKey },
      subject: 'Conformance: reference composes, client opens',
      blocks: CONTENT.blocks,
      attachments: CONTENT.attachments,
    },
    seededRng(utf8(seed)),
    fixedClock(NOW),
  );
  return {
    m,
    args: {
      private_key: recipient.privateKey,
      header: JSON.parse(headerJson(m.header)) as unknown,
      catalog_b64: toB64(m.catalogBlob),
      blocks: Object.fromEntries([...m.blocks].map(([id, b]) => [id, toB64(b)])),
      attachments: Object.fromEntries([...m.attachments].map(([id, b]) => [id, toB64(b)])),
    },
  };
}

describe('client › open', { meta: { area: 'open' } }, () => {
  // For each recipient key type: the reference composes (its §4.1 order and encodings), the
  // client opens as the recipient: decrypt the catalog key (crypto/txid), the catalog, then
  // each CFB block and attachment, inflating the zlib ones. formats.md §4.1 "Reading".
  it.each(['ed25519', 'rsa', 'rsa4096'] as const)('BM-MSG-002 MUST open a message the reference composed for an %s recipient', async (type) => {
    const { args } = referenceMessage(RECIPIENTS[type], `open-${type}`);
    const r = await mustOp(adapter, 'message.open', args);
    const blocks = Array.isArray(r.blocks) ? r.blocks : fail(`blocks: expected an array, got ${show(r.blocks)}`);
    const attachments = Array.isArray(r.attachments) ? r.attachments : fail(`attachments: expected an array, got ${show(r.attachments)}`);
    mustEqual(blocks.map((b) => (isObject(b) ? { type: b.type, content: b.content } : b)), CONTENT.blocks, 'blocks');
    mustEqual(
      attachments.map((a) => (isObject(a) ? { filename: a.filename, content_b64: a.content_b64 } : a)),
      CONTENT.attachments.map((a) => ({ filename: a.filename.split('/').pop(), content_b64: toB64(a.content) })),
      'attachments',
    );
    mustBe(isObject(r.catalog) && r.catalog.subject === 'Conformance: reference composes, client opens', `catalog.subject: got ${show(isObject(r.catalog) ? r.catalog.subject : r.catalog)}`);
  });

  // The catalog key was encrypted to another key: opening with this one must fail (ed25519:
  // the P check of the dual key exchange fails; no secret). formats.md §1.8, §4.1.
  it('BM-MSG-003 BM-SEC-011 MUST refuse to open a message encrypted to another ed25519 key', async () => {
    const { args } = referenceMessage(RECIPIENTS.ed25519, 'open-wrong-key');
    await mustOpError(adapter, 'message.open', { ...args, private_key: GO_ED25519_1.privateKey }, ['DecryptionFailed']);
  });

  // Same for rsa: OAEP decryption with the wrong key fails. formats.md §1.7.
  it('BM-MSG-003 MUST refuse to open a message encrypted to another rsa key', async () => {
    const { args } = referenceMessage(RECIPIENTS.rsa, 'open-wrong-rsa');
    await mustOpError(adapter, 'message.open', { ...args, private_key: GO_KEY_3.privateKey }, ['DecryptionFailed']);
  });

  // A catalog blob altered in one byte, with the header's size and checksums recomputed so only
  // the AES-GCM tag can notice: opening must fail. formats.md §4.1 (catalog is GCM), §5.2.
  it('BM-HDR-010 MUST refuse to open a message whose catalog blob does not authenticate', async () => {
    const { m, args } = referenceMessage(RECIPIENTS.ed25519, 'open-gcm');
    const blob = Uint8Array.from(m.catalogBlob);
    blob[20] = blob[20]! ^ 0x01;
    const header = args.header as { catalog: Record<string, unknown> };
    header.catalog.checksum = checksums(blob);
    await mustOpError(adapter, 'message.open', { ...args, header, catalog_b64: toB64(blob) }, ['DecryptionFailed']);
  });
});

