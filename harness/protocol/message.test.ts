import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { composeMessage, goPathBase, openMessage, type ComposeInput } from './message.ts';
import { fromB64, fromUtf8, toB64, toHex, utf8 } from './bytes.ts';
import { BadSignature, DecryptionFailed, InvalidAddress, InvalidInput, UnsupportedKeyType } from './errors.ts';
import { checksums } from './checksum.ts';
import { verifyClientHeader, type Header } from './header.ts';
import { fingerprint, parsePublicKey } from './keys.ts';
import { fixedClock, seededRng, type Rng } from './random.ts';
import { GO_ED25519_1, GO_ED25519_2, GO_KEY_3, GO_PRIVKEY_ECDSA, RSA4096_FIXTURE, type KeyPairText } from './fixtures.ts';
import { goTestdata } from './gotestdata.ts';
import { parseHeader, headerJson } from './header.ts';

const CLOCK = fixedClock(1618490096); // 2021-04-15T12:34:56Z
const RECIPIENTS: Record<string, KeyPairText> = { ed25519: GO_ED25519_2, rsa: GO_KEY_3, rsa4096: RSA4096_FIXTURE };
const SENDERS: Record<string, KeyPairText> = { ed25519: GO_ED25519_1, rsa: GO_KEY_3, rsa4096: RSA4096_FIXTURE, ecdsa: GO_PRIVKEY_ECDSA };

function input(sender: KeyPairText, recipient: KeyPairText, extra: Partial<ComposeInput> = {}): ComposeInput {
  return {
    sender: { address: 'from!', privateKey: sender.privateKey, name: 'John Doe' },
    recipient: { address: 'too!', publicKey: recipient.publicKey },
    subject: 'subject',
    blocks: [{ type: 'default', content: 'foobar' }],
    attachments: [],
    ...extra,
  };
}

function recordingRng(seed: string): Rng & { draws: number[] } {
  const inner = seededRng(utf8(seed));
  const draws: number[] = [];
  return { draws, bytes: (n) => (draws.push(n), inner.bytes(n)) };
}

