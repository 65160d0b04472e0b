/**
 * AdapterClient against broken adapters (testdata/broken-adapter.mjs): every way an adapter can
 * misbehave must end in a typed AdapterError naming the step and failure, within its bound —
 * never a hang, never an unhandled exception (DESIGN.md "Bad input … in the harness").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { AdapterClient, type AdapterClientOptions } from './client.ts';
import { AdapterConnectError, AdapterError, AdapterHelloError, AdapterRunError, AdapterStopError } from './errors.ts';

const BROKEN = fileURLToPath(new URL('./testdata/broken-adapter.mjs', import.meta.url));
const clients: AdapterClient[] = [];

function broken(mode: string, extra: Partial<AdapterClientOptions> = {}): AdapterClient {
  const c = new AdapterClient({ command: process.execPath, args: [BROKEN, mode], requestTimeoutMs: 1_500, helloTimeoutMs: 1_500, stopTimeoutMs: 500, ...extra });
  clients.push(c);
  return c;
}

async function caught(p: Promise<unknown>): Promise<AdapterError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AdapterError);
    return e as AdapterError;
  }
  throw new Error('expected an AdapterError, got a value');
}

afterEach(() => {
  for (const c of clients.splice(0)) c.kill();
});

describe('AdapterClient: connect', () => {
  it('a command that does not exist fails the connect step with spawn-failed', async () => {
    const c = new AdapterClient({ command: '/nonexistent/bm-adapter-xyz' });
    clients.push(c);
    const e = await caught(c.connect());
    expect(e).toBeInstanceOf(AdapterConnectError);
    expect(e.failure).toBe('spawn-failed');
    expect(e.hint).toMatch(/exists/);
  });

  it('an adapter that exits at once fails as connect/exited, with its stderr attached', async () => {
    const c = broken('exit');
    await c.connect();
    const e = await caught(c.hello());
    expect(e).toBeInstanceOf(AdapterConnectError);
    expect(e.failure).toBe('exited');
    expect(e.message).toMatch(/code 3/);
    expect(e.stderr).toMatch(/giving up at once/);
    expect(c.alive).toBe(false);
  });

  it('AdapterClient.start rejects (and leaves no process behind) when hello fails', async () => {
    const e = await caught(AdapterClient.start({ command: process.execPath, args: [BROKEN, 'wrong-version'], helloTimeoutMs: 1_500 }));
    expect(e).toBeInstanceOf(AdapterHelloError);
  });
});

describe('AdapterClient: hello', () => {
  it('a non-JSON line instead of the hello answer fails hello with garbage and the trace shows it', async () => {
    const c = broken('garbage-hello');
    await c.connect();
    const e = await caught(c.hello());
    expect(e).toBeInstanceOf(AdapterHelloError);
    expect(e.failure).toBe('garbage');
    expect(e.trace.some((l) => l.startsWith('< Starting broken adapter'))).toBe(true);
    expect(e.trace.some((l) => l.startsWith('> {"id":1,"op":"hello"'))).toBe(true);
  });

  it('another protocol version fails hello with protocol-mismatch', async () => {
    const c = broken('wrong-version');
    await c.connect();
    const e = await caught(c.hello());
    expect(e.failure).toBe('protocol-mismatch');
    expect(e.message).toMatch(/protocol 2/);
  });

  it('an error answer to hello fails hello with refused', async () => {
    const c = broken('refuse-hello');
    await c.connect();
    const e = await caught(c.hello());
    expect(e.failure).toBe('refused');
  });

  it('an adapter that never answers hello fails hello with timeout within the bound', async () => {
    const c = broken('hang-hello', { helloTimeoutMs: 400 });
    await c.connect();
    const t0 = Date.now();
    const e = await caught(c.hello());
    expect(e).toBeInstanceOf(AdapterHelloError);
    expect(e.failure).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});

describe('AdapterClient: run', () => {
  it('an adapter that dies after hello fails the next request as run/exited, and later requests at once', async () => {
    const c = broken('die-after-hello');
    await c.connect();
    await c.hello();
    const e = await caught(c.request('hash.string', { value: 'x' }));
    expect(e).toBeInstanceOf(AdapterRunError);
    expect(e.failure).toBe('exited');
    expect(e.stderr).toMatch(/dying/);
    const e2 = await caught(c.request('hash.string', { value: 'y' }));
    expect(e2.failure).toBe('exited');
  });

  it('non-JSON output on a request fails it with garbage', async () => {
    const c = broken('garbage');
    await c.connect();
    await c.hello();
    const e = await caught(c.request('hash.string', { value: 'x' }));
    expect(e).toBeInstanceOf(AdapterRunError);
    expect(e.failure).toBe('garbage');
    expect(e.message).toMatch(/<html>/);
  });

  it('an answer with an id that was never sent fails the pending request with wrong-id', async () => {
    const c = broken('wrong-id');
    await c.connect();
    await c.hello();
    const e = await caught(c.request('hash.string', { value: 'x' }));
    expect(e.failure).toBe('wrong-id');
  });

  it('JSON that is not a response shape fails the request with bad-response', async () => {
    const c = broken('bad-shape');
    await c.connect();
    await c.hello();
    const e = await caught(c.request('hash.string', { value: 'x' }));
    expect(e.failure).toBe('bad-response');
  });

  it('an id-null error answers the oldest pending request instead of hanging it', async () => {
    const c = broken('null-id');
    await c.connect();
    await c.hello();
    const r = await c.request('hash.string', { value: 'x' });
    expect(r).toMatchObject({ id: null, ok: false, error: { class: 'InvalidInput' } });
  });

  it('a hanging request times out within its bound and the client stays usable for stop()', async () => {
    const c = broken('hang');
    await c.connect();
    await c.hello();
    const t0 = Date.now();
    const e = await caught(c.request('hash.string', { value: 'x' }, { timeoutMs: 300 }));
    expect(e.failure).toBe('timeout');
    expect(Date.now() - t0).toBeLessThan(1_500);
    await expect(c.stop()).resolves.toMatchObject({ code: 0 });
  });

  it('a late answer to a timed-out request is dropped, not taken as a wrong id', async () => {
    const c = broken('late');
    await c.connect();
    await c.hello();
    const e = await caught(c.request('hash.string', { value: 'x' }, { timeoutMs: 100 }));
    expect(e.failure).toBe('timeout');
    const r = await c.request('hash.string', { value: 'y' }, { timeoutMs: 1_000 });
    expect(r).toMatchObject({ id: 3, ok: true });
  });

  it('matches pipelined responses to their requests by id', async () => {
    const c = broken('echo');
    await c.connect();
    await c.hello();
    const rs = await Promise.all([1, 2, 3, 4].map((i) => c.request('hash.string', { value: String(i) })));
    expect(rs.map((r) => r.id)).toEqual([2, 3, 4, 5]);
    await c.stop();
  });
});

describe('AdapterClient: stop', () => {
  it('an adapter that ignores EOF is killed and stop() reports stop/timeout', async () => {
    const c = broken('ignore-eof', { stopTimeoutMs: 300 });
    await c.connect();
    await c.hello();
    const e = await caught(c.stop());
    expect(e).toBeInstanceOf(AdapterStopError);
    expect(e.failure).toBe('timeout');
    expect(c.alive).toBe(false);
  });

  it('requests after stop() are refused with closed, not sent', async () => {
    const c = broken('echo');
    await c.connect();
    await c.hello();
    await c.stop();
    const e = await caught(c.request('hash.string', { value: 'x' }));
    expect(['closed', 'exited']).toContain(e.failure);
  });
});
