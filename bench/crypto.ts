/**
 * Benchmark section "protocol library vs node native": the hot operations of harness/protocol
 * (signatures, message compose/open, vault open, proof of work), each beside the same operation
 * done directly with node:crypto / node:zlib where Node has one. The ratio says what our
 * byte-exactness layer (Go-JSON, noble curves, per-item checks) costs over the bare primitive.
 *
 * Every input is fixed (Go test identities, seeded randomness), so runs are comparable.
 * @module
 */
import {
  createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, pbkdf2Sync,
  sign as nodeSign, verify as nodeVerify, type KeyObject,
} from 'node:crypto';
import { deflateSync, inflateSync, constants as zc } from 'node:zlib';
import type { Row, Section } from './_measure.ts';
import { rate } from './_measure.ts';
import { seededRng, fixedClock } from '../harness/protocol/random.ts';
import { parsePrivateKey, parsePublicKey, type PrivateKey, type PublicKey } from '../harness/protocol/keys.ts';
import { sign, verify } from '../harness/protocol/signature.ts';
import { GO_ED25519_1, GO_ED25519_2, GO_KEY_1, GO_PRIVKEY_ECDSA } from '../harness/protocol/fixtures.ts';

const MiB = 1024 * 1024;

function nodeKeys(priv: PrivateKey, pub: PublicKey): { priv: KeyObject; pub: KeyObject } {
  // Go writes PKCS#8 for every type (spec §1.2), and SPKI for public keys.
  return {
    priv: createPrivateKey({ key: Buffer.from(priv.der), format: 'der', type: 'pkcs8' }),
    pub: createPublicKey({ key: Buffer.from(pub.der), format: 'der', type: 'spki' }),
  };
}

function signatureRows(ms: number): Row[] {
  const rows: Row[] = [];
  // BitMaelum signs 32-byte SHA-256 digests (spec §1.5), so that is the message size here.
  const msg = createHash('sha256').update('bench').digest();
  const cases: { name: string; pair: { privateKey: string; publicKey: string }; nodeAlg: string | null; note?: string }[] = [
    { name: 'Ed25519', pair: GO_ED25519_1, nodeAlg: null },
    { name: 'RSA-2048 PKCS#1 v1.5', pair: GO_KEY_1, nodeAlg: 'sha256' },
    { name: 'ECDSA P-384', pair: GO_PRIVKEY_ECDSA, nodeAlg: 'sha384', note: 'native hashes with SHA-384 first; ours signs the digest as prehash' },
  ];
  for (const c of cases) {
    const priv = parsePrivateKey(c.pair.privateKey);
    const pub = parsePublicKey(c.pair.publicKey);
    const nk = nodeKeys(priv, pub);
    const rng = seededRng(new Uint8Array([1]));
    const sig = sign(priv, msg, rng);
    const nsig = nodeSign(c.nodeAlg, msg, nk.priv);
    rows.push({
      op: `${c.name} sign`, unit: 'ops/s', note: c.note,
      ours: rate(() => void sign(priv, msg, rng), ms),
      native: rate(() => void nodeSign(c.nodeAlg, msg, nk.priv), ms),
    });
    rows.push({
      op: `${c.name} verify`, unit: 'ops/s', note: c.note,
      ours: rate(() => { if (!verify(pub, msg, sig)) throw new Error('verify failed'); }, ms),
      native: rate(() => { if (!nodeVerify(c.nodeAlg, msg, nk.pub, nsig)) throw new Error('verify failed'); }, ms),
    });
  }
  return rows;
}

async function messageRows(ms: number): Promise<Row[]> {
  const { composeMessage, openMessage } = await import('../harness/protocol/message.ts');
  // Incompressible content: zlib still runs (size ≥ 1024, spec §5.1) but stores; the worst case for MB/s.
  const content = seededRng(new TextEncoder().encode('bench attachment')).bytes(MiB);
  const sender = parsePrivateKey(GO_ED25519_1.privateKey);
  const recipientPriv = parsePrivateKey(GO_ED25519_2.privateKey);
  const recipient = parsePublicKey(GO_ED25519_2.publicKey);
  const input = {
    sender: { address: 'bench!', privateKey: sender, name: 'Bench' },
    recipient: { address: 'target!', publicKey: recipient },
    subject: 'bench',
    blocks: [{ type: 'default', content: 'hello' }],
    attachments: [{ filename: 'big.bin', content }],
  };
  const rng = seededRng(new Uint8Array([2]));
  const clock = fixedClock(1_600_000_000);
  const m = composeMessage(input, rng, clock);
  const open = () => openMessage(recipientPriv, m.header, m.catalogBlob, m.blocks, m.attachments);
  if (open().attachments[0]!.content.length !== MiB) throw new Error('message round trip lost bytes');

  // Native floor for the bulk path: zlib level 9 + AES-256-CFB128 (what §3.2/§3.3 do per item).
  const key = Buffer.alloc(32, 3);
  const iv = Buffer.alloc(16, 4);
  const packed = createCipheriv('aes-256-cfb', key, iv).update(deflateSync(content, { level: zc.Z_BEST_COMPRESSION }));
  return [
    {
      op: 'message compose, 1 MiB attachment', unit: 'MB/s', note: 'native: zlib-9 + AES-256-CFB only',
      ours: rate(() => { composeMessage(input, rng, clock); return 1; }, ms) * (MiB / 1e6),
      native: rate(() => { createCipheriv('aes-256-cfb', key, iv).update(deflateSync(content, { level: zc.Z_BEST_COMPRESSION })); return 1; }, ms) * (MiB / 1e6),
    },
    {
      op: 'message open, 1 MiB attachment', unit: 'MB/s', note: 'native: AES-256-CFB + inflate only',
      ours: rate(() => { open(); return 1; }, ms) * (MiB / 1e6),
      native: rate(() => { inflateSync(createDecipheriv('aes-256-cfb', key, iv).update(packed)); return 1; }, ms) * (MiB / 1e6),
    },
  ];
}

