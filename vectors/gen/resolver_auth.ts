/**
 * vectors/resolver_auth_test.json: the Bearer signature that authorises key-resolver writes (op
 * `resolver.auth`; spec/formats.md §10.4, spec/api.md §9.3; Go internal/resolver/service.go:212-245,
 * remote.go; verified by key-resolver-go internal/http/http.go).
 *
 * bearer = b64std(Sign(record key, SHA-256(text))), text = hash ‖ routing_id ‖ decimal(serial) for
 * addresses and hash ‖ decimal(serial) for routing and organisation records. The serial is the
 * record's uint64 serial_number (Unix nanoseconds, beyond 2^53): the vectors carry it as an exact
 * JSON integer. Known answers (prefixes given in api.md §9.3) are checked here; generated bearers
 * cover every record kind, key type and serial edge. There is no resolver verify op, so the
 * resolver's check is expressed with `verify` over the exact signed bytes (stale serial, other
 * routing id, float-rounded serial, …).
 * @module
 */
import type { CaseSpec, GroupSpec, VectorFileSpec } from './_framework.ts';
import type { JsonValue } from '../../harness/protocol/gojson.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { fromB64, toB64, utf8 } from '../../harness/protocol/bytes.ts';
import { GO_SUITE, flip, sha256bytes, sha256hex } from './_cryptogen.ts';

