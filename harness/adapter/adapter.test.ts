/**
 * The reference adapter driven in-process (handleLine / runAdapter), every op of ADAPTER.md v1
 * against the known-answer values of spec/formats.md and the Go testdata. Each request goes
 * through the real line codec, so the wire encodings (`_b64`, `_hex`, Go-shaped JSON) are
 * checked too. The spawned-process path is process.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createHash } from 'node:crypto';
import { ed25519 } from '@noble/curves/ed25519.js';
import { handleLine, runAdapter, OP_NAMES } from './adapter.ts';
import { goSeededRsaCases, goTestdataJson } from '../protocol/gotestdata.ts';
import {
  ALICE_ECDSA, ALICE_ED25519, BOB_ECDSA, BOB_ED25519, DKE_OTHER_ED25519, DKE_RECIPIENT_ED25519, ECDSA_EXCHANGE_SECRET_HEX,
  ED25519_EXCHANGE_SECRET_HEX, GO_ED25519_1, GO_ED25519_2, GO_ED25519_3, GO_KEY_1, GO_KEY_3, GO_PRIVKEY_ECDSA,
  GO_PRIVKEY_ED25519, GO_PRIVKEY_RSA_1024, KEYTYPE_TEST, MNEMONIC_ED25519,
} from '../protocol/fixtures.ts';

type Res = { id: number | null; ok?: boolean; result?: any; error?: { class: string; message: string }; unsupported?: boolean; reason?: string };
let nextId = 1;

/** Send one request through the adapter's line codec. */
async function call(op: string, args: Record<string, unknown>, extra: { seed?: string; now?: number } = {}): Promise<Res> {
  const line = await handleLine(JSON.stringify({ id: nextId++, op, args, ...extra }));
  expect(line).toBeTypeOf('string');
  expect(line).not.toMatch(/\n/);
  return JSON.parse(line!) as Res;
}
async function ok(op: string, args: Record<string, unknown>, extra?: { seed?: string; now?: number }): Promise<any> {
  const r = await call(op, args, extra);
  expect(r.ok, `${op} → ${JSON.stringify(r)}`).toBe(true);
  return r.result;
}
async function err(op: string, args: Record<string, unknown>, extra?: { seed?: string; now?: number }): Promise<{ class: string; message: string }> {
  const r = await call(op, args, extra);
  expect(r.ok, `${op} should fail, got ${JSON.stringify(r)}`).toBe(false);
  return r.error!;
}

const b64 = (s: string | Uint8Array) => Buffer.from(s).toString('base64');
const hexToB64 = (h: string) => Buffer.from(h, 'hex').toString('base64');
const SEQ32 = Buffer.from(Array.from({ length: 32 }, (_, i) => i + 1));
const header = (n: string) => goTestdataJson(`header-${n}.json`) as Record<string, any>;

// spec/formats.md §4.3 / §4.4 (signature_test.go:36-37).
const HEADER_001_CLIENT_PREIMAGE =
  '{"client_catalog":{"size":983,"checksum":{"ripemd160":"cc83e77af0fae70c3b655f36f110ec4d2eebaf1c","sha256":"79213f8941437dc22a315636a50d6920507a58fcf97b9ff32b4c15cd26a8209a"},"encrypted_key":"Zm9vYmFy"},"client_from":{"address":"000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc","signed_by":""},"client_to":{"address":"000000000000000000000000000097026f0daeaec1aeb8351b096637679cf350"}}';
const EXPECTED_CLIENT_SIGNATURE =
  'YbV7YXt9yRxPmsyEjqTciQXO6X+Kwib+WeysG/e5AV+zD68bSrA1z25SqXcDz7/vsXANWFyhEUyqCiiTgpPX6IeJWfaagyjoLs8qPIMb9MtPDUtWNc115g/nNHzSeS7vxNAXW77bMbltMTCphj0uJNXxx7mrh1iZh3Bx6VQ0Gdk1Kl4o6iC0MOYT8hwEyDQBYsexrIxciqEq1bFeEzsJOszD6H9ff62HarMTiY3dBci3ofDuuGdyP9g+sk4RqtpDv2+htnNPi4Rat7X4pBWDzEltjrfEYjkgi1/+tRERYfCr0JFzfDyf4XKXJOJBQSuxiy7plsRcHHTg1BGGzCD2sg==';
const EXPECTED_SERVER_SIGNATURE =
  'cR2RjqQSxCw08G0nsAoa/8DQdjmZzTUtP0Qh41zs//DqHdeW4KoONq9gsHZE6cJVGaOj54EM43JondFX1HOfhK1fpeaS/kZE8dHF3K05n077T59+0gi4/Uz+hlMj2AmaOQ/uwjwSl29AHekMUxVHjzsMQhT1+SC27Q4wZT+GiYFGliIVEkVEsPYQmhGVBarHdwM0U5JuzDROdAJg8nnisw+oqCyTUjdv7TC2P7yib5n18xxQlqEIV3l9J2FBYXneMfFrml7QsvRigpz6GFvgjs4xOH7c7VHKkAHNhoOT9Oxf87DcwjcIdboQr7oe0YHaRMeCMTzfvf2xXNtZ6H93Kw==';

