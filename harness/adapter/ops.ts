/**
 * The op table of the reference adapter: one handler per op of ADAPTER.md "Ops (v1)", each a
 * thin translation between wire encodings (`_b64`, `_hex`, key strings, Go-shaped JSON) and the
 * protocol library in harness/protocol/.
 *
 * Handlers check the wire types of their arguments (a wrong type is `InvalidInput` naming the
 * field as `args.<name>`), then call the library, which does the protocol checks and throws its
 * typed errors; adapter.ts maps those onto the wire. Protocol modules are imported lazily, per
 * op, so that `hello` (and process start) does not pay for loading every curve.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterFault } from './faults.ts';
import { InvalidInput, UnsupportedKeyType, BitMaelumError } from '../protocol/errors.ts';
import { fromB64, fromHex, toB64, toHex, preview } from '../protocol/bytes.ts';
import { parseJsonLossless, type JsonValue } from '../protocol/gojson.ts';
import type { Clock, Rng } from '../protocol/random.ts';
import type { PrivateKey, PublicKey, KeyType } from '../protocol/keys.ts';

/** What a handler gets besides its arguments: the request's randomness and clock. */
export interface OpContext {
  rng: Rng;
  clock: Clock;
  /** The request's `seed` bytes, when it had one (key.generate derives keys from them). */
  seed: Uint8Array | undefined;
  /** Confidentiality defects switched on for this process (faults.ts); none unless asked for. */
  faults?: ReadonlySet<AdapterFault>;
  /** The adapter's log (stderr), for the `log-subject` defect. */
  log?: (line: string) => void;
}

export type OpArgs = Record<string, JsonValue>;
export type OpResult = Record<string, unknown>;
export type OpHandler = (args: OpArgs, ctx: OpContext) => Promise<OpResult>;

// ---------------------------------------------------------------------------------------------
// Argument readers. Each names the field as it appears on the wire.

