/**
 * Profile `server`, area `JWT`: the account authenticator (api.md §2.3a; formats.md §8; Go
 * cmd/bm-server/middleware/auth/auth_jwt.go:40-110, internal/api/jwt.go:53-135).
 *
 * A token is accepted iff it verifies with one of the account's keys under the alg of that key
 * type, `sub` is the `{addr}` of the path byte for byte, and `nbf`/`iat` ≤ now ≤ `exp` with no
 * leeway. Every probe goes to `GET /account/{addr}/box/1` (an account route) with a token that
 * differs from a good one in one respect. Tokens are crafted by suites/_support/jwt.ts against
 * the suite's clock: edge cases keep a margin of a few seconds for the trip to the server, so the
 * target's clock must agree with the harness's to within a second.
 *
 * Peer/resolver: none (accounts are registered on the target's resolver as usual).
 */
import { beforeEach, describe, it } from 'vitest';
import type { KeyType } from '../../harness/protocol/keys.ts';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, AccountsByType, type MailAccount } from '../_support/accounts.ts';
import { craftJwt, nowUnix, windowClaims } from '../_support/jwt.ts';
import { mustServerError, mustStatus } from '../_support/must.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-auth', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-auth', target.serverUrl);

// Every test needs the two ed25519 accounts of the file's set-up. The test of another key type
// makes its account in a set-up of its own (its own hook time: an account can cost a 20-bit proof
// of work), and a type the target refuses (the Go key resolver stores no rsa4096 record,
// BM-RES-039) makes only that type's test `unsupported`.
const TYPES: KeyType[] = ['ed25519', 'ecdsa', 'rsa', 'rsa4096'];
const byType = new AccountsByType<MailAccount>();
let alice: MailAccount;
let bob: MailAccount;
const setup = setupOnce(async () => {
  alice = await accounts.create('auth-ed25519');
  bob = await accounts.create('auth-bob');
});
beforeEach(() => setup());

/** GET /account/<a>/box/1 with `authorization` exactly as given (undefined = no header). */
const probe = (a: { hash: string }, authorization?: string) =>
  api.req('GET', `/account/${a.hash}/box/1`, { headers: authorization === undefined ? {} : { authorization } });

describe('server › JWT: accepted tokens', () => {
  // A token minted as formats.md §8 says, for an account of each key type: RS256 (rsa,
  // rsa4096), ES384 (ecdsa), EdDSA (ed25519). api.md §2.3a.
  for (const t of TYPES) {
    describe(`${t} account`, () => {
      const typed = setupOnce(() => byType.make([t], async (k) => (k === 'ed25519' ? alice : accounts.create(`auth-${k}`, k))));
      beforeEach(() => typed());
      it(`BM-JWT-011 BM-JWT-010 MUST accept a conforming token of an account with a ${t} key`, async () => {
        const a = byType.get(t);
        mustStatus(await probe(a, `Bearer ${craftJwt(a.privateKey, windowClaims(a.hash), { rng: api.rng })}`), 200);
      });
    });
  }

  // The prefix is matched case-insensitively (auth_jwt.go:79). api.md §2.3a.
  it('BM-JWT-009 MUST accept the Bearer prefix in lower case', async () => {
    mustStatus(await probe(alice, `bearer ${api.jwt(alice)}`), 200);
  });

  // Lower edge: nbf = iat = now is valid (now ≥ nbf, inclusive). formats.md §8.
  it('BM-JWT-004 MUST accept a token whose nbf and iat are now', async () => {
    const now = nowUnix();
    mustStatus(await probe(alice, `Bearer ${craftJwt(alice.privateKey, { exp: now + 60, iat: now, nbf: now, sub: alice.hash })}`), 200);
  });

  // Upper edge (with 5 s for the trip on a loaded machine): a token in the last seconds before
  // its exp, issued 85 s ago, is still valid. formats.md §8 (now ≤ exp, inclusive).
  it('BM-JWT-004 MUST accept a token in the last seconds before its exp', async () => {
    const now = nowUnix();
    mustStatus(await probe(alice, `Bearer ${craftJwt(alice.privateKey, { exp: now + 5, iat: now - 85, nbf: now - 85, sub: alice.hash })}`), 200);
  });
});

describe('server › JWT: time claims', () => {
  // A genuine token one second past its exp. api.md §2.3a error mapping.
  it('BM-JWT-014 BM-JWT-004 MUST answer 401 "token time not valid" to a validly signed token past its exp', async () => {
    const now = nowUnix();
    mustServerError(await probe(alice, `Bearer ${craftJwt(alice.privateKey, { exp: now - 1, iat: now - 91, nbf: now - 91, sub: alice.hash })}`), 401, 'token time not valid');
  });

  // A genuine token minted for half a minute from now (nbf and iat in the future). api.md §2.3a.
  it('BM-JWT-014 BM-JWT-004 MUST answer 401 "token time not valid" to a validly signed token whose nbf is in the future', async () => {
    const now = nowUnix();
    mustServerError(await probe(alice, `Bearer ${craftJwt(alice.privateKey, { exp: now + 120, iat: now + 30, nbf: now + 30, sub: alice.hash })}`), 401, 'token time not valid');
  });

  // iat in the future alone (nbf already passed): still not valid (now ≥ iat); Go answers the
  // generic "Unauthorized" here, so only the status is pinned. formats.md §8, api.md §2.3a.
  it('BM-JWT-004 MUST refuse a validly signed token whose iat is in the future', async () => {
    const now = nowUnix();
    mustServerError(await probe(alice, `Bearer ${craftJwt(alice.privateKey, { exp: now + 60, iat: now + 30, nbf: now - 30, sub: alice.hash })}`), 401);
  });
});

