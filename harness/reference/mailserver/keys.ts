/**
 * Account API keys and authorised ("on-behalf") keys (spec/api.md §3.4, §3.5, §3.8
 * `POST /admin/apikey`; formats.md §10.3, §10.8; Go cmd/bm-server/handler/api_key.go,
 * handler/auth_key.go, handler/mgmt/api_key.go).
 *
 * Intended behaviour where Go is defective (DEVIATIONS.md, §8 items 3, 4, 9): `expires` 0 means
 * "never"; the account permission is `get-headers` and it opens `GET …/boxes`; an auth key's
 * signature (account key over the ASCII hex of hash.New(public key string)) is verified on
 * creation; lists answer `[]`, not `null`; `/admin/apikey` is reachable and mints either an
 * account key (`hash` given) or a management key (`flush`, `invite`, `apikey`).
 * @module
 */
import { HttpError, type HttpResponse } from '../handler.ts';
import { parsePublicKey, fingerprint } from '../../protocol/keys.ts';
import { verifyAuthorization } from '../../protocol/authorization.ts';
import { isHash } from '../../protocol/hash.ts';
import { decodeBody } from './body.ts';
import type { Ctx } from './context.ts';
import type { AccountRecord, ApiKeyRecord, AuthKeyRecord } from './repo.ts';
import { goMap } from '../../protocol/gojson.ts';
import { EVENT } from './webhooks.ts';

const ACCOUNT_PERMISSIONS = new Set(['get-headers']);
const ADMIN_PERMISSIONS = new Set(['flush', 'invite', 'apikey']);
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const API_KEY_RE = /^BMK-[A-Za-z0-9]{32}$/;