function field(name: string): string {
  return `args.${name}`;
}
/** `path` is the wire name when `args` is a nested object (`sender.address`). */
function str(args: OpArgs, name: string, path = name): string {
  const v = args[name];
  if (typeof v !== 'string') throw new InvalidInput(`${field(path)}: expected string, got ${describe(v)}`);
  return v;
}
function optStr(args: OpArgs, name: string, path = name): string {
  return args[name] === undefined || args[name] === null ? '' : str(args, name, path);
}
function b64(args: OpArgs, name: string): Uint8Array {
  return fromB64(str(args, name), field(name));
}
function hex(args: OpArgs, name: string): Uint8Array {
  return fromHex(str(args, name), field(name));
}
function uint(args: OpArgs, name: string): number {
  const v = args[name];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new InvalidInput(`${field(name)}: expected non-negative integer, got ${describe(v)}`);
  return v;
}
/** A uint64 on the wire: a JSON integer (exact beyond 2^53 thanks to the lossless reader). */
function uint64(args: OpArgs, name: string): bigint {
  const v = args[name];
  if (typeof v === 'bigint' && v >= 0n && v < 1n << 64n) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new InvalidInput(`${field(name)}: expected uint64 integer, got ${describe(v)}`);
}
function obj(args: OpArgs, name: string): Record<string, JsonValue> {
  const v = args[name];
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new InvalidInput(`${field(name)}: expected object, got ${describe(v)}`);
  return v;
}
function arr(args: OpArgs, name: string, optional = false): JsonValue[] {
  const v = args[name];
  if (optional && (v === undefined || v === null)) return [];
  if (!Array.isArray(v)) throw new InvalidInput(`${field(name)}: expected array, got ${describe(v)}`);
  return v;
}
function describe(v: unknown): string {
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'bigint') return `number ${v}`;
  return `${typeof v} ${preview(v)}`;
}
/** Re-throw a library error with the wire field name in front of its message (same class). */
async function named<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof BitMaelumError && !e.message.startsWith(field(name))) {
      const message = `${field(name)}: ${e.message}`;
      // Keep the subclass (InvalidKey, …); the base class takes the error class first.
      if (e.constructor === BitMaelumError) throw new BitMaelumError(e.errorClass, message, { cause: e });
      const Cls = e.constructor as new (m: string, o?: { cause?: unknown }) => BitMaelumError;
      throw new Cls(message, { cause: e });
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Lazy library modules.

const lib = {
  keys: () => import('../protocol/keys.ts'),
  signature: () => import('../protocol/signature.ts'),
  exchange: () => import('../protocol/exchange.ts'),
  secret: () => import('../protocol/secret.ts'),
  catalog: () => import('../protocol/catalog.ts'),
  header: () => import('../protocol/header.ts'),
  authorization: () => import('../protocol/authorization.ts'),
  message: () => import('../protocol/message.ts'),
  vault: () => import('../protocol/vault.ts'),
  mnemonic: () => import('../protocol/mnemonic.ts'),
  jwt: () => import('../protocol/jwt.ts'),
  pow: () => import('../protocol/pow.ts'),
  invite: () => import('../protocol/invite.ts'),
  resolverauth: () => import('../protocol/resolverauth.ts'),
  hash: () => import('../protocol/hash.ts'),
  address: () => import('../protocol/address.ts'),
  gojson: () => import('../protocol/gojson.ts'),
};

async function privKey(args: OpArgs, name = 'private_key'): Promise<PrivateKey> {
  const { parsePrivateKey } = await lib.keys();
  const text = str(args, name);
  return named(name, () => parsePrivateKey(text));
}
async function pubKey(args: OpArgs, name = 'public_key'): Promise<PublicKey> {
  const { parsePublicKey } = await lib.keys();
  const text = str(args, name);
  return named(name, () => parsePublicKey(text));
}
async function keyPairResult(pair: { privateKey: PrivateKey; publicKey: PublicKey }): Promise<OpResult> {
  const { formatPrivateKey, formatPublicKey, fingerprint } = await lib.keys();
  return {
    private_key: formatPrivateKey(pair.privateKey),
    public_key: formatPublicKey(pair.publicKey),
    fingerprint: fingerprint(pair.publicKey),
  };
}
/** A header argument, parsed by the library (InvalidInput names `args.header`). */
async function headerArg(args: OpArgs, name = 'header') {
  const { parseHeader } = await lib.header();
  const h = obj(args, name);
  return named(name, () => parseHeader(h));
}
/** The header as BitMaelum serialises it (Go struct order, omitempty), for a result. */
async function headerOut(h: import('../protocol/header.ts').Header): Promise<JsonValue> {
  const { headerJson } = await lib.header();
  return parseJsonLossless(headerJson(h));
}
async function catalogOut(c: import('../protocol/catalog.ts').Catalog): Promise<JsonValue> {
  const { catalogToGo } = await lib.catalog();
  const { goMarshal } = await lib.gojson();
  return parseJsonLossless(goMarshal(catalogToGo(c)));
}
function mapOfB64(args: OpArgs, name: string): Map<string, Uint8Array> {
  const v = args[name];
  const out = new Map<string, Uint8Array>();
  if (v === undefined || v === null) return out;
  if (typeof v !== 'object' || Array.isArray(v)) throw new InvalidInput(`${field(name)}: expected object {id: base64}, got ${describe(v)}`);
  for (const [id, b] of Object.entries(v)) {
    if (typeof b !== 'string') throw new InvalidInput(`${field(name)}.${id}: expected base64 string, got ${describe(b)}`);
    out.set(id, fromB64(b, `${field(name)}.${id}`));
  }
  return out;
}
function b64Record(m: Map<string, Uint8Array>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [id, b] of m) out[id] = toB64(b);
  return out;
}

// ---------------------------------------------------------------------------------------------
// The handlers.

