/**
 * vectors/invite_token_test.json: account invite tokens (spec/formats.md §10.2; Go
 * internal/signature/invite.go, cmd/bm-server/handler/account.go:48-119).
 *
 * token = b64std(addrHash ":" routingID ":" decimal expiry ":" raw signature), signature =
 * Sign(key, SHA-256(addrHash ‖ routingID ‖ decimal expiry)). Parsing splits at the first three
 * colons (the raw signature may contain ':'); verification needs the signature, now ≤ expiry and
 * the routing ID of the verifying server; the address must be the one invited.
 *
 * Imported: both invite_test.go known answers (the created token and the parse token) and the
 * Go test's failing variations. Generated: expiry edges, routing and address mismatches, RSA,
 * ECDSA and organisation-key invites, signatures containing ':', short and malformed tokens.
 * @module
 */
import type { CaseSpec, GroupSpec, VectorFileSpec } from './_framework.ts';
import { fromB64, toB64, utf8 } from '../../harness/protocol/bytes.ts';
import * as F from '../../harness/protocol/fixtures.ts';
import { parsePrivateKey } from '../../harness/protocol/keys.ts';
import { sign } from '../../harness/protocol/signature.ts';
import { tamperInvite } from '../../harness/protocol/testkit.ts';
import { GO_SUITE, cat, flip, sha256bytes, sha256hex } from './_cryptogen.ts';

/** hash.New("john@acme!") (invite_test.go). */
const ADDR = 'e176de99906e21fea81f8c87b6837b73d3b232c4592f20ac3065e586b6e17db7';
const ROUTING = '12345678';
/** 2010-01-04T12:34:56Z. */
const EXPIRY = 1262608496;
/** 2010-01-01T12:34:56Z: three days before the expiry. */
const NOW = 1262349296;
const { token: KAT, parseToken: PARSE_KAT, parseAddressHash: PARSE_ADDR } = F.GO_INVITE;
const KEY = F.GO_ED25519_1;

/** Replace the signature part of a token. */
function withSig(token: string, f: (sig: Uint8Array) => Uint8Array): string {
  const raw = Buffer.from(fromB64(token));
  let cut = -1;
  for (let i = 0, n = 0; i < raw.length; i++) if (raw[i] === 0x3a && ++n === 3) { cut = i + 1; break; }
  return toB64(cat(raw.subarray(0, cut), f(Uint8Array.from(raw.subarray(cut)))));
}
/** A token built here: the signed hash per invite.go:122-126 and the raw layout of :95-98. */
function build(k: F.KeyPairText, addr: string, routing: string, expiry: number, expiryText = String(expiry)): { token: string; sig: Uint8Array } {
  const sig = sign(parsePrivateKey(k.privateKey), sha256bytes(`${addr}${routing}${expiry}`));
  return { token: toB64(cat(utf8(`${addr}:${routing}:${expiryText}:`), sig)), sig };
}
/** Address hash (§2.2) of a normalised address. */
function addressHash(addr: string): string {
  const body = addr.slice(0, -1);
  const at = body.indexOf('@');
  return sha256hex(sha256hex(at < 0 ? body : body.slice(0, at)) + sha256hex(at < 0 ? '' : body.slice(at + 1)));
}

const REQ_VERIFY = ['BM-INV-004'];

