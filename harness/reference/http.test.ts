// Tests of the shared HTTP layer over the wire (http.ts, listener.ts, router.ts): routing as
// gorilla/mux does it where it matters (spec/api.md §2.2), JSON error bodies in both §1.6 shapes
// (error-formats.ts), limits, and the catch-all. The router alone: router.test.ts.
// Plain HTTP on 127.0.0.1 keeps these fast; TLS is covered in tls.test.ts.
import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInput } from '../protocol/errors.ts';
import { HttpError, parseJsonBody } from './handler.ts';
import { mailErrorFormat, resolverErrorFormat } from './error-formats.ts';
import { Router } from './router.ts';
import { startHttpServer, type RunningServer } from './http.ts';

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

/** One request with the path sent verbatim (no URL normalisation). */
function send(port: number, method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer; agent?: http.Agent } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: opts.headers, agent: opts.agent ?? false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Raw bytes over a socket; resolves with everything the server sent until it closed or `ms` passed. */
function rawExchange(port: number, data: string, ms = 2000): Promise<string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => { clearTimeout(t); s.destroy(); resolve(Buffer.concat(chunks).toString('latin1')); };
    const t = setTimeout(done, ms);
    s.on('data', (c) => chunks.push(c));
    s.on('end', done);
    s.on('error', done);
    s.write(data);
  });
}

function jsonOf(r: Reply): unknown {
  expect(r.headers['content-type']).toBe('application/json');
  return JSON.parse(r.body);
}

function buildRouter(): Router {
  const r = new Router({ errorFormat: mailErrorFormat });
  r.get('/item/{id}', (_q, p) => ({ status: 200, json: { id: p.id!, big: 18446744073709551615n } }));
  r.post('/item/{id}', (_q, p, body) => {
    const v = parseJsonBody(body);
    if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v.n !== 'bigint') throw new HttpError(400, 'n: expected a big integer');
    return { status: 201, json: { id: p.id!, n: v.n } };
  }, { maxBodyBytes: 1000 });
  r.get('/num/{n:[0-9]+}', (_q, p) => ({ status: 200, json: { n: p.n! } }));
  r.get('/boom', () => { throw new Error('secret internal detail'); });
  r.get('/teapot', () => { throw new HttpError(418, 'short and stout'); });
  r.get('/typed', () => { throw new InvalidInput('field x: expected string'); });
  r.get('/garbage', () => 42 as never);
  r.get('/slow', () => new Promise(() => undefined));
  r.get('/bytes', () => ({ status: 200, bytes: new Uint8Array([0, 1, 2]) }));
  r.post('/echo', (_q, _p, body) => ({ status: 200, bytes: body }), { maxBodyBytes: 64 });
  r.post('/count', () => { counted++; return { status: 200, json: { counted } }; });
  return r;
}

let srv: RunningServer;
let resolverSrv: RunningServer;
/** How often POST /count ran. */
let counted = 0;
let connections = 0;

beforeAll(async () => {
  srv = await startHttpServer(buildRouter(), { handlerTimeoutMs: 300 });
  srv.server.on('connection', () => { connections++; });
  const rr = new Router({ errorFormat: resolverErrorFormat });
  rr.get('/address/{hash}', () => ({ status: 200, json: { ok: true } }));
  resolverSrv = await startHttpServer(rr);
});
afterAll(async () => {
  await srv.close();
  await resolverSrv.close();
});