/** Implementation identity for `hello`, read once from package.json. */
/** The reference implementation's identity (hello, the builtin target and its in-process adapter). */
export function referenceImplementation(): { name: string; version: string; language: string } {
  let version = '0.0.0';
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    version = pkg.version ?? version;
  } catch {
    // running from an unusual layout: the version is informative only
  }
  return { name: 'bitmaelum-conformance reference', version, language: 'typescript' };
}

export const OPS: Record<string, OpHandler> = {
  async hello(args) {
    const p = args.protocol;
    if (p !== 1) throw new InvalidInput(`args.protocol: this adapter speaks protocol 1, got ${describe(p)}`);
    return { protocol: 1, implementation: referenceImplementation(), ops: Object.keys(OPS), deterministic: true };
  },

  async 'hash.string'(args) {
    const { hashString } = await lib.hash();
    return { hash: hashString(str(args, 'value')) };
  },

  /** Go `hash.NewFromHash` (`hash.go:52-59`): accepted iff lower(s) is 64 of [a-f0-9]; kept as given. */
  async 'hash.from_hex'(args) {
    const { isHash } = await lib.hash();
    const s = str(args, 'hex');
    if (!isHash(s as unknown)) throw new InvalidInput(`${field('hex')}: expected 64 hexadecimal characters, got ${s.length} character${s.length === 1 ? '' : 's'} ${preview(s)}`);
    return { hash: s };
  },

  async 'address.hash'(args) {
    const { parseAddress } = await lib.address();
    const s = str(args, 'address');
    const a = await named('address', () => parseAddress(s));
    return { address: a.address, local_hash: a.localHash, org_hash: a.orgHash, hash: a.hash };
  },

  async 'key.parse'(args) {
    const keys = await lib.keys();
    const text = str(args, 'key');
    // A key string does not say whether it is private or public; the DER does. Try the private
    // form first: an SPKI never parses as PKCS#8/PKCS#1, and a public string with a description
    // fails the private parser's strict base64 of everything after the first space.
    let priv: PrivateKey | undefined;
    let privErr: unknown;
    try {
      priv = keys.parsePrivateKey(text);
    } catch (e) {
      privErr = e;
    }
    if (priv) {
      const pub = keys.publicKeyOf(priv);
      return { type: priv.type, kind: 'private', public_key: keys.formatPublicKey(pub), fingerprint: keys.fingerprint(pub) };
    }
    try {
      const pub = keys.parsePublicKey(text);
      return { type: pub.type, kind: 'public', public_key: keys.formatPublicKey(pub), fingerprint: keys.fingerprint(pub) };
    } catch (pubErr) {
      // Both failed: an unknown type word is the more useful answer than "incorrect key format".
      const e = privErr instanceof UnsupportedKeyType ? privErr : pubErr;
      return named('key', () => { throw e; });
    }
  },

  async 'key.generate'(args, ctx) {
    const keys = await lib.keys();
    const type = str(args, 'type');
    if (!(keys.KEY_TYPES as readonly string[]).includes(type))
      throw new UnsupportedKeyType(`args.type: unsupported key type ${preview(type)} (expected one of ${keys.KEY_TYPES.join(', ')})`);
    const kt = type as KeyType;
    if (ctx.seed === undefined) return keyPairResult(keys.generateKeyPair(kt, ctx.rng));
    // With a seed the seed bytes are Go's entropy (spec/formats.md §7.3), not an rng seed.
    switch (kt) {
      case 'ed25519':
        if (ctx.seed.length !== 24 && ctx.seed.length !== 32)
          throw new InvalidInput(`seed: ed25519 keys derive from 24 or 32 bytes of entropy (key_ed25519.go:85-96), got ${ctx.seed.length}`);
        return keyPairResult(keys.ed25519FromEntropy(ctx.seed));
      case 'rsa':
      case 'rsa4096':
        // Go reads the first 24 seed bytes (key_rsa.go); the rest of the seed is ignored.
        return keyPairResult(keys.rsaFromSeed(kt, ctx.seed));
      case 'ecdsa':
        throw new InvalidInput(`seed: ecdsa keys cannot be derived from a seed: Go ecdsa.GenerateKey(P-384) needs 56 bytes, the seed reader holds ${ctx.seed.length} (unexpected EOF, spec/formats.md §7.3)`);
      default:
        throw new UnsupportedKeyType(`args.type: unsupported key type ${preview(type)}`);
    }
  },

  async 'mnemonic.to_key'(args) {
    const { phraseToKeyPair } = await lib.mnemonic();
    const phrase = str(args, 'mnemonic');
    return keyPairResult(await named('mnemonic', () => phraseToKeyPair(phrase)));
  },

  async 'mnemonic.from_entropy'(args) {
    const { entropyToPhrase } = await lib.mnemonic();
    const type = str(args, 'type');
    const entropy = hex(args, 'entropy_hex');
    // The library's message names the failing argument itself (`type: …` or `entropy: …`).
    return { mnemonic: entropyToPhrase(type as KeyType, entropy) };
  },

  async sign(args, ctx) {
    const { sign } = await lib.signature();
    const priv = await privKey(args);
    const msg = b64(args, 'message_b64');
    return { signature_b64: toB64(sign(priv, msg, ctx.rng)) };
  },

  async verify(args) {
    const { verify } = await lib.signature();
    const pub = await pubKey(args);
    const msg = b64(args, 'message_b64');
    const sig = b64(args, 'signature_b64');
    return { valid: verify(pub, msg, sig) };
  },

  async 'key.exchange'(args) {
    const { keyExchange } = await lib.exchange();
    const priv = await privKey(args);
    const pub = await pubKey(args);
    return { secret_hex: toHex(keyExchange(priv, pub)) };
  },

  async 'secret.encrypt'(args, ctx) {
    const { encryptSecret } = await lib.secret();
    const pub = await pubKey(args);
    const secret = b64(args, 'secret_b64');
    const r = encryptSecret(pub, secret, ctx.rng);
    return { ciphertext_b64: toB64(r.ciphertext), crypto: r.crypto, txid: r.txid };
  },

  async 'secret.decrypt'(args) {
    const { decryptSecret } = await lib.secret();
    const priv = await privKey(args);
    const ct = b64(args, 'ciphertext_b64');
    // Absent crypto/txid are the legacy header forms (spec/formats.md §14): pass them as "".
    const secret = decryptSecret(priv, ct, optStr(args, 'crypto'), optStr(args, 'txid'));
    return { secret_b64: toB64(secret) };
  },

  async 'catalog.encrypt'(args, ctx) {
    const { parseCatalog, encryptCatalog } = await lib.catalog();
    const c = obj(args, 'catalog');
    const key = b64(args, 'key_b64');
    const catalog = await named('catalog', () => parseCatalog(c));
    return { ciphertext_b64: toB64(encryptCatalog(catalog, key, ctx.rng)) };
  },

  async 'catalog.decrypt'(args) {
    const { decryptCatalog } = await lib.catalog();
    const blob = b64(args, 'ciphertext_b64');
    const key = b64(args, 'key_b64');
    return { catalog: await catalogOut(decryptCatalog(blob, key)) };
  },

  async 'header.client_hash'(args) {
    const { clientHashPreimage, clientHash } = await lib.header();
    const h = await headerArg(args);
    return { hash_hex: toHex(clientHash(h)), preimage: clientHashPreimage(h) };
  },

  async 'header.server_hash'(args) {
    const { serverHashPreimage, serverHash } = await lib.header();
    const h = await headerArg(args);
    return { hash_hex: toHex(serverHash(h)), preimage: serverHashPreimage(h) };
  },

  async 'header.sign_client'(args, ctx) {
    const { signClientHeader } = await lib.header();
    const h = await headerArg(args);
    const priv = await privKey(args);
    return { header: await headerOut(signClientHeader(h, priv, ctx.rng)) };
  },

  async 'header.sign_server'(args, ctx) {
    const { signServerHeader } = await lib.header();
    const h = await headerArg(args);
    const priv = await privKey(args);
    return { header: await headerOut(signServerHeader(h, priv, ctx.rng)) };
  },

  async 'header.verify_client'(args) {
    const { verifyClientHeader } = await lib.header();
    const h = await headerArg(args);
    const pub = await pubKey(args);
    return { valid: verifyClientHeader(h, pub) };
  },

  async 'header.verify_server'(args) {
    const { verifyServerHeader } = await lib.header();
    const h = await headerArg(args);
    const pub = await pubKey(args);
    return { valid: verifyServerHeader(h, pub) };
  },

  async 'authorization.sign'(args, ctx) {
    const { signAuthorization } = await lib.authorization();
    const priv = await privKey(args);
    // The authorized key is signed as its exact text (spec/formats.md §10.3), so it is passed
    // through as given; parse it only to reject a string that is not a public key.
    const text = str(args, 'public_key');
    await pubKey(args);
    return { signature_b64: signAuthorization(priv, text, ctx.rng) };
  },

  async 'message.compose'(args, ctx) {
    const { composeMessage } = await lib.message();
    const { parsePrivateKey, parsePublicKey } = await lib.keys();
    const sender = obj(args, 'sender');
    const recipient = obj(args, 'recipient');
    const senderKeyText = str(sender, 'private_key', 'sender.private_key');
    const recipientKeyText = str(recipient, 'public_key', 'recipient.public_key');
    const input = {
      sender: {
        address: str(sender, 'address', 'sender.address'),
        privateKey: await named('sender.private_key', () => parsePrivateKey(senderKeyText)),
        name: optStr(sender, 'name', 'sender.name'),
      },
      recipient: {
        address: str(recipient, 'address', 'recipient.address'),
        publicKey: await named('recipient.public_key', () => parsePublicKey(recipientKeyText)),
      },
      subject: optStr(args, 'subject'),
      blocks: arr(args, 'blocks', true).map((b, i) => {
        if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new InvalidInput(`args.blocks[${i}]: expected object, got ${describe(b)}`);
        return { type: str(b, 'type', `blocks[${i}].type`), content: str(b, 'content', `blocks[${i}].content`) };
      }),
      attachments: arr(args, 'attachments', true).map((a, i) => {
        if (typeof a !== 'object' || a === null || Array.isArray(a)) throw new InvalidInput(`args.attachments[${i}]: expected object, got ${describe(a)}`);
        return { filename: str(a, 'filename', `attachments[${i}].filename`), content: fromB64(str(a, 'content_b64', `attachments[${i}].content_b64`), `args.attachments[${i}].content_b64`) };
      }),
    };
    // Extensions beyond ADAPTER.md v1 (optional): `signed_by` and `authorized_by` let vector
    // generators compose server and on-behalf messages (§4.1 steps 2 and 7).
    const signedBy = optStr(args, 'signed_by');
    const auth = args.authorized_by === undefined || args.authorized_by === null ? undefined : obj(args, 'authorized_by');
    const m = composeMessage(
      {
        ...input,
        ...(signedBy === '' ? {} : { signedBy: signedBy as 'origin' | 'authorized' | 'server' }),
        ...(auth ? { authorizedBy: { publicKey: str(auth, 'public_key', 'authorized_by.public_key'), signature: str(auth, 'signature', 'authorized_by.signature') } } : {}),
      },
      ctx.rng,
      ctx.clock,
    );
    if (ctx.faults?.has('log-subject')) ctx.log?.(`compose: subject ${JSON.stringify(input.subject)}`);
    if (ctx.faults?.has('plain-block-file') && input.blocks[0] !== undefined) writeFileSync(join(tmpdir(), `bm-adapter-draft-${process.pid}.txt`), input.blocks[0].content);
    return {
      header: await headerOut(m.header),
      catalog_b64: toB64(m.catalogBlob),
      blocks: b64Record(m.blocks),
      attachments: b64Record(m.attachments),
    };
  },

  async 'message.open'(args, ctx) {
    const { openMessage } = await lib.message();
    const priv = await privKey(args);
    const header = await headerArg(args);
    const catalogBlob = b64(args, 'catalog_b64');
    // Extension (optional): `sender_public_key` checks the client signature first, as Go's
    // reader does (message.go:56) → BadSignature.
    const senderPublicKey = args.sender_public_key === undefined || args.sender_public_key === null ? undefined : await pubKey(args, 'sender_public_key');
    const m = openMessage(priv, header, catalogBlob, mapOfB64(args, 'blocks'), mapOfB64(args, 'attachments'), senderPublicKey ? { senderPublicKey } : {});
    if (ctx.faults?.has('log-subject')) ctx.log?.(`open: subject ${JSON.stringify(m.catalog.subject)}`);
    return {
      catalog: await catalogOut(m.catalog),
      blocks: m.blocks.map((b) => ({ id: b.id, type: b.type, content: b.content })),
      attachments: m.attachments.map((a) => ({ id: a.id, filename: a.filename, content_b64: toB64(a.content) })),
    };
  },

  async 'vault.open'(args) {
    const { openVault } = await lib.vault();
    const container = obj(args, 'vault');
    const password = str(args, 'password');
    const v = await named('vault', () => openVault(container, password));
    return { version: v.version, plaintext: v.plaintext };
  },

  async 'vault.create'(args, ctx) {
    const { createVault, vaultToJson } = await lib.vault();
    const password = str(args, 'password');
    if (!('plaintext' in args)) throw new InvalidInput('args.plaintext: expected the vault JSON value, got nothing (missing)');
    const plaintext = args.plaintext;
    const c = await named('plaintext', () => createVault(plaintext as never, password, ctx.rng));
    // vaultToJson is the on-disk form; re-read it so the result is exactly that object.
    return { vault: parseJsonLossless(vaultToJson(c)) };
  },

  async 'jwt.create'(args, ctx) {
    const { createJwt } = await lib.jwt();
    const priv = await privKey(args);
    return { token: createJwt(priv, str(args, 'address_hash'), ctx.clock, ctx.rng) };
  },

  async 'jwt.verify'(args, ctx) {
    const { verifyJwt } = await lib.jwt();
    const token = str(args, 'token');
    const pub = await pubKey(args);
    return { claims: verifyJwt(token, pub, str(args, 'address_hash'), ctx.clock) };
  },

  async 'pow.solve'(args) {
    const { solvePow } = await lib.pow();
    return { proof: solvePow(uint(args, 'bits'), str(args, 'data')) };
  },

  async 'pow.verify'(args) {
    const { verifyPow } = await lib.pow();
    return { valid: verifyPow(uint(args, 'bits'), str(args, 'data'), uint64(args, 'proof')) };
  },

  async 'invite.create'(args, ctx) {
    const { createInvite } = await lib.invite();
    const priv = await privKey(args);
    return { token: createInvite(priv, str(args, 'address_hash'), str(args, 'routing_id'), uint(args, 'expires'), ctx.rng) };
  },

  async 'invite.verify'(args, ctx) {
    const { verifyInvite } = await lib.invite();
    const pub = await pubKey(args);
    return { valid: verifyInvite(str(args, 'token'), pub, str(args, 'address_hash'), str(args, 'routing_id'), ctx.clock) };
  },

  async 'resolver.auth'(args, ctx) {
    const { resolverBearer } = await lib.resolverauth();
    const priv = await privKey(args);
    const routingId = args.routing_id === undefined || args.routing_id === null ? undefined : str(args, 'routing_id');
    return { bearer: resolverBearer(priv, { hash: str(args, 'hash'), routingId, serial: uint64(args, 'serial') }, ctx.rng) };
  },
};

/** The op names this adapter implements, in table order (the `hello.ops` list). */
export const OP_NAMES: readonly string[] = Object.keys(OPS);