describe('adapter: framing and hello', () => {
  it('hello names protocol 1, the implementation, and every op of ADAPTER.md v1', async () => {
    const r = await ok('hello', { protocol: 1 });
    expect(r.protocol).toBe(1);
    expect(r.implementation).toMatchObject({ language: 'typescript' });
    expect(r.deterministic).toBe(true);
    const v1 = ['hello', 'hash.string', 'hash.from_hex', 'address.hash', 'key.parse', 'key.generate', 'mnemonic.to_key', 'mnemonic.from_entropy', 'sign', 'verify',
      'key.exchange', 'secret.encrypt', 'secret.decrypt', 'catalog.encrypt', 'catalog.decrypt', 'header.client_hash', 'header.server_hash',
      'header.sign_client', 'header.sign_server', 'header.verify_client', 'header.verify_server', 'authorization.sign', 'message.compose',
      'message.open', 'vault.open', 'vault.create', 'jwt.create', 'jwt.verify', 'pow.solve', 'pow.verify', 'invite.create', 'invite.verify', 'resolver.auth'];
    expect([...r.ops].sort()).toEqual([...v1].sort());
    expect(OP_NAMES).toEqual(r.ops);
  });

  it('hello for another protocol version is an InvalidInput error', async () => {
    expect((await err('hello', { protocol: 2 })).class).toBe('InvalidInput');
  });

  it('a line that is not JSON gets InvalidInput with id null', async () => {
    const r = JSON.parse((await handleLine('{"id":1,"op":'))!) as Res;
    expect(r).toMatchObject({ id: null, ok: false, error: { class: 'InvalidInput' } });
  });

  it('a request without an integer id gets InvalidInput with id null', async () => {
    for (const line of ['{"op":"hello","args":{"protocol":1}}', '{"id":"7","op":"hello"}', '{"id":-1,"op":"hello"}', '{"id":1.5,"op":"hello"}', '[1,2]', 'null']) {
      const r = JSON.parse((await handleLine(line))!) as Res;
      expect(r, line).toMatchObject({ id: null, ok: false, error: { class: 'InvalidInput' } });
    }
  });

  it('an unknown op, a non-string op, non-object args, a bad seed or now answer InvalidInput with the request id', async () => {
    for (const [line, id] of [
      ['{"id":11,"op":"no.such.op","args":{}}', 11],
      ['{"id":12,"op":42,"args":{}}', 12],
      ['{"id":13,"op":"hash.string","args":[1]}', 13],
      ['{"id":14,"op":"hash.string","args":{"value":"x"},"seed":"zz"}', 14],
      ['{"id":15,"op":"hash.string","args":{"value":"x"},"now":1.5}', 15],
    ] as const) {
      const r = JSON.parse((await handleLine(line))!) as Res;
      expect(r, line).toMatchObject({ id, ok: false, error: { class: 'InvalidInput' } });
    }
  });

  it('an argument of the wrong type is InvalidInput naming the field', async () => {
    const e = await err('hash.string', { value: 42 });
    expect(e.class).toBe('InvalidInput');
    expect(e.message).toMatch(/args\.value/);
    expect((await err('sign', { private_key: GO_PRIVKEY_ED25519.privateKey, message_b64: 'not base64!' })).message).toMatch(/args\.message_b64/);
    expect((await err('pow.solve', { bits: '8', data: 'x' })).class).toBe('InvalidInput');
  });

  it('runAdapter answers every request in order, one line each, skips blank lines and resolves at EOF', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const chunks: string[] = [];
    output.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
    const done = runAdapter(input, output, { log: () => {} });
    input.write('{"id":1,"op":"hash.string","args":{"value":"joshua!"}}\n');
    input.write('\n   \nnot json\n');
    input.write('{"id":2,"op":"pow.solve","args":{"bits":8,"data":"john@example!"}}\r\n');
    input.end('{"id":3,"op":"hello","args":{"protocol":1}}');
    await done;
    const lines = chunks.join('').split('\n');
    expect(lines.pop()).toBe('');
    const rs = lines.map((l) => JSON.parse(l) as Res);
    expect(rs.map((r) => r.id)).toEqual([1, null, 2, 3]);
    expect(rs[0]!.result.hash).toBe('2f92571b5567b4557b94ac5701fc48e552ba9970d6dac89f7c2ebce92f1cd836');
    expect(rs[2]!.result.proof).toBe(149);
  });
});

describe('adapter: hashes and addresses (§2.3)', () => {
  it('hash.string gives hash.New of the UTF-8 string', async () => {
    expect((await ok('hash.string', { value: 'joshua!' })).hash).toBe('2f92571b5567b4557b94ac5701fc48e552ba9970d6dac89f7c2ebce92f1cd836');
    expect((await ok('hash.string', { value: 'somethingelse' })).hash).toBe('102d0177f8ce6b0f5ada79780043ec90440529a53c98bd6043419e64c1d4274f');
  });

  it('address.hash gives local, org and address hashes of joshua@bitmaelum!', async () => {
    expect(await ok('address.hash', { address: 'joshua@bitmaelum!' })).toEqual({
      address: 'joshua@bitmaelum!',
      local_hash: 'fc52fabe94c0e037d2df4498e87481a6438960c9f73d517584a7a5c564535ac4',
      org_hash: '49aa67181f4a3176f9b65605390bb81126e8ff1f6d03b1bd220c53e7a6b36d3e',
      hash: '6b024a4e51c0c4a30c3750115c66be776253880bb4af0f313e3bf2236e808840',
    });
  });

  it('address.hash normalises dots and dashes: j.a.y@o..r---g! is jay@org!', async () => {
    expect(await ok('address.hash', { address: 'j.a.y@o..r---g!' })).toEqual({
      address: 'jay@org!',
      local_hash: 'bfef4adc39f01b033fe749bb5f28f10b581fef319d34445d21a7bc63fe732fa3',
      org_hash: 'e87cb45c05ad389d58904ea398345c24b50f46c15d412d0f671e66b766247d39',
      hash: '7e0f626bc680f4e79c950132bf34bc90bc21233a5649b11355278893501eb5b9',
    });
    expect((await ok('address.hash', { address: 'joshua!' })).hash).toBe('66c94b6643ada5661b2d940eb87502b5af0f47f40fd45ce0fa125502dfa9c1ee');
  });

  it('address.hash rejects ab@de! and jay (no !) with InvalidAddress', async () => {
    expect((await err('address.hash', { address: 'ab@de!' })).class).toBe('InvalidAddress');
    expect((await err('address.hash', { address: 'jay' })).class).toBe('InvalidAddress');
  });
});

