/**
 * Bad requests to the reference mail server get a JSON error body with the documented status
 * (spec/api.md §2.3, §2.4, §3; intended behaviour per harness/reference/DEVIATIONS.md), and a
 * few thousand generated malformed requests at every endpoint never crash it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createPrivateKey, sign as nodeSign } from 'node:crypto';
import { GO_ED25519_1, GO_ED25519_2, GO_ED25519_4 } from '../../protocol/fixtures.ts';
import { parsePrivateKey } from '../../protocol/keys.ts';
import { createJwt } from '../../protocol/jwt.ts';
import { formatProofOfWork, parseProofOfWork, solvePow, verifyPow } from '../../protocol/pow.ts';
import { parseAddress } from '../../protocol/address.ts';
import { fixedClock, systemClock } from '../../protocol/random.ts';
import { toB64url } from '../../protocol/bytes.ts';
import type { MailServer } from './index.ts';
import { ADMIN_KEY, startTestEnv, type TestEnv } from './_testenv.ts';
import type { ClientAccount, RawResponse } from '../client.ts';

let env: TestEnv;
let S: MailServer;
let carol: ClientAccount;
let dave: ClientAccount;
const json = { 'content-type': 'application/json' };
/** Generated requests in the fuzz test: 500 in the default run, 5000 in the slow config (`npm run test:slow`, vitest.slow.config.ts). */
const FUZZ_REQUESTS = Number(process.env.BM_FUZZ_REQUESTS ?? 500);

beforeAll(async () => {
  env = await startTestEnv('errors');
  // Webhooks on, so their routes are fuzzed too (webhooks are created disabled: nothing is posted).
  S = await env.startServer({ limits: { maxJsonBytes: 64 * 1024, maxBlobBytes: 256 * 1024 }, webhooks: true });
  carol = await env.account(S, 'carol!', GO_ED25519_1.privateKey);
  dave = await env.account(S, 'dave!', GO_ED25519_2.privateKey);
}, 60_000);
afterAll(async () => {
  await env?.close();
});

const req = (method: string, path: string, init: { body?: string | Uint8Array; headers?: Record<string, string> } = {}) => env.client.raw(method, `${S.url}${path}`, init);
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const jwtFor = (a: ClientAccount, clock = systemClock) => createJwt(parsePrivateKey(a.privateKey), a.hash, clock);

function expectError(r: RawResponse, status: number, message?: string | RegExp) {
  expect(r.status).toBe(status);
  expect(r.headers['content-type']).toMatch(/application\/json/);
  expect(r.json).toMatchObject({ error: true });
  if (message !== undefined) expect((r.json as { status: string }).status).toMatch(message);
}

async function accountBody(address: string, over: Record<string, unknown> = {}, bits = 8) {
  const a = parseAddress(address);
  const token = await env.invite(S, a.hash);
  const proof = formatProofOfWork({ bits, data: a.hash, proof: solvePow(bits, a.hash) });
  return { address: a.hash, user_hash: a.localHash, org_hash: a.orgHash, token, public_key: GO_ED25519_4.publicKey, proof_of_work: proof, ...over };
}

