/**
 * vectors/catalog_test.json: the message catalog, its Go-JSON form and its AES-256-GCM encryption
 * (spec/formats.md §3.1, §5.1, §5.2; Go internal/message/catalog.go:50-96,
 * pkg/bmcrypto/aes_256_gcm.go:41-120).
 *
 * - Imported: the aes_256_gcm_test.go blobs (key 0x01..0x20, nonce 0x01..0x0c) read back as
 *   catalogs, and the "another key does not decrypt" and "foobar" negatives.
 * - Generated `catalog.encrypt` cases (seeded): catalogs with blocks and attachments and Go-JSON
 *   edge cases (HTML and line-separator escaping, controls, non-ASCII, null vs [] vs {}, sorted
 *   checksum maps, uint64 sizes). The expected ciphertext is computed here, independently of the
 *   reference: the plaintext is hand-written Go-JSON, sealed with node:crypto AES-256-GCM under the
 *   nonce the case seed yields (the first 12 bytes of the adapter's seeded stream).
 * - Generated `catalog.decrypt` cases: the blobs above, and hand-written plaintexts that probe the
 *   reading side (escapes, whitespace, case-variant / missing / unknown keys, wrong JSON types).
 * - Mutants: bits flipped in the nonce, ciphertext and tag, truncated / extended / empty blobs,
 *   wrong keys.
 * Inputs or outputs outside catalog_schema_v1.json that Go accepts are `acceptable` (OutsideSchema).
 * @module
 */
import { createCipheriv } from 'node:crypto';
import type { CaseSpec, GenContext, GroupSpec, VectorFileSpec } from './_framework.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import { fromHex, toB64, utf8 } from '../../harness/protocol/bytes.ts';
import { seededRng } from '../../harness/protocol/random.ts';
import { GO_ED25519_2 } from '../../harness/protocol/fixtures.ts';
import { zeroCatalog } from '../../harness/protocol/catalog.ts';
import { GO_SUITE, flip } from './_cryptogen.ts';

const R = {
  fields: 'BM-CAT-001',
  entries: 'BM-CAT-002',
  encrypted: 'BM-CAT-007',
  composer: 'BM-CAT-008',
  blob: 'BM-SYM-001',
  gcmFail: 'BM-SYM-002',
  jsonEncrypt: 'BM-SYM-003',
  gcmKat: 'BM-SYM-008',
  goJson: 'BM-JSON-001',
  nullEmpty: 'BM-JSON-002',
  bytes: 'BM-JSON-003',
  escape: 'BM-JSON-004',
  time: 'BM-JSON-006',
} as const;

// ---------------------------------------------------------------------------------------------
// Hand-written Go-JSON of a catalog (§5.1: no omitempty, struct order, sorted maps).

