/**
 * Profile `security`, area `JWT`: attacks on the account token (api.md §2.3a, §8 item 8;
 * formats.md §8; RFC 8725 §2.1 "weak signatures and insufficient signature validation",
 * §3.1 "perform algorithm verification"):
 * - `alg: none` with an empty signature (the token claims it needs no signature);
 * - alg confusion: HS256 whose HMAC key is the account's public key, which an attacker knows;
 * - a token captured earlier and replayed after it expired, or minted ahead for later use;
 * - account B's genuine token presented on account A's routes;
 * - a token without `exp` (valid forever if accepted) and a forged token that is both out of its
 *   window and badly signed (must not reveal "token time not valid").
 * Every probe is `GET /account/{addr}/box/1` (reads the victim's mail if accepted).
 *
 * Peer/resolver: none.
 */
import { beforeEach, describe, it } from 'vitest';
import { formatPublicKey, parsePublicKey } from '../../harness/protocol/keys.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { craftJwt, nowUnix, windowClaims } from '../_support/jwt.ts';
import { mustServerError, mustStatus } from '../_support/must.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('security-tokens', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('security-tokens', target.serverUrl);

let alice: MailAccount;
let bob: MailAccount;
let carla: MailAccount; // rsa: the classic RS256 → HS256 confusion target
const setup = setupOnce(async () => {
  alice = await accounts.create('tok-alice');
  bob = await accounts.create('tok-bob');
  carla = await accounts.create('tok-carla', 'rsa');
});
beforeEach(() => setup());

const probe = (a: { hash: string }, token: string) => api.req('GET', `/account/${a.hash}/box/1`, { bearer: token });

describe('security › token algorithm', () => {
  // alg "none" (any spelling) with an empty signature and good claims for alice. RFC 8725 §3.1,
  // api.md §2.3a ("HMAC/none are rejected").
  it.each([
    ['in lower case', 'none'],
    ['capitalised', 'None'],
    ['in upper case', 'NONE'],
  ])('BM-JWT-012 MUST refuse an unsigned token with alg none %s', async (_how, alg) => {
    mustServerError(await probe(alice, craftJwt(undefined, windowClaims(alice.hash), { alg })), 401);
  });

  // HS256 keyed with the RSA account's public key in each form an attacker can obtain (the key
  // string from the resolver or GET …/keys, its DER, its PEM). RFC 8725 §2.1.
  it.each([
    ['the public key string', (k: string) => new TextEncoder().encode(k)],
    ['the public key DER', (k: string) => parsePublicKey(k).der],
    ['the public key PEM', (k: string) => new TextEncoder().encode(`-----BEGIN PUBLIC KEY-----\n${Buffer.from(parsePublicKey(k).der).toString('base64').replace(/.{1,64}/g, '$&\n')}-----END PUBLIC KEY-----\n`)],
  ])('BM-JWT-012 MUST refuse an HS256 token keyed with %s', async (_what, keyBytes) => {
    const token = craftJwt(undefined, windowClaims(carla.hash), { alg: 'HS256', hmacKey: keyBytes(formatPublicKey(parsePublicKey(carla.publicKey))) });
    mustServerError(await probe(carla, token), 401);
  });
});

describe('security › token lifetime', () => {
  // A genuine token from two windows ago (what an eavesdropper or a log holds), replayed.
  // formats.md §8 (valid iff now ≤ exp), api.md §2.3a.
  it('BM-JWT-014 MUST refuse a captured token replayed after it expired', async () => {
    const old = craftJwt(alice.privateKey, windowClaims(alice.hash, nowUnix() - 120));
    mustServerError(await probe(alice, old), 401);
  });

  // A genuine token minted for a window two minutes ahead (stockpiled for later).
  // formats.md §8 (valid iff now ≥ nbf, now ≥ iat).
  it('BM-JWT-014 MUST refuse a token minted ahead for a later window', async () => {
    const ahead = craftJwt(alice.privateKey, windowClaims(alice.hash, nowUnix() + 120));
    mustServerError(await probe(alice, ahead), 401);
  });

  // A genuine token without exp would never expire. api.md §8 item 8 (jwt-go treats exp as optional).
  it('BM-JWT-016 MUST refuse a validly signed token without exp', async () => {
    const now = nowUnix();
    mustServerError(await probe(alice, craftJwt(alice.privateKey, { iat: now - 30, nbf: now - 30, sub: alice.hash })), 401);
  });

  // An expired token whose signature is garbage: the answer must not tell the attacker that the
  // time was the problem (Go checks time claims first, §2.3a). api.md §8 item 8.
  it('BM-JWT-015 SHOULD answer "Unauthorized", not "token time not valid", to a forged expired token', async () => {
    const good = craftJwt(bob.privateKey, windowClaims(alice.hash, nowUnix() - 120));
    mustServerError(await probe(alice, good), 401, 'Unauthorized');
  });
});

describe('security › token subject', () => {
  // bob's own, valid token presented on alice's mailbox. api.md §2.3a ("sub must equal {addr}").
  it('BM-JWT-010 BM-JWT-013 MUST refuse a valid token of another account', async () => {
    mustStatus(await probe(bob, api.jwt(bob)), 200, 'bob\'s token works for bob');
    mustServerError(await probe(alice, api.jwt(bob)), 401, 'Unauthorized');
  });
});