describe('server › JWT: lifetime', () => {
  // Signed by the account, inside nbf/iat, but without exp: jwt-go treats exp as optional, so
  // Go accepts it for ever. api.md §2.3a, §8 item 8.
  it('BM-JWT-016 MUST answer 401 to a validly signed token without exp', async () => {
    const now = nowUnix();
    mustServerError(await probe(alice, `Bearer ${craftJwt(alice.privateKey, { iat: now - 30, nbf: now - 30, sub: alice.hash })}`), 401);
  });

  // Signed by the account and valid right now, but exp − iat = 600 s: a conforming client mints
  // at most 90 s (formats.md §8), so a captured token would stay replayable for ten minutes.
  // api.md §8 item 8 (Go has no maximum).
  it('BM-JWT-017 SHOULD answer 401 to a validly signed token with a 10-minute lifetime', async () => {
    const now = nowUnix();
    mustServerError(await probe(alice, `Bearer ${craftJwt(alice.privateKey, { exp: now + 300, iat: now - 300, nbf: now - 300, sub: alice.hash })}`), 401);
  });
});

describe('server › JWT: refused tokens', () => {
  // No Authorization header at all. api.md §2.3a.
  it('BM-JWT-013 MUST answer 401 "Unauthorized" without an Authorization header', async () => {
    mustServerError(await probe(alice), 401, 'Unauthorized');
  });

  // A good token under another scheme. api.md §2.3a ("no Bearer").
  it('BM-JWT-013 MUST answer 401 "Unauthorized" to a token sent with a scheme other than Bearer', async () => {
    mustServerError(await probe(alice, `Basic ${api.jwt(alice)}`), 401, 'Unauthorized');
  });

  // Not a JWT. api.md §2.3a ("malformed token").
  it('BM-JWT-013 MUST answer 401 "Unauthorized" to a malformed token', async () => {
    mustServerError(await probe(alice, 'Bearer not.a-jwt'), 401, 'Unauthorized');
  });

  // sub is this account but the signature is by another account's key. api.md §2.3a ("wrong key").
  it('BM-JWT-013 BM-JWT-010 MUST answer 401 "Unauthorized" to a token signed by a key that is not the account\'s', async () => {
    mustServerError(await probe(alice, `Bearer ${craftJwt(bob.privateKey, windowClaims(alice.hash))}`), 401, 'Unauthorized');
  });

  // Signed by this account's key, but sub names another account. api.md §2.3a ("wrong subject").
  it('BM-JWT-013 BM-JWT-010 MUST answer 401 "Unauthorized" to a token of the account whose sub names another account', async () => {
    mustServerError(await probe(alice, `Bearer ${craftJwt(alice.privateKey, windowClaims(bob.hash))}`), 401, 'Unauthorized');
  });

  // sub must equal {addr} byte for byte: the same hash in upper case is another subject.
  // api.md §2.3a, §1.1 (hashes compare case-sensitively).
  it('BM-JWT-010 MUST answer 401 to a token whose sub is the account hash in upper case', async () => {
    mustServerError(await probe(alice, `Bearer ${craftJwt(alice.privateKey, windowClaims(alice.hash.toUpperCase()))}`), 401, 'Unauthorized');
  });

  // An Ed25519 signature under the header alg ES384: the alg family must match the key type.
  // formats.md §8 (JWTHasValidSignMethod).
  it('BM-JWT-013 BM-JWT-005 MUST answer 401 "Unauthorized" when the header alg does not belong to the key type', async () => {
    const good = craftJwt(alice.privateKey, windowClaims(alice.hash));
    const relabelled = craftJwt(alice.privateKey, windowClaims(alice.hash), { alg: 'ES384', signature: good.split('.')[2]! });
    mustServerError(await probe(alice, `Bearer ${relabelled}`), 401, 'Unauthorized');
  });

  // A well-formed token of an identity that has no account on this server. api.md §2.3
  // ("unknown account = 401 Unauthorized, never 404").
  it('BM-JWT-018 MUST answer 401 "Unauthorized", not 404, for an account that does not exist', async () => {
    const ghost = accounts.identity('auth-ghost');
    mustServerError(await probe(ghost, `Bearer ${craftJwt(ghost.privateKey, windowClaims(ghost.hash))}`), 401, 'Unauthorized');
  });
});