describe('adapter: keys (§1.2, §1.3, §1.9)', () => {
  it('key.parse gives the SPKI fingerprint of public keys (keytype_test.go:206-212)', async () => {
    expect(await ok('key.parse', { key: KEYTYPE_TEST.rsaPublic })).toMatchObject({ type: 'rsa', kind: 'public', fingerprint: KEYTYPE_TEST.rsaPublicFingerprint });
    const ed = await ok('key.parse', { key: KEYTYPE_TEST.ed25519PublicWithDescription });
    expect(ed).toMatchObject({ type: 'ed25519', kind: 'public', fingerprint: KEYTYPE_TEST.ed25519PublicFingerprint });
    expect(ed.public_key).toBe(KEYTYPE_TEST.ed25519PublicWithDescription);
    expect((await ok('key.parse', { key: GO_KEY_1.publicKey })).fingerprint).toBe('9c9afac4a3603d7b05fd0b3a57eba3c30da421c5dc1a18b2cffeef5ebca24480');
  });

  it('key.parse of a private key reports kind private and the public key it implies', async () => {
    expect(await ok('key.parse', { key: GO_KEY_1.privateKey })).toEqual({
      type: 'rsa', kind: 'private', public_key: GO_KEY_1.publicKey, fingerprint: '9c9afac4a3603d7b05fd0b3a57eba3c30da421c5dc1a18b2cffeef5ebca24480',
    });
    expect(await ok('key.parse', { key: GO_ED25519_2.privateKey })).toMatchObject({
      type: 'ed25519', kind: 'private', public_key: GO_ED25519_2.publicKey, fingerprint: '3a0053faa30119e4a7dbf8f2fc5b9cbb71c19130058dcf86fdcf08fc2d73b8f8',
    });
    expect(await ok('key.parse', { key: GO_PRIVKEY_RSA_1024.privateKey })).toMatchObject({
      type: 'rsa', kind: 'private', fingerprint: '54fe2065620a04c17b022aa0f07461a862919e7c832d79aa211e6cebd784620b',
    });
    expect(await ok('key.parse', { key: KEYTYPE_TEST.ecdsaPrivate })).toMatchObject({ type: 'ecdsa', kind: 'private' });
  });

  it('key.parse answers InvalidKey for bad data and UnsupportedKeyType for an unknown type word', async () => {
    expect((await err('key.parse', { key: 'rsa foo' })).class).toBe('InvalidKey');
    expect((await err('key.parse', { key: 'fooobar' })).class).toBe('InvalidKey');
    expect((await err('key.parse', { key: 'foo MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ==' })).class).toBe('UnsupportedKeyType');
  });

  it('key.generate with a 24-byte seed derives the Go seed→key pair (§7.4 store_key)', async () => {
    expect(await ok('key.generate', { type: 'ed25519' }, { seed: MNEMONIC_ED25519.entropyHex })).toEqual({
      private_key: MNEMONIC_ED25519.privateKey, public_key: MNEMONIC_ED25519.publicKey, fingerprint: MNEMONIC_ED25519.fingerprint,
    });
  });

  it('key.generate with a seed gives Go\'s rsa and rsa4096 keys (go-seeded-rsa), InvalidInput for ecdsa and a 16-byte ed25519 seed', async () => {
    for (const c of goSeededRsaCases()) {
      expect(await ok('key.generate', { type: c.key_type }, { seed: c.seed_hex }), c.key_type).toEqual({
        private_key: c.private_key, public_key: c.public_key, fingerprint: c.fingerprint,
      });
    }
    expect((await err('key.generate', { type: 'ecdsa' }, { seed: '00'.repeat(32) })).class).toBe('InvalidInput');
    expect((await err('key.generate', { type: 'rsa' }, { seed: '00'.repeat(23) })).class).toBe('InvalidInput');
    expect((await err('key.generate', { type: 'ed25519' }, { seed: '00'.repeat(16) })).class).toBe('InvalidInput');
    expect((await err('key.generate', { type: 'dsa' })).class).toBe('UnsupportedKeyType');
  });

  it('key.generate without a seed gives a pair whose fingerprint key.parse confirms', async () => {
    for (const type of ['ed25519', 'ecdsa']) {
      const g = await ok('key.generate', { type });
      const p = await ok('key.parse', { key: g.private_key });
      expect(p).toMatchObject({ type, kind: 'private', public_key: g.public_key, fingerprint: g.fingerprint });
    }
  });
});

describe('adapter: mnemonic (§7)', () => {
  it('mnemonic.from_entropy writes "<type> <bip39 words>" (mnemonic_test.go:29-50)', async () => {
    expect((await ok('mnemonic.from_entropy', { type: 'ed25519', entropy_hex: 'cf8952d5ce19cf8d606ebf6222520a50df7bd81d33be4453' })).mnemonic).toBe(
      'ed25519 sort enhance rely order ostrich shop like subject giraffe barely little payment waste ugly inquiry jelly dust occur',
    );
    expect((await ok('mnemonic.from_entropy', { type: 'ed25519', entropy_hex: MNEMONIC_ED25519.entropyHex })).mnemonic).toBe(MNEMONIC_ED25519.phrase);
  });

  it('mnemonic.to_key derives the Go key pair of the §7.4 phrase', async () => {
    expect(await ok('mnemonic.to_key', { mnemonic: MNEMONIC_ED25519.phrase })).toEqual({
      private_key: MNEMONIC_ED25519.privateKey, public_key: MNEMONIC_ED25519.publicKey, fingerprint: MNEMONIC_ED25519.fingerprint,
    });
  });

  it('mnemonic.to_key rejects "ed25519 foo bar baz", recovers Go\'s rsa4096 key from its phrase, and refuses an ecdsa phrase', async () => {
    expect((await call('mnemonic.to_key', { mnemonic: 'ed25519 foo bar baz' })).ok).toBe(false);
    const c = goSeededRsaCases()[1]!;
    expect(await ok('mnemonic.to_key', { mnemonic: c.mnemonic })).toEqual({ private_key: c.private_key, public_key: c.public_key, fingerprint: c.fingerprint });
    const words = MNEMONIC_ED25519.phrase.slice('ed25519 '.length);
    expect((await err('mnemonic.to_key', { mnemonic: `ecdsa ${words}` })).class).toBe('InvalidInput');
  });
});