/** A string field: plain printable ASCII (written as is) or {value, its escaped JSON body}. */
type Str = string | { v: string; j: string };
const esc = (v: string, j: string): Str => ({ v, j });
function plain(s: string): string {
  if (!/^[ !#-%'-;=?-[\]-~]*$/.test(s)) throw new Error(`catalog generator: ${JSON.stringify(s)} needs escaping; give it with esc()`);
  return s;
}
const jv = (s: Str) => (typeof s === 'string' ? `"${plain(s)}"` : `"${s.j}"`);
const vv = (s: Str) => (typeof s === 'string' ? s : s.v);
const jmap = (m: Record<string, string> | null) =>
  m === null ? 'null' : `{${Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))).map((k) => `"${plain(k)}":"${plain(m[k]!)}"`).join(',')}}`;

interface Item {
  id: string;
  type?: Str; // block
  mimetype?: Str; // attachment
  filename?: Str; // attachment
  size: number | bigint;
  encoding?: Str; // block
  compression: string;
  checksum: Record<string, string> | null;
  key: Uint8Array;
  iv: Uint8Array;
}
interface Cat {
  from: { address: Str; name: Str; organisation?: Str; pow?: string | null; pub?: Str | null };
  to: Str;
  created: string;
  thread?: Str;
  subject: Str;
  flags: Str[] | null;
  labels: Str[] | null;
  blocks: Item[] | null;
  atts: Item[] | null;
}

function catalogValue(c: Cat): Record<string, JsonValue> {
  const block = (b: Item): JsonValue => ({ id: b.id, type: vv(b.type!), size: b.size, encoding: vv(b.encoding ?? ''), compression: b.compression, checksum: b.checksum, key: toB64(b.key), iv: toB64(b.iv) });
  const att = (a: Item): JsonValue => ({ id: a.id, mimetype: vv(a.mimetype!), filename: vv(a.filename!), size: a.size, compression: a.compression, checksum: a.checksum, key: toB64(a.key), iv: toB64(a.iv) });
  return {
    from: { address: vv(c.from.address), name: vv(c.from.name), organisation: vv(c.from.organisation ?? ''), proof_of_work: c.from.pow ?? null, public_key: c.from.pub === undefined || c.from.pub === null ? null : vv(c.from.pub) },
    to: { address: vv(c.to) },
    created_at: c.created,
    thread_id: vv(c.thread ?? ''),
    subject: vv(c.subject),
    flags: c.flags === null ? null : c.flags.map(vv),
    labels: c.labels === null ? null : c.labels.map(vv),
    blocks: c.blocks === null ? null : c.blocks.map(block),
    attachments: c.atts === null ? null : c.atts.map(att),
  };
}
function catalogText(c: Cat): string {
  const list = (l: Str[] | null) => (l === null ? 'null' : `[${l.map(jv).join(',')}]`);
  const block = (b: Item) => `{"id":"${plain(b.id)}","type":${jv(b.type!)},"size":${b.size},"encoding":${jv(b.encoding ?? '')},"compression":"${plain(b.compression)}","checksum":${jmap(b.checksum)},"key":"${toB64(b.key)}","iv":"${toB64(b.iv)}"}`;
  const att = (a: Item) => `{"id":"${plain(a.id)}","mimetype":${jv(a.mimetype!)},"filename":${jv(a.filename!)},"size":${a.size},"compression":"${plain(a.compression)}","checksum":${jmap(a.checksum)},"key":"${toB64(a.key)}","iv":"${toB64(a.iv)}"}`;
  const pub = c.from.pub === undefined || c.from.pub === null ? 'null' : jv(c.from.pub);
  return (
    `{"from":{"address":${jv(c.from.address)},"name":${jv(c.from.name)},"organisation":${jv(c.from.organisation ?? '')},"proof_of_work":${c.from.pow ? `"${plain(c.from.pow)}"` : 'null'},"public_key":${pub}},` +
    `"to":{"address":${jv(c.to)}},"created_at":"${plain(c.created)}","thread_id":${jv(c.thread ?? '')},"subject":${jv(c.subject)},` +
    `"flags":${list(c.flags)},"labels":${list(c.labels)},` +
    `"blocks":${c.blocks === null ? 'null' : `[${c.blocks.map(block).join(',')}]`},` +
    `"attachments":${c.atts === null ? 'null' : `[${c.atts.map(att).join(',')}]`}}`
  );
}

/** AES-256-GCM blob nonce ‖ ct ‖ tag with node:crypto (independent of harness/protocol/symmetric.ts). */
function seal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const c = createCipheriv(key.length === 16 ? 'aes-128-gcm' : 'aes-256-gcm', key, nonce);
  const ct = Buffer.concat([c.update(plaintext), c.final()]);
  return Uint8Array.from(Buffer.concat([nonce, ct, c.getAuthTag()]));
}
/** The nonce a seeded catalog.encrypt draws: the first 12 bytes of the adapter's stream for `seedHex`. */
function nonceOf(seedHex: string): Uint8Array {
  return seededRng(fromHex(seedHex)).bytes(12);
}

/** The catalog a blob of no catalog fields opens to, in the adapter's JSON form. */
const ZERO_CATALOG = zeroCatalog() as unknown as Record<string, JsonValue>;

// ---------------------------------------------------------------------------------------------

function importedGroup(): GroupSpec {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
  const bad = flip(key, 0, 80); // aes_256_gcm_test.go: key[0] ^= 80
  const kats: [string, string, string][] = [
    ['json', '0102030405060708090a0b0cd50ccaf25f4919cf09d29707cfd85f447b7cc81364086ef28862b9253567e56389d19e85d96d', 'JSONEncrypt of {"foo":"foo","bar":42}'],
    ['message', '0102030405060708090a0b0cef40c8bd5e0454cd16d28d0587951d52613f8607221db44b75631a27728005dd8a16728c2d98faf6e5c1067add42ae90', 'MessageEncrypt of "And now you do what they told ya"'],
    ['mock-catalog', '0102030405060708090a0b0cd50ceaf25f4919cf09d29707cfd87f447b7cc8053414a31028e3ffa60e3aa9841063a1d4d0027f9c6a', 'CatalogEncrypt of mockCatalog {"Foo":"foo","Bar":"bar"}'],
  ];
  // Independent check of the imported blobs: sealing the known plaintexts must give them.
  const plains = ['{"foo":"foo","bar":42}', 'And now you do what they told ya', '{"Foo":"foo","Bar":"bar"}'];
  kats.forEach(([, hex], i) => {
    if (Buffer.from(seal(key, key.subarray(0, 12), utf8(plains[i]!))).toString('hex') !== hex) throw new Error(`catalog: GCM KAT ${i} does not reproduce`);
  });
  const k64 = toB64(key);
  const cases: CaseSpec[] = [
    { key: 'go-gcm-json', comment: 'GCM KAT blob of {"foo":"foo","bar":42} opens; its keys are not catalog fields, so the catalog is the zero value', flags: ['GcmKnownAnswer', 'OutsideSchema', 'UnknownFields'], inputs: { ciphertext_b64: toB64(fromHex(kats[0]![1])), key_b64: k64 }, result: 'acceptable', expected: { catalog: ZERO_CATALOG }, requirements: [R.gcmKat, R.blob] },
    { key: 'go-gcm-message', comment: 'GCM KAT blob of a plain text opens (authentic) but is not JSON: a JSON error, not an authentication failure', flags: ['GcmKnownAnswer', 'NotJson'], inputs: { ciphertext_b64: toB64(fromHex(kats[1]![1])), key_b64: k64 }, result: 'invalid', errorClass: 'InvalidInput', requirements: [R.gcmKat, R.jsonEncrypt] },
    { key: 'go-gcm-mock-catalog', comment: 'CatalogEncrypt KAT blob of the mock {"Foo":"foo","Bar":"bar"}: opens, unknown keys ignored → zero catalog', flags: ['GcmKnownAnswer', 'OutsideSchema', 'UnknownFields'], inputs: { ciphertext_b64: toB64(fromHex(kats[2]![1])), key_b64: k64 }, result: 'acceptable', expected: { catalog: ZERO_CATALOG }, requirements: [R.gcmKat, R.blob] },
    ...kats.map(([name, hex, what]): CaseSpec => ({ key: `go-gcm-${name}-wrong-key`, comment: `${what}: key[0] ^= 80 → cipher: message authentication failed`, flags: ['GcmKnownAnswer', 'WrongKey'], inputs: { ciphertext_b64: toB64(fromHex(hex)), key_b64: toB64(bad) }, result: 'invalid', errorClass: 'DecryptionFailed', requirements: [R.gcmKat, R.gcmFail] })),
    { key: 'go-gcm-foobar', comment: 'JSONDecrypt(key, "foobar"): 6 bytes, shorter than nonce + tag', flags: ['GcmKnownAnswer', 'Truncated'], inputs: { ciphertext_b64: toB64(utf8('foobar')), key_b64: toB64(Uint8Array.from([0xf2, 0x3f, 0x97, 0x75, 0xc6, 0x40, 0xfa, 0x3e, 0xf7, 0x49, 0xc2, 0x07, 0x87, 0xcf, 0xfb, 0xac, 0x10, 0xb0, 0xc4, 0xcc, 0xf0, 0xee, 0xb3, 0xe9, 0xb8, 0x9e, 0x7c, 0xfb, 0xce, 0x58, 0xc2, 0x2f])) }, result: 'invalid', errorClass: 'DecryptionFailed', requirements: [R.gcmFail] },
  ];
  return { op: 'catalog.decrypt', comment: 'aes_256_gcm_test.go blobs (key 0x01..0x20, nonce 0x01..0x0c) read as catalogs', source: { kind: 'imported', ...GO_SUITE, path: 'pkg/bmcrypto/aes_256_gcm_test.go' }, cases };
}

function uuid(rng: GenContext['rng']): string {
  const b = rng.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function catalogs(ctx: GenContext): { key: string; comment: string; cat: Cat; flags: string[]; reqs: string[] }[] {
  const rng = ctx.rng;
  const block = (type: Str, size: number | bigint, compression = '', checksum: Record<string, string> | null = null): Item => ({ id: uuid(rng), type, size, compression, checksum, key: rng.bytes(32), iv: rng.bytes(16) });
  const att = (mimetype: Str, filename: Str, size: number | bigint, compression = '', checksum: Record<string, string> | null = null): Item => ({ id: uuid(rng), mimetype, filename, size, compression, checksum, key: rng.bytes(32), iv: rng.bytes(16) });
  const T = '2021-04-15T12:34:56Z';
  const hashFrom = '4f16cf359aeca741b5516b2c8609919e9f0008b66beb97209fbc694d7f272e08';
  return [
    { key: 'composer-text', comment: 'a catalog as the composer writes it: one text block, proof_of_work and public_key null, organisation and thread_id "", flags/labels/attachments null', flags: [], reqs: [R.fields, R.entries, R.composer], cat: { from: { address: 'alice@acme!', name: 'Alice' }, to: 'bob!', created: T, subject: 'Hello Bob', flags: null, labels: null, blocks: [block('text', 27)], atts: null } },
    { key: 'blocks-and-attachments', comment: 'two blocks (one zlib-compressed) and two attachments (one zlib-compressed): every entry field in struct order', flags: [], reqs: [R.fields, R.entries], cat: { from: { address: 'alice@acme!', name: 'Alice' }, to: 'bob!', created: T, subject: 'Report', flags: null, labels: null, blocks: [block('text', 11), block('html', 2048, 'zlib')], atts: [att('image/png', 'chart.png', 67), att('text/plain; charset=utf-8', 'notes.txt', 1500, 'zlib')] } },
    { key: 'postmaster', comment: 'server (postmaster) mail: flags ["postmaster"], from.address is a hash', flags: [], reqs: [R.fields], cat: { from: { address: hashFrom, name: 'Postmaster' }, to: 'bob!', created: T, subject: 'Delivery report', flags: ['postmaster'], labels: null, blocks: [block('default', 6)], atts: null } },
    { key: 'escape-html', comment: '< > & and quotes in the subject, name and block type are written \\u003c \\u003e \\u0026 and \\"', flags: ['GoEscaping'], reqs: [R.escape, R.jsonEncrypt], cat: { from: { address: 'alice@acme!', name: esc('Tom & "Jerry"', 'Tom \\u0026 \\"Jerry\\"') }, to: 'bob!', created: T, subject: esc('<script>alert(1)</script> & co', '\\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u0026 co'), flags: null, labels: null, blocks: [block(esc('text/<html>', 'text/\\u003chtml\\u003e'), 3)], atts: null } },
    { key: 'escape-separators-controls', comment: 'U+2028/U+2029 escaped, \\t \\n \\r short forms, other C0 controls \\u00XX, DEL raw, backslash and / (not escaped)', flags: ['GoEscaping'], reqs: [R.escape, R.jsonEncrypt], cat: { from: { address: 'alice@acme!', name: esc('a\u2028b\u2029c', 'a\\u2028b\\u2029c') }, to: 'bob!', created: T, subject: esc('x\ty\nz\r\u0000\u0001\u001f\u007f\\/', 'x\\ty\\nz\\r\\u0000\\u0001\\u001f\u007f\\\\/'), flags: null, labels: null, blocks: null, atts: null } },
    { key: 'non-ascii', comment: 'non-ASCII subject, name and attachment filename are written as raw UTF-8', flags: ['GoEscaping'], reqs: [R.escape, R.jsonEncrypt], cat: { from: { address: 'alice@acme!', name: esc('Zoë Ångström', 'Zoë Ångström') }, to: 'bob!', created: T, subject: esc('Grüße 😀 日本語', 'Grüße 😀 日本語'), flags: null, labels: null, blocks: [block('text', 5)], atts: [att('application/pdf', esc('résumé.pdf', 'résumé.pdf'), 120)] } },
    { key: 'empty-not-null', comment: 'flags, labels, blocks and attachments as empty lists are written [] (Go nil slices are null)', flags: ['NullVsEmpty'], reqs: [R.fields, R.nullEmpty], cat: { from: { address: 'alice@acme!', name: '' }, to: 'bob!', created: T, subject: '', flags: [], labels: [], blocks: [], atts: [] } },
    { key: 'checksum-maps', comment: 'entry checksum {} is written {}, and a filled checksum map with sorted keys (Go never fills it; readers must keep it)', flags: ['NullVsEmpty', 'MapKeyOrder'], reqs: [R.entries, R.goJson], cat: { from: { address: 'alice@acme!', name: 'Alice' }, to: 'bob!', created: T, subject: 'sums', flags: null, labels: null, blocks: [block('text', 3, '', {})], atts: [att('text/plain; charset=utf-8', 'a.txt', 3, '', { sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', md5: '900150983cd24fb0d6963f7d28e17f72' })] } },
    { key: 'pow-and-public-key', comment: 'from.proof_of_work and from.public_key filled (a key with a description containing < and &)', flags: ['GoEscaping'], reqs: [R.fields, R.escape], cat: { from: { address: 'alice@acme!', name: 'Alice', organisation: 'acme', pow: '8$am9obkBleGFtcGxlIQ==$149', pub: esc(`${GO_ED25519_2.publicKey} laptop <1> & phone`, `${GO_ED25519_2.publicKey} laptop \\u003c1\\u003e \\u0026 phone`) }, to: 'bob!', created: T, subject: 'keys', flags: null, labels: null, blocks: null, atts: null } },
    { key: 'labels-thread', comment: 'labels, thread_id and organisation filled', flags: [], reqs: [R.fields], cat: { from: { address: 'alice@acme!', name: 'Alice', organisation: 'acme' }, to: 'bob!', created: T, thread: '5f1e5b9c-1c1a-4a3e-8b0e-9d2f2c6b7a10', subject: 'Re: Report', flags: ['onbehalf'], labels: ['inbox', 'important'], blocks: [block('text', 1)], atts: null } },
    { key: 'sizes-uint64', comment: 'entry sizes 0 and 2^64−1 (uint64) are written exactly', flags: ['Uint64'], reqs: [R.entries, R.goJson], cat: { from: { address: 'alice@acme!', name: 'Alice' }, to: 'bob!', created: T, subject: 'sizes', flags: null, labels: null, blocks: [block('text', 0)], atts: [att('application/octet-stream', 'huge.bin', 18446744073709551615n)] } },
    { key: 'created-at-epoch-edges', comment: 'created_at 1970-01-01T00:00:00Z is written as given (not the Go zero time)', flags: [], reqs: [R.time, R.composer], cat: { from: { address: 'alice@acme!', name: 'Alice' }, to: 'bob!', created: '1970-01-01T00:00:00Z', subject: 'epoch', flags: null, labels: null, blocks: null, atts: null } },
  ];
}

function generatedGroups(ctx: GenContext): GroupSpec[] {
  const enc: CaseSpec[] = [];
  const dec: CaseSpec[] = [];
  const mut: CaseSpec[] = [];
  let first: { blob: Uint8Array; key: Uint8Array; text: string } | undefined;
  for (const c of catalogs(ctx)) {
    const key = ctx.rng.bytes(32);
    const seed = ctx.caseSeed(`encrypt-${c.key}`);
    const text = catalogText(c.cat);
    const value = catalogValue(c.cat);
    const blob = seal(key, nonceOf(seed), utf8(text));
    first ??= { blob, key, text };
    enc.push({ key: `encrypt-${c.key}`, comment: `${c.comment} — GCM blob of the exact Go-JSON`, flags: c.flags, inputs: { catalog: value, key_b64: toB64(key) }, seed, result: 'valid', expected: { ciphertext_b64: toB64(blob) }, requirements: [...new Set([...c.reqs, R.jsonEncrypt, R.encrypted])] });
    if (['postmaster', 'labels-thread', 'created-at-epoch-edges'].includes(c.key)) continue; // the encrypt case covers them; keeps the file short
    dec.push({ key: `decrypt-${c.key}`, comment: `${c.comment} — read back`, flags: c.flags, inputs: { ciphertext_b64: toB64(blob), key_b64: toB64(key) }, result: 'valid', expected: { catalog: value }, requirements: [...new Set([...c.reqs, R.blob])] });
  }

  // Encrypt inputs outside the schema that Go marshals anyway (expected = Go's blob).
  const outside = (k: string, comment: string, catalog: JsonValue, goText: string, flags: string[], reqs: string[]): CaseSpec => {
    const key = ctx.rng.bytes(32);
    const seed = ctx.caseSeed(`encrypt-${k}`);
    return { key: `encrypt-${k}`, comment, flags: ['OutsideSchema', ...flags], inputs: { catalog, key_b64: toB64(key) }, seed, result: 'acceptable', expected: { ciphertext_b64: toB64(seal(key, nonceOf(seed), utf8(goText))) }, requirements: reqs };
  };
  const zeroText = '{"from":{"address":"","name":"","organisation":"","proof_of_work":null,"public_key":null},"to":{"address":""},"created_at":"0001-01-01T00:00:00Z","thread_id":"","subject":"","flags":null,"labels":null,"blocks":null,"attachments":null}';
  enc.push(
    outside('empty-object', 'catalog {}: every field takes its zero value and is written (no omitempty), created_at the Go zero time', {}, zeroText, ['NullVsEmpty'], [R.fields, R.nullEmpty]),
    outside('case-variant-keys', 'keys in other cases (Subject, FROM, Created_At) set the fields', { Subject: 'hi', FROM: { Address: 'alice@acme!' }, Created_At: '2021-04-15T12:34:56Z' }, zeroText.replace('"from":{"address":""', '"from":{"address":"alice@acme!"').replace('0001-01-01T00:00:00Z', '2021-04-15T12:34:56Z').replace('"subject":""', '"subject":"hi"'), ['CaseInsensitiveKeys'], [R.fields]),
    outside('created-at-offset', 'created_at with a fraction and a +02:00 offset is re-marshalled by Go as RFC 3339 with nanoseconds trimmed and the offset kept', { created_at: '2021-04-15T12:34:56.500+02:00' }, zeroText.replace('0001-01-01T00:00:00Z', '2021-04-15T12:34:56.5+02:00'), ['TimeForm'], [R.time]),
  );
  const badEnc = (k: string, comment: string, inputs: Record<string, JsonValue>, flags: string[]): CaseSpec => ({ key: `encrypt-${k}`, comment, flags, inputs, seed: ctx.caseSeed(`encrypt-${k}`), result: 'invalid', errorClass: 'InvalidInput', requirements: [R.fields] });
  const someKey = toB64(ctx.rng.bytes(32));
  enc.push(
    badEnc('key-31-bytes', 'a 31-byte catalog key (AES needs 16/24/32; the catalog key is always 32)', { catalog: {}, key_b64: toB64(ctx.rng.bytes(31)) }, ['WrongKeySize']),
    badEnc('subject-number', 'subject is a number (Go UnmarshalTypeError)', { catalog: { subject: 5 }, key_b64: someKey }, ['WrongType']),
    badEnc('blocks-object', 'blocks is an object, not a list', { catalog: { blocks: {} }, key_b64: someKey }, ['WrongType']),
    badEnc('created-at-not-time', 'created_at is not RFC 3339', { catalog: { created_at: 'yesterday' }, key_b64: someKey }, ['WrongType', 'TimeForm']),
    badEnc('block-key-not-base64', 'a block key that is not base64', { catalog: { blocks: [{ key: 'not base64!' }] }, key_b64: someKey }, ['WrongType']),
  );

  // Reading side: hand-written plaintexts sealed under one key.
  const rkey = ctx.rng.bytes(32);
  const sealText = (t: string) => toB64(seal(rkey, ctx.rng.bytes(12), utf8(t)));
  const sealBytes = (b: Uint8Array) => toB64(seal(rkey, ctx.rng.bytes(12), b));
  const base = catalogs(ctx)[0]!.cat; // fresh ids/keys from the stream; only used as a template
  const baseText = catalogText(base);
  const baseValue = catalogValue(base);
  const read = (k: string, comment: string, ciphertext: string, result: 'valid' | 'acceptable' | 'invalid', expected: JsonValue | undefined, flags: string[], reqs: string[] = [R.blob]): CaseSpec => ({
    key: `read-${k}`, comment, flags, inputs: { ciphertext_b64: ciphertext, key_b64: toB64(rkey) }, result,
    ...(expected !== undefined ? { expected: { catalog: expected } } : { errorClass: 'InvalidInput' }),
    requirements: reqs,
  });
  const withSubject = (s: string) => ({ ...baseValue, subject: s });
  dec.push(
    read('escaped-input', 'escapes in the JSON text (\\u003c, \\u0026, \\/, \\u00e9, a surrogate pair) decode to the characters', sealText(baseText.replace('"subject":"Hello Bob"', '"subject":"\\u003cb\\u003e \\u0026 \\/ caf\\u00e9 \\ud83d\\ude00"')), 'valid', withSubject('<b> & / café 😀'), ['GoEscaping'], [R.escape]),
    read('indented', 'an indented (MarshalIndent) catalog reads the same as the compact one', sealText(JSON.stringify(JSON.parse(baseText), null, 4)), 'valid', baseValue, ['Whitespace']),
    read('reordered', 'fields in another order read the same', sealText(JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(baseText)).reverse()))), 'valid', baseValue, ['FieldOrder']),
    read('unknown-fields', 'unknown keys are ignored', sealText(baseText.replace('{"from":', '{"version":2,"extra":{"a":[1]},"from":')), 'acceptable', baseValue, ['OutsideSchema', 'UnknownFields']),
    read('case-variant-keys', 'keys in other cases (SUBJECT, From) set the fields', sealText(baseText.replace('"subject":', '"SUBJECT":').replace('"from":', '"From":')), 'acceptable', baseValue, ['OutsideSchema', 'CaseInsensitiveKeys']),
    read('repeated-key', 'a repeated subject key: the last one wins', sealText(baseText.replace('"subject":"Hello Bob"', '"subject":"first","subject":"Hello Bob"')), 'acceptable', baseValue, ['OutsideSchema', 'DuplicateKeys']),
    read('missing-fields', 'a catalog with only from and subject: the other fields take their zero values', sealText('{"from":{"address":"alice@acme!"},"subject":"x"}'), 'acceptable', { ...ZERO_CATALOG, from: { ...(ZERO_CATALOG.from as Record<string, JsonValue>), address: 'alice@acme!' }, subject: 'x' }, ['OutsideSchema', 'NullVsEmpty']),
    read('null-lists', 'flags null and blocks null stay null; "flags": [] stays []', sealText(baseText.replace('"flags":null', '"flags":[]')), 'valid', { ...baseValue, flags: [] }, ['NullVsEmpty'], [R.nullEmpty]),
    read('created-at-offset', 'created_at with an offset is kept with its offset (Go time.Time round trip)', sealText(baseText.replace('2021-04-15T12:34:56Z', '2021-04-15T14:34:56+02:00')), 'acceptable', { ...baseValue, created_at: '2021-04-15T14:34:56+02:00' }, ['OutsideSchema', 'TimeForm'], [R.time]),
    read('invalid-utf8', 'an invalid UTF-8 byte in the subject is read as U+FFFD', sealBytes(Uint8Array.from(Buffer.concat([Buffer.from(baseText.slice(0, baseText.indexOf('Hello Bob'))), Buffer.from([0x48, 0xff, 0x69]), Buffer.from(baseText.slice(baseText.indexOf('Hello Bob') + 9))]))), 'acceptable', withSubject('H\ufffdi'), ['OutsideSchema', 'InvalidUtf8']),
    read('not-json', 'authentic plaintext that is not JSON → InvalidInput (not DecryptionFailed)', sealText('not json'), 'invalid', undefined, ['NotJson']),
    read('empty-plaintext', 'authentic empty plaintext → unexpected end of JSON input', sealText(''), 'invalid', undefined, ['NotJson']),
    read('trailing-garbage', 'a catalog followed by more text → invalid character after top-level value', sealText(baseText + ' x'), 'invalid', undefined, ['NotJson']),
    read('top-level-array', 'a JSON array instead of an object', sealText('[]'), 'invalid', undefined, ['WrongType']),
    read('subject-number', 'subject is a number', sealText(baseText.replace('"subject":"Hello Bob"', '"subject":5')), 'invalid', undefined, ['WrongType']),
    read('size-string', 'a block size given as a string', sealText(baseText.replace('"size":27', '"size":"27"')), 'invalid', undefined, ['WrongType']),
    read('size-negative', 'a negative block size', sealText(baseText.replace('"size":27', '"size":-1')), 'invalid', undefined, ['WrongType']),
    read('created-at-bad', 'created_at that is not RFC 3339', sealText(baseText.replace('2021-04-15T12:34:56Z', '15/04/2021')), 'invalid', undefined, ['WrongType', 'TimeForm']),
  );

  // Mutants of the first generated blob.
  const f = first!;
  const b64 = toB64;
  const m = (k: string, comment: string, blob: Uint8Array, key: Uint8Array, flags: string[], alsoInvalidInput = false): CaseSpec => ({
    key: `mutant-${k}`, comment, flags, inputs: { ciphertext_b64: b64(blob), key_b64: b64(key) }, result: 'invalid', errorClass: 'DecryptionFailed',
    ...(alsoInvalidInput ? { alsoAllowedErrorClasses: ['InvalidInput'] } : {}), requirements: [R.gcmFail], mutant: true,
  });
  const n = f.blob.length;
  mut.push(
    m('nonce-bit', 'bit 0 of the nonce flipped', flip(f.blob, 0), f.key, ['BitFlip']),
    m('nonce-last-bit', 'last nonce byte flipped', flip(f.blob, 11, 0x80), f.key, ['BitFlip']),
    m('ciphertext-first-bit', 'first ciphertext byte flipped (plaintext "{" would become another character)', flip(f.blob, 12), f.key, ['BitFlip']),
    m('ciphertext-middle-bit', 'a ciphertext byte in the middle flipped', flip(f.blob, n >> 1, 0x40), f.key, ['BitFlip']),
    m('ciphertext-last-bit', 'last ciphertext byte flipped', flip(f.blob, n - 17), f.key, ['BitFlip']),
    m('tag-first-bit', 'first tag byte flipped', flip(f.blob, n - 16), f.key, ['BitFlip']),
    m('tag-last-bit', 'last tag byte flipped', flip(f.blob, n - 1, 0x80), f.key, ['BitFlip']),
    m('truncated-1', 'last byte removed (tag truncated)', f.blob.subarray(0, n - 1), f.key, ['Truncated']),
    m('truncated-tag', 'the whole tag removed', f.blob.subarray(0, n - 16), f.key, ['Truncated']),
    m('only-nonce-and-tag', 'nonce and tag only (ciphertext removed)', Uint8Array.from([...f.blob.subarray(0, 12), ...f.blob.subarray(n - 16)]), f.key, ['Truncated']),
    m('short-27', '27 bytes: shorter than nonce + tag', f.blob.subarray(0, 27), f.key, ['Truncated']),
    m('empty', 'empty blob', new Uint8Array(0), f.key, ['Truncated']),
    m('extended', 'a zero byte appended', Uint8Array.from([...f.blob, 0]), f.key, ['Truncated']),
    m('nonce-moved', 'the nonce moved to the end (tag ‖ … order confusion)', Uint8Array.from([...f.blob.subarray(12), ...f.blob.subarray(0, 12)]), f.key, ['WrongLayout']),
    m('wrong-key-bit', 'the catalog key with one bit flipped', f.blob, flip(f.key, 31), ['WrongKey']),
    m('wrong-key-random', 'an unrelated random key', f.blob, ctx.rng.bytes(32), ['WrongKey']),
    m('key-16-bytes', 'the first 16 bytes of the key (AES-128): Go would run AES-128-GCM and fail authentication', f.blob, f.key.subarray(0, 16), ['WrongKey', 'WrongKeySize'], true),
  );
  // Go's integer-literal and repeated-key rules (appended; nonces from case seeds, no stream draws).
  const sealCase = (k: string, t: string) => toB64(seal(rkey, fromHex(ctx.caseSeed(`read-${k}`)).subarray(0, 12), utf8(t)));
  const goRules: CaseSpec[] = [];
  for (const [k, lit] of [['size-decimal-point', '27.0'], ['size-exponent', '27e0'], ['size-exponent-upper', '2.7E1'], ['size-minus-zero', '-0'], ['size-leading-zero', '027']] as const) {
    goRules.push(read(k, `a block size written ${lit} (Go: ${lit === '027' ? 'not JSON' : 'cannot unmarshal into uint64'})`, sealCase(k, baseText.replace('"size":27', `"size":${lit}`)), 'invalid', undefined, ['IntegerLiteral'], [R.blob, R.fields]));
  }
  if (!baseText.includes('"subject":"Hello Bob"') || !baseText.includes('"size":27')) throw new Error('catalog: the template changed; the repeated-key cases need its subject and size');
  const baseObj = baseValue as Record<string, JsonValue>;
  const baseFrom = baseObj.from as Record<string, JsonValue>;
  goRules.push(
    read('subject-repeated-last-wins', 'subject given twice: "Other" first, "Hello Bob" last (Go: the last wins)', sealCase('subject-repeated-last-wins', baseText.replace('"subject":"Hello Bob"', '"subject":"Other","subject":"Hello Bob"')), 'valid', baseValue, ['RepeatedKey'], [R.blob, R.fields]),
    read('subject-repeated-folded', '"SUBJECT" after subject (Go matches keys case-insensitively: the last wins)', sealCase('subject-repeated-folded', baseText.replace('"subject":"Hello Bob"', '"subject":"Hello Bob","SUBJECT":"Other"')), 'valid', withSubject('Other'), ['RepeatedKey'], [R.blob, R.fields]),
    read('from-repeated-merges', 'from given twice, the second with only a name: Go decodes it INTO the first, so the address stays', sealCase('from-repeated-merges', baseText.replace('"to":', '"from":{"name":"Mallory"},"to":')), 'valid', { ...baseObj, from: { ...baseFrom, name: 'Mallory' } }, ['RepeatedKey'], [R.blob, R.fields]),
    read('size-repeated-last-wins', 'a block size given twice, 1 then 27 (Go: the last wins)', sealCase('size-repeated-last-wins', baseText.replace('"size":27', '"size":1,"size":27')), 'valid', baseValue, ['RepeatedKey'], [R.blob, R.fields]),
    read('size-repeated-string-first', 'a block size given as "27" then 27: Go keeps the type error of the first and fails', sealCase('size-repeated-string-first', baseText.replace('"size":27', '"size":"27","size":27')), 'invalid', undefined, ['RepeatedKey', 'WrongType'], [R.blob, R.fields]),
  );
  return [
    { op: 'catalog.encrypt', comment: 'generated catalogs: GCM blob of the exact Go-JSON (nonce = first 12 bytes of the seeded stream)', source: { kind: 'generated' }, cases: enc },
    { op: 'catalog.decrypt', comment: 'reading catalogs back, and hand-written plaintexts that probe the Go JSON reader', source: { kind: 'generated' }, cases: dec },
    { op: 'catalog.decrypt', comment: 'mutated blobs and wrong keys: GCM must refuse them', source: { kind: 'generated' }, cases: mut },
    { op: 'catalog.decrypt', comment: 'integer literals and repeated keys, read as Go reads them', source: { kind: 'generated' }, cases: goRules },
  ];
}

export const file: VectorFileSpec = {
  name: 'catalog',
  area: 'CAT',
  requirements: [R.fields, R.jsonEncrypt, R.gcmFail],
  source: { kind: 'imported', ...GO_SUITE, path: 'pkg/bmcrypto/aes_256_gcm_test.go, internal/message/catalog.go:50-96', note: 'Go GCM known answers plus generated catalogs; expected blobs computed independently with node:crypto' },
  header: [
    'Catalog = compact Go-JSON of the catalog struct (every key present, struct order, nil → null, sorted maps), sealed as nonce(12) ‖ AES-256-GCM ciphertext ‖ tag(16), no AAD.',
    'catalog.encrypt draws the nonce as the first 12 bytes of the seeded stream; expected blobs here were sealed by node:crypto over a hand-written Go-JSON text.',
    'catalog.decrypt: an authentication failure is DecryptionFailed; authentic plaintext that is not a catalog is InvalidInput.',
    'acceptable: the input or the Go result is outside catalog_schema_v1.json (zero catalogs, case-variant keys, offsets); expected is Go\'s answer.',
  ],
  notes: {
    GcmKnownAnswer: { bugType: 'BASIC', description: 'Blob or verdict asserted by pkg/bmcrypto/aes_256_gcm_test.go (key 0x01..0x20, nonce 0x01..0x0c).', effect: 'A mismatch means catalogs do not interoperate with Go.', links: ['spec/formats.md §3.1'] },
    GoEscaping: { bugType: 'EDGE_CASE', description: 'Go encoding/json escaping inside the encrypted catalog: < > & as \\u003c \\u003e \\u0026, U+2028/U+2029 escaped, C0 controls \\u00XX except \\t \\n \\r, DEL, / and non-ASCII raw.', effect: 'The blob differs from Go\'s; readers that do not decode escapes show the wrong text.', links: ['spec/formats.md §4.5'] },
    NullVsEmpty: { bugType: 'EDGE_CASE', description: 'Go writes nil slices and maps as null and empty ones as [] / {}; no catalog field is omitempty.', effect: 'Dropping or conflating them changes the catalog bytes and what readers see.', links: ['spec/formats.md §5.1'] },
    MapKeyOrder: { bugType: 'EDGE_CASE', description: 'Checksum maps are written with sorted keys.', effect: 'Another key order gives a different blob than Go for the same catalog.', links: ['spec/formats.md §4.5'] },
    Uint64: { bugType: 'EDGE_CASE', description: 'Entry sizes are uint64, written exactly (0 and values above 2^53).', effect: 'A float64 JSON layer rounds them.', links: ['internal/message/catalog.go:50-96'] },
    TimeForm: { bugType: 'EDGE_CASE', description: 'created_at is a Go time.Time: RFC 3339, re-marshalled with trailing fraction zeros trimmed and the offset kept (the composer writes UTC whole seconds).', effect: 'Rewriting the time (to UTC, or without the fraction) shows the reader another date than Go.', links: ['spec/formats.md §4.5', 'internal/time.go:32'] },
    OutsideSchema: { bugType: 'GO_QUIRK', description: 'The catalog given, decrypted or produced is outside catalog_schema_v1.json (for catalog.decrypt: the plaintext inside the blob), but Go handles it; an implementation may refuse it (InvalidInput), and if it accepts it must answer as Go (expected).', effect: 'Answering differently from Go when accepting such a catalog makes what the reader sees depend on the implementation.', links: ['schemas/catalog_schema_v1.json'] },
    UnknownFields: { bugType: 'EDGE_CASE', description: 'Unknown JSON keys are ignored by Go\'s decoder.', effect: 'Refusing unknown keys breaks reading catalogs from newer writers.', links: ['https://pkg.go.dev/encoding/json#Unmarshal'] },
    CaseInsensitiveKeys: { bugType: 'GO_QUIRK', description: 'Go matches JSON keys to struct fields case-insensitively.', effect: 'Ignoring such keys shows empty fields where Go shows values.', links: ['https://pkg.go.dev/encoding/json#Unmarshal'] },
    DuplicateKeys: { bugType: 'GO_QUIRK', description: 'A repeated key: the later value wins (for a scalar).', effect: 'First-wins readers show another subject than Go.', links: ['https://pkg.go.dev/encoding/json#Unmarshal'] },
    InvalidUtf8: { bugType: 'EDGE_CASE', description: 'Invalid UTF-8 inside a JSON string is replaced by U+FFFD when Go decodes it.', effect: 'Refusing or keeping raw bytes differs from Go; readers must not crash.', links: ['https://pkg.go.dev/encoding/json#Unmarshal'] },
    Whitespace: { bugType: 'BASIC', description: 'Insignificant JSON whitespace.', effect: 'A reader that needs compact JSON rejects catalogs from other writers.', links: ['https://www.rfc-editor.org/rfc/rfc8259#section-2'] },
    FieldOrder: { bugType: 'BASIC', description: 'JSON object keys in another order.', effect: "A reader that needs Go's field order rejects catalogs from other writers.", links: ['https://www.rfc-editor.org/rfc/rfc8259#section-4'] },
    NotJson: { bugType: 'BASIC', description: 'The blob authenticates but its plaintext is not a single JSON value: a parse error, distinct from an authentication failure.', effect: 'Reporting it as DecryptionFailed hides a sender bug; returning a partial catalog is worse.', links: ['internal/message/catalog.go', 'pkg/bmcrypto/aes_256_gcm.go:41-60'] },
    WrongType: { bugType: 'BASIC', description: 'A JSON type Go cannot decode into the field.', effect: 'Coercing it shows the reader a catalog Go would refuse.', links: ['https://pkg.go.dev/encoding/json#UnmarshalTypeError'] },
    IntegerLiteral: { bugType: 'GO_QUIRK', description: 'A block size (uint64) written 27.0, 27e0, 2.7E1 or -0: Go parses integer fields from the literal with strconv.ParseUint and refuses a fraction, an exponent or a sign; 027 is not JSON.', effect: 'A reader that takes 27.0 as 27 opens catalogs every Go client refuses.', links: ['https://pkg.go.dev/encoding/json#Unmarshal'] },
    RepeatedKey: { bugType: 'GO_QUIRK', description: 'A key repeated in the catalog text: Go decodes each occurrence in order (a struct decodes into the earlier value, the last scalar wins, a type error in any occurrence fails).', effect: 'A first-wins reader shows another subject or sender than Go clients do.', links: ['https://pkg.go.dev/encoding/json#Unmarshal'] },
    WrongKeySize: { bugType: 'EDGE_CASE', description: 'A catalog key that is not 32 bytes.', effect: 'Accepting another key size silently changes the cipher (AES-128/192).', links: ['spec/formats.md §5.2'] },
    BitFlip: { bugType: 'INTEGRITY', description: 'One bit of the nonce, ciphertext or tag flipped.', effect: 'Accepting it means the catalog (block keys, filenames, subject) can be altered undetected.', links: ['spec/formats.md §3.1'] },
    Truncated: { bugType: 'INTEGRITY', description: 'Blob shortened, emptied or extended.', effect: 'A lenient parser may read past the end or accept a truncated tag.', links: ['spec/formats.md §3.1'] },
    WrongLayout: { bugType: 'MODIFIED_PARAMETER', description: 'The nonce is not where the format puts it (first 12 bytes).', effect: "A reader that looks for the nonce elsewhere cannot open Go's blobs.", links: ['spec/formats.md §3.1'] },
    WrongKey: { bugType: 'BASIC', description: 'Decryption with a key other than the catalog key.', effect: 'A wrong key must never yield a catalog.', links: ['spec/formats.md §3.1'] },
  },
  build(ctx) {
    return [importedGroup(), ...generatedGroups(ctx)];
  },
};
