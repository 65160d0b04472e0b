/**
 * Profile `server`, area `API`: HTTP conventions of the mail server — error bodies, malformed
 * JSON, wrong types, router answers and path tricks (api.md §1.6, §2.2, §2.4; Go
 * cmd/bm-server/internal/httputils/http.go:31-95, gorilla/mux v1.8.0 behaviour).
 *
 * An error is `{"error":true,"status":"<message>"}` with `Content-Type: application/json`, one
 * JSON object per answer. Path tricks (dot segments, encoded slashes) must never reach another
 * account's data: Go's router cleans and redirects them (301), a stricter server refuses them
 * with a 4xx. A 5xx or a dropped connection is neither: a crash is not a refusal.
 *
 * Peer/resolver: none.
 */
import { beforeEach, describe, it } from 'vitest';
import { setupOnce } from '../_support/target.ts';
import { useMailTarget, MailApi } from '../_support/mail.ts';
import { SuiteResolver } from '../_support/resolver.ts';
import { AccountFactory, type MailAccount } from '../_support/accounts.ts';
import { header } from '../_support/http.ts';
import { must, mustBe, mustServerError, mustStatus } from '../_support/must.ts';
import { compactJsonText, matchIndented, matchJsonContentType, isObject } from '../_support/match.ts';

const target = await useMailTarget();
const resolver = new SuiteResolver('server-errors', target.resolverUrl);
const accounts = new AccountFactory(resolver, { url: target.serverUrl!, adminKey: target.adminKey });
const api = new MailApi('server-errors', target.serverUrl);

let alice: MailAccount;
let bob: MailAccount;
const setup = setupOnce(async () => {
  alice = await accounts.create('er-alice');
  bob = await accounts.create('er-bob');
});
beforeEach(() => setup());

const MALFORMED = /^Malformed JSON: /;