describe('composeMessage (§4.1, compose_test.go, catalog_test.go)', () => {
  it('Go compose_test: from! (key-ed25519-1) to too! (key-ed25519-2), block default,foobar → from hash 4f16cf…, one block, no attachments', () => {
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2), seededRng(utf8('c1')), CLOCK);
    expect(m.header.from.address).toBe('4f16cf359aeca741b5516b2c8609919e9f0008b66beb97209fbc694d7f272e08');
    expect(m.header.from.signed_by).toBe('origin');
    expect(m.blocks.size).toBe(1);
    expect(m.attachments.size).toBe(0);
    expect(m.catalog.attachments).toBeNull();
    expect(m.catalog.flags).toBeNull();
    expect(m.catalog.from).toEqual({ address: 'from!', name: 'John Doe', organisation: '', proof_of_work: null, public_key: null });
    expect(m.catalog.to.address).toBe('too!');
    expect(m.catalog.created_at).toBe('2021-04-15T12:34:56Z');
  });

  it('fills the header: to hash + recipient fingerprint, checksums and size of the catalog blob, crypto/txid/encrypted_key, client signature', () => {
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2), seededRng(utf8('c2')), CLOCK);
    const h = m.header;
    expect(h.to.fingerprint).toBe('3a0053faa30119e4a7dbf8f2fc5b9cbb71c19130058dcf86fdcf08fc2d73b8f8');
    expect(h.to.fingerprint).toBe(fingerprint(parsePublicKey(GO_ED25519_2.publicKey)));
    expect(h.catalog.size).toBe(m.catalogBlob.length);
    expect(h.catalog.checksum).toEqual(checksums(m.catalogBlob));
    expect(h.catalog.crypto).toBe('ed25519+aes');
    expect(h.catalog.txid).toMatch(/^[0-9a-f]{128}$/);
    expect(h.catalog.encrypted_key!.length).toBe(60);
    expect(verifyClientHeader(h, GO_ED25519_1.publicKey)).toBe(true);
    const r = composeMessage(input(GO_ED25519_1, GO_KEY_3), seededRng(utf8('c2')), CLOCK);
    expect([r.header.catalog.crypto, r.header.catalog.txid, r.header.catalog.encrypted_key!.length]).toEqual(['rsa/oaep', '', 256]);
    expect(headerJson(r.header)).not.toContain('"txid"');
  });

  it('is deterministic for a seed and draws 32 (catalog key), then per item 16 (uuid) 16 (iv) 32 (key), then 12 (nonce), then the key encryption', () => {
    const atts = [{ filename: 'a.txt', content: utf8('x') }];
    const blocks = [{ type: 'text', content: 'a' }, { type: 'html', content: 'b' }];
    const r1 = recordingRng('d');
    const m1 = composeMessage(input(GO_ED25519_1, GO_ED25519_2, { blocks, attachments: atts }), r1, CLOCK);
    expect(r1.draws).toEqual([32, 16, 16, 32, 16, 16, 32, 16, 16, 32, 12, 32, 12]);
    const m2 = composeMessage(input(GO_ED25519_1, GO_ED25519_2, { blocks, attachments: atts }), recordingRng('d'), CLOCK);
    expect(headerJson(m2.header)).toBe(headerJson(m1.header));
    expect(toHex(m2.catalogBlob)).toBe(toHex(m1.catalogBlob));
    const r3 = recordingRng('d');
    composeMessage(input(GO_ED25519_1, GO_KEY_3, { blocks: [], attachments: [] }), r3, CLOCK);
    expect(r3.draws).toEqual([32, 12, 32]); // RSA-OAEP seed
    const r4 = recordingRng('d');
    composeMessage(input(GO_PRIVKEY_ECDSA, GO_KEY_3, { blocks: [], attachments: [] }), r4, CLOCK);
    expect(r4.draws.slice(0, 3)).toEqual([32, 12, 32]);
    expect(r4.draws.length).toBe(4); // + ecdsa signing entropy
  });

  it('compresses items of ≥ 1024 plaintext bytes only (27-byte block → "", 1023 → "", 1024 and 2048 → zlib)', () => {
    const blocks = [27, 1023, 1024, 2048].map((n) => ({ type: 't', content: new Uint8Array(n).fill(65) }));
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2, { blocks, attachments: [{ filename: 'largerfile.dat', content: new Uint8Array(2048).fill(7) }] }), seededRng(utf8('z')), CLOCK);
    expect(m.catalog.blocks!.map((b) => [b.size, b.compression])).toEqual([[27, ''], [1023, ''], [1024, 'zlib'], [2048, 'zlib']]);
    expect(m.catalog.attachments![0]!.compression).toBe('zlib');
    expect(m.blocks.get(m.catalog.blocks![0]!.id)!.length).toBe(27); // CFB: no prefix, same length
    expect(m.blocks.get(m.catalog.blocks![3]!.id)!.length).toBeLessThan(2048);
  });

  it('catalog_test: the 1-px GIF at /dir/image.png is image/gif, size 32, filename image.png, uncompressed, with a 32-byte key and 16-byte iv', () => {
    const gif = fromB64('R0lGODlhAQABAAAAACH5BAEAAAAALAAAAAABAAEAAAI=');
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2, { attachments: [{ filename: '/dir/image.png', content: gif }] }), seededRng(utf8('g')), CLOCK);
    const a = m.catalog.attachments![0]!;
    expect([a.mimetype, a.size, a.filename, a.compression, a.key!.length, a.iv!.length]).toEqual(['image/gif', 32, 'image.png', '', 32, 16]);
    expect(a.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('catalog_test: a hash sender falls back to the hash string in catalog from.address (c3ab8ff1… = hash.New("foobar"))', () => {
    const h = 'c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2';
    const m = composeMessage({ ...input(GO_ED25519_1, GO_ED25519_2), sender: { address: h, privateKey: GO_ED25519_1.privateKey, name: 'john doe' } }, seededRng(utf8('h')), CLOCK);
    expect(m.catalog.from.address).toBe(h);
    expect(m.header.from.address).toBe(h);
  });

  it('BM-CAT-010 server and authorized messages carry the postmaster / onbehalf flag and signed_by; server senders may use a routing ID', () => {
    const s = composeMessage({ ...input(GO_ED25519_1, GO_ED25519_2), sender: { address: '12345678', privateKey: GO_ED25519_1.privateKey }, signedBy: 'server' }, seededRng(utf8('s')), CLOCK);
    expect([s.catalog.flags, s.header.from.signed_by, s.header.from.address]).toEqual([['postmaster'], 'server', '12345678']);
    const a = composeMessage({ ...input(GO_ED25519_2, GO_ED25519_2), signedBy: 'authorized', authorizedBy: { publicKey: GO_ED25519_2.publicKey, signature: 'c2ln' } }, seededRng(utf8('a')), CLOCK);
    expect([a.catalog.flags, a.header.from.signed_by, a.header.authorized_by?.public_key]).toEqual([['onbehalf'], 'authorized', GO_ED25519_2.publicKey]);
  });

  it('refuses an ecdsa recipient with UnsupportedKeyType, and bad addresses with InvalidAddress', () => {
    expect(() => composeMessage(input(GO_ED25519_1, GO_PRIVKEY_ECDSA), seededRng(utf8('e')), CLOCK)).toThrow(UnsupportedKeyType);
    expect(() => composeMessage({ ...input(GO_ED25519_1, GO_ED25519_2), recipient: { address: 'x', publicKey: GO_ED25519_2.publicKey } }, seededRng(utf8('e')), CLOCK)).toThrow(InvalidAddress);
    expect(() => composeMessage({ ...input(GO_ED25519_1, GO_ED25519_2), sender: { address: '12345678', privateKey: GO_ED25519_1.privateKey } }, seededRng(utf8('e')), CLOCK)).toThrow(InvalidAddress);
    expect(() => composeMessage({ ...input(GO_ED25519_1, GO_ED25519_2), subject: 5 as unknown as string }, seededRng(utf8('e')), CLOCK)).toThrow(InvalidInput);
    expect(() => composeMessage({ ...input(GO_ED25519_1, GO_ED25519_2), signedBy: 'toString' as 'origin' }, seededRng(utf8('e')), CLOCK)).toThrow(InvalidInput);
  });

  it('goPathBase is Go path.Base', () => {
    expect(['', '/', 'a', '/dir/image.png', 'dir/', 'a//b//', 'C:\\x\\y.png'].map(goPathBase)).toEqual(['.', '/', 'a', 'image.png', 'dir', 'b', 'C:\\x\\y.png']);
  });
});

