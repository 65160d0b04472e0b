// Tests of router.ts alone (pure: no server): mux matching of spec/api.md §2.2 and the refused
// path tricks (DEVIATIONS.md HTTP-2). Over the wire: http.test.ts.
import { describe, expect, it } from 'vitest';
import { Router } from './router.ts';

describe('Router.match (pure)', () => {
  const r = new Router();
  r.get('/a/{x}', () => ({ status: 200 }));
  r.post('/a/{x}', () => ({ status: 200 }));
  r.get('/b/{n:[0-9]{2}}', () => ({ status: 200 }));
  it('matches a parameter segment and decodes it', () => {
    const m = r.match('GET', '/a/hello%20world');
    expect(m.kind).toBe('route');
    if (m.kind === 'route') expect(m.params).toEqual({ x: 'hello world' });
  });
  it('anchors a parameter regex to the whole segment (mux semantics)', () => {
    expect(r.match('GET', '/b/12').kind).toBe('route');
    expect(r.match('GET', '/b/123').kind).toBe('none');
    expect(r.match('GET', '/b/1').kind).toBe('none');
  });
  it('reports the allowed methods when only the method differs', () => {
    expect(r.match('DELETE', '/a/x')).toEqual({ kind: 'method', allow: ['GET', 'POST'] });
  });
  it('redirects a trailing slash only when the slashless path exists', () => {
    expect(r.match('POST', '/a/x/', 'q=1')).toEqual({ kind: 'redirect', location: '/a/x?q=1' });
    expect(r.match('GET', '/zzz/')).toEqual({ kind: 'none' });
  });
  it('refuses dot segments, empty segments, encoded separators and bad escapes', () => {
    for (const p of ['/a/..', '/a/.', '/a/%2e%2E', '/a/%2F', '/a/%5c', '/a/%00', '/a//x', '//a', '/a/%zz', '/a/%']) {
      expect(r.match('GET', p).kind, p).toBe('bad-path');
    }
  });
});