describe('adapter: signatures (§1.5, sign_test.go)', () => {
  const MSG = b64('b2d31086f098254d32314438a863e61e');

  it('sign with privkey.ed25519 gives the Go signature (sign_test.go:107)', async () => {
    const r = await ok('sign', { private_key: GO_PRIVKEY_ED25519.privateKey, message_b64: MSG });
    expect(Buffer.from(r.signature_b64, 'base64').toString('hex')).toBe(
      '415c11b44a3abc626f0e217dd9ee3e4a529f02e53fdbd6e7b3ddb262669142434cbe7f2c8d48f7e29ac2e538c4c3d22dcc60f525eca909b1a65fe1fae414d005',
    );
  });

  it('sign with privkey.rsa (1024-bit PKCS#1) gives the Go signature (sign_test.go:57)', async () => {
    const r = await ok('sign', { private_key: GO_PRIVKEY_RSA_1024.privateKey, message_b64: MSG });
    expect(Buffer.from(r.signature_b64, 'base64').toString('hex')).toBe(
      '74c7079a727e01f2aca1564e95974160b6231316da6ba1e15d5237e28bac5509acbe2dbd2fd4aedbd40fd6eefe7586f5caa52f6fba24db8ab3d581ebbfe671e4b11b6e8a6e726c5d275724b74ea5b1f50084ad998288b71a2a7ecc616f77583dda09180bfc0322f5039644f510f920fc27b747fef7564b985cce13ed11748e4e',
    );
  });

  it('verify accepts each type\'s signature and rejects it after flipping bit 0x80 of byte 0', async () => {
    for (const k of [GO_PRIVKEY_ED25519, GO_PRIVKEY_RSA_1024, GO_PRIVKEY_ECDSA]) {
      const { signature_b64 } = await ok('sign', { private_key: k.privateKey, message_b64: MSG }, { seed: '01' });
      expect((await ok('verify', { public_key: k.publicKey, message_b64: MSG, signature_b64 })).valid).toBe(true);
      const bad = Buffer.from(signature_b64, 'base64');
      bad[0]! ^= 0x80;
      expect((await ok('verify', { public_key: k.publicKey, message_b64: MSG, signature_b64: bad.toString('base64') })).valid).toBe(false);
    }
  });

  it('sign(ecdsa) with the same seed gives the same bytes twice', async () => {
    const a = await ok('sign', { private_key: GO_PRIVKEY_ECDSA.privateKey, message_b64: MSG }, { seed: 'abcd' });
    const b = await ok('sign', { private_key: GO_PRIVKEY_ECDSA.privateKey, message_b64: MSG }, { seed: 'abcd' });
    expect(a.signature_b64).toBe(b.signature_b64);
  });
});

describe('adapter: key exchange, txid and secrets (§1.6-§1.8, §13.3)', () => {
  it('key.exchange of the ed25519 pair gives 9130cc82… both ways (keyexchange_test.go)', async () => {
    expect((await ok('key.exchange', { private_key: ALICE_ED25519.privateKey, public_key: BOB_ED25519.publicKey })).secret_hex).toBe(ED25519_EXCHANGE_SECRET_HEX);
    expect((await ok('key.exchange', { private_key: BOB_ED25519.privateKey, public_key: ALICE_ED25519.publicKey })).secret_hex).toBe(ED25519_EXCHANGE_SECRET_HEX);
  });

  it('key.exchange of the P-384 pair gives the 48-byte x-coordinate c677e577…', async () => {
    expect((await ok('key.exchange', { private_key: ALICE_ECDSA.privateKey, public_key: BOB_ECDSA.publicKey })).secret_hex).toBe(ECDSA_EXCHANGE_SECRET_HEX);
  });

  it('key.exchange with an RSA key is an error, not a secret', async () => {
    expect((await call('key.exchange', { private_key: GO_KEY_1.privateKey, public_key: GO_KEY_3.publicKey })).ok).toBe(false);
  });

  it('secret.decrypt opens the §13.3 dual-key-exchange vector (txid hex(P‖R)) to the catalog key 0x01..0x20', async () => {
    const r = await ok('secret.decrypt', {
      private_key: DKE_RECIPIENT_ED25519.privateKey,
      ciphertext_b64: 'AQIDBAUGBwgJCgsMxQyQQXiEduVTnsTk+bzDCgZ38bsHDz+CgJbResIQFtBwSpFHihwZ3X9m1rpjH0iw',
      crypto: 'ed25519+aes',
      txid: 'a4e9fc6f3b7760ec6d3095907d2bbb3e50456a83cc207df0b635536dbf2cd3908a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c',
    });
    expect(r.secret_b64).toBe(SEQ32.toString('base64'));
  });

  it('secret.decrypt refuses a txid of the wrong length and a key the txid is not for', async () => {
    const base = { ciphertext_b64: 'AQIDBAUGBwgJCgsMxQyQQXiEduVTnsTk+bzDCgZ38bsHDz+CgJbResIQFtBwSpFHihwZ3X9m1rpjH0iw', crypto: 'ed25519+aes' };
    expect((await err('secret.decrypt', { ...base, private_key: DKE_RECIPIENT_ED25519.privateKey, txid: '78d8f2ac5c5ca8e3f553f7bff06d883be6e23c4ac0c1bca4c3702e2ab1ee86d204ad9f8082906b744a' })).class).toMatch(/InvalidInput|DecryptionFailed/);
    expect((await err('secret.decrypt', {
      ...base, private_key: DKE_OTHER_ED25519.privateKey,
      txid: 'a4e9fc6f3b7760ec6d3095907d2bbb3e50456a83cc207df0b635536dbf2cd3908a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c',
    })).class).toBe('DecryptionFailed');
  });

  it('secret.encrypt to ed25519 writes ed25519+aes with a 128-hex txid that secret.decrypt opens', async () => {
    const secret = b64('catalog key, 32 bytes long......');
    const e = await ok('secret.encrypt', { public_key: DKE_RECIPIENT_ED25519.publicKey, secret_b64: secret }, { seed: '02' });
    expect(e.crypto).toBe('ed25519+aes');
    expect(e.txid).toMatch(/^[0-9a-f]{128}$/);
    expect(Buffer.from(e.ciphertext_b64, 'base64')).toHaveLength(12 + 32 + 16);
    expect((await ok('secret.decrypt', { private_key: DKE_RECIPIENT_ED25519.privateKey, ...e })).secret_b64).toBe(secret);
  });

  it('secret.encrypt to rsa writes rsa/oaep with no txid; decrypting as legacy "rsa" (PKCS#1 v1.5) fails (encrypt_test.go)', async () => {
    const secret = b64('foobar');
    const e = await ok('secret.encrypt', { public_key: GO_PRIVKEY_RSA_1024.publicKey, secret_b64: secret });
    expect(e).toMatchObject({ crypto: 'rsa/oaep', txid: '' });
    expect((await ok('secret.decrypt', { private_key: GO_PRIVKEY_RSA_1024.privateKey, ...e })).secret_b64).toBe(secret);
    expect((await err('secret.decrypt', { private_key: GO_PRIVKEY_RSA_1024.privateKey, ...e, crypto: 'rsa' })).class).toBe('DecryptionFailed');
  });
});

