/**
 * Authentication of mail-server requests (spec/api.md §2.3; Go cmd/bm-server/middleware/auth/*):
 * account JWTs, on-behalf JWTs signed by an authorised key, account API keys, and the
 * management key on `/admin`.
 *
 * The JWT rules are those of harness/protocol/jwt.ts (Go internal/api/jwt.go): alg by key type,
 * `sub` = the account hash, valid iff `nbf`/`iat` ≤ now ≤ `exp`. Where Go is defective
 * (spec/api.md §8 item 8, 9) this server implements the intended behaviour, listed in
 * harness/reference/DEVIATIONS.md:
 * - the signature is checked before the time claims, so `token time not valid` is reported only
 *   for a token that really was issued by the account (Go reports it for any garbage token);
 * - `exp` is required and `exp − iat` may be at most 90 s, the longest a conforming client mints
 *   (STRICT_JWT_OPTIONS of harness/protocol/jwt.ts; BM-JWT-016, BM-JWT-017);
 * - an authorised key's `expires` is enforced (0 = no expiry).
 * Unknown account and every other defect → `401 "Unauthorized"` (Go: authenticators "pass").
 * @module
 */
import { timingSafeEqual } from 'node:crypto';
import { HttpError, type HttpRequest } from '../handler.ts';
import { fixedClock } from '../../protocol/random.ts';
import { STRICT_JWT_OPTIONS, verifyJwt } from '../../protocol/jwt.ts';
import { parsePublicKey } from '../../protocol/keys.ts';
import { BitMaelumError } from '../../protocol/errors.ts';
import type { Ctx } from './context.ts';
import type { AccountRecord, ApiKeyRecord } from './repo.ts';

export interface AuthResult {
  account: AccountRecord;
  /** Fingerprint of the authorised key when the caller used an on-behalf JWT. */
  authKey?: string;
  /** The API key record when the caller used an account API key. */
  apiKey?: ApiKeyRecord;
}

export const UNAUTHORIZED = 'Unauthorized';
export const TOKEN_TIME = 'token time not valid';

