// Generated negative requests against every resolver endpoint (DESIGN.md: bad input gets a clear,
// typed error). Each request is malformed in at least one way (bad or unknown hash, hostile path
// segment, wrong method, body of the wrong shape or type, missing or forged bearer); each must
// get a 4xx answer with the resolver's JSON error body, and the server must stay up and unchanged.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAddress } from '../../protocol/address.ts';
import { formatPublicKey, generateKeyPair } from '../../protocol/keys.ts';
import { formatProofOfWork, solvePow } from '../../protocol/pow.ts';
import { seededRng } from '../../protocol/random.ts';
import { createCa, issueServerCert } from '../tls.ts';
import { ResolverClient } from './client.ts';
import { startResolver, type StartedResolver } from './server.ts';
import https from 'node:https';

/** Generated requests: 1000 in the default run, 5000 in the slow config (`npm run test:slow`). */
const FUZZ_REQUESTS = Number(process.env.BM_FUZZ_REQUESTS ?? 1000);

let srv: StartedResolver;
let rc: ResolverClient;
let httpsAgent: https.Agent;
let caPem = '';
const existing = parseAddress('fuzz-target!');
let existingText = '';

beforeAll(async () => {
  const ca = await createCa();
  srv = await startResolver({ pow: { address: 8, organisation: 8 } }, { tls: await issueServerCert(ca) });
  rc = new ResolverClient({ baseUrl: srv.url, ca: ca.cert });
  caPem = ca.cert;
  httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: ca.cert });
  const kp = generateKeyPair('ed25519', seededRng(new Uint8Array([9])));
  const proof = formatProofOfWork({ bits: 8, data: existing.hash, proof: solvePow(8, existing.hash) });
  await rc.uploadAddress({ hash: existing.hash, userHash: existing.localHash, orgHash: existing.orgHash, publicKey: formatPublicKey(kp.publicKey), routingId: 'a'.repeat(64), proof }, kp.privateKey);
  existingText = (await rc.raw('GET', `/address/${existing.hash}`)).text;
});
afterAll(async () => {
  httpsAgent.destroy();
  await rc.close();
  await srv.close();
});

const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
/** A hash path segment that is wrong for a GET: unknown, malformed or hostile. */
const badHash = fc.oneof(
  hex64, // well-formed but unknown
  fc.stringMatching(/^[0-9a-f]{0,63}$/),
  fc.stringMatching(/^[0-9a-f]{65,70}$/),
  fc.stringMatching(/^[0-9a-zA-Z]{64}$/),
  fc.constantFrom('..', '.', '%2e%2e', '%2F', 'a%2Fb', '%00', '%', '%zz', '', '%C0%AF', encodeURIComponent('../../etc/passwd')),
  fc.string({ maxLength: 80 }).map(encodeURIComponent),
);
/** A hash for a write: the existing record (bearer paths) or anything bad. */
const writeHash = fc.oneof(fc.constant(existing.hash), badHash);

const fields = ['user_hash', 'org_hash', 'public_key', 'routing_id', 'proof', 'redir_hash', 'routing', 'validations', 'status'];
const jsonish = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.constant(2n ** 64n + 1n));
const body = fc.oneof(
  fc.json(),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', 'null', '{', '[]', '{"status":"compromised"}', '{"public_key":"ed25519 AAAA"}', '{"a":1} {"b":2}'),
  fc.dictionary(fc.constantFrom(...fields, ...fields.map((f) => f.toUpperCase())), jsonish, { maxKeys: 6 }).map((o) =>
    JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)),
  ),
);
const authorization = fc.option(
  fc.oneof(fc.string({ maxLength: 40 }), fc.base64String({ maxLength: 120 }).map((b) => `Bearer ${b}`), fc.constantFrom('Bearer', 'Bearer ', 'bearer !!!', 'Basic abc')),
  { nil: undefined },
);

type Req = { method: string; path: string; body?: string | Buffer; authorization?: string };

const request: fc.Arbitrary<Req> = fc.oneof(
  // Reads of unknown or malformed hashes.
  fc.record({ method: fc.constant('GET'), t: fc.constantFrom('/address/H', '/routing/H', '/organisation/H', '/address/H/status/F'), h: badHash, f: badHash })
    .map(({ method, t, h, f }) => ({ method, path: t.replace('H', h).replace('F', f) })),
  // Writes with bad bodies and/or bearers.
  fc.record({
    method: fc.constantFrom('POST', 'DELETE'),
    t: fc.constantFrom('/address/H', '/address/H/delete', '/address/H/undelete', '/address/H/status/F', '/routing/H', '/organisation/H', '/organisation/H/delete', '/organisation/H/undelete'),
    h: writeHash,
    f: fc.oneof(hex64, badHash),
    body,
    authorization,
  }).map(({ method, t, h, f, body, authorization }) => ({
    method,
    path: t.replace('H', h).replace('F', f),
    body,
    authorization,
  })),
  // Wrong methods and unknown paths.
  fc.record({
    method: fc.constantFrom('PUT', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE'),
    t: fc.constantFrom('/', '/config.json', '/address/H', '/routing/H', '/organisation/H', '/address/H/status/F'),
    h: writeHash,
  }).map(({ method, t, h }) => ({ method, path: t.replace('H', h).replace('F', h) })),
  fc.record({ method: fc.constantFrom('GET', 'POST'), p: fc.array(fc.string({ maxLength: 12 }).map(encodeURIComponent), { minLength: 1, maxLength: 5 }) })
    .map(({ method, p }) => ({ method, path: `/x${p.join('/')}/` })),
);

/** Send over one keep-alive TLS connection (node https: the path goes out verbatim). */
function send(r: Req): Promise<{ status: number; text: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const u = new URL(srv.url);
    const req = https.request(
      {
        host: u.hostname, port: u.port, method: r.method, path: r.path || '/', agent: httpsAgent, ca: caPem,
        headers: { ...(r.authorization !== undefined ? { authorization: r.authorization } : {}), ...(r.body !== undefined ? { 'content-length': Buffer.byteLength(r.body) } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8'), type: res.headers['content-type'] }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

describe('resolver under generated malformed requests', () => {
  it('BM-API-012 BM-RES-007 answers every malformed request with 4xx and a {"message","status":"error"} body, and stays up', async () => {
    let count = 0;
    let conns = 0;
    srv.server.on('secureConnection', () => { conns++; });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        count++;
        const res = await send(r);
        const where = `${r.method} ${r.path} body=${JSON.stringify(String(r.body ?? '')).slice(0, 80)} → ${res.status} ${res.text.slice(0, 120)}`;
        expect(res.status, where).toBeGreaterThanOrEqual(400);
        expect(res.status, where).toBeLessThan(500);
        if (r.method === 'HEAD') return; // no body by definition
        expect(res.type, where).toBe('application/json');
        const j = JSON.parse(res.text) as Record<string, unknown>;
        expect(Object.keys(j), where).toEqual(['message', 'status']);
        expect(j.status, where).toBe('error');
        expect(typeof j.message, where).toBe('string');
      }),
      { numRuns: FUZZ_REQUESTS, seed: 20261127 },
    );
    expect(count).toBeGreaterThanOrEqual(FUZZ_REQUESTS);
    expect(conns, 'error answers must not cost the connection').toBeLessThan(count / 10);
    // Still up, and nothing was changed by any of it.
    expect((await rc.raw('GET', '/config.json')).status).toBe(200);
    expect((await rc.raw('GET', `/address/${existing.hash}`)).text).toBe(existingText);
  }, 120_000);
});