describe('adapter: headers (§4.3, §4.4, signature_test.go)', () => {
  it('header.client_hash of header-001 gives the exact Go preimage and hash 191ecdac…', async () => {
    const r = await ok('header.client_hash', { header: header('001') });
    expect(r.preimage).toBe(HEADER_001_CLIENT_PREIMAGE);
    expect(r.hash_hex).toBe('191ecdac653ca1f5c1bd3c8dfbc5be1412de97dec9f445ed951c24de8c372607');
  });

  it('header.server_hash of header-002 gives the preimage with server_authorized_by null and hash 66843d20…', async () => {
    const r = await ok('header.server_hash', { header: header('002') });
    expect(r.preimage).toBe('{"client_hash":"BvOK6Vj4p17U32NdTo3fTAIdwy6n/zN3FGRlwCagjSM=","server_authorized_by":null}');
    expect(r.hash_hex).toBe('66843d206a2d9cbaf7dfbcd6a3a34f4b5d85dc9d250401329028226e21ad47d1');
  });

  it('header.client_hash / server_hash of header-003 cover signed_by authorized and authorized_by (§13.2)', async () => {
    const c = await ok('header.client_hash', { header: header('003') });
    expect(c.preimage).toContain('"client_from":{"address":"000000000000000000018f66a0f3591a883f2b9cc3e95a497e7cf9da1071b4cc","signed_by":"authorized"}');
    const s = await ok('header.server_hash', { header: header('003') });
    expect(s.preimage.startsWith('{"client_hash":"PH+BpZAl8EbAJS1grg14LwAkRBTQJF4xBMfx9H5UNgw=","server_authorized_by":{"public_key":"ed25519 MCowBQYDK2VwAyEA4KhfZWs/+B9Xx6eU+zN+A1USGtXsCs5zJNRq8JOM9EA=","signature":"V/cdCp')).toBe(true);
  });

  it('header.sign_client of header-001 with key-3 gives expectedClientSignature and verifies', async () => {
    const r = await ok('header.sign_client', { header: header('001'), private_key: GO_KEY_3.privateKey });
    expect(r.header.signatures.client).toBe(EXPECTED_CLIENT_SIGNATURE);
    expect(Object.keys(r.header)).toEqual(['from', 'to', 'catalog', 'signatures']);
    expect((await ok('header.verify_client', { header: r.header, public_key: GO_KEY_3.publicKey })).valid).toBe(true);
    expect((await ok('header.verify_client', { header: r.header, public_key: GO_KEY_1.publicKey })).valid).toBe(false);
  });

  it('header.sign_server of header-002 with key-1 gives expectedServerSignature and verifies', async () => {
    const r = await ok('header.sign_server', { header: header('002'), private_key: GO_KEY_1.privateKey });
    expect(r.header.signatures.server).toBe(EXPECTED_SERVER_SIGNATURE);
    expect((await ok('header.verify_server', { header: r.header, public_key: GO_KEY_1.publicKey })).valid).toBe(true);
    for (const server of ['A', '', 'Zm9vYmFy']) {
      const h = { ...r.header, signatures: { ...r.header.signatures, server } };
      expect((await ok('header.verify_server', { header: h, public_key: GO_KEY_1.publicKey })).valid, server).toBe(false);
    }
  });

  it('a server-type client signature of header-001 from 12345678 with key-ed25519-3 is Dpgm8T… (signature_test.go:161-199)', async () => {
    const h = header('001');
    h.from = { address: '12345678', signed_by: 'server' };
    const r = await ok('header.sign_client', { header: h, private_key: GO_ED25519_3.privateKey });
    expect(r.header.signatures.client).toBe('Dpgm8TJzjmGmkWLDDjkj2Ibh0VdWt3Rx3ap2Xq0P2jz9m17PmkJyAwb1AuzNxjCDHCMguoCL0uhYajlb3NM+Bg==');
    expect((await ok('header.verify_client', { header: r.header, public_key: GO_ED25519_3.publicKey })).valid).toBe(true);
    // signed_by server: the server signature is not checked (signature.go), even garbage passes.
    const g = { ...r.header, signatures: { ...r.header.signatures, server: 'Zm9vYmFy' } };
    expect((await ok('header.verify_server', { header: g, public_key: GO_KEY_1.publicKey })).valid).toBe(true);
  });

  it('header.verify_client accepts header-003 (authorized_by chain checked against key-3) and rejects it with a broken chain', async () => {
    expect((await ok('header.verify_client', { header: header('003'), public_key: GO_KEY_3.publicKey })).valid).toBe(true);
    const broken = header('003');
    broken.authorized_by.signature = 'Zm9vYmFy';
    expect((await ok('header.verify_client', { header: broken, public_key: GO_KEY_3.publicKey })).valid).toBe(false);
    expect((await ok('header.verify_client', { header: header('004'), public_key: GO_KEY_3.publicKey })).valid).toBe(false);
  });

  it('a header that is not an object is InvalidInput', async () => {
    expect((await err('header.client_hash', { header: 'nope' })).class).toBe('InvalidInput');
  });
});

describe('adapter: authorization (§10.3)', () => {
  it('authorization.sign of key-ed25519-2 by key-ed25519-1 is GRlSsdrk… (auth_key_test.go)', async () => {
    const r = await ok('authorization.sign', { private_key: GO_ED25519_1.privateKey, public_key: GO_ED25519_2.publicKey });
    expect(r.signature_b64).toBe('GRlSsdrkcciQSOiZNPHO0e0emRAv9x0rhB+eARdarkHeCJL9YOIHghen5C8+8IAaNGe0qHVPal+EcdXCKjQVBg==');
  });
});