export const file: VectorFileSpec = {
  name: 'invite_token',
  area: 'INV',
  requirements: ['BM-INV-001', 'BM-INV-002', 'BM-INV-004', 'BM-INV-005'],
  source: { kind: 'imported', ...GO_SUITE, path: 'internal/signature/invite_test.go', note: 'Go known answers (spec/formats.md §10.2) plus generated tokens and mutations' },
  header: [
    'Invite token = b64std(addrHash ":" routingID ":" decimal unix expiry ":" raw signature bytes); signature = Sign(routing or organisation key, SHA-256(addrHash ‖ routingID ‖ decimal expiry)).',
    'Parsing splits at the first three colons only (the raw signature may contain 0x3a); the address hash must be 64 hex digits; the expiry is a decimal int64.',
    'invite.verify is judged at `now`: valid iff the signature verifies with public_key, now ≤ expiry (a token is still good at its expiry second), the routing ID equals routing_id and the address hash equals address_hash.',
    'A token that cannot be parsed may be answered {"valid": false} or the error InvalidToken.',
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Token or verdict asserted by internal/signature/invite_test.go.', links: ['spec/formats.md §10.2'] },
    Deterministic: { bugType: 'BASIC', description: 'Ed25519 and RSA PKCS#1 v1.5 signatures are deterministic; ECDSA tokens are fixed by the case seed.', links: ['ADAPTER.md "Messages"'] },
    Expiry: { bugType: 'EDGE_CASE', description: 'now at, before or after the expiry second: Go refuses only when now is after the expiry (time.After).', effect: 'Off-by-one makes a token die a second early or live a second long; far-past expiries must fail.', links: ['internal/signature/invite.go:101-120'] },
    RoutingMismatch: { bugType: 'AUTH_BYPASS', description: 'A valid token for another mail server (routing ID differs by a digit, is empty or has trailing space).', effect: 'An invite for one server creates accounts on another.', links: ['internal/signature/invite.go:101-120'] },
    AddressMismatch: { bugType: 'AUTH_BYPASS', description: 'A valid token for another address hash (or the same hash in upper case).', effect: 'An invite for one address creates another account (spec/api.md §8 item 5).' },
    WrongKey: { bugType: 'AUTH_BYPASS', description: 'Verified with a key that did not sign it (another key, another key type).', effect: 'Anyone can invite themselves.' },
    ModifiedToken: { bugType: 'INTEGRITY', description: 'A field changed after signing (expiry extended, address or routing swapped) or the signature flipped, truncated or emptied.', effect: 'A captured invite is stretched or retargeted.' },
    ColonInSignature: { bugType: 'EDGE_CASE', description: 'The raw signature contains 0x3a bytes (even as its first byte): only the first three colons split the token.', effect: 'Splitting on every colon refuses about one in five valid Ed25519 invites.', links: ['internal/signature/invite.go:46-76'] },
    FewerParts: { bugType: 'BASIC', description: 'A token with fewer than four parts: Go returns (nil, nil) and the server dereferences nil; an implementation must refuse it.', effect: 'A crash (Go) instead of a refusal.', links: ['spec/formats.md §15 item 11', 'internal/signature/invite.go:54-57'] },
    Malformed: { bugType: 'BASIC', description: 'Not standard base64 with padding, an address hash that is not hex, an expiry that is not an integer.', effect: 'A crash or a token read with default fields.' },
    ExpiryMalleable: { bugType: 'MALLEABILITY', description: 'The expiry text "+1262608496" or "01262608496": Go ParseInt accepts it and the signed hash uses the canonical decimal, so the token verifies although its bytes differ from the one issued. Either answer is acceptable.', effect: 'Several byte strings are the same invite (replay-detection by token bytes fails).', links: ['internal/signature/invite.go:46-76'] },
    Base64Lenient: { bugType: 'GO_QUIRK', description: 'base64.StdEncoding (not Strict) skips line breaks and ignores non-zero padding bits, so Go reads the same token. Either answer is acceptable.', links: ['spec/formats.md §10.9'] },
    KeyTypes: { bugType: 'BASIC', description: 'Invites signed by RSA (PKCS#1 v1.5 over the SHA-256), ECDSA (DER) or an organisation Ed25519 key.', links: ['spec/formats.md §1.5'] },
    OrganisationInvite: { bugType: 'BASIC', description: 'Organisation invite: signed by the organisation key for the address hash of user@org! and the target server routing ID, valid 7 days (create_organisation_invite.go).', links: ['spec/formats.md §10.2'] },
    WireInput: { bugType: 'BASIC', description: 'An argument the op cannot use: an address hash that is not a hash.' },
  },
  async build(ctx) {
    const groups: GroupSpec[] = [];
    if (build(KEY, ADDR, ROUTING, EXPIRY).token !== KAT) throw new Error('invite_token: the KAT does not rebuild');
    if (!Buffer.from(fromB64(PARSE_KAT)).subarray(-64).includes(0x3a)) throw new Error('invite_token: the parse KAT signature has no colon');
    const args = (token: string, over: Record<string, string> = {}) => ({ token, public_key: KEY.publicKey, address_hash: ADDR, routing_id: ROUTING, ...over });
    const ok = (key: string, comment: string, inputs: Record<string, string>, now: number, flags: string[], reqs: string[] = REQ_VERIFY): CaseSpec => ({ key, comment, flags, inputs, now, result: 'valid', expected: { valid: true }, requirements: reqs });
    const no = (key: string, comment: string, inputs: Record<string, string>, now: number, flags: string[], reqs: string[] = REQ_VERIFY, parseError = false): CaseSpec => ({
      key,
      comment,
      flags,
      inputs,
      now,
      result: 'invalid',
      expected: { valid: false },
      ...(parseError ? { errorClass: 'InvalidToken' } : {}),
      mutant: true,
      requirements: reqs,
    });
    const maybe = (key: string, comment: string, inputs: Record<string, string>, flags: string[], reqs: string[]): CaseSpec => ({ key, comment, flags, inputs, now: NOW, result: 'acceptable', expected: { valid: true }, requirements: reqs });

    // ---- Go known answers ---------------------------------------------------------------------
    groups.push({
      op: 'invite.create',
      comment: 'invite_test.go: the token for hash.New("john@acme!"), routing 12345678, expiry 2010-01-04T12:34:56Z, key-ed25519-1',
      source: { kind: 'imported', ...GO_SUITE, path: 'internal/signature/invite_test.go' },
      cases: [{ key: 'go-create', comment: 'the Go token byte for byte', flags: ['GoKnownAnswer', 'Deterministic'], inputs: { private_key: KEY.privateKey, address_hash: ADDR, routing_id: ROUTING, expires: EXPIRY }, result: 'valid', expected: { token: KAT }, requirements: ['BM-INV-001', 'BM-INV-005'] }],
    });
    groups.push({
      op: 'invite.verify',
      comment: 'invite_test.go: the Go token and its failing variations; the parse KAT',
      source: { kind: 'imported', ...GO_SUITE, path: 'internal/signature/invite_test.go' },
      cases: [
        ok('go-verify', 'the Go token verifies at 2010-01-01T12:34:56Z for routing 12345678', args(KAT), NOW, ['GoKnownAnswer'], ['BM-INV-004', 'BM-INV-005']),
        no('go-routing-00000000', 'the Go token for routing 00000000', args(KAT, { routing_id: '00000000' }), NOW, ['GoKnownAnswer', 'RoutingMismatch'], ['BM-INV-004', 'BM-INV-005']),
        no('go-other-address', 'the Go token for hash.New("doctor@evil!")', args(KAT, { address_hash: sha256hex('doctor@evil!') }), NOW, ['GoKnownAnswer', 'AddressMismatch'], ['BM-INV-004', 'BM-INV-005']),
        no('go-expiry-2099', 'the Go token with its expiry field changed to 2099-01-01 (signature kept)', args(tamperInvite(KAT, 2, '4070908800')), NOW, ['GoKnownAnswer', 'ModifiedToken'], ['BM-INV-004', 'BM-INV-005']),
        no('go-rsa-key', 'the Go token checked with an RSA key (testdata key-1)', args(KAT, { public_key: F.GO_KEY_1.publicKey }), NOW, ['GoKnownAnswer', 'WrongKey'], ['BM-INV-004', 'BM-INV-005']),
        no('go-expired-2012', 'the Go token at 2012-12-31 (after its expiry)', args(KAT), 1356912000, ['GoKnownAnswer', 'Expiry'], ['BM-INV-004', 'BM-INV-005']),
        ok('go-parse-token', 'the invite_test.go parse token (address 1342d10e…1966, routing 12345678, expiry 1262608496) verifies with key-ed25519-1', args(PARSE_KAT, { address_hash: PARSE_ADDR }), NOW, ['GoKnownAnswer', 'ColonInSignature'], ['BM-INV-002', 'BM-INV-004']),
        no('go-parse-garbage', 'invite_test.go: "--4632632asdf325325252352" does not parse', args('--4632632asdf325325252352'), NOW, ['GoKnownAnswer', 'Malformed'], ['BM-INV-002'], true),
      ],
    });

    // ---- expiry edges, routing and address --------------------------------------------------
    groups.push({
      op: 'invite.verify',
      comment: 'expiry edges, routing and address binding, wrong keys',
      source: { kind: 'generated' },
      cases: [
        ok('at-expiry', 'now = expiry (2010-01-04T12:34:56Z): still valid', args(KAT), EXPIRY, ['Expiry'], ['BM-INV-004', 'BM-INV-007']),
        no('expiry-plus-one', 'now = expiry + 1 s: expired', args(KAT), EXPIRY + 1, ['Expiry'], ['BM-INV-004', 'BM-INV-007']),
        ok('expiry-minus-one', 'now = expiry − 1 s: valid', args(KAT), EXPIRY - 1, ['Expiry'], ['BM-INV-004', 'BM-INV-007']),
        ok('long-before', 'now = 2000-01-01 (long before the expiry): valid', args(KAT), 946684800, ['Expiry']),
        no('routing-off-by-one', 'routing 12345679', args(KAT, { routing_id: '12345679' }), NOW, ['RoutingMismatch']),
        no('routing-empty', 'routing ""', args(KAT, { routing_id: '' }), NOW, ['RoutingMismatch']),
        no('routing-trailing-space', 'routing "12345678 "', args(KAT, { routing_id: '12345678 ' }), NOW, ['RoutingMismatch']),
        no('routing-prefix', 'routing "1234567" (a prefix of the token routing)', args(KAT, { routing_id: '1234567' }), NOW, ['RoutingMismatch']),
        no('address-other', 'the address hash of john@acme! (address.Hash) instead of hash.New("john@acme!")', args(KAT, { address_hash: addressHash('john@acme!') }), NOW, ['AddressMismatch']),
        no('address-upper-case', 'the invited address hash in upper case', args(KAT, { address_hash: ADDR.toUpperCase() }), NOW, ['AddressMismatch']),
        no('key-other-ed25519', 'checked with key-ed25519-2', args(KAT, { public_key: F.GO_ED25519_2.publicKey }), NOW, ['WrongKey']),
        no('key-ecdsa', 'checked with an ECDSA key', args(KAT, { public_key: F.GO_PRIVKEY_ECDSA.publicKey }), NOW, ['WrongKey']),
        no('routing-swapped-in-token', 'the routing field of the token changed to 00000000 and verified for 00000000 (signature kept)', args(tamperInvite(KAT, 1, '00000000'), { routing_id: '00000000' }), NOW, ['ModifiedToken', 'RoutingMismatch']),
        no('address-swapped-in-token', 'the address field changed to hash.New("doctor@evil!") and verified for it (signature kept)', args(tamperInvite(KAT, 0, sha256hex('doctor@evil!')), { address_hash: sha256hex('doctor@evil!') }), NOW, ['ModifiedToken', 'AddressMismatch']),
        no('expiry-extended', 'the expiry field + 1 s, verified after the original expiry', args(tamperInvite(KAT, 2, String(EXPIRY + 1))), EXPIRY + 1, ['ModifiedToken', 'Expiry']),
        no('sig-flip-first', 'signature first bit flipped', args(withSig(KAT, (s) => flip(s, 0))), NOW, ['ModifiedToken']),
        no('sig-flip-last', 'signature last byte 0x80 flipped', args(withSig(KAT, (s) => flip(s, -1, 0x80))), NOW, ['ModifiedToken']),
        no('sig-truncated', 'signature without its last byte', args(withSig(KAT, (s) => s.subarray(0, 63))), NOW, ['ModifiedToken']),
        no('sig-empty', 'no signature bytes after the third colon', args(withSig(KAT, () => new Uint8Array(0))), NOW, ['ModifiedToken']),
        maybe('expiry-plus-sign', 'expiry written "+1262608496" (signature over the canonical decimal): Go ParseInt accepts it', args(tamperInvite(KAT, 2, '+1262608496')), ['ExpiryMalleable'], ['BM-INV-002']),
        maybe('expiry-leading-zero', 'expiry written "01262608496": Go ParseInt accepts it', args(tamperInvite(KAT, 2, '01262608496')), ['ExpiryMalleable'], ['BM-INV-002']),
      ],
    });

    // ---- key types, organisation invites, colons in signatures -----------------------------------
    const rsa = build(F.GO_KEY_1, ADDR, ROUTING, EXPIRY).token;
    const ecSeed = ctx.caseSeed('create-ecdsa');
    const ecToken = (await ctx.must('invite.create', { private_key: F.GO_PRIVKEY_ECDSA.privateKey, address_hash: ADDR, routing_id: ROUTING, expires: EXPIRY }, { seed: ecSeed })).token as string;
    const orgAddr = addressHash('john@acme!');
    const orgRouting = sha256hex('mail.example routing key');
    const orgNow = 1700000000;
    const orgExpiry = orgNow + 7 * 86400;
    const org = build(F.GO_ED25519_3, orgAddr, orgRouting, orgExpiry).token;
    // Expiries whose Ed25519 signature contains ':' (0x3a), one of them as the first byte.
    let colonAny: number | undefined;
    let colonFirst: number | undefined;
    for (let e = EXPIRY + 1; colonAny === undefined || colonFirst === undefined; e++) {
      const { sig } = build(KEY, ADDR, ROUTING, e);
      if (colonFirst === undefined && sig[0] === 0x3a) colonFirst = e;
      else if (colonAny === undefined && sig.subarray(1).includes(0x3a) && sig[0] !== 0x3a) colonAny = e;
    }
    const colon1 = build(KEY, ADDR, ROUTING, colonAny!).token;
    const colon2 = build(KEY, ADDR, ROUTING, colonFirst!).token;
    const create = (key: string, comment: string, k: F.KeyPairText, addr: string, routing: string, expires: number, token: string, flags: string[], reqs: string[], seed?: string): CaseSpec => ({
      key,
      comment,
      flags: ['Deterministic', ...flags],
      inputs: { private_key: k.privateKey, address_hash: addr, routing_id: routing, expires },
      ...(seed ? { seed } : {}),
      result: 'valid',
      expected: { token },
      requirements: ['BM-INV-001', ...reqs],
    });
    groups.push({
      op: 'invite.create',
      comment: 'tokens of every key type, organisation invites, signatures containing ":" (expected tokens built independently, except ECDSA)',
      source: { kind: 'generated' },
      cases: [
        create('create-rsa', 'signed with testdata key-1 (RSA PKCS#1 v1.5)', F.GO_KEY_1, ADDR, ROUTING, EXPIRY, rsa, ['KeyTypes'], []),
        create('create-ecdsa', 'signed with testdata privkey.ecdsa (randomness from the case seed)', F.GO_PRIVKEY_ECDSA, ADDR, ROUTING, EXPIRY, ecToken, ['KeyTypes'], [], ecSeed),
        create('create-organisation', 'organisation invite: key-ed25519-3 for the address hash of john@acme!, a 64-hex routing ID, 7 days', F.GO_ED25519_3, orgAddr, orgRouting, orgExpiry, org, ['OrganisationInvite'], ['BM-INV-006']),
        create('create-colon-in-signature', `expiry ${colonAny}: the Ed25519 signature contains 0x3a`, KEY, ADDR, ROUTING, colonAny!, colon1, ['ColonInSignature'], ['BM-INV-002']),
        create('create-colon-first', `expiry ${colonFirst}: the Ed25519 signature starts with 0x3a`, KEY, ADDR, ROUTING, colonFirst!, colon2, ['ColonInSignature'], ['BM-INV-002']),
        { key: 'create-bad-address-hash', comment: 'address_hash "john@acme!" is not a hash', flags: ['WireInput'], inputs: { private_key: KEY.privateKey, address_hash: 'john@acme!', routing_id: ROUTING, expires: EXPIRY }, result: 'invalid', errorClass: 'InvalidInput', requirements: ['BM-INV-001'] },
      ],
    });
    groups.push({
      op: 'invite.verify',
      comment: 'verifying tokens of every key type, organisation invites, signatures containing ":"',
      source: { kind: 'generated' },
      cases: [
        ok('verify-rsa', 'RSA-signed invite with key-1', args(rsa, { public_key: F.GO_KEY_1.publicKey }), NOW, ['KeyTypes']),
        no('verify-rsa-other-key', 'RSA-signed invite checked with key-2', args(rsa, { public_key: F.GO_KEY_2.publicKey }), NOW, ['KeyTypes', 'WrongKey']),
        ok('verify-ecdsa', 'ECDSA-signed invite with privkey.ecdsa', args(ecToken, { public_key: F.GO_PRIVKEY_ECDSA.publicKey }), NOW, ['KeyTypes']),
        no('verify-ecdsa-ed25519-key', 'ECDSA-signed invite checked with key-ed25519-1', args(ecToken), NOW, ['KeyTypes', 'WrongKey']),
        ok('verify-organisation', 'organisation invite at issue time', { token: org, public_key: F.GO_ED25519_3.publicKey, address_hash: orgAddr, routing_id: orgRouting }, orgNow, ['OrganisationInvite'], ['BM-INV-004', 'BM-INV-006']),
        ok('verify-organisation-day-7', 'organisation invite at the last second of its 7 days', { token: org, public_key: F.GO_ED25519_3.publicKey, address_hash: orgAddr, routing_id: orgRouting }, orgExpiry, ['OrganisationInvite', 'Expiry'], ['BM-INV-006', 'BM-INV-007']),
        no('verify-organisation-day-7-plus-1', 'organisation invite one second after its 7 days', { token: org, public_key: F.GO_ED25519_3.publicKey, address_hash: orgAddr, routing_id: orgRouting }, orgExpiry + 1, ['OrganisationInvite', 'Expiry'], ['BM-INV-006', 'BM-INV-007']),
        no('verify-organisation-routing-key', 'organisation invite checked with the server key (key-ed25519-1) instead of the organisation key', { token: org, public_key: KEY.publicKey, address_hash: orgAddr, routing_id: orgRouting }, orgNow, ['OrganisationInvite', 'WrongKey'], ['BM-INV-006']),
        ok('verify-colon-in-signature', 'signature containing 0x3a: only the first three colons split', args(colon1), NOW, ['ColonInSignature'], ['BM-INV-002', 'BM-INV-004']),
        ok('verify-colon-first', 'signature starting with 0x3a (the fourth part begins with ":")', args(colon2), NOW, ['ColonInSignature'], ['BM-INV-002', 'BM-INV-004']),
      ],
    });

    // ---- malformed tokens ------------------------------------------------------------------------------
    const b64 = (s: string | Uint8Array) => toB64(typeof s === 'string' ? utf8(s) : s);
    const katNoPad = KAT.replace(/=+$/, '');
    if (katNoPad === KAT) throw new Error('invite_token: the KAT has no padding');
    // Non-zero padding bits in the last character before "=" (Go's StdEncoding ignores them).
    const lastIdx = KAT.length - 2;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const nonCanonical = KAT.slice(0, lastIdx) + alphabet[alphabet.indexOf(KAT[lastIdx]!) | 1] + KAT.slice(lastIdx + 1);
    if (nonCanonical === KAT) throw new Error('invite_token: padding bits already set');
    groups.push({
      op: 'invite.verify',
      comment: 'tokens that do not parse, and base64 spellings Go tolerates',
      source: { kind: 'generated' },
      cases: [
        no('three-parts', 'three parts "addr:routing:expiry" (Go: nil token, nil error)', args(b64(`${ADDR}:${ROUTING}:${EXPIRY}`)), NOW, ['FewerParts'], ['BM-INV-002', 'BM-INV-003'], true),
        no('two-parts', 'two parts "addr:routing"', args(b64(`${ADDR}:${ROUTING}`)), NOW, ['FewerParts'], ['BM-INV-002', 'BM-INV-003'], true),
        no('one-part', 'no colon at all', args(b64(ADDR)), NOW, ['FewerParts'], ['BM-INV-002', 'BM-INV-003'], true),
        no('empty-token', 'the empty token', args(''), NOW, ['FewerParts'], ['BM-INV-003'], true),
        no('url-alphabet', 'the Go token in the URL-safe base64 alphabet (- and _)', args(KAT.replace(/\+/g, '-').replace(/\//g, '_')), NOW, ['Malformed'], ['BM-INV-002'], true),
        no('no-padding', 'the Go token without its "=" padding', args(katNoPad), NOW, ['Malformed'], ['BM-INV-002'], true),
        no('address-not-hex', 'address field "zz…" (64 non-hex characters)', args(tamperInvite(KAT, 0, 'z'.repeat(64))), NOW, ['Malformed'], ['BM-INV-002'], true),
        no('address-short', 'address field of 63 hex digits', args(tamperInvite(KAT, 0, ADDR.slice(1))), NOW, ['Malformed'], ['BM-INV-002'], true),
        no('expiry-not-integer', 'expiry field "12626o8496"', args(tamperInvite(KAT, 2, '12626o8496')), NOW, ['Malformed'], ['BM-INV-002'], true),
        no('expiry-empty', 'empty expiry field', args(tamperInvite(KAT, 2, '')), NOW, ['Malformed'], ['BM-INV-002'], true),
        no('expiry-negative', 'expiry "-1" (parses; long expired and the signature no longer matches)', args(tamperInvite(KAT, 2, '-1')), NOW, ['Malformed', 'Expiry'], ['BM-INV-002']),
        no('trailing-bytes', 'the Go token with three zero bytes appended (they become part of the signature)', args(toB64(cat(fromB64(KAT), new Uint8Array(3)))), NOW, ['ModifiedToken'], ['BM-INV-002']),
        maybe('line-break', 'the Go token with a line break after 40 characters: Go base64 skips it', args(`${KAT.slice(0, 40)}\n${KAT.slice(40)}`), ['Base64Lenient'], ['BM-INV-002']),
        maybe('padding-bits', 'the Go token with non-zero padding bits in its last character: Go decodes the same bytes', args(nonCanonical), ['Base64Lenient'], ['BM-INV-002']),
      ],
    });
    return groups;
  },
};