describe('HTTP framework over the wire', () => {
  it('answers a matched route with Go-JSON (uint64 exact, content-length set)', async () => {
    const r = await send(srv.port, 'GET', '/item/abc');
    expect(r.status).toBe(200);
    expect(r.body).toBe('{"id":"abc","big":18446744073709551615}');
    expect(r.headers['content-length']).toBe(String(r.body.length));
  });

  it('BM-API-008 BM-API-001 answers an unknown route with 404 and the mail-server error body', async () => {
    const r = await send(srv.port, 'GET', '/nope');
    expect(r.status).toBe(404);
    expect(jsonOf(r)).toEqual({ error: true, status: 'not found' });
  });

  it('BM-RES-007 answers an unknown route with 404 and the resolver error body (indented, message first)', async () => {
    const r = await send(resolverSrv.port, 'GET', '/nope');
    expect(r.status).toBe(404);
    expect(r.body).toBe('{\n  "message": "not found",\n  "status": "error"\n}');
  });

  it('BM-API-007 answers a wrong method with 405, an Allow header and a JSON body (HEAD/OPTIONS included)', async () => {
    for (const m of ['PUT', 'DELETE', 'OPTIONS']) {
      const r = await send(srv.port, m, '/item/abc');
      expect(r.status, m).toBe(405);
      expect(r.headers.allow).toBe('GET, POST');
      expect(jsonOf(r)).toEqual({ error: true, status: 'method not allowed' });
    }
    const h = await send(srv.port, 'HEAD', '/item/abc');
    expect(h.status).toBe(405);
    expect(h.body).toBe('');
  });

  it('BM-API-006 redirects a trailing slash with 301 and Location without it (also for POST)', async () => {
    const r = await send(srv.port, 'POST', '/item/abc/?x=1', { body: '{}' });
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('/item/abc?x=1');
    expect(jsonOf(r)).toEqual({ error: true, status: 'moved permanently' });
  });

  it('refuses path tricks in ids with 400 JSON', async () => {
    for (const p of ['/item/..', '/item/%2e%2e', '/item/a%2Fb', '/item/a%5Cb', '/item//x', '/item/%ff%zz', '/item/%00']) {
      const r = await send(srv.port, 'GET', p);
      expect(r.status, p).toBe(400);
      expect((jsonOf(r) as { error: boolean }).error, p).toBe(true);
    }
  });

  it('does not match a parameter whose value breaks its regex (404, not the handler)', async () => {
    expect((await send(srv.port, 'GET', '/num/12')).status).toBe(200);
    expect((await send(srv.port, 'GET', '/num/1a')).status).toBe(404);
  });

  it('BM-API-004 answers malformed JSON, empty body, trailing bytes and invalid UTF-8 with 400 JSON', async () => {
    for (const body of ['{', '', '{"n":1} x', Buffer.from([0x7b, 0xff, 0x7d]), 'nul', '{"n":01}']) {
      const r = await send(srv.port, 'POST', '/item/a', { body, headers: { 'content-type': 'application/json' } });
      expect(r.status, String(body)).toBe(400);
      const j = jsonOf(r) as { error: boolean; status: string };
      expect(j.error).toBe(true);
      expect(j.status).toMatch(/^malformed JSON/);
    }
  });

  it('answers a wrong JSON type with the handler 400, and keeps a uint64 exact', async () => {
    const bad = await send(srv.port, 'POST', '/item/a', { body: '{"n":"1"}' });
    expect(bad.status).toBe(400);
    expect(jsonOf(bad)).toEqual({ error: true, status: 'n: expected a big integer' });
    const good = await send(srv.port, 'POST', '/item/a', { body: '{"n":9007199254740993}' });
    expect(good.status).toBe(201);
    expect(good.body).toBe('{"id":"a","n":9007199254740993}');
  });

  it('refuses a declared oversized body with 413 before reading it', async () => {
    // Claim 50 MB but send only a few bytes: a server that tried to read it would hang.
    const out = await rawExchange(srv.port, 'POST /item/a HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\n{"n":', 3000);
    expect(out).toMatch(/^HTTP\/1\.1 413 /);
    expect(out).toMatch(/connection: close/i);
    expect(out).toContain('{"error":true,"status":"request body too large (limit 1000 bytes)"}');
  });

  it('refuses an oversized chunked body with 413', async () => {
    const big = Buffer.alloc(5000, 0x61);
    const r = await send(srv.port, 'POST', '/item/a', { body: big, headers: { 'transfer-encoding': 'chunked' } }).catch((e: Error) => e);
    // The server answers before the client finished; either we read the 413 or the socket closed after it.
    if (r instanceof Error) expect(r.message).toMatch(/EPIPE|ECONNRESET|socket hang up/);
    else {
      expect(r.status).toBe(413);
      expect((jsonOf(r) as { status: string }).status).toMatch(/too large/);
    }
  });

  it('accepts a body exactly at the limit and refuses one byte more', async () => {
    expect((await send(srv.port, 'POST', '/echo', { body: 'x'.repeat(64) })).status).toBe(200);
    expect((await send(srv.port, 'POST', '/echo', { body: 'x'.repeat(65) })).status).toBe(413);
  });

  it('BM-API-011 BM-API-012 answers a handler exception with 500 JSON and leaks no detail', async () => {
    const r = await send(srv.port, 'GET', '/boom');
    expect(r.status).toBe(500);
    expect(jsonOf(r)).toEqual({ error: true, status: 'internal server error' });
  });

  it('answers HttpError with its status, a typed InvalidInput with 400, a non-response with 500', async () => {
    expect((await send(srv.port, 'GET', '/teapot')).status).toBe(418);
    const t = await send(srv.port, 'GET', '/typed');
    expect(t.status).toBe(400);
    expect(jsonOf(t)).toEqual({ error: true, status: 'field x: expected string' });
    expect((await send(srv.port, 'GET', '/garbage')).status).toBe(500);
  });

  it('answers a handler that never finishes with 503 after the handler timeout', async () => {
    const r = await send(srv.port, 'GET', '/slow');
    expect(r.status).toBe(503);
    expect(jsonOf(r)).toEqual({ error: true, status: 'handler timed out' });
  });

  it('answers a malformed request line with 400 JSON and stays up', async () => {
    const out = await rawExchange(srv.port, 'GARBAGE\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 400 /);
    expect(out).toContain('{"error":true,"status":"bad request"}');
    expect((await send(srv.port, 'GET', '/item/x')).status).toBe(200);
  });

  it('serves raw bytes as application/octet-stream', async () => {
    const r = await send(srv.port, 'GET', '/bytes');
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.from(r.body, 'latin1')).toEqual(Buffer.from([0, 1, 2]));
  });

  it('keeps a connection alive across requests, error answers included', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const before = connections;
    for (const p of ['/item/a', '/nope', '/boom', '/item/b']) await send(srv.port, 'GET', p, { agent });
    agent.destroy();
    expect(connections - before).toBe(1);
  });

  it('keeps a connection alive after early error answers to requests with small bodies (400 path trick, 404, 405, 301, bad target)', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const before = connections;
    const body = JSON.stringify({ pad: 'x'.repeat(2000) });
    const cases: [string, string, number][] = [
      ['POST', '/item/..', 400],
      ['POST', '/item/a%2Fb', 400],
      ['POST', '/nope', 404],
      ['PUT', '/item/abc', 405],
      ['POST', '/item/abc/', 301],
      ['POST', 'http://127.0.0.1/item/a', 400], // absolute-form target: not a path
    ];
    try {
      for (const [m, p, status] of cases) {
        const r = await send(srv.port, m, p, { agent, body, headers: { 'content-type': 'application/json' } });
        expect(r.status, `${m} ${p}`).toBe(status);
        expect(r.headers.connection, `${m} ${p}`).not.toBe('close');
        expect((jsonOf(r) as { error: boolean }).error).toBe(true);
      }
      // A chunked body of unknown length is read and dropped too.
      const c = await send(srv.port, 'POST', '/nope', { agent, body: 'x'.repeat(3000), headers: { 'transfer-encoding': 'chunked' } });
      expect(c.status).toBe(404);
      expect(c.headers.connection).not.toBe('close');
      expect((await send(srv.port, 'POST', '/item/a', { agent, body: '{"n":9007199254740993}' })).status).toBe(201);
    } finally {
      agent.destroy();
    }
    expect(connections - before).toBe(1);
  });

  it('discards an early-error body only up to maxDiscardBytes: beyond it the answer closes the connection', async () => {
    const small = await startHttpServer(buildRouter(), { maxDiscardBytes: 1000 });
    let conns = 0;
    small.server.on('connection', () => { conns++; });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const atBound = await send(small.port, 'POST', '/nope', { agent, body: 'x'.repeat(1000) });
      expect(atBound.status).toBe(404);
      expect(atBound.headers.connection).not.toBe('close');
      const over = await send(small.port, 'POST', '/nope', { agent, body: 'x'.repeat(1001) });
      expect(over.status).toBe(404);
      expect(over.headers.connection).toBe('close');
      const chunked = await send(small.port, 'POST', '/nope', { agent, body: 'x'.repeat(5000), headers: { 'transfer-encoding': 'chunked' } }).catch((e: Error) => e);
      if (chunked instanceof Error) expect(chunked.message).toMatch(/EPIPE|ECONNRESET|socket hang up/);
      else {
        expect(chunked.status).toBe(404);
        expect(chunked.headers.connection).toBe('close');
      }
      expect((await send(small.port, 'GET', '/item/a', { agent })).status).toBe(200);
    } finally {
      agent.destroy();
      await small.close();
    }
    expect(conns).toBeGreaterThanOrEqual(3);
  });

  it('answers an early error to a declared-huge body at once, without reading it, and closes', async () => {
    // 50 MB announced, a few bytes sent: a server that tried to drain it would hang.
    const out = await rawExchange(srv.port, 'POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 50000000\r\n\r\nabc', 3000);
    expect(out).toMatch(/^HTTP\/1\.1 404 /);
    expect(out).toMatch(/connection: close/i);
    expect(out).toContain('{"error":true,"status":"not found"}');
  });

  it('still closes the connection after a 413 for a body over the route limit', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const r = await send(srv.port, 'POST', '/echo', { agent, body: 'x'.repeat(65) });
      expect(r.status).toBe(413);
      expect(r.headers.connection).toBe('close');
    } finally {
      agent.destroy();
    }
  });

  // The reproduction: a valid request and garbage in one write. Go answers the request,
  // then 400s the garbage; node's default would destroy the socket and lose both.
  it('answers a valid request, then 400 for garbage pipelined behind it in the same write', async () => {
    const out = await rawExchange(srv.port, 'GET /item/a HTTP/1.1\r\nHost: x\r\n\r\n{');
    expect(out).toMatch(/^HTTP\/1\.1 200 [^]*\{"id":"a","big":18446744073709551615\}HTTP\/1\.1 400 [^]*connection: close[^]*\{"error":true,"status":"bad request"\}$/);
  });

  it('answers two pipelined requests in order, then 400 for the garbage behind them', async () => {
    const out = await rawExchange(srv.port, 'GET /item/first HTTP/1.1\r\nHost: x\r\n\r\nGET /num/7 HTTP/1.1\r\nHost: x\r\n\r\n\x00garbage');
    const first = out.indexOf('"id":"first"');
    const second = out.indexOf('{"n":"7"}');
    const bad = out.indexOf('"status":"bad request"');
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(bad).toBeGreaterThan(second);
  });

  // After an answer that closes the connection, whatever follows on it is drained, never run:
  // its answer could not be delivered, so acting on it would be acting unseen.
  it('never runs a request pipelined behind an answer that closes the connection', async () => {
    const before = counted;
    const out = await rawExchange(srv.port, `POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n${'x'.repeat(65)}POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 413 /);
    expect(out).not.toContain('counted');
    expect(counted).toBe(before);
    // The route itself works: the check above is not vacuous.
    expect((await send(srv.port, 'POST', '/count')).status).toBe(200);
    expect(counted).toBe(before + 1);
  });

  // A 413 decided from Content-Length goes out before the body; the client may still be
  // writing megabytes. The close lingers (half-close, keep draining) so the client finishes its
  // write and reads the 413, where a plain close would reset the connection under it.
  it('lets a client finish writing an oversized body and read the 413 (lingering close, no reset)', async () => {
    const body = Buffer.alloc(4 * 1024 * 1024, 0x78);
    const got = await new Promise<{ out: string; error?: string }>((resolve) => {
      const s = net.connect(srv.port, '127.0.0.1');
      const chunks: Buffer[] = [];
      let error: string | undefined;
      s.on('data', (c) => chunks.push(c));
      s.on('error', (e: NodeJS.ErrnoException) => { error = e.code ?? e.message; });
      s.on('close', () => resolve({ out: Buffer.concat(chunks).toString('latin1'), ...(error ? { error } : {}) }));
      s.write(`POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`);
      // Write the whole body regardless of the answer, as a client that does not watch for one.
      s.end(body);
    });
    expect(got.error).toBeUndefined();
    expect(got.out).toMatch(/^HTTP\/1\.1 413 [^]*connection: close/);
  });

  it('answers a client that never finishes its headers with 408 and closes (slowloris)', async () => {
    const slow = await startHttpServer(buildRouter(), { headersTimeoutMs: 400, requestTimeoutMs: 800 });
    try {
      const t0 = Date.now();
      const out = await rawExchange(slow.port, 'GET /item/a HTTP/1.1\r\nHost: x\r\nX-Slow: ', 5000);
      expect(out).toMatch(/^HTTP\/1\.1 408 /);
      expect(out).toContain('{"error":true,"status":"request timeout"}');
      expect(Date.now() - t0).toBeLessThan(4000);
      expect((await send(slow.port, 'GET', '/item/b')).status).toBe(200);
    } finally {
      await slow.close();
    }
  });
});