describe('adapter: catalog (§3.1, §5)', () => {
  it('catalog.decrypt of the Go GCM catalog KAT (key 0x01..0x20, nonce 0x01..0x0c) succeeds; a flipped key bit fails', async () => {
    // aes_256_gcm_test.go:117: the mock catalog {"Foo":"foo","Bar":"bar"} — unknown fields, so Go
    // decodes it to the zero catalog.
    const blob = hexToB64('0102030405060708090a0b0cd50ceaf25f4919cf09d29707cfd87f447b7cc8053414a31028e3ffa60e3aa9841063a1d4d0027f9c6a');
    const r = await ok('catalog.decrypt', { ciphertext_b64: blob, key_b64: SEQ32.toString('base64') });
    expect(r.catalog).toMatchObject({ subject: '', blocks: null, attachments: null });
    const badKey = Buffer.from(SEQ32);
    badKey[0]! ^= 80;
    expect((await err('catalog.decrypt', { ciphertext_b64: blob, key_b64: badKey.toString('base64') })).class).toBe('DecryptionFailed');
  });

  it('catalog.encrypt then catalog.decrypt returns the catalog, and the seed fixes the bytes', async () => {
    const catalog = (await ok('catalog.decrypt', {
      ciphertext_b64: hexToB64('0102030405060708090a0b0cd50ceaf25f4919cf09d29707cfd87f447b7cc8053414a31028e3ffa60e3aa9841063a1d4d0027f9c6a'),
      key_b64: SEQ32.toString('base64'),
    })).catalog;
    catalog.subject = 'hello <world> & co';
    const a = await ok('catalog.encrypt', { catalog, key_b64: SEQ32.toString('base64') }, { seed: '05' });
    const b = await ok('catalog.encrypt', { catalog, key_b64: SEQ32.toString('base64') }, { seed: '05' });
    expect(a.ciphertext_b64).toBe(b.ciphertext_b64);
    expect((await ok('catalog.decrypt', { ciphertext_b64: a.ciphertext_b64, key_b64: SEQ32.toString('base64') })).catalog).toEqual(catalog);
  });
});