describe('server › error bodies', () => {
  // A body that is not JSON: 400 "Malformed JSON: …" as a JSON error with the JSON media type.
  // api.md §1.6, §2.4.
  it('BM-API-001 BM-API-004 MUST answer a body that is not JSON with 400 "Malformed JSON: …" as application/json', async () => {
    const r = await accounts.postAccount('{"address": "abc", ');
    mustServerError(r, 400, MALFORMED);
    must(matchJsonContentType(header(r, 'content-type')));
  });

  // An empty body (Go: "Malformed JSON: EOF"). api.md §2.4.
  it('BM-API-004 MUST answer an empty body with 400 "Malformed JSON: …"', async () => {
    mustServerError(await api.req('POST', '/account', { body: '', headers: { 'content-type': 'application/json' } }), 400, MALFORMED);
  });

  // A field of the wrong JSON type (a number where a string goes). api.md §2.4.
  it('BM-API-004 MUST answer a field of the wrong type with 400 "Malformed JSON: …"', async () => {
    mustServerError(await api.req('POST', '/ticket', { json: { sender: 5, recipient: bob.hash, subscription_id: '', preference: [] } }), 400, MALFORMED);
  });

  // A JSON array where an object goes. api.md §2.4.
  it('BM-API-004 MUST answer a JSON array body with 400 "Malformed JSON: …"', async () => {
    mustServerError(await api.req('POST', '/ticket', { body: '[1,2,3]', headers: { 'content-type': 'application/json' } }), 400, MALFORMED);
  });

  // Go answers some malformed bodies with two concatenated JSON objects ([double], e.g. box
  // creation); the answer must be one object. api.md §3 [double], §8 item 12.
  it('BM-API-003 BM-API-004 MUST answer a malformed box creation with exactly one JSON error object', async () => {
    const r = await api.account('POST', alice, '/boxes', { body: '{"parent_box_id": "one"}', headers: { 'content-type': 'application/json' } });
    mustStatus(r, 400);
    mustBe(isObject(r.json), `the body must be exactly one JSON object, got ${r.text}`, 'one JSON object', r.text);
    mustServerError(r, 400);
  });

  // Error texts are for the client, not a map of the server's disks. api.md §3.2 A5, §8 item 12.
  it('BM-API-011 SHOULD NOT disclose file-system paths in an error', async () => {
    const r = await api.account('GET', alice, '/message/00000000-0000-4000-8000-000000000000');
    mustStatus(r, 404);
    mustBe(!/(^|[\s:"'])(\/[A-Za-z0-9._-]+){2,}|[A-Za-z]:\\/.test(r.text), `the error must not contain a file path: ${r.text}`, 'no path', r.text);
  });
});

describe('server › router', () => {
  // GET / is the info page, text/html. api.md §3.1 P1.
  it('BM-API-010 MUST answer GET / with 200 text/html', async () => {
    const r = await api.req('GET', '/');
    mustStatus(r, 200);
    mustBe(/^text\/html/i.test(header(r, 'content-type') ?? ''), `Content-Type must be text/html, got ${header(r, 'content-type')}`, 'text/html', header(r, 'content-type'));
  });

  // A path no route knows. api.md §2.2.
  it('BM-API-008 MUST answer 404 for an unknown path', async () => {
    mustStatus(await api.req('GET', '/no/such/endpoint'), 404);
  });

  // A known path with another method: 405 before any authentication (no Authorization sent).
  // api.md §2.2.
  it('BM-API-007 MUST answer 405, not 401, to a known path with a method it does not serve', async () => {
    mustStatus(await api.req('PUT', `/account/${alice.hash}/boxes`), 405);
  });

  // An {addr} of 63 characters does not match the account routes (404, not 401). api.md §2.2.
  it('BM-API-009 MUST NOT match an account route whose address segment is not 64 characters', async () => {
    mustStatus(await api.req('GET', `/account/${alice.hash.slice(1)}/boxes`, { bearer: api.jwt(alice) }), 404);
  });

  // mux StrictSlash: a trailing slash is redirected to the path without it. api.md §2.2.
  it('BM-API-006 SHOULD redirect a path with a trailing slash to the path without it', async () => {
    const r = await api.req('GET', `/account/${alice.hash}/keys/`);
    mustStatus(r, 301);
    mustBe((header(r, 'location') ?? '').endsWith(`/account/${alice.hash}/keys`), `Location must be the path without the slash, got ${header(r, 'location')}`, `/account/${alice.hash}/keys`, header(r, 'location'));
  });

  // Dot segments and encoded separators must not lead alice's token into bob's mailbox.
  // api.md §2.2 (mux cleans paths and redirects; Go's handlers build file paths from segments).
  it.each([
    ['a dot-dot segment', (a: string, b: string) => `/account/${a}/../${b}/box/1`],
    ['encoded slashes', (a: string, b: string) => `/account/${a}%2F..%2F${b}/box/1`],
    ['an encoded dot-dot segment', (a: string, b: string) => `/account/${a}/%2e%2e/${b}/box/1`],
  ])('BM-API-009 MUST NOT serve another account\'s box through a path with %s', async (_what, path) => {
    const r = await api.req('GET', path(alice.hash, bob.hash), { bearer: api.jwt(alice) });
    mustBe(r.status >= 300 && r.status < 500, `a path trick must be redirected (3xx) or refused (4xx), got ${r.status}: ${r.text.slice(0, 200)}`, '3xx or 4xx', r.status);
  });

  // A ticket id with path characters is not a ticket. api.md §3.1 P5 (route `[A-Za-z0-9-]+`).
  it('BM-API-009 MUST NOT accept a ticket id that carries path segments', async () => {
    const r = await api.req('POST', '/ticket/..%2F..%2Faccounts', { json: { proof: 1 } });
    mustBe(r.status >= 300 && r.status < 500, `expected a redirect (3xx) or a refusal (4xx), got ${r.status}: ${r.text.slice(0, 200)}`, '3xx or 4xx', r.status);
  });
});

describe('server › pretty output', () => {
  // `?pretty=1` is Go's prettyjson middleware: handler bodies (`JSONOut`) come out indented by
  // two spaces, with the same members, order and literals. Checked on a public route and on an
  // authenticated one: without the whitespace between tokens, the pretty text must be the plain
  // text byte for byte. Indenting is what Go does; a server that ignores `pretty` passes too.
  // api.md §1.6, §2.2 (middleware/prettyjson.go, httputils/http.go JSONOut).
  it.each([
    ['the public keys of an account', () => ({ path: `/account/${alice.hash}/keys`, auth: false })],
    ['the box list of an account', () => ({ path: `/account/${alice.hash}/boxes`, auth: true })],
  ])('BM-API-015 MUST answer ?pretty=1 on %s with the same JSON, only indented', async (_what, route) => {
    const { path, auth } = route();
    const opts = auth ? { bearer: api.jwt(alice) } : {};
    const plain = await api.req('GET', path, opts);
    const pretty = await api.req('GET', `${path}?pretty=1`, opts);
    mustStatus(plain, 200);
    mustStatus(pretty, 200);
    mustBe(compactJsonText(pretty.text) === compactJsonText(plain.text), `?pretty=1 changed more than whitespace:\nplain:  ${plain.text.slice(0, 300)}\npretty: ${pretty.text.slice(0, 300)}`, compactJsonText(plain.text), compactJsonText(pretty.text));
    if (pretty.text !== plain.text) must(matchIndented(pretty.text));
  });
});