/** `Authorization: Bearer <x>` with the prefix matched case-insensitively (auth_jwt.go:79). */
export function bearer(req: HttpRequest): string | undefined {
  const h = req.headers['authorization'];
  if (typeof h !== 'string' || h.length < 7 || h.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  const t = h.slice(7).trim();
  return t === '' ? undefined : t;
}

interface Decoded {
  alg: unknown;
  claims: Record<string, unknown>;
}

function decodeJwt(token: string): Decoded | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  try {
    const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as unknown;
    if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
    return { alg: (header as Record<string, unknown>).alg, claims: claims as Record<string, unknown> };
  } catch {
    return undefined;
  }
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Time claims hold at `now` (jwt-go v3 StandardClaims.Valid, no leeway). */
function timeOk(claims: Record<string, unknown>, now: number): boolean {
  const exp = num(claims.exp);
  const nbf = num(claims.nbf);
  const iat = num(claims.iat);
  if (exp === undefined || now > exp) return false;
  if (nbf !== undefined && now < nbf) return false;
  if (iat !== undefined && now < iat) return false;
  return true;
}

type KeyOutcome = 'ok' | 'time' | 'no';

/** Verify `token` for `subject` with one key: ok, right signature but wrong time, or no. */
function tryKey(ctx: Ctx, token: string, d: Decoded, keyText: string, subject: string): KeyOutcome {
  let pub;
  try {
    pub = parsePublicKey(keyText);
  } catch {
    return 'no';
  }
  try {
    // Strict: no `exp`, or a lifetime above 90 s, is InvalidToken (checked after the signature,
    // before the time claims), so such a token is "Unauthorized", never "token time not valid".
    verifyJwt(token, pub, subject, ctx.clock, ctx.faults.acceptTokensWithoutExp ? { ...STRICT_JWT_OPTIONS, requireExp: false } : STRICT_JWT_OPTIONS);
    return 'ok';
  } catch (e) {
    const cls = e instanceof BitMaelumError ? e.errorClass : 'Internal';
    if (cls !== 'TokenExpired' && cls !== 'TokenNotYetValid') return 'no';
  }
  // Time failed. Is the signature right? Verify at an instant inside the token's own window.
  const nbf = num(d.claims.nbf);
  const iat = num(d.claims.iat);
  const exp = num(d.claims.exp);
  if (exp === undefined) return 'no';
  const lower = Math.max(nbf ?? -Infinity, iat ?? -Infinity);
  const at = Number.isFinite(lower) ? lower : exp;
  if (!Number.isSafeInteger(at) || at > exp) return 'no';
  try {
    verifyJwt(token, pub, subject, fixedClock(at), STRICT_JWT_OPTIONS);
  } catch {
    return 'no';
  }
  return 'time';
}

/**
 * Account JWT, then on-behalf JWT (spec/api.md §2.3 a, b). `allowOnBehalf` false on the routes
 * where Go refuses on-behalf tokens (`GET …/boxes`) and on key management (intended: an
 * authorised key must not mint more keys, §8 item 9).
 */
export async function authenticateJwt(ctx: Ctx, req: HttpRequest, addr: string, allowOnBehalf: boolean): Promise<AuthResult> {
  const account = await ctx.repo.getAccount(addr);
  if (!account) throw new HttpError(401, UNAUTHORIZED);
  const token = bearer(req);
  if (!token || token.startsWith('BMK-')) throw new HttpError(401, UNAUTHORIZED);
  const d = decodeJwt(token);
  if (!d) throw new HttpError(401, UNAUTHORIZED);
  const now = ctx.clock.now();

  // Fault: alg "none" with an empty signature accepted for the named subject.
  if (d.alg === 'none' || d.alg === 'None' || d.alg === 'NONE') {
    if (ctx.faults.acceptAlgNone && d.claims.sub === account.hash && (timeOk(d.claims, now) || ctx.faults.acceptExpiredTokens)) {
      return { account };
    }
    throw new HttpError(401, UNAUTHORIZED);
  }

  let keys = account.publicKeys;
  let subject = account.hash;
  // Fault: the token is checked against the account named in `sub`, not the one in the path.
  if (ctx.faults.acceptWrongSubject && typeof d.claims.sub === 'string' && d.claims.sub !== account.hash && /^[0-9a-f]{64}$/.test(d.claims.sub)) {
    const other = await ctx.repo.getAccount(d.claims.sub);
    if (other) {
      keys = other.publicKeys;
      subject = other.hash;
    }
  }

  let timeError = false;
  for (const k of keys) {
    const r = tryKey(ctx, token, d, k, subject);
    if (r === 'ok') return { account };
    if (r === 'time') {
      if (ctx.faults.acceptExpiredTokens) return { account };
      timeError = true;
    }
  }
  if ((allowOnBehalf || ctx.faults.acceptOnBehalfEverywhere) && !timeError) {
    for (const ak of await ctx.repo.listAuthKeys(account.hash)) {
      if (ak.expires !== 0 && ak.expires < now && !ctx.faults.acceptExpiredAuthKeys) continue;
      const r = tryKey(ctx, token, d, ak.public_key, account.hash);
      if (r === 'ok') return { account, authKey: ak.fingerprint };
      if (r === 'time') {
        if (ctx.faults.acceptExpiredTokens) return { account, authKey: ak.fingerprint };
        timeError = true;
      }
    }
  }
  throw new HttpError(401, timeError ? TOKEN_TIME : UNAUTHORIZED);
}

/** Account permission names accepted for the `boxes` route (spec/api.md §8 item 3: Go wants `get-header`, mints `get-headers`). */
const BOXES_PERMS = new Set(['get-headers', 'get-header']);

/** Account JWT (no on-behalf) or account API key with `get-headers` (route `boxes`, §3.3). */
export async function authenticateJwtOrApiKey(ctx: Ctx, req: HttpRequest, addr: string): Promise<AuthResult> {
  const token = bearer(req);
  if (token?.startsWith('BMK-')) {
    const account = await ctx.repo.getAccount(addr);
    const key = /^BMK-[A-Za-z0-9]{32}$/.test(token) ? await ctx.repo.getApiKey(token) : undefined;
    const scoped = ctx.faults.skipApiKeyScope || (key?.address_hash === account?.hash && key?.permissions.some((p) => BOXES_PERMS.has(p.toLowerCase())));
    if (!account || !key || !scoped || (key.expires !== 0 && key.expires < ctx.clock.now())) {
      throw new HttpError(401, UNAUTHORIZED);
    }
    return { account, apiKey: key };
  }
  return authenticateJwt(ctx, req, addr, false);
}

function constEq(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Management key on `/admin/*` (spec/api.md §3.8): the configured admin key carries every
 * permission; a management API key minted by `POST /admin/apikey` needs `permission` listed.
 * (Go: `--admin` keys carry no permissions and are refused, §8 item 3 — intended: admin = all.)
 */
export async function authenticateAdmin(ctx: Ctx, req: HttpRequest, permission: string): Promise<void> {
  const token = bearer(req);
  if (!token) throw new HttpError(401, UNAUTHORIZED);
  if (ctx.adminKey && constEq(token, ctx.adminKey)) return;
  if (ctx.faults.skipManagementKeyCheck) return;
  if (/^BMK-[A-Za-z0-9]{32}$/.test(token)) {
    const key = await ctx.repo.getApiKey(token);
    if (
      key &&
      key.address_hash === '' &&
      (key.expires === 0 || key.expires >= ctx.clock.now()) &&
      (key.admin || key.permissions.some((p) => p.toLowerCase() === permission || (permission === 'apikey' && p.toLowerCase() === 'api-key')))
    ) {
      return;
    }
  }
  throw new HttpError(401, UNAUTHORIZED);
}