describe('adapter: message compose/open (§4.1, §5)', () => {
  const composeArgs = {
    sender: { address: 'from!', private_key: GO_ED25519_1.privateKey, name: 'From' },
    recipient: { address: 'too!', public_key: GO_ED25519_2.publicKey },
    subject: 'test subject',
    blocks: [{ type: 'default', content: 'foobar' }, { type: 'text', content: 'x'.repeat(2048) }],
    attachments: [{ filename: 'a.bin', content_b64: b64('attachment bytes') }],
  };

  it('message.compose writes from.address = hash of from! and a catalog message.open can read', async () => {
    const m = await ok('message.compose', composeArgs, { seed: '0102', now: 1577882096 });
    expect(m.header.from.address).toBe('4f16cf359aeca741b5516b2c8609919e9f0008b66beb97209fbc694d7f272e08');
    expect(m.header.to.fingerprint).toBe('3a0053faa30119e4a7dbf8f2fc5b9cbb71c19130058dcf86fdcf08fc2d73b8f8');
    expect(m.header.catalog.crypto).toBe('ed25519+aes');
    expect(Object.keys(m.blocks)).toHaveLength(2);
    expect(Object.keys(m.attachments)).toHaveLength(1);
    expect((await ok('header.verify_client', { header: m.header, public_key: GO_ED25519_1.publicKey })).valid).toBe(true);
    const o = await ok('message.open', { private_key: GO_ED25519_2.privateKey, header: m.header, catalog_b64: m.catalog_b64, blocks: m.blocks, attachments: m.attachments });
    expect(o.catalog.subject).toBe('test subject');
    expect(o.catalog.created_at).toBe('2020-01-01T12:34:56Z');
    expect(o.blocks.map((b: any) => [b.type, b.content])).toEqual([['default', 'foobar'], ['text', 'x'.repeat(2048)]]);
    expect(o.attachments).toEqual([{ id: Object.keys(m.attachments)[0], filename: 'a.bin', content_b64: b64('attachment bytes') }]);
  });

  it('message.compose with the same seed and now gives identical bytes', async () => {
    const a = await ok('message.compose', composeArgs, { seed: '0102', now: 1577882096 });
    const b = await ok('message.compose', composeArgs, { seed: '0102', now: 1577882096 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('message.open with the extension arg sender_public_key checks the client signature first (BadSignature on a wrong key)', async () => {
    const m = await ok('message.compose', composeArgs, { seed: '04', now: 1577882096 });
    const args = { private_key: GO_ED25519_2.privateKey, header: m.header, catalog_b64: m.catalog_b64, blocks: m.blocks, attachments: m.attachments };
    expect((await ok('message.open', { ...args, sender_public_key: GO_ED25519_1.publicKey })).catalog.subject).toBe('test subject');
    expect((await err('message.open', { ...args, sender_public_key: GO_ED25519_3.publicKey })).class).toBe('BadSignature');
  });

  it('message.compose with the extension arg signed_by server sets from.signed_by and the postmaster flag', async () => {
    const m = await ok('message.compose', { ...composeArgs, sender: { address: '12345678', private_key: GO_ED25519_3.privateKey }, signed_by: 'server' }, { seed: '05', now: 1577882096 });
    expect(m.header.from).toEqual({ address: '12345678', signed_by: 'server' });
    const o = await ok('message.open', { private_key: GO_ED25519_2.privateKey, header: m.header, catalog_b64: m.catalog_b64, blocks: m.blocks, attachments: m.attachments });
    expect(o.catalog.flags).toContain('postmaster');
  });

  it('message.open with the wrong key fails with DecryptionFailed', async () => {
    const m = await ok('message.compose', composeArgs, { seed: '03', now: 1577882096 });
    expect((await err('message.open', { private_key: GO_ED25519_3.privateKey, header: m.header, catalog_b64: m.catalog_b64, blocks: m.blocks, attachments: m.attachments })).class).toBe('DecryptionFailed');
  });
});

describe('adapter: vault (§6)', () => {
  const VAULT = {
    type: 'vault', version: 2,
    data: 'd7h27532BAXtz5hMgR+Pho5VBiFEm+ZIa0oA6yTfdvBVGGV1OMS5dIW/R6Kxal32ja6pYnaYoF/nlyxdhCWa6Jz8CuNh/0MYu34NPKSQnYbw7GoaZ8z+2op/ISGneHa574Zc0pmWsdvhIe+uAaegEDcy7cDUcL3AGdMLKZflGMg3jfatyS+j8TnywDyvkU5pbUr1c8Kvf6AAMX7M7o13prFj6D30CrO8X7dQwi6DyG9PjXftszJgWVl43L1/ytl9OoRFESUo6BXYMSUqED6rw9nSxJsCE3b1Qo4u2ZAlhn4mYFa8FMEas16FxXa85+YSKAAYaLhKq17FcPhJQ1rofVr1vTk9X07T4YJdzIQLN27QWSXXK8crKdGNbX/U4WjtCWMUpuSmI0oEzwHag0QEa1PZM8wwdwVUUJFNQpdVULk9FeWdJwxf0uBNgmcGAkian1uuVo9boieybQ9WLXZ+6SrdHMfoSJVnK3ENZBxP2cYOPcS5CipqmF37cRjfMVRsomVUZNsbOZPilSeSnTzkcN3wwsQHwMrmihfqq8pzrHdNpA089TY696wTENiJAuuADyzpXmxgSzajdMpKCL/smfheXecvjCOO1YUkqno9RdaNle6Wmw5idTHHfRBHW/KVqbHFDvHiv7OhcSmJome++JWFQt9awIDkLXgpLlzneQuBTTl2I+rj9XySZBPhsr2i7bJj4jFomHzIhi0WO7t3TjUlaeOpdRiZlM7QXFlq7FkOOjCXpbjLVRlhVZ7GqPWXca0yG5W1obK4nUoceIJLywVynXc6tury7JUMbNZoewYwTtGtVQa7qbQmonqcMmq+SYw4d9LDdgPUXlLy0CF9d+NskZJuvq1356seW4yggELCAjoQnWAcHLQt2K+ToRELIeyvDNkD6iSyab0zRUajgoHA6vW/EpKB8gG593Z6QQ7CW4idGKlDvPLc/l6HH2fjEdc7dbS7FvdP0qSDa4L34uXxnusvlcehq7cTdICvTNHOv02RXSajZXmPDYh1DtLV33e+nx7eUChJsJENtBL+3hwBG/gWz6efJhqEKvJoABJyYqhqnhToaT3fJnJNIqUd9kArefTSnBRc/6IHLD3lOohZ6g1It6h0I99ooKvGKZTa0oLDD42xAFgVxWj7q8yZI9HqwidATyfpWBt9czXTw+UxoVj5dppBkQUGydgMp60SufLyVYSrRhLwGLemcxwpdlqIL2OYHs+cwdqIQlWyDYQJLv1STnXEFCoSdpLgOtrIA9VXOv2Flot3eS4Y0EJxBYDLcXq1Vg/fbqnEBi5s1kgWllHMI63ppUP/015QgjAy6caVx/JJnHNSc9lVK+MJwBcMzry7YmoRAtvLSuaYxQiA5ajEwVZANWYoyl4Xio6f6BnWhc/yi5pL4225qtdRMRE+012iRsk+49ImVqmAl7bxTxF44sCo4yy+b1P+b7K+Q0pfAjiBTbuH4VSFMIynFCsT',
    salt: 'WWr5aYsVn1YjLqoh9p1f2Hp48dP2iQ2okj7syjHgjwUVULs85P13s4P+5J2dNLRkg+Iho5+whuH0WlSYTyCSOA==',
    iv: 'Is/5cNuwY3F/UoP/m4VZIw==',
    hmac: 'PQZryF4oeQHJkCnX16sWrIK51nkOO9rxOsQg5zVSSWs=',
  };
  const PLAINTEXT = {
    accounts: [{
      address: 'test30!', name: 'Test user 30', settings: null,
      Keys: [{
        generator: '', fingerprint: '982c322e7d529a699dd30cc6a8cb008aa218bd7b5c98e05f0303ec766b8dc213',
        priv_key: 'ed25519 MC4CAQAwBQYDK2VwBCIEIJleMu6MT1da+eKkO2i6meAsF7LH6G386/aXJKpCoVpX',
        pub_key: 'ed25519 MCowBQYDK2VwAyEAJNUYkmr/Nol/6hNn6/tupiCWG3jVGF5u0piohVTw4ks=', active: true,
      }],
      proof: '27$YmY2ZjAyMDA1ZDZiMTQxMGRiYjE1ZWZjYmJjY2NjNjUyMDBiMjMzZWJlMWY3MTFiMGNmNDk1MDdlYTFiYTI1Mw==$43776839',
      routing_id: '323250728593e92f50bf1572d10318912fd611dd0f4e5d36726c0c0757b29e03',
      store_key: {
        generator: MNEMONIC_ED25519.entropyHex, fingerprint: MNEMONIC_ED25519.fingerprint,
        priv_key: MNEMONIC_ED25519.privateKey, pub_key: MNEMONIC_ED25519.publicKey,
      },
    }],
    organisations: [],
  };

  it('vault.open of the §6.3 Go vault with "pass" gives version 2 and the exact plaintext', async () => {
    const r = await ok('vault.open', { vault: VAULT, password: 'pass' });
    expect(r.version).toBe(2);
    expect(r.plaintext).toEqual(PLAINTEXT);
    expect(Object.keys(r.plaintext.accounts[0])).toEqual(Object.keys(PLAINTEXT.accounts[0]!));
  });

  it('vault.open with the wrong password is BadPassword', async () => {
    expect((await err('vault.open', { vault: VAULT, password: 'secret' })).class).toBe('BadPassword');
  });

  it('vault.create is reproducible under a seed and vault.open gets the plaintext back', async () => {
    const a = await ok('vault.create', { password: 'secret', plaintext: PLAINTEXT }, { seed: '07' });
    const b = await ok('vault.create', { password: 'secret', plaintext: PLAINTEXT }, { seed: '07' });
    expect(a.vault).toEqual(b.vault);
    expect(Object.keys(a.vault)).toEqual(['type', 'version', 'data', 'salt', 'iv', 'hmac']);
    expect((await ok('vault.open', { vault: a.vault, password: 'secret' })).plaintext).toEqual(PLAINTEXT);
  });
});

describe('adapter: JWT (§8, jwt_test.go)', () => {
  const SUB = '1882b91b7f49d479cf1ec2f1ecee30d0e5392e963a2109015b7149bf712ad1b6';
  const TOKEN =
    'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE1Nzc4ODIxMzAsImlhdCI6MTU3Nzg4MjA0MCwibmJmIjoxNTc3ODgyMDQwLCJzdWIiOiIxODgyYjkxYjdmNDlkNDc5Y2YxZWMyZjFlY2VlMzBkMGU1MzkyZTk2M2EyMTA5MDE1YjcxNDliZjcxMmFkMWI2In0.D0QCl93sfwtOVmHpt5LJ9OjnLfNR0d9WnyZIVVa-Ktxd-PSLC6b-UlhSV3NKnMz1mNdO3KQIf9_0RQcjWWxOUzH2kXANMNngeLz5bHQowiSDtTMFwKdwCdHhMaYCuMkEGvILfKRUuDhussSFZmcGcqDkIqKRFDN-0HyoHfCEHo4';

  it('jwt.create at now=1577882096 with privkey.rsa gives the Go token', async () => {
    expect((await ok('jwt.create', { private_key: GO_PRIVKEY_RSA_1024.privateKey, address_hash: SUB }, { now: 1577882096 })).token).toBe(TOKEN);
  });

  it('jwt.verify accepts the token at 12:34:29, 12:34:59, 12:35:29 and gives its claims', async () => {
    for (const now of [1577882069, 1577882099, 1577882129]) {
      const r = await ok('jwt.verify', { token: TOKEN, public_key: GO_PRIVKEY_RSA_1024.publicKey, address_hash: SUB }, { now });
      expect(r.claims).toMatchObject({ exp: 1577882130, iat: 1577882040, nbf: 1577882040, sub: SUB });
    }
  });

  it('jwt.verify rejects the token at 12:33:59 (not yet valid) and 12:35:31 (expired), and for another subject', async () => {
    const args = { token: TOKEN, public_key: GO_PRIVKEY_RSA_1024.publicKey, address_hash: SUB };
    expect((await err('jwt.verify', args, { now: 1577882039 })).class).toBe('TokenNotYetValid');
    expect((await err('jwt.verify', args, { now: 1577882131 })).class).toBe('TokenExpired');
    expect((await err('jwt.verify', { ...args, address_hash: '00'.repeat(32) }, { now: 1577882099 })).class).toBe('InvalidToken');
  });

  it('jwt.create/verify round-trip with ed25519 (EdDSA) and ecdsa (ES384)', async () => {
    for (const k of [GO_ED25519_1, GO_PRIVKEY_ECDSA]) {
      const t = await ok('jwt.create', { private_key: k.privateKey, address_hash: SUB }, { now: 1600000000, seed: '09' });
      expect((await ok('jwt.verify', { token: t.token, public_key: k.publicKey, address_hash: SUB }, { now: 1600000000 })).claims.sub).toBe(SUB);
    }
  });
});

describe('adapter: proof of work (§9)', () => {
  it('pow.solve of john@example! at 8 bits is 149', async () => {
    expect((await ok('pow.solve', { bits: 8, data: 'john@example!' })).proof).toBe(149);
  });

  it('pow.verify accepts jane@example!/98 and rejects john@example!/12431241', async () => {
    expect((await ok('pow.verify', { bits: 8, data: 'jane@example!', proof: 98 })).valid).toBe(true);
    expect((await ok('pow.verify', { bits: 8, data: 'john@example!', proof: 12431241 })).valid).toBe(false);
    expect((await ok('pow.verify', { bits: 22, data: 'foo', proof: 0 })).valid).toBe(false);
  });

  it('pow.verify keeps a uint64 proof above 2^53 exact', async () => {
    const line = await handleLine('{"id":99,"op":"pow.verify","args":{"bits":1,"data":"x","proof":18446744073709551615}}');
    expect(JSON.parse(line!)).toMatchObject({ id: 99, ok: true });
  });
});

describe('adapter: invites (§10.2, invite_test.go)', () => {
  const ADDR = 'e176de99906e21fea81f8c87b6837b73d3b232c4592f20ac3065e586b6e17db7';
  const TOKEN =
    'ZTE3NmRlOTk5MDZlMjFmZWE4MWY4Yzg3YjY4MzdiNzNkM2IyMzJjNDU5MmYyMGFjMzA2NWU1ODZiNmUxN2RiNzoxMjM0NTY3ODoxMjYyNjA4NDk2OtuWWRz3/6zPsXKDQk18SEmRabib6ogVd9ml1lPYWYw4tcb940J4ZxFK77rU6rkGYf/fKG1anE1SLpUyXBNGxgM=';

  it('invite.create of john@acme!/12345678/2010-01-04T12:34:56Z with key-ed25519-1 gives the Go token', async () => {
    expect((await ok('invite.create', { private_key: GO_ED25519_1.privateKey, address_hash: ADDR, routing_id: '12345678', expires: 1262608496 })).token).toBe(TOKEN);
  });

  it('invite.verify accepts the token before expiry and rejects another routing id, address, or a later now', async () => {
    const args = { token: TOKEN, public_key: GO_ED25519_1.publicKey, address_hash: ADDR, routing_id: '12345678' };
    expect((await ok('invite.verify', args, { now: 1262600000 })).valid).toBe(true);
    expect((await ok('invite.verify', { ...args, routing_id: '00000000' }, { now: 1262600000 })).valid).toBe(false);
    expect((await ok('invite.verify', { ...args, address_hash: (await ok('hash.string', { value: 'doctor@evil!' })).hash }, { now: 1262600000 })).valid).toBe(false);
    expect((await ok('invite.verify', args, { now: 1356912000 })).valid).toBe(false);
  });
});

describe('adapter: resolver auth (§10.4)', () => {
  it('resolver.auth is b64(Sign(priv, SHA-256(hash ‖ routing_id ‖ serial))) for an address', async () => {
    const hash = '2244643da7475120bf84d744435d15ea297c36ca165ea0baaa69ec818d0e952f';
    const r = await ok('resolver.auth', { private_key: GO_ED25519_1.privateKey, hash, routing_id: '12345678', serial: 42 });
    const digest = createHash('sha256').update(`${hash}12345678${42}`).digest();
    const seed = Buffer.from(GO_ED25519_1.privateKey.split(' ')[1]!, 'base64').subarray(16);
    expect(r.bearer).toBe(Buffer.from(ed25519.sign(digest, seed)).toString('base64'));
  });

  it('resolver.auth without routing_id signs hash ‖ serial, with a uint64 serial kept exact', async () => {
    const hash = '2244643da7475120bf84d744435d15ea297c36ca165ea0baaa69ec818d0e952f';
    const line = await handleLine(`{"id":100,"op":"resolver.auth","args":{"private_key":"${GO_ED25519_1.privateKey}","hash":"${hash}","serial":18446744073709551615}}`);
    const r = JSON.parse(line!) as Res;
    const digest = createHash('sha256').update(`${hash}18446744073709551615`).digest();
    const seed = Buffer.from(GO_ED25519_1.privateKey.split(' ')[1]!, 'base64').subarray(16);
    expect(r.result.bearer).toBe(Buffer.from(ed25519.sign(digest, seed)).toString('base64'));
  });
});
