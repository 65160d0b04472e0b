/**
 * Accounts on a mail server under test, made the way the Go client makes them (api.md §6.1,
 * §3.1 P2, §3.8): an invite from the management API (`POST /admin/invite` with the target's
 * admin key), a proof of work over the address hash with the resolver's `/config.json` minimum,
 * `POST /account`, then the address record on the key resolver with the routing id the invite
 * names. Works for every key type: ed25519 and ecdsa keys come from the run's seeded stream
 * (resolver.ts), rsa and rsa4096 keys from fixtures (harness/protocol/fixtures.ts: the Go test
 * data keys and our RSA-4096 pair), because generating RSA keys costs seconds on a loaded
 * machine and their values do not matter here.
 *
 * Each step is also exposed (`invite`, `accountBody`, `postAccount`, `register`) so a test can
 * get exactly one of them wrong. Setup failures throw: a refused step fails the test (must.ts),
 * a missing admin key is a HarnessError (`config`: the run needs `--admin-key`).
 * @module
 */
import { formatPublicKey, fingerprint, parsePrivateKey, publicKeyOf, type KeyType } from '../../harness/protocol/keys.ts';
import { GO_KEY_1, GO_KEY_2, GO_KEY_4, GO_KEY_5, GO_KEY_6, GO_KEY_7, GO_KEY_8, RSA4096_FIXTURE, type KeyPairText } from '../../harness/protocol/fixtures.ts';
import { parseInvite } from '../../harness/protocol/invite.ts';
import type { GoValue } from '../../harness/protocol/gojson.ts';
import { HarnessError } from './errors.ts';
import { request, type HttpResponse } from './http.ts';
import { isObject, show } from './match.ts';
import { fail, mustStatus } from './must.ts';
import type { AccountIdentity, KeyPair, SuiteResolver } from './resolver.ts';

/** An account that exists on a mail server and on the resolver. */
export interface MailAccount extends AccountIdentity {
  /** Base URL of its mail server. */
  readonly serverUrl: string;
  /** Routing id of its mail server (from the invite). */
  readonly routingId: string;
}

/** The mail server accounts are made on. */
export interface ServerRef {
  readonly url: string;
  /** Management API key (`BMK-…`) with the `invite` permission. */
  readonly adminKey: string | undefined;
}

/** RSA-2048 fixtures, handed out in turn (GO_KEY_3 is left for header KATs elsewhere). */
const RSA_FIXTURES: readonly KeyPairText[] = [GO_KEY_1, GO_KEY_2, GO_KEY_4, GO_KEY_5, GO_KEY_6, GO_KEY_7, GO_KEY_8];
let rsaNext = 0;

/** A key pair from a fixture text. */
export function fixtureKey(k: KeyPairText): KeyPair {
  const priv = parsePrivateKey(k.privateKey);
  const pub = publicKeyOf(priv);
  return { type: priv.type, privateKey: priv, publicKey: formatPublicKey(pub), fingerprint: fingerprint(pub) };
}

export class AccountFactory {
  constructor(
    readonly resolver: SuiteResolver,
    readonly server: ServerRef,
  ) {}

  /** A fresh identity (`<name>-<nonce><n>!`) with a key of `type`. */
  identity(name: string, type: KeyType = 'ed25519'): AccountIdentity {
    if (type === 'rsa') return this.resolver.account(name, { key: fixtureKey(RSA_FIXTURES[rsaNext++ % RSA_FIXTURES.length]!) });
    if (type === 'rsa4096') return this.resolver.account(name, { key: fixtureKey(RSA4096_FIXTURE) });
    return this.resolver.account(name, { type });
  }

  /** `POST /admin/invite {"address","days"}` (raw answer); `adminKey` null = no Authorization header. */
  postInvite(hash: string, days: number, adminKey: string | null | undefined = this.server.adminKey): Promise<HttpResponse> {
    return request('POST', `${this.server.url}/admin/invite`, { json: { address: hash, days }, ...(typeof adminKey === 'string' ? { bearer: adminKey } : {}) });
  }

  /** An invite token for `hash` from the management API (must answer 201). */
  async invite(hash: string, days = 1): Promise<string> {
    if (!this.server.adminKey) {
      throw new HarnessError('config', `no management key for ${this.server.url}: accounts are provisioned with POST /admin/invite (pass --admin-key)`);
    }
    const r = await this.postInvite(hash, days);
    mustStatus(r, 201, 'setup: POST /admin/invite');
    const tok = isObject(r.json) ? r.json.token : undefined;
    if (typeof tok !== 'string') fail(`setup: POST /admin/invite: no token in ${show(r.json)}`, '{"token":…}', r.json);
    return tok;
  }

  /** The `/config.json` address minimum the server applies (api.md §3.1 P2 step 2). */
  async powBits(): Promise<number> {
    return (await this.resolver.config()).address;
  }

  /** A `POST /account` body; every field can be overridden. */
  accountBody(id: AccountIdentity, f: { token: string; proof: string; address?: string; user_hash?: string; org_hash?: string; public_key?: string }): GoValue {
    return {
      address: f.address ?? id.hash,
      user_hash: f.user_hash ?? id.localHash,
      org_hash: f.org_hash ?? id.orgHash,
      token: f.token,
      public_key: f.public_key ?? id.publicKey,
      proof_of_work: f.proof,
    };
  }

  /** `POST /account` with `body` (raw answer). */
  postAccount(body: GoValue | string): Promise<HttpResponse> {
    return typeof body === 'string'
      ? request('POST', `${this.server.url}/account`, { body, headers: { 'content-type': 'application/json' } })
      : request('POST', `${this.server.url}/account`, { json: body });
  }

  /** Register the address on the resolver with `routingId` (the client's last step, §6.1 step 5). */
  async register(id: AccountIdentity, routingId: string): Promise<void> {
    await this.resolver.createAddress(id, { routingId });
  }

  /** Make `id` an account on the server (invite, PoW, POST /account 201) without registering it on the resolver. */
  async createOnServer(id: AccountIdentity): Promise<{ token: string; routingId: string; proof: string }> {
    const token = await this.invite(id.hash);
    const proof = this.resolver.proof(id.hash, await this.powBits());
    const r = await this.postAccount(this.accountBody(id, { token, proof }));
    mustStatus(r, 201, `setup: POST /account for ${id.address}`);
    return { token, routingId: parseInvite(token).routingId, proof };
  }

  /** A complete account: on the server and on the resolver. */
  async create(name: string, type: KeyType = 'ed25519'): Promise<MailAccount> {
    return this.adopt(this.identity(name, type));
  }

  /** Make an existing identity a complete account. */
  async adopt(id: AccountIdentity): Promise<MailAccount> {
    const { routingId } = await this.createOnServer(id);
    await this.register(id, routingId);
    return { ...id, serverUrl: this.server.url, routingId };
  }
}