const TWO53 = 1n << 53n;
/** Serial edges: 0, 1, 2^53−1 (largest exact double), 2^53, 2^53+1 (first integer a double loses), 2^64−1. */
const SERIALS: [string, bigint][] = [
  ['0', 0n],
  ['1', 1n],
  ['2e53-1', TWO53 - 1n],
  ['2e53', TWO53],
  ['2e53+1', TWO53 + 1n],
  ['2e64-1', (1n << 64n) - 1n],
];
/** A JSON integer: a number when exact as a double, else a bigint (written exactly by the Go-JSON writer). */
function jsonInt(v: bigint): JsonValue {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

const ADDRESS_HASH = '2244643da7475120bf84d744435d15ea297c36ca165ea0baaa69ec818d0e952f'; // example!
const ORG_HASH = sha256hex('acme');
const ROUTING_ID = '12345678';
/** A routing ID of the real form: hash.New(hex(raw Ed25519 routing key)) of key-ed25519-3. */
const ROUTING_HASH = sha256hex(Buffer.from(F.GO_ED25519_3.publicKey.split(' ')[1]!, 'base64').subarray(12).toString('hex'));
/** A realistic serial: creation time in Unix nanoseconds. */
const NANO_SERIAL = 1617195323123456789n;

export const file: VectorFileSpec = {
  name: 'resolver_auth',
  area: 'RES',
  requirements: ['BM-RES-001'],
  source: { kind: 'generated', note: 'bearers made by the reference from fixed keys; the api.md §9.3 known-answer prefixes are checked by the generator' },
  header: [
    'Resolver write authorisation: Authorization: Bearer b64std(Sign(record key, SHA-256(text))).',
    'text = hash ‖ routing_id ‖ decimal(serial) (address records) or hash ‖ decimal(serial) (routing and organisation records), ASCII, no separators; serial is the uint64 serial_number of the current record, 0 when absent.',
    'Serials above 2^53 are exact JSON integers: read them losslessly. RSA and Ed25519 bearers are deterministic; ECDSA ones come from the case seed.',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Bearer whose value spec/api.md §9.3 gives (prefix) for testdata key-1; the generator checks the prefix and records the full value.', links: ['spec/api.md §9.3'] },
    RecordKind: { bugType: 'BASIC', description: 'Bearer for an address (hash ‖ routing_id ‖ serial), routing or organisation (hash ‖ serial) record.', links: ['spec/formats.md §10.4'] },
    SerialEdge: { bugType: 'EDGE_CASE', description: 'Serial at a JSON number precision edge (2^53 − 1, 2^53, 2^53 + 1) or the uint64 limits.', effect: 'A client that parses serial_number as a double signs a rounded serial and every update is refused (401).', links: ['spec/api.md §1.5'] },
    EmptyRoutingId: { bugType: 'EDGE_CASE', description: 'Address record with an empty routing_id (redirected or organisation accounts): the text is hash ‖ serial, the same as for a routing record.' },
    BadSerial: { bugType: 'BASIC', description: 'serial that is not a uint64 JSON integer (negative, 2^64, fraction, string, missing).', effect: 'Signing a wrapped or rounded value authorises the wrong serial.' },
    BadKey: { bugType: 'BASIC', description: 'private_key that is not a private key.' },
    StaleSerial: { bugType: 'AUTH_BYPASS', description: 'A valid bearer checked against another serial (the previous or next one): the resolver must refuse it, which is its optimistic-concurrency and replay guard.', effect: 'Accepting it lets an old signed request be replayed after the record changed.', links: ['spec/formats.md §10.4'] },
    OtherRecord: { bugType: 'AUTH_BYPASS', description: 'A valid bearer checked for another routing id, another hash or another record kind.', effect: 'Accepting it lets one signed request authorise changes to another record.' },
    RoundedSerial: { bugType: 'EDGE_CASE', description: 'Bearer signed over the serial as a double would print it (2^53 + 1 rounded to 2^53).', effect: 'Shows the lossy-parse failure: the resolver refuses such a bearer.', links: ['BM-JSON-008'] },
    TextEncoding: { bugType: 'WRONG_PRIMITIVE', description: 'Bearer over the text without the SHA-256 step, or with the serial written in hex or zero-padded.', effect: 'Such bearers never verify at a Go resolver.' },
    BitFlip: { bugType: 'INTEGRITY', description: 'One bit of a valid bearer signature flipped.' },
  },
  async build(ctx) {
    const k1 = F.GO_KEY_1.privateKey;
    const kat: CaseSpec[] = [];
    const katPlan: [string, Record<string, JsonValue>, string, string][] = [
      ['go-address', { hash: '12345', routing_id: '56789', serial: 1234567890 }, 'SQ//6Uxbt6YO', 'address text "12345" ‖ "56789" ‖ "1234567890"'],
      ['go-routing', { hash: '12345', serial: 1234567890 }, 'fDyQ1/pGp+CW', 'routing text "12345" ‖ "1234567890"'],
      ['go-organisation', { hash: '12345', serial: 1234567890 }, 'fDyQ1/pGp+CW', 'organisation text "12345" ‖ "1234567890" (same form as routing)'],
    ];
    for (const [key, args, prefix, desc] of katPlan) {
      const r = await ctx.must('resolver.auth', { private_key: k1, ...args });
      if (!(r.bearer as string).startsWith(prefix)) throw new Error(`resolver_auth: ${key} bearer ${String(r.bearer).slice(0, 16)}… does not start with the api.md §9.3 prefix ${prefix}`);
      kat.push({ key, comment: `key-1, ${desc} → ${prefix}… (api.md §9.3)`, flags: ['GoKnownAnswer', 'RecordKind'], inputs: { private_key: k1, ...args }, result: 'valid', expected: r, requirements: ['BM-RES-001', 'BM-RES-002'] });
    }

    const gen: CaseSpec[] = [];
    const bearers = new Map<string, { priv: string; pub: string; args: Record<string, JsonValue>; bearer: string }>();
    const add = async (key: string, pair: F.KeyPairText, kind: 'address' | 'routing' | 'organisation', serialLabel: string, serial: bigint, flags: string[] = []) => {
      const args: Record<string, JsonValue> = kind === 'address' ? { hash: ADDRESS_HASH, routing_id: ROUTING_ID, serial: jsonInt(serial) } : { hash: kind === 'routing' ? ROUTING_HASH : ORG_HASH, serial: jsonInt(serial) };
      const seed = pair.privateKey.startsWith('ecdsa ') ? ctx.caseSeed(key) : undefined;
      const r = await ctx.must('resolver.auth', { private_key: pair.privateKey, ...args }, seed ? { seed } : {});
      bearers.set(key, { priv: pair.privateKey, pub: pair.publicKey, args, bearer: r.bearer as string });
      const edge = serial >= TWO53 - 1n || serial === 0n ? ['SerialEdge'] : [];
      gen.push({ key, comment: `${kind} record, ${pair.publicKey.split(' ')[0]} key, serial ${serialLabel} (${serial})`, flags: ['RecordKind', ...edge, ...flags], inputs: { private_key: pair.privateKey, ...args }, ...(seed ? { seed } : {}), result: 'valid', expected: r, requirements: edge.length ? ['BM-RES-001', 'BM-JSON-008'] : ['BM-RES-001'] });
    };
    for (const [label, s] of SERIALS) await add(`rsa-address-${label}`, F.GO_KEY_1, 'address', label, s);
    for (const [label, s] of SERIALS) await add(`ed25519-routing-${label}`, F.GO_ED25519_3, 'routing', label, s);
    for (const [label, s] of SERIALS.filter(([l]) => ['0', '2e53+1', '2e64-1'].includes(l))) await add(`ecdsa-organisation-${label}`, F.GO_PRIVKEY_ECDSA, 'organisation', label, s);
    await add('rsa-routing-nanoseconds', F.GO_KEY_1, 'routing', 'creation time in ns', NANO_SERIAL);
    await add('rsa-organisation-nanoseconds', F.GO_KEY_1, 'organisation', 'creation time in ns', NANO_SERIAL);
    await add('ed25519-address-nanoseconds', F.GO_ED25519_1, 'address', 'creation time in ns', NANO_SERIAL);
    await add('ed25519-organisation-1', F.GO_ED25519_1, 'organisation', '1', 1n);
    await add('rsa4096-address-0', F.RSA4096_FIXTURE, 'address', '0', 0n);
    // Empty routing id: the address text equals the routing text for the same hash and serial.
    const emptyArgs = { hash: ROUTING_HASH, routing_id: '', serial: jsonInt(NANO_SERIAL) };
    const emptyR = await ctx.must('resolver.auth', { private_key: F.GO_KEY_1.privateKey, ...emptyArgs });
    if (emptyR.bearer !== bearers.get('rsa-routing-nanoseconds')!.bearer) throw new Error('resolver_auth: empty routing id must sign like a routing record');
    gen.push({ key: 'rsa-address-empty-routing-id', comment: 'address record with routing_id "": same text (and bearer) as the routing record with that hash and serial', flags: ['RecordKind', 'EmptyRoutingId'], inputs: { private_key: F.GO_KEY_1.privateKey, ...emptyArgs }, result: 'valid', expected: emptyR, requirements: ['BM-RES-001'] });

    const bad: CaseSpec[] = [];
    const badSerial = (key: string, comment: string, serial: JsonValue | undefined) =>
      bad.push({ key, comment, flags: ['BadSerial'], inputs: { private_key: k1, hash: ADDRESS_HASH, routing_id: ROUTING_ID, ...(serial === undefined ? {} : { serial }) }, result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-RES-001'] });
    badSerial('serial-negative', 'serial −1', -1);
    badSerial('serial-2e64', 'serial 2^64 (one above uint64)', 1n << 64n);
    badSerial('serial-null', 'serial null', null);
    badSerial('serial-string', 'serial as the string "1234567890"', '1234567890');
    badSerial('serial-missing', 'no serial', undefined);
    bad.push({ key: 'private-key-is-public', comment: 'a public key string as private_key', flags: ['BadKey'], inputs: { private_key: F.GO_KEY_1.publicKey, hash: ADDRESS_HASH, routing_id: ROUTING_ID, serial: 1 }, result: 'invalid', errorClass: 'InvalidKey', requirements: ['BM-RES-001'] });

    // The resolver's side, through `verify`: public key of the record, message = SHA-256(text).
    const text = (a: Record<string, JsonValue>, serialOverride?: string) => `${a.hash as string}${(a.routing_id as string | undefined) ?? ''}${serialOverride ?? String(a.serial)}`;
    const digest = (t: string) => sha256bytes(t);
    const verify: CaseSpec[] = [];
    const v = (key: string, comment: string, flags: string[], pub: string, t: string, bearer: string | Uint8Array, valid: boolean, reqs: string[], mutant = true) =>
      verify.push({ key, ...(mutant && !valid ? { mutant: true } : {}), comment, flags, inputs: { public_key: pub, message_b64: toB64(digest(t)), signature_b64: typeof bearer === 'string' ? bearer : toB64(bearer) }, result: valid ? 'valid' : 'invalid', expected: { valid }, requirements: reqs });
    const kAddr = kat[0]!;
    v('verify-go-address', 'the key-1 address bearer verifies over SHA-256("12345" ‖ "56789" ‖ "1234567890")', ['GoKnownAnswer'], F.GO_KEY_1.publicKey, '12345567891234567890', kAddr.expected!.bearer as string, true, ['BM-RES-001', 'BM-RES-002']);
    const a = bearers.get('rsa-address-2e53+1')!;
    const r = bearers.get('ed25519-routing-2e64-1')!;
    const o = bearers.get('ecdsa-organisation-2e53+1')!;
    v('verify-address-2e53+1', 'address bearer with serial 2^53 + 1 verifies over the exact decimal serial', ['SerialEdge'], a.pub, text(a.args), a.bearer, true, ['BM-RES-001', 'BM-JSON-008']);
    v('verify-routing-2e64-1', 'routing bearer with serial 2^64 − 1 verifies', ['SerialEdge'], r.pub, text(r.args), r.bearer, true, ['BM-RES-001', 'BM-JSON-008']);
    v('verify-organisation-ecdsa', 'organisation bearer (ECDSA) verifies', ['RecordKind'], o.pub, text(o.args), o.bearer, true, ['BM-RES-001']);
    v('stale-serial-previous', 'address bearer checked against the previous serial (2^53)', ['StaleSerial'], a.pub, text(a.args, String(TWO53)), a.bearer, false, ['BM-RES-021']);
    v('stale-serial-next', 'address bearer checked against the next serial (2^53 + 2)', ['StaleSerial'], a.pub, text(a.args, String(TWO53 + 2n)), a.bearer, false, ['BM-RES-021']);
    v('stale-serial-zero', 'routing bearer of serial 2^64 − 1 checked against serial 0 (undelete form)', ['StaleSerial'], r.pub, text(r.args, '0'), r.bearer, false, ['BM-RES-021']);
    v('rounded-serial', 'bearer made over the double-rounded serial 2^53 checked against the true serial 2^53 + 1', ['RoundedSerial', 'SerialEdge'], a.pub, text(a.args), bearers.get('rsa-address-2e53')!.bearer, false, ['BM-RES-001', 'BM-JSON-008']);
    v('other-routing-id', 'address bearer checked with another routing id', ['OtherRecord'], a.pub, `${ADDRESS_HASH}87654321${String(a.args.serial)}`, a.bearer, false, ['BM-RES-001']);
    v('routing-id-omitted', 'address bearer checked as if it were a routing/organisation bearer (routing id left out)', ['OtherRecord'], a.pub, `${ADDRESS_HASH}${String(a.args.serial)}`, a.bearer, false, ['BM-RES-001']);
    v('other-hash', 'organisation bearer checked for another organisation hash', ['OtherRecord'], o.pub, `${sha256hex('acme2')}${String(o.args.serial)}`, o.bearer, false, ['BM-RES-001']);
    v('upper-case-hash', 'address bearer checked with the address hash in upper case (a different text)', ['OtherRecord'], a.pub, `${ADDRESS_HASH.toUpperCase()}${ROUTING_ID}${String(a.args.serial)}`, a.bearer, false, ['BM-RES-001']);
    const rawText = fromB64((await ctx.must('sign', { private_key: F.GO_ED25519_3.privateKey, message_b64: toB64(utf8(text(r.args))) })).signature_b64 as string);
    v('no-sha256-step', 'Ed25519 signature over the text itself instead of SHA-256(text)', ['TextEncoding'], r.pub, text(r.args), rawText, false, ['BM-RES-001']);
    const hexSerial = fromB64((await ctx.must('sign', { private_key: F.GO_ED25519_3.privateKey, message_b64: toB64(digest(`${ROUTING_HASH}${((1n << 64n) - 1n).toString(16)}`)) })).signature_b64 as string);
    v('serial-in-hex', 'signature over the serial written in hex', ['TextEncoding'], r.pub, text(r.args), hexSerial, false, ['BM-RES-001']);
    const padded = fromB64((await ctx.must('sign', { private_key: F.GO_ED25519_3.privateKey, message_b64: toB64(digest(`${ROUTING_HASH}01`)) })).signature_b64 as string);
    v('serial-zero-padded', 'signature over serial "01" checked for serial 1', ['TextEncoding'], r.pub, `${ROUTING_HASH}1`, padded, false, ['BM-RES-001']);
    v('flip-bearer', 'address bearer with bit 0x80 of byte 0 flipped', ['BitFlip'], a.pub, text(a.args), flip(fromB64(a.bearer), 0, 0x80), false, ['BM-RES-001', 'BM-KEY-020']);
    v('other-key', 'routing bearer checked with another key (key-ed25519-1)', ['OtherRecord'], F.GO_ED25519_1.publicKey, text(r.args), r.bearer, false, ['BM-RES-001']);

    const groups: GroupSpec[] = [
      { op: 'resolver.auth', comment: 'api.md §9.3 known answers (testdata key-1)', source: { kind: 'imported', ...GO_SUITE, path: 'internal/resolver/service_test.go (values from spec/api.md §9.3)', note: 'the spec gives the bearer prefixes; full values recomputed by the reference and checked against them' }, cases: kat },
      { op: 'resolver.auth', comment: 'every record kind, key type and serial edge', source: { kind: 'generated' }, cases: gen },
      { op: 'resolver.auth', comment: 'serials and keys that are refused', source: { kind: 'generated' }, cases: bad },
      { op: 'verify', comment: 'the resolver side: bearer against SHA-256(text) with the record key', source: { kind: 'derived' }, cases: verify },
    ];
    return groups;
  },
};