describe('mail server: account creation errors (P2, checks in documented order)', () => {
  it('answers 400 "Malformed JSON" for a body that is not JSON, and for an empty body', async () => {
    expectError(await req('POST', '/account', { headers: json, body: '{"address":' }), 400, /^Malformed JSON/);
    expectError(await req('POST', '/account', { headers: json, body: '' }), 400, 'Malformed JSON: EOF');
  });
  it('answers 400 "Malformed JSON" for fields of the wrong JSON type', async () => {
    expectError(await req('POST', '/account', { headers: json, body: JSON.stringify(await accountBody('erin!', { address: 5 })) }), 400, /^Malformed JSON/);
    expectError(await req('POST', '/account', { headers: json, body: '[1,2]' }), 400, /^Malformed JSON/);
  });
  it('answers 400 "Malformed JSON" for an unparseable key or proof-of-work string', async () => {
    expectError(await req('POST', '/account', { headers: json, body: JSON.stringify(await accountBody('erin!', { public_key: 'ed25519 !!!' })) }), 400, /^Malformed JSON/);
    expectError(await req('POST', '/account', { headers: json, body: JSON.stringify(await accountBody('erin!', { proof_of_work: '8$x' })) }), 400, /^Malformed JSON/);
  });
  it('refuses a proof of work with too few bits', async () => {
    expectError(await req('POST', '/account', { headers: json, body: JSON.stringify(await accountBody('erin!', {}, 4)) }), 400, 'Proof of work must be at least 8 bits');
  });
  it('refuses a proof of work reused from another address', async () => {
    const other = parseAddress('frank!').hash;
    const reused = formatProofOfWork({ bits: 8, data: other, proof: solvePow(8, other) });
    const a = parseAddress('erin!').hash;
    expect(verifyPow(8, a, parseProofOfWork(reused).proof)).toBe(false);
    expectError(await req('POST', '/account', { headers: json, body: JSON.stringify(await accountBody('erin!', { proof_of_work: reused })) }), 400, 'incorrect proof of work');
  });
  it('refuses mismatched address hashes', async () => {
    const body = await accountBody('erin!', { user_hash: parseAddress('frank!').localHash });
    expectError(await req('POST', '/account', { headers: json, body: JSON.stringify(body) }), 400, 'cant verify the address hashes');
  });
  it('refuses an invite token for another address, a malformed token, and an existing account', async () => {
    const frankToken = await env.invite(S, parseAddress('frank!').hash);
    expectError(await req('POST', '/account', { headers: json, body: JSON.stringify(await accountBody('erin!', { token: frankToken })) }), 400, 'cannot validate token');
    expectError(await req('POST', '/account', { headers: json, body: JSON.stringify(await accountBody('erin!', { token: 'Zm9v' })) }), 400, 'cannot validate token');
    const carolBody = await accountBody('carol!');
    expectError(await req('POST', '/account', { headers: json, body: JSON.stringify(carolBody) }), 400, 'account already exists');
  });
});