describe('openMessage (§4.1 reading, message.go:47-117)', () => {
  const png = goTestdata('attachment.png');

  it('round-trips blocks and attachment.png (zlib+CFB; Go-specific ciphertext length 5407 not asserted, PNG magic is)', () => {
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2, { blocks: [{ type: 'default', content: 'foobar' }, { type: 'html', content: '<p>' + 'x'.repeat(3000) }], attachments: [{ filename: 'attachment.png', content: png }] }), seededRng(utf8('png')), CLOCK);
    const att = m.catalog.attachments![0]!;
    expect([att.mimetype, att.compression, att.size]).toEqual(['image/png', 'zlib', 5391]);
    const o = openMessage(GO_ED25519_2.privateKey, m.header, m.catalogBlob, m.blocks, m.attachments, { senderPublicKey: GO_ED25519_1.publicKey });
    expect(o.blocks.map((b) => [b.type, b.content.slice(0, 6)])).toEqual([['default', 'foobar'], ['html', '<p>xxx']]);
    expect(toHex(o.attachments[0]!.content.subarray(0, 4))).toBe('89504e47');
    expect(o.attachments[0]!.content).toEqual(png);
    expect(o.catalog).toEqual(m.catalog);
  });

  it('accepts the ciphertext maps as plain objects (adapter form) and a header re-parsed from its upload JSON', () => {
    const m = composeMessage(input(GO_KEY_3, GO_KEY_3), seededRng(utf8('obj')), CLOCK);
    const h = parseHeader(JSON.parse(headerJson(m.header, '  ')));
    const o = openMessage(GO_KEY_3.privateKey, h, m.catalogBlob, Object.fromEntries(m.blocks), {});
    expect(o.blocks[0]!.content).toBe('foobar');
    expect(h).toEqual(m.header);
    expect(parseHeader(m.header)).toEqual(m.header); // an already parsed header passes through unchanged
  });

  it('compose→open works for every sender type and recipients ed25519, rsa, rsa4096', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(SENDERS)),
        fc.constantFrom(...Object.keys(RECIPIENTS)),
        fc.array(fc.record({ type: fc.constantFrom('default', 'text', 'html'), content: fc.oneof(fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 1500 })) }), { maxLength: 3 }),
        fc.array(fc.record({ filename: fc.constantFrom('a.bin', 'dir/b.txt'), content: fc.uint8Array({ maxLength: 1300 }) }), { maxLength: 2 }),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        (s, r, blocks, attachments, seed) => {
          const sender = SENDERS[s]!;
          const recipient = RECIPIENTS[r]!;
          const m = composeMessage(input(sender, recipient, { blocks, attachments }), seededRng(seed), CLOCK);
          expect(verifyClientHeader(m.header, sender.publicKey)).toBe(true);
          const o = openMessage(recipient.privateKey, m.header, m.catalogBlob, m.blocks, m.attachments, { senderPublicKey: sender.publicKey });
          expect(o.blocks.map((b) => b.bytes)).toEqual(blocks.map((b) => (typeof b.content === 'string' ? utf8(b.content) : b.content)));
          expect(o.attachments.map((a) => a.content)).toEqual(attachments.map((a) => a.content));
          expect(o.attachments.map((a) => a.filename)).toEqual(attachments.map((a) => goPathBase(a.filename)));
        },
      ),
      { numRuns: 24 },
    );
  });

  it('any flipped bit in the catalog blob is DecryptionFailed, with or without matching header checksums', () => {
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2), seededRng(utf8('flip')), CLOCK);
    fc.assert(
      fc.property(fc.nat(), fc.boolean(), (pos, fixHeader) => {
        const blob = m.catalogBlob.slice();
        const bit = pos % (blob.length * 8);
        blob[bit >> 3]! ^= 1 << (bit & 7);
        const h: Header = fixHeader ? { ...m.header, catalog: { ...m.header.catalog, checksum: { ...checksums(blob) } } } : m.header;
        expect(() => openMessage(GO_ED25519_2.privateKey, h, blob, m.blocks, m.attachments)).toThrow(DecryptionFailed);
      }),
      { numRuns: 100 },
    );
  });

  it('a flipped bit in the GCM tag (last 16 bytes) is DecryptionFailed even with a header that matches the blob', () => {
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2), seededRng(utf8('tag')), CLOCK);
    for (let i = 0; i < 16 * 8; i += 7) {
      const blob = m.catalogBlob.slice();
      blob[blob.length - 16 + (i >> 3)]! ^= 1 << (i & 7);
      const h: Header = { ...m.header, catalog: { ...m.header.catalog, checksum: { ...checksums(blob) } } };
      expect(() => openMessage(GO_ED25519_2.privateKey, h, blob, m.blocks, m.attachments)).toThrow(DecryptionFailed);
    }
  });

  it('size mismatch, truncated blob, wrong private key, tampered crypto/txid → DecryptionFailed', () => {
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2), seededRng(utf8('neg')), CLOCK);
    const open = (h: Header, blob = m.catalogBlob, priv = GO_ED25519_2.privateKey) => () => openMessage(priv, h, blob, m.blocks, m.attachments);
    expect(open({ ...m.header, catalog: { ...m.header.catalog, size: m.catalogBlob.length + 1 } })).toThrow(DecryptionFailed);
    expect(open(m.header, m.catalogBlob.subarray(1))).toThrow(DecryptionFailed);
    expect(open(m.header, m.catalogBlob, GO_ED25519_1.privateKey)).toThrow(DecryptionFailed);
    expect(open({ ...m.header, catalog: { ...m.header.catalog, crypto: 'rsa/oaep' } })).toThrow(DecryptionFailed);
    expect(open({ ...m.header, catalog: { ...m.header.catalog, txid: '00'.repeat(64) } })).toThrow(DecryptionFailed);
    expect(open({ ...m.header, catalog: { ...m.header.catalog, encrypted_key: null } })).toThrow(DecryptionFailed);
    const r = composeMessage(input(GO_ED25519_1, GO_KEY_3), seededRng(utf8('neg')), CLOCK);
    expect(() => openMessage(RSA4096_FIXTURE.privateKey, r.header, r.catalogBlob, r.blocks, r.attachments)).toThrow(DecryptionFailed);
    expect(() => openMessage(GO_PRIVKEY_ECDSA.privateKey, r.header, r.catalogBlob, r.blocks, r.attachments)).toThrow(UnsupportedKeyType);
  });

  it('a missing block ciphertext is InvalidInput; a sender key that does not match the client signature is BadSignature', () => {
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2), seededRng(utf8('miss')), CLOCK);
    expect(() => openMessage(GO_ED25519_2.privateKey, m.header, m.catalogBlob, new Map(), m.attachments)).toThrow(InvalidInput);
    expect(() => openMessage(GO_ED25519_2.privateKey, m.header, m.catalogBlob, m.blocks, m.attachments, { senderPublicKey: GO_ED25519_2.publicKey })).toThrow(BadSignature);
    const sig = fromB64(m.header.signatures.client);
    sig[0]! ^= 1;
    const bad = { ...m.header, signatures: { ...m.header.signatures, client: toB64(sig) } };
    expect(verifyClientHeader(bad, GO_ED25519_1.publicKey)).toBe(false);
    expect(() => openMessage(GO_ED25519_2.privateKey, bad, m.catalogBlob, m.blocks, m.attachments, { senderPublicKey: GO_ED25519_1.publicKey })).toThrow(BadSignature);
  });

  it('block content is unauthenticated (CFB): a flipped ciphertext bit changes the plaintext without an error (Go behaviour)', () => {
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2), seededRng(utf8('cfb')), CLOCK);
    const id = m.catalog.blocks![0]!.id;
    const ct = m.blocks.get(id)!.slice();
    ct[0]! ^= 1;
    const o = openMessage(GO_ED25519_2.privateKey, m.header, m.catalogBlob, new Map([[id, ct]]), m.attachments);
    expect(o.blocks[0]!.content).toBe('goobar');
    expect(fromUtf8(o.blocks[0]!.bytes)).toBe('goobar');
  });

  it('bounds inflation with maxInflate (InvalidInput beyond it)', () => {
    const m = composeMessage(input(GO_ED25519_1, GO_ED25519_2, { blocks: [{ type: 't', content: new Uint8Array(100_000) }] }), seededRng(utf8('bomb')), CLOCK);
    expect(() => openMessage(GO_ED25519_2.privateKey, m.header, m.catalogBlob, m.blocks, m.attachments, { maxInflate: 50_000 })).toThrow(InvalidInput);
    expect(openMessage(GO_ED25519_2.privateKey, m.header, m.catalogBlob, m.blocks, m.attachments, { maxInflate: 100_000 }).blocks[0]!.bytes.length).toBe(100_000);
  });
});
