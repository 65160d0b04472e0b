/**
 * The HTTP router of the reference mail server and key resolver: routes with path parameters,
 * method matching and the checks on the path, modelled on gorilla/mux as spec/api.md §2.2
 * describes it. Pure: {@link Router.match} says what a method and path match; listener.ts
 * reads the body and answers.
 *
 * - Patterns are `/`-separated; a segment is literal text or `{name}` (any one segment) or
 *   `{name:regex}` (the regex must match the whole decoded segment, as mux anchors it), or
 *   `{name:@matcher}` (a named check of {@link RouterOptions.matchers}).
 * - Routes are tried in registration order; the first whose path and method match wins.
 * - The path matches a route but the method does not → `405` with an `Allow` header. No special
 *   HEAD/OPTIONS handling (→ 405), as in mux.
 * - No route matches → `404`.
 * - Trailing slash with `strictSlash` (default on, mux `StrictSlash(true)`): if the path without
 *   the slash matches a route → `301` with `Location` without the slash (query kept).
 * Where we differ from Go on purpose (a conformance reference answers every error in JSON;
 * harness/reference/DEVIATIONS.md HTTP-1, HTTP-2):
 * - 404 / 405 / 301 carry a JSON error body in the server's error shape (Go: text / empty body).
 * - Path tricks are refused with `400` before routing: empty segments (`//`), `.` / `..`
 *   segments (raw or percent-encoded), a percent-encoded `/` or `\` or NUL inside a segment, or
 *   malformed percent escapes. (Go cleans the path and redirects; mux then decodes `%2F` into a
 *   separator.) So a `{param}` value never contains `/`, `\`, NUL, and is never `.` or `..`.
 * @module
 */
import type { Handler, HttpRequest, HttpResponse, PathParams } from './handler.ts';
import { mailErrorFormat, type ErrorFormat } from './error-formats.ts';

export interface RouteOptions {
  /** Body limit for this route in bytes (default: the server's `maxBodyBytes`). */
  maxBodyBytes?: number;
  /** A name handlers and middleware can see (`req.routeName`), like mux route names. */
  name?: string;
}

interface Segment {
  literal?: string;
  param?: string;
  re?: { test(value: string): boolean };
}

interface Route {
  method: string;
  pattern: string;
  segments: Segment[];
  handler: Handler;
  opts: RouteOptions;
}

export interface RouterOptions {
  errorFormat?: ErrorFormat;
  /**
   * Last word on every answer a handler returned (not on errors): e.g. the mail server's
   * `?pretty=1`, which Go's middleware applies to handler (`JSONOut`) bodies only.
   */
  finish?: (req: HttpRequest, res: HttpResponse) => HttpResponse;
  /** Sees every routed request with its body before the handler runs (a test peer's wire log). */
  observe?: (req: HttpRequest, body: Uint8Array) => void;
  /** mux `StrictSlash(true)`: trailing slash → 301 to the path without it. Default true. */
  strictSlash?: boolean;
  /**
   * Named segment checks for patterns `{name:@matcher}`, asked on every request (so a reference
   * fault switch can loosen one while the server runs).
   */
  matchers?: Record<string, (value: string) => boolean>;
}

/** Result of {@link Router.match}. */
export type RouteMatch =
  | { kind: 'route'; route: Route; params: PathParams }
  | { kind: 'method'; allow: string[] }
  | { kind: 'redirect'; location: string }
  | { kind: 'bad-path'; message: string }
  | { kind: 'none' };

function compile(pattern: string, matchers: Record<string, (value: string) => boolean>): Segment[] {
  if (!pattern.startsWith('/')) throw new Error(`route pattern must start with '/': ${pattern}`);
  if (pattern === '/') return [];
  return pattern
    .slice(1)
    .split('/')
    .map((s) => {
      const m = /^\{([A-Za-z_][A-Za-z0-9_]*)(?::(.+))?\}$/.exec(s);
      if (!m) {
        if (s.includes('{') || s === '') throw new Error(`bad route segment '${s}' in ${pattern}`);
        return { literal: s };
      }
      if (m[2]?.startsWith('@')) {
        const check = matchers[m[2].slice(1)];
        if (!check) throw new Error(`unknown segment matcher '${m[2]}' in ${pattern}`);
        return { param: m[1]!, re: { test: check } };
      }
      return { param: m[1]!, re: new RegExp(`^(?:${m[2] ?? '[^/]+'})$`) };
    });
}