describe('mail server: authentication errors (§2.3)', () => {
  const boxes = (a: ClientAccount) => `/account/${a.hash}/box/1`;
  it('answers 401 "Unauthorized" without a token, with a garbage token, and for an unknown account', async () => {
    expectError(await req('GET', boxes(carol)), 401, 'Unauthorized');
    expectError(await req('GET', boxes(carol), { headers: bearer('a.b.c') }), 401, 'Unauthorized');
    expectError(await req('GET', `/account/${'ab'.repeat(32)}/box/1`, { headers: bearer(jwtFor(carol)) }), 401, 'Unauthorized');
  });
  it('answers 401 "token time not valid" for an expired token of the account', async () => {
    const old = jwtFor(carol, fixedClock(systemClock.now() - 300));
    expectError(await req('GET', boxes(carol), { headers: bearer(old) }), 401, 'token time not valid');
  });
  it('answers 401 "Unauthorized" (not a time error) for an expired token with a bad signature', async () => {
    const old = jwtFor(carol, fixedClock(systemClock.now() - 300)).split('.');
    const forged = `${old[0]}.${old[1]}.${toB64url(new Uint8Array(64))}`;
    expectError(await req('GET', boxes(carol), { headers: bearer(forged) }), 401, 'Unauthorized');
  });
  it('refuses a token of the account without exp, with exp 0, or living longer than 90 s (STRICT_JWT_OPTIONS: BM-JWT-016, BM-JWT-017)', async () => {
    const key = createPrivateKey({ key: Buffer.from(parsePrivateKey(carol.privateKey).der), format: 'der', type: 'pkcs8' }); // carol: Ed25519
    const token = (claims: Record<string, unknown>) => {
      const input = `${toB64url(Buffer.from('{"alg":"EdDSA","typ":"JWT"}'))}.${toB64url(Buffer.from(JSON.stringify(claims)))}`;
      return `${input}.${toB64url(nodeSign(null, Buffer.from(input), key))}`;
    };
    const now = systemClock.now();
    // The crafting is right: a 90 s token from the same helper is accepted.
    expect((await req('GET', boxes(carol), { headers: bearer(token({ exp: now + 30, iat: now - 60, nbf: now - 60, sub: carol.hash })) })).status).toBe(200);
    expectError(await req('GET', boxes(carol), { headers: bearer(token({ iat: now - 30, nbf: now - 30, sub: carol.hash })) }), 401, 'Unauthorized');
    expectError(await req('GET', boxes(carol), { headers: bearer(token({ exp: 0, iat: now - 30, nbf: now - 30, sub: carol.hash })) }), 401, 'Unauthorized');
    expectError(await req('GET', boxes(carol), { headers: bearer(token({ exp: now + 300, iat: now - 300, nbf: now - 300, sub: carol.hash })) }), 401, 'Unauthorized');
    // Long-lived and already expired: still "Unauthorized", the lifetime is judged before the time.
    expectError(await req('GET', boxes(carol), { headers: bearer(token({ exp: now - 10, iat: now - 610, nbf: now - 610, sub: carol.hash })) }), 401, 'Unauthorized');
  });
  it('refuses the valid token of another account', async () => {
    expectError(await req('GET', boxes(carol), { headers: bearer(jwtFor(dave)) }), 401, 'Unauthorized');
  });
  it('refuses an alg "none" token', async () => {
    const now = systemClock.now();
    const h = toB64url(Buffer.from('{"alg":"none","typ":"JWT"}'));
    const c = toB64url(Buffer.from(JSON.stringify({ exp: now + 60, iat: now - 30, nbf: now - 30, sub: carol.hash })));
    expectError(await req('GET', boxes(carol), { headers: bearer(`${h}.${c}.`) }), 401, 'Unauthorized');
  });
  it('refuses the admin endpoints without the admin key', async () => {
    expectError(await req('POST', '/admin/invite', { headers: { ...json, ...bearer('BMK-nope') }, body: '{}' }), 401, 'Unauthorized');
    expectError(await req('POST', '/admin/flush', { headers: bearer(jwtFor(carol)) }), 401);
  });
});