function rfc3339(unix: number): string {
  if (unix === 0) return '0001-01-01T00:00:00Z'; // Go's zero time: no expiry
  return new Date(unix * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function newApiKeyId(ctx: Ctx): string {
  const b = ctx.rng.bytes(32);
  let s = 'BMK-';
  for (const x of b) s += ALNUM[x % ALNUM.length];
  return s;
}

function apiKeyJson(k: ApiKeyRecord) {
  return { key: k.key, address_hash: k.address_hash, expires: rfc3339(k.expires), permissions: k.permissions, admin: k.admin, description: k.description };
}
function authKeyJson(k: AuthKeyRecord) {
  return { fingerprint: k.fingerprint, address_hash: k.address_hash, expires: rfc3339(k.expires), public_key: k.public_key, signature: k.signature, description: k.description };
}

const API_KEY_BODY = { permissions: 'strings', expires: 'int', description: 'string', hash: 'string' } as const;

function checkExpires(ctx: Ctx, expires: number): void {
  if (expires < 0 || (expires !== 0 && expires <= ctx.clock.now())) throw new HttpError(400, 'incorrect expiry');
}

/** A12 `POST /account/{addr}/apikey`. */
export async function createApiKey(ctx: Ctx, a: AccountRecord, body: Uint8Array): Promise<HttpResponse> {
  const b = decodeBody(body, API_KEY_BODY);
  const perms = b.permissions.map((p) => p.toLowerCase());
  if (perms.length === 0 || perms.some((p) => !ACCOUNT_PERMISSIONS.has(p))) throw new HttpError(400, 'incorrect permissions');
  checkExpires(ctx, b.expires);
  const rec: ApiKeyRecord = { key: newApiKeyId(ctx), address_hash: a.hash, expires: b.expires, permissions: [...new Set(perms)], admin: false, description: b.description };
  await ctx.repo.putApiKey(rec);
  // Webhook events (dispatcher.go, only with webhooks enabled): the key, as Go's APIKeyType marshals.
  ctx.webhooks?.fire(a.hash, EVENT.apiKeyCreated, { key: apiKeyJson(rec) });
  return { status: 201, json: { api_key: rec.key } };
}

/** A13 list. */
export async function listApiKeys(ctx: Ctx, a: AccountRecord): Promise<HttpResponse> {
  return { status: 200, json: (await ctx.repo.listApiKeys(a.hash)).map(apiKeyJson) };
}

/** A14 get / A15 delete. */
export async function getOrDeleteApiKey(ctx: Ctx, a: AccountRecord, key: string | undefined, del: boolean): Promise<HttpResponse> {
  const rec = key !== undefined && API_KEY_RE.test(key) ? await ctx.repo.getApiKey(key) : undefined;
  if (!rec || rec.address_hash !== a.hash) throw new HttpError(404, 'api key not found');
  if (del) {
    await ctx.repo.deleteApiKey(rec.key);
    ctx.webhooks?.fire(a.hash, EVENT.apiKeyDeleted, { key: goMap({ id: rec.key }) });
    return { status: 204 };
  }
  return { status: 200, json: apiKeyJson(rec) };
}

/** `POST /admin/apikey` — `{"permissions","expires","hash","description"}`. */
export async function adminCreateApiKey(ctx: Ctx, body: Uint8Array): Promise<HttpResponse> {
  const b = decodeBody(body, API_KEY_BODY);
  const perms = b.permissions.map((p) => p.toLowerCase());
  checkExpires(ctx, b.expires);
  let address = '';
  if (b.hash !== '') {
    if (!isHash(b.hash)) throw new HttpError(400, 'incorrect hash');
    address = b.hash.toLowerCase();
    if (!(await ctx.repo.getAccount(address))) throw new HttpError(404, 'account not found');
    if (perms.length === 0 || perms.some((p) => !ACCOUNT_PERMISSIONS.has(p))) throw new HttpError(400, 'incorrect permissions');
  } else if (perms.length === 0 || perms.some((p) => !ADMIN_PERMISSIONS.has(p))) {
    throw new HttpError(400, 'incorrect permissions');
  }
  const rec: ApiKeyRecord = { key: newApiKeyId(ctx), address_hash: address, expires: b.expires, permissions: [...new Set(perms)], admin: false, description: b.description };
  await ctx.repo.putApiKey(rec);
  if (address !== '') ctx.webhooks?.fire(address, EVENT.apiKeyCreated, { key: apiKeyJson(rec) });
  return { status: 201, json: { api_key: rec.key } };
}

/** A16 `POST /account/{addr}/authkey`. */
export async function createAuthKey(ctx: Ctx, a: AccountRecord, body: Uint8Array): Promise<HttpResponse> {
  const b = decodeBody(body, { fingerprint: 'string', public_key: 'string', signature: 'string', expires: 'int', description: 'string' });
  if (!b.present.has('public_key')) throw new HttpError(400, 'incorrect body: public_key');
  let pubText: string;
  let fp: string;
  try {
    const pub = parsePublicKey(b.public_key);
    pubText = b.public_key;
    fp = fingerprint(pub);
  } catch (e) {
    throw new HttpError(400, `incorrect body: public_key: ${(e as Error).message}`);
  }
  checkExpires(ctx, b.expires);
  // Intended (§3.5): the account authorises the key by signing it; Go never checks at creation.
  const signedByAccount = a.publicKeys.some((k) => {
    try {
      return verifyAuthorization(parsePublicKey(k), b.public_key, b.signature);
    } catch {
      return false;
    }
  });
  if (!signedByAccount && !ctx.faults.acceptUnsignedAuthKeys) throw new HttpError(400, 'incorrect body: signature does not verify with the account key');
  const rec: AuthKeyRecord = { fingerprint: fp, address_hash: a.hash, expires: b.expires, public_key: pubText, signature: b.signature, description: b.description };
  await ctx.repo.putAuthKey(rec);
  ctx.webhooks?.fire(a.hash, EVENT.authKeyCreated, { key: authKeyJson(rec) });
  return { status: 201, json: { auth_key: fp } };
}

/** A17 list. */
export async function listAuthKeys(ctx: Ctx, a: AccountRecord): Promise<HttpResponse> {
  return { status: 200, json: (await ctx.repo.listAuthKeys(a.hash)).map(authKeyJson) };
}

/** A18 get / A19 delete. */
export async function getOrDeleteAuthKey(ctx: Ctx, a: AccountRecord, fp: string | undefined, del: boolean): Promise<HttpResponse> {
  const rec = fp !== undefined && isHash(fp) ? await ctx.repo.getAuthKey(a.hash, fp) : undefined;
  if (!rec) throw new HttpError(404, 'auth key not found');
  if (del) {
    await ctx.repo.deleteAuthKey(a.hash, rec.fingerprint);
    ctx.webhooks?.fire(a.hash, EVENT.authKeyDeleted, { key: goMap({ id: rec.fingerprint }) });
    return { status: 204 };
  }
  return { status: 200, json: authKeyJson(rec) };
}