async function vaultRows(ms: number): Promise<Row[]> {
  const { createVault, openVault } = await import('../harness/protocol/vault.ts');
  const plaintext = {
    accounts: [{
      address: 'bench!', name: 'Bench', settings: null,
      Keys: [{ generator: '', fingerprint: '7b2a596fff8cedd4dec87306e9f941850d8b725b4c4e178cf23a1a2e6dccd88b', priv_key: GO_ED25519_1.privateKey, pub_key: GO_ED25519_1.publicKey, active: true }],
      routing_id: '323250728593e92f50bf1572d10318912fd611dd0f4e5d36726c0c0757b29e03',
    }],
    organisations: [],
  };
  const container = createVault(plaintext, 'password', seededRng(new Uint8Array([3])));
  const salt = Buffer.from(container.salt, 'base64');
  const iv = Buffer.from(container.iv, 'base64');
  const data = Buffer.from(container.data, 'base64');
  const mac = Buffer.from(container.hmac, 'base64');
  // The same steps with node:crypto (spec §6.1): HMAC(password, data), PBKDF2-SHA256 ×100002, AES-256-CTR, JSON.parse.
  const nativeOpen = () => {
    if (!createHmac('sha256', 'password').update(data).digest().equals(mac)) throw new Error('bad hmac');
    const key = pbkdf2Sync('password', salt, 100_002, 32, 'sha256');
    JSON.parse(createDecipheriv('aes-256-ctr', key, iv).update(data).toString('utf8'));
  };
  return [{
    op: 'vault open (PBKDF2 ×100002)', unit: 'ops/s',
    ours: rate(() => void openVault(container, 'password'), ms),
    native: rate(nativeOpen, ms),
  }];
}

async function powRows(ms: number): Promise<Row[]> {
  const { solvePow } = await import('../harness/protocol/pow.ts');
  // Solve at 14 bits for a stream of data strings; a proof p costs p+1 double hashes.
  let i = 0;
  const ours = rate(() => Number(solvePow(14, `bench-${i++}@example!`)) + 1, ms);
  // Native loop: SHA-256(SHA-256(data ‖ hex(n))) with strings, checking 14 leading zero bits.
  let j = 0;
  const native = rate(() => {
    const data = `bench-${j++}@example!`;
    for (let n = 0; ; n++) {
      const h = createHash('sha256').update(createHash('sha256').update(data + n.toString(16)).digest()).digest();
      if (h[0] === 0 && (h[1]! & 0xfc) === 0) return n + 1;
    }
  }, ms);
  return [{ op: 'proof of work (double SHA-256)', unit: 'hashes/s', ours, native, note: 'native: createHash loop' }];
}

export const cryptoSection: Section = {
  title: 'Protocol library vs node native',
  description:
    'Each row runs one protocol-library operation in a loop for about a second (after warm-up) and, ' +
    'beside it, the same operation with node:crypto/node:zlib directly. Signatures are over 32-byte ' +
    'digests with the Go test keys (key-ed25519-1, key-1, privkey.ecdsa); the message rows compose or ' +
    'open a message with one 1 MiB incompressible attachment (Ed25519 sender and recipient); vault open ' +
    'includes the 100002-iteration PBKDF2; proof of work counts double SHA-256 evaluations.',
  async run({ quick }) {
    const ms = quick ? 250 : 1_000;
    const rows: Row[] = [...signatureRows(ms)];
    for (const part of [messageRows, vaultRows, powRows]) {
      try {
        rows.push(...(await part(ms)));
      } catch (e) {
        process.stderr.write(`bench: ${part.name} skipped: ${(e as Error).message}\n`);
      }
    }
    return rows;
  },
};