describe('mail server: ticket and upload errors (§3.1 P4–P11)', () => {
  const upload = (path: string, ticket: string, body: string | Uint8Array = '{}') => req('POST', path, { headers: { 'x-bitmaelum-ticket': ticket, ...json }, body });
  async function clientTicket(): Promise<string> {
    const r = await req('POST', `/account/${carol.hash}/ticket`, { headers: { ...json, ...bearer(jwtFor(carol)) }, body: JSON.stringify({ sender: carol.hash, recipient: dave.hash, subscription_id: '' }) });
    expect(r.status).toBe(200);
    return (r.json as { ID: string }).ID;
  }
  it('answers 404 for an unknown ticket id and 401 for uploads with an unknown ticket', async () => {
    expectError(await req('POST', '/ticket/00000000-0000-4000-8000-000000000000', { headers: json, body: '{"proof":1}' }), 404, 'ticket not found');
    expectError(await upload('/incoming/header', '00000000-0000-4000-8000-000000000000'), 401, 'invalid ticket id or ticket not valid');
    expectError(await upload('/incoming/catalog', ''), 401);
  });
  it('refuses a public ticket for a recipient that is not local, and a client ticket for another sender', async () => {
    expectError(await req('POST', '/ticket', { headers: json, body: JSON.stringify({ sender: carol.hash, recipient: 'ab'.repeat(32) }) }), 400, /recipient isn't found/);
    const r = await req('POST', `/account/${carol.hash}/ticket`, { headers: { ...json, ...bearer(jwtFor(carol)) }, body: JSON.stringify({ sender: dave.hash, recipient: dave.hash }) });
    expectError(r, 403, /sender/);
  });
  it('keeps a ticket invalid for a wrong or reused proof of work (200, Valid false)', async () => {
    const t1 = (await req('POST', '/ticket', { headers: json, body: JSON.stringify({ sender: carol.hash, recipient: dave.hash }) })).json as { ID: string; Work: { Data: string } };
    const t2 = (await req('POST', '/ticket', { headers: json, body: JSON.stringify({ sender: carol.hash, recipient: dave.hash }) })).json as { ID: string; Work: { Data: string } };
    const w1 = parseProofOfWork(t1.Work.Data);
    const w2 = parseProofOfWork(t2.Work.Data);
    let p = solvePow(w1.bits, w1.data, 1n);
    while (verifyPow(w2.bits, w2.data, p)) p = solvePow(w1.bits, w1.data, p + 1n);
    const reused = await req('POST', `/ticket/${t2.ID}`, { headers: json, body: `{"proof":${p}}` });
    expect(reused.status).toBe(200);
    expect((reused.json as { Valid: boolean }).Valid).toBe(false);
    const ok = await req('POST', `/ticket/${t1.ID}`, { headers: json, body: `{"proof":${p}}` });
    expect((ok.json as { Valid: boolean }).Valid).toBe(true);
    // Uploads with the never-validated ticket are refused.
    expectError(await upload('/incoming/header', t2.ID), 401);
    expectError(await req('POST', `/ticket/${t2.ID}`, { headers: json, body: '{"proof":"x"}' }), 400, /^Malformed JSON/);
  });
  it('answers 409 for POST /incoming before the header and catalog, 400 for a bad header', async () => {
    const t = await clientTicket();
    expectError(await req('POST', '/incoming', { headers: { 'x-bitmaelum-ticket': t } }), 409, 'message incomplete: header not uploaded');
    expectError(await upload('/incoming/header', t, 'not json'), 400, 'invalid header posted');
    expectError(await upload('/incoming/header', t, JSON.stringify({ from: { address: dave.hash }, to: { address: dave.hash } })), 400, 'header from/to address do not match the ticket');
    expectError(await req('DELETE', '/incoming', { headers: { 'x-bitmaelum-ticket': t } }), 404, 'message not found');
  });
  it('refuses every upload with a ticket spent by DELETE /incoming', async () => {
    const t = await clientTicket();
    expect((await upload('/incoming/catalog', t, 'abc')).status).toBe(200);
    expect((await req('DELETE', '/incoming', { headers: { 'x-bitmaelum-ticket': t } })).status).toBe(200);
    expectError(await upload('/incoming/catalog', t, 'abc'), 401, 'invalid ticket id or ticket not valid');
    expectError(await req('POST', '/incoming', { headers: { 'x-bitmaelum-ticket': t } }), 401);
  });
  it('answers 413 for bodies over the limits', async () => {
    const t = await clientTicket();
    expectError(await upload('/incoming/catalog', t, new Uint8Array(300 * 1024)), 413);
    expectError(await req('POST', '/account', { headers: json, body: 'x'.repeat(100 * 1024) }), 413);
  });
});

describe('mail server: path tricks and unknown routes', () => {
  it('answers 400 JSON for dot segments, encoded separators and NUL in ids', async () => {
    const h = { ...bearer(jwtFor(carol)) };
    for (const p of [
      `/account/${carol.hash}/message/..%2F..%2Fx`,
      `/account/${carol.hash}/message/%2e%2e`,
      `/account/${carol.hash}/message/a%00b`,
      `/account/${carol.hash}/message/x/block/..%5C..%5Ccatalog`,
      `/incoming/block/%2e%2e`,
    ]) {
      const r = await req(p.startsWith('/incoming') ? 'POST' : 'GET', p, { headers: h });
      expectError(r, 400);
    }
  });
  it('answers 404 JSON for ids outside the route charset and for unknown paths, 405 JSON for a wrong method', async () => {
    const h = bearer(jwtFor(carol));
    expectError(await req('GET', `/account/${carol.hash}/message/a.b`, { headers: h }), 404);
    expectError(await req('GET', `/account/${carol.hash}/store/short`, { headers: h }), 404);
    expectError(await req('GET', '/nope'), 404);
    expectError(await req('PUT', '/account'), 405);
  });
  it('answers 404 "message not found" for a message of another account', async () => {
    expectError(await req('GET', `/account/${carol.hash}/message/00000000-0000-4000-8000-000000000000`, { headers: bearer(jwtFor(carol)) }), 404, 'message not found');
  });
  it('answers 400 "incorrect address" for keys of a non-hex address and 404 for an unknown one', async () => {
    expectError(await req('GET', `/account/${'z'.repeat(64)}/keys`), 400, 'incorrect address');
    expectError(await req('GET', `/account/${'ab'.repeat(32)}/keys`), 404, 'public keys not found');
    const ok = await req('GET', `/account/${carol.hash}/keys`);
    expect(ok.json).toEqual({ public_keys: [GO_ED25519_1.publicKey] });
  });
});

describe('mail server: generated malformed requests', () => {
  it('answers every generated malformed request at every endpoint with a JSON body (500 by default, 5000 in the slow run), and keeps serving', async () => {
    const h = carol.hash;
    const hostile = fc.oneof(
      fc.constantFrom('', '.', '..', '%2e%2e', '%2F', '..%2F..', '%00', 'a%5Cb', '%', '%zz', 'BMK-x', h, h.toUpperCase(), '1', '-1', '0', '99999999999', 'catalog', 'header'),
      fc.string({ maxLength: 80 }).map(encodeURIComponent),
      fc.stringMatching(/^[A-Za-z0-9-]{1,70}$/),
    );
    const templates: [string, string][] = [
      ['POST', '/account'], ['GET', '/account/{h}/keys'], ['GET', '/account/{x}/keys'], ['POST', '/ticket'], ['POST', '/ticket/{x}'],
      ['POST', '/incoming/header'], ['POST', '/incoming/catalog'], ['POST', '/incoming/block/{x}'], ['POST', '/incoming/attachment/{x}'],
      ['POST', '/incoming'], ['DELETE', '/incoming'], ['POST', '/account/{h}/boxes'], ['GET', '/account/{h}/boxes'], ['GET', '/account/{h}/box/{x}'],
      ['DELETE', '/account/{h}/box/{x}'], ['POST', '/account/{h}/ticket'], ['GET', '/account/{h}/message/{x}'], ['DELETE', '/account/{h}/message/{x}'],
      ['GET', '/account/{h}/message/{x}/block/{x}'], ['GET', '/account/{h}/message/{x}/attachment/{x}'], ['POST', '/account/{h}/message/{x}/move'],
      ['POST', '/account/{h}/message/{x}/copy'], ['POST', '/account/{h}/message/{x}/delete'], ['GET', '/account/{h}/delivery/{x}'],
      ['POST', '/account/{h}/apikey'], ['GET', '/account/{h}/apikey'], ['GET', '/account/{h}/apikey/{x}'], ['DELETE', '/account/{h}/apikey/{x}'],
      ['POST', '/account/{h}/authkey'], ['GET', '/account/{h}/authkey'], ['GET', '/account/{h}/authkey/{x}'], ['DELETE', '/account/{h}/authkey/{x}'],
      ['GET', '/account/{h}/store/{s}'], ['POST', '/account/{h}/store/{s}'], ['DELETE', '/account/{h}/store/{s}'],
      ['POST', '/admin/flush'], ['POST', '/admin/invite'], ['POST', '/admin/apikey'], ['PUT', '/account/{h}/boxes'], ['GET', '/{x}'],
      ['POST', '/account/{h}/webhook'], ['GET', '/account/{h}/webhook'], ['GET', '/account/{h}/webhook/{x}'], ['POST', '/account/{h}/webhook/{x}'],
      ['DELETE', '/account/{h}/webhook/{x}'], ['POST', '/account/{h}/webhook/{x}/enable'], ['POST', '/account/{h}/webhook/{x}/disable'],
    ];
    const bodies = fc.oneof(
      fc.json({ maxDepth: 3 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({ sender: hostile, recipient: fc.constantFrom(h, dave.hash, ''), proof: fc.oneof(fc.integer(), fc.string()), address: hostile, permissions: fc.array(fc.string()), parent_box_id: fc.oneof(fc.integer(), fc.constant(null)), from: fc.integer(), to: fc.integer(), public_key: fc.string(), expires: fc.integer() }).map((v) => JSON.stringify(v)),
      fc.record({ type: fc.oneof(fc.integer({ min: -1, max: 2 }), fc.string()), event: fc.oneof(fc.constantFrom(1, 999, 0, 1000), fc.string()), enabled: fc.boolean(), config: fc.oneof(fc.string(), fc.constant('{"URL":"http://127.0.0.1:9/"}'), fc.integer()) }).map((v) => JSON.stringify(v)),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
      fc.constantFrom('', '{', '{"proof":18446744073709551616}', '{"parent_box_id":1e400}', 'null', '[]', '"x"'),
    );
    const auths = fc.oneof(
      fc.constant(undefined),
      fc.constant('valid'),
      fc.constant('admin'),
      fc.string({ maxLength: 40 }).map((s) => `Bearer ${s.replace(/[^\x21-\x7e]/g, 'x')}`),
      fc.constantFrom('Bearer BMK-' + 'a'.repeat(32), 'bearer x.y.z', 'Basic abc'),
    );
    let served = 0;
    let reqMs = 0;
    const tStart = performance.now();
    const oneRequest = fc.tuple(fc.constantFrom(...templates), hostile, hostile, bodies, auths, fc.option(hostile));
    const validJwt = jwtFor(carol); // minted once: valid for at least 60 s
    const send = async ([[method, tpl], x1, x2, body, auth, ticket]: [[string, string], string, string, string, string | undefined, string | null]) => {
      let n = 0;
      const path = tpl.replace('{h}', h).replace('{s}', 'a'.repeat(64)).replace(/\{x\}/g, () => (n++ === 0 ? x1 : x2) || 'x');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (auth === 'valid') headers.authorization = `Bearer ${validJwt}`;
      else if (auth === 'admin') headers.authorization = `Bearer ${ADMIN_KEY}`;
      else if (auth !== undefined) headers.authorization = auth;
      if (ticket !== null) headers['x-bitmaelum-ticket'] = decodeURIComponent(ticket.replace(/%(?![0-9a-fA-F]{2})/g, '%25')).replace(/[^\x21-\x7e]/g, 'x');
      const t0 = performance.now();
      const r = await env.client.raw(method, `${S.url}${path}`, { headers, body: method === 'GET' ? undefined : body });
      reqMs += performance.now() - t0;
      served++;
      const where = `${method} ${path} → ${r.status} ${Buffer.from(r.body).toString('utf8').slice(0, 200)}`;
      expect(r.status, where).toBeGreaterThanOrEqual(200);
      expect(r.status, where).toBeLessThan(500);
      if (r.status >= 300) {
        expect(r.headers['content-type'], where).toMatch(/application\/json/);
        expect(r.json, where).toMatchObject({ error: true, status: expect.any(String) });
      } else if (r.status !== 204 && path !== '/') {
        expect(r.json !== undefined || r.headers['content-type'] === 'application/binary', where).toBe(true);
      }
    };
    // Batches of 10 requests in flight at once.
    await fc.assert(
      fc.asyncProperty(fc.array(oneRequest, { minLength: 10, maxLength: 10 }), async (batch) => {
        await Promise.all(batch.map((b) => send(b as never)));
      }),
      { numRuns: Math.ceil(FUZZ_REQUESTS / 10), seed: 42 },
    );
    expect(served).toBeGreaterThanOrEqual(FUZZ_REQUESTS);
    if (process.env.BM_FUZZ_TRACE) console.log('request ms', reqMs, 'total ms', performance.now() - tStart);
    // Still alive and correct.
    const ok = await req('GET', `/account/${carol.hash}/keys`);
    expect(ok.status).toBe(200);
  }, 300_000);
});