/**
 * Split a raw path into decoded segments, refusing the path tricks listed in the module doc.
 * Returns a string error message for a bad path.
 */
function splitPath(rawPath: string): string[] | string {
  if (!rawPath.startsWith('/')) return 'invalid path';
  if (rawPath === '/') return [];
  const parts = rawPath.slice(1).split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (p === '') {
      if (i === parts.length - 1) { out.push(''); continue; } // trailing slash, handled by the caller
      return 'invalid path: empty segment';
    }
    let d: string;
    try {
      d = decodeURIComponent(p);
    } catch {
      return 'invalid path: bad percent-encoding';
    }
    if (d === '.' || d === '..') return 'invalid path: dot segment';
    if (d.includes('/') || d.includes('\\') || d.includes('\0')) return 'invalid path: encoded separator';
    out.push(d);
  }
  return out;
}

export class Router {
  readonly errorFormat: ErrorFormat;
  readonly strictSlash: boolean;
  readonly finish: (req: HttpRequest, res: HttpResponse) => HttpResponse;
  readonly observe: ((req: HttpRequest, body: Uint8Array) => void) | undefined;
  private readonly routes: Route[] = [];
  private readonly matchers: Record<string, (value: string) => boolean>;

  constructor(opts: RouterOptions = {}) {
    this.errorFormat = opts.errorFormat ?? mailErrorFormat;
    this.finish = opts.finish ?? ((_req, res) => res);
    this.observe = opts.observe;
    this.strictSlash = opts.strictSlash ?? true;
    this.matchers = opts.matchers ?? {};
  }

  handle(method: string, pattern: string, handler: Handler, opts: RouteOptions = {}): this {
    this.routes.push({ method: method.toUpperCase(), pattern, segments: compile(pattern, this.matchers), handler, opts });
    return this;
  }
  get(pattern: string, handler: Handler, opts?: RouteOptions): this { return this.handle('GET', pattern, handler, opts); }
  post(pattern: string, handler: Handler, opts?: RouteOptions): this { return this.handle('POST', pattern, handler, opts); }
  put(pattern: string, handler: Handler, opts?: RouteOptions): this { return this.handle('PUT', pattern, handler, opts); }
  delete(pattern: string, handler: Handler, opts?: RouteOptions): this { return this.handle('DELETE', pattern, handler, opts); }

  /** Match a method and raw path (no query). Pure; exported for tests and for composing routers. */
  match(method: string, rawPath: string, rawQuery = ''): RouteMatch {
    const segs = splitPath(rawPath);
    if (typeof segs === 'string') return { kind: 'bad-path', message: segs };
    const trailing = segs.length > 0 && segs[segs.length - 1] === '';
    const path = trailing ? segs.slice(0, -1) : segs;
    if (trailing) {
      // The empty last segment never matches a pattern (patterns have no empty segments).
      if (this.strictSlash && this.matchPath(path).length > 0) {
        return { kind: 'redirect', location: rawPath.replace(/\/+$/, '') + (rawQuery ? `?${rawQuery}` : '') };
      }
      return { kind: 'none' };
    }
    const hits = this.matchPath(path);
    if (hits.length === 0) return { kind: 'none' };
    const m = method.toUpperCase();
    const hit = hits.find((h) => h.route.method === m);
    if (hit) return { kind: 'route', route: hit.route, params: hit.params };
    return { kind: 'method', allow: [...new Set(hits.map((h) => h.route.method))] };
  }

  private matchPath(path: string[]): { route: Route; params: PathParams }[] {
    const out: { route: Route; params: PathParams }[] = [];
    for (const route of this.routes) {
      if (route.segments.length !== path.length) continue;
      const params: PathParams = Object.create(null);
      let ok = true;
      for (let i = 0; i < path.length && ok; i++) {
        const s = route.segments[i]!;
        const v = path[i]!;
        if (s.literal !== undefined) ok = s.literal === v;
        else if (s.re!.test(v)) params[s.param!] = v;
        else ok = false;
      }
      if (ok) out.push({ route, params: { ...params } });
    }
    return out;
  }
}
