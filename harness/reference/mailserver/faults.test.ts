/**
 * Each fault switch of the reference mail server (options.ts `Faults`) turns exactly its check
 * off: the same request is refused with the switch off and accepted with it on. (Whether a
 * switch breaks only its conformance tests is the harness's own test; this file checks the
 * server side of the contract.)
 */
import { describe, expect, it } from 'vitest';
import { GO_ED25519_3, GO_ED25519_4 } from '../../protocol/fixtures.ts';
import { parsePrivateKey, generateKeyPair } from '../../protocol/keys.ts';
import { createJwt } from '../../protocol/jwt.ts';
import { headerJson, signServerHeader } from '../../protocol/header.ts';
import { formatProofOfWork, parseProofOfWork, solvePow } from '../../protocol/pow.ts';
import { parseAddress } from '../../protocol/address.ts';
import { fixedClock, systemClock } from '../../protocol/random.ts';
import { createHash } from 'node:crypto';
import { toB64, toB64url, utf8 } from '../../protocol/bytes.ts';
import { hashString } from '../../protocol/hash.ts';
import { sign } from '../../protocol/signature.ts';
import { signAuthorization } from '../../protocol/authorization.ts';
import { FAULT_NAMES, type Faults, type MailServer } from './index.ts';
import { JSON_HEADERS, useTwoAccounts, type TestEnv } from './_testenv.ts';
import type { ClientAccount, OutgoingMessage } from '../client.ts';

let env: TestEnv, S: MailServer, carol: ClientAccount, dave: ClientAccount;
useTwoAccounts('faults', (t) => ({ env, S, carol, dave } = t));
const json = JSON_HEADERS;

/** Run `fn` once with the switch off and once with it on; returns both results. */
async function both<T>(name: keyof Faults, fn: () => Promise<T>): Promise<[T, T]> {
  const f = S.ctx.faults as Faults;
  for (const k of FAULT_NAMES) f[k] = false;
  const off = await fn();
  f[name] = true;
  try {
    return [off, await fn()];
  } finally {
    f[name] = false;
  }
}

const jwt = (a: ClientAccount, clock = systemClock) => createJwt(parsePrivateKey(a.privateKey), a.hash, clock);
const status = async (p: Promise<unknown>) => p.then(() => 'ok', (e: { status?: number }) => e.status ?? 'error');
const boxes = (token: string, a = carol) => env.client.raw('GET', `${S.url}/account/${a.hash}/box/1`, { headers: { authorization: `Bearer ${token}` } });
/** GET …/boxes: account JWT or API key only, never an on-behalf JWT (BM-JWT-021). */
const boxList = (token: string) => env.client.raw('GET', `${S.url}/account/${carol.hash}/boxes`, { headers: { authorization: `Bearer ${token}` } });

async function capture(): Promise<OutgoingMessage> {
  let out: OutgoingMessage | undefined;
  await env.client
    .send(carol, dave.address, { subject: 'c', blocks: [{ type: 'text', content: 'c' }] }, {
      tamper: (m) => {
        out = m;
        throw new Error('captured');
      },
    })
    .catch(() => undefined);
  return out!;
}

describe('mail server fault switches', () => {
  it('has every switch off by default', () => {
    for (const k of FAULT_NAMES) expect(S.ctx.faults[k]).toBe(false);
  });

  it('skipClientSignatureCheck delivers a message whose signed header was changed', async () => {
    const tamper = (m: OutgoingMessage) => ({ ...m, header: { ...m.header, to: { ...m.header.to, fingerprint: 'cd'.repeat(32) } } });
    const r = await both('skipClientSignatureCheck', () => status(env.client.send(carol, dave.address, { subject: 'x', blocks: [{ type: 'text', content: 'x' }] }, { tamper })));
    expect(r).toEqual([400, 'ok']);
  });

  it('skipCatalogChecksum accepts catalog bytes that do not match the header', async () => {
    const tamper = (m: OutgoingMessage) => ({ ...m, catalogBlob: Uint8Array.from(m.catalogBlob, (b, i) => (i === 30 ? b ^ 1 : b)) });
    const r = await both('skipCatalogChecksum', () => status(env.client.send(carol, dave.address, { subject: 'x', blocks: [{ type: 'text', content: 'x' }] }, { tamper })));
    expect(r).toEqual([400, 'ok']);
  });

  it('skipServerSignatureCheck accepts a relayed message with a server signature by a stranger', async () => {
    const r = await both('skipServerSignatureCheck', async () => {
      const out = await capture();
      const header = signServerHeader(out.header, generateKeyPair('ed25519', env.rng).privateKey);
      const t = (await env.client.raw('POST', `${S.url}/ticket`, { headers: json, body: JSON.stringify({ sender: carol.hash, recipient: dave.hash }) })).json as { ID: string; Work: { Data: string } };
      const w = parseProofOfWork(t.Work.Data);
      await env.client.raw('POST', `${S.url}/ticket/${t.ID}`, { headers: json, body: `{"proof":${solvePow(w.bits, w.data, 1n)}}` });
      const th = { 'x-bitmaelum-ticket': t.ID };
      await env.client.raw('POST', `${S.url}/incoming/header`, { headers: th, body: headerJson(header) });
      await env.client.raw('POST', `${S.url}/incoming/catalog`, { headers: th, body: out.catalogBlob });
      for (const [id, d] of out.blocks) await env.client.raw('POST', `${S.url}/incoming/block/${id}`, { headers: th, body: d });
      return (await env.client.raw('POST', `${S.url}/incoming`, { headers: th })).status;
    });
    expect(r).toEqual([400, 202]);
  });

  it('skipAuthorizationCheck accepts an on-behalf message whose authorized_by signature is wrong', async () => {
    const ak = GO_ED25519_3;
    const fp = await env.client.addAuthKey(carol, ak);
    const rec = (await S.ctx.repo.getAuthKey(carol.hash, fp))!;
    await S.ctx.repo.putAuthKey({ ...rec, signature: 'Zm9vYmFy' }); // corrupt the stored authorisation
    const r = await both('skipAuthorizationCheck', () => status(env.client.send(carol, dave.address, { subject: 'ob', blocks: [{ type: 'text', content: 'ob' }] }, { onBehalf: ak })));
    expect(r).toEqual([400, 'ok']);
    await S.ctx.repo.deleteAuthKey(carol.hash, fp);
  });

  it('acceptExpiredTokens accepts an expired account JWT', async () => {
    const old = jwt(carol, fixedClock(systemClock.now() - 600));
    expect(await both('acceptExpiredTokens', async () => (await boxes(old)).status)).toEqual([401, 200]);
  });

  it('acceptAlgNone accepts an unsigned alg "none" token', async () => {
    const now = systemClock.now();
    const tok = `${toB64url(Buffer.from('{"alg":"none","typ":"JWT"}'))}.${toB64url(Buffer.from(JSON.stringify({ exp: now + 60, iat: now - 30, nbf: now - 30, sub: carol.hash })))}.`;
    expect(await both('acceptAlgNone', async () => (await boxes(tok)).status)).toEqual([401, 200]);
  });

  it('acceptWrongSubject accepts the token of another account', async () => {
    expect(await both('acceptWrongSubject', async () => (await boxes(jwt(dave))).status)).toEqual([401, 200]);
  });

  it('acceptWeakProofOfWork creates an account with a 2-bit proof of work', async () => {
    let n = 0;
    const r = await both('acceptWeakProofOfWork', async () => {
      const a = parseAddress(`weak${n++}!`);
      const token = await env.invite(S, a.hash);
      const body = { address: a.hash, user_hash: a.localHash, org_hash: a.orgHash, token, public_key: GO_ED25519_4.publicKey, proof_of_work: formatProofOfWork({ bits: 2, data: a.hash, proof: solvePow(2, a.hash) }) };
      return (await env.client.raw('POST', `${S.url}/account`, { headers: json, body: JSON.stringify(body) })).status;
    });
    expect(r).toEqual([400, 201]);
  });

  it('acceptBadInvite creates an account with an invite for another address', async () => {
    let n = 0;
    const r = await both('acceptBadInvite', async () => {
      const a = parseAddress(`badinv${n++}!`);
      const token = await env.invite(S, parseAddress('someoneelse!').hash);
      const body = { address: a.hash, user_hash: a.localHash, org_hash: a.orgHash, token, public_key: GO_ED25519_4.publicKey, proof_of_work: formatProofOfWork({ bits: 8, data: a.hash, proof: solvePow(8, a.hash) }) };
      return (await env.client.raw('POST', `${S.url}/account`, { headers: json, body: JSON.stringify(body) })).status;
    });
    expect(r).toEqual([400, 201]);
  });

  async function clientTicket(sender = carol.hash): Promise<{ status: number; id: string }> {
    const r = await env.client.raw('POST', `${S.url}/account/${carol.hash}/ticket`, { headers: { ...json, authorization: `Bearer ${jwt(carol)}` }, body: JSON.stringify({ sender, recipient: dave.hash }) });
    return { status: r.status, id: (r.json as { ID?: string }).ID ?? '' };
  }

  it('skipSenderBinding issues a client ticket for a sender that is not the authenticated account', async () => {
    expect(await both('skipSenderBinding', async () => (await clientTicket(dave.hash)).status)).toEqual([403, 200]);
  });

  it('allowTicketReplay keeps a spent ticket usable', async () => {
    const r = await both('allowTicketReplay', async () => {
      const { id } = await clientTicket();
      const th = { 'x-bitmaelum-ticket': id };
      await env.client.raw('POST', `${S.url}/incoming/catalog`, { headers: th, body: 'x' });
      await env.client.raw('DELETE', `${S.url}/incoming`, { headers: th });
      return (await env.client.raw('POST', `${S.url}/incoming/catalog`, { headers: th, body: 'x' })).status;
    });
    expect(r).toEqual([401, 200]);
  });

  it('acceptIncompleteUpload completes an upload without header and catalog', async () => {
    const r = await both('acceptIncompleteUpload', async () => {
      const { id } = await clientTicket();
      return (await env.client.raw('POST', `${S.url}/incoming`, { headers: { 'x-bitmaelum-ticket': id } })).status;
    });
    expect(r).toEqual([409, 202]);
  });

  it('acceptProofZero validates a ticket on the proof 0', async () => {
    const r = await both('acceptProofZero', async () => {
      const t = (await env.client.raw('POST', `${S.url}/ticket`, { headers: json, body: JSON.stringify({ sender: carol.hash, recipient: dave.hash }) })).json as { ID: string };
      return ((await env.client.raw('POST', `${S.url}/ticket/${t.ID}`, { headers: json, body: '{"proof":0}' })).json as { Valid: boolean }).Valid;
    });
    expect(r).toEqual([false, true]);
  });

  it('acceptTokensWithoutExp accepts an account JWT without exp', async () => {
    // carol's key is Ed25519: EdDSA signs the signing input itself.
    const now = systemClock.now();
    const input = `${toB64url(utf8('{"alg":"EdDSA","typ":"JWT"}'))}.${toB64url(utf8(JSON.stringify({ iat: now - 30, nbf: now - 30, sub: carol.hash })))}`;
    const token = `${input}.${toB64url(sign(parsePrivateKey(carol.privateKey), utf8(input)))}`;
    expect(await both('acceptTokensWithoutExp', async () => (await boxes(token)).status)).toEqual([401, 200]);
  });

  it('acceptOnBehalfEverywhere accepts a JWT signed by an authorised key on an account-only route', async () => {
    const ak = GO_ED25519_4;
    const fp = await env.client.addAuthKey(carol, ak);
    try {
      const token = createJwt(parsePrivateKey(ak.privateKey), carol.hash, systemClock);
      expect(await both('acceptOnBehalfEverywhere', async () => (await boxList(token)).status)).toEqual([401, 200]);
    } finally {
      await S.ctx.repo.deleteAuthKey(carol.hash, fp);
    }
  });

  it('blockOverwritesParts stores a block named "catalog" over the uploaded catalog', async () => {
    const r = await both('blockOverwritesParts', async () => {
      const { id } = await clientTicket();
      const th = { 'x-bitmaelum-ticket': id };
      await env.client.raw('POST', `${S.url}/incoming/catalog`, { headers: th, body: 'the catalog' });
      await env.client.raw('POST', `${S.url}/incoming/block/catalog`, { headers: th, body: 'a block' });
      const stored = await S.ctx.repo.getUpload(id, 'catalog');
      await env.client.raw('DELETE', `${S.url}/incoming`, { headers: th });
      return Buffer.from(stored ?? new Uint8Array()).toString('utf8');
    });
    expect(r).toEqual(['the catalog', 'a block']);
  });

  it('fileIntoMissingBoxes answers 200 to a copy into a box that does not exist', async () => {
    // Local delivery files the message into box 1 before POST /incoming answers.
    const { id } = await env.client.send(carol, dave.address, { subject: 'box', blocks: [{ type: 'text', content: 'box' }] });
    const copy = () => env.client.raw('POST', `${S.url}/account/${dave.hash}/message/${id}/copy`, { headers: { ...json, authorization: `Bearer ${jwt(dave)}` }, body: '{"to":999}' });
    expect(await both('fileIntoMissingBoxes', async () => (await copy()).status)).toEqual([404, 200]);
  });

  it('skipAddressHashCheck creates an account whose address is not hash(user_hash + org_hash)', async () => {
    let n = 0;
    const r = await both('skipAddressHashCheck', async () => {
      const a = parseAddress(`mixed${n++}!`);
      const token = await env.invite(S, a.hash);
      const body = { address: a.hash, user_hash: parseAddress('someoneelse!').localHash, org_hash: a.orgHash, token, public_key: GO_ED25519_4.publicKey, proof_of_work: formatProofOfWork({ bits: 8, data: a.hash, proof: solvePow(8, a.hash) }) };
      return (await env.client.raw('POST', `${S.url}/account`, { headers: json, body: JSON.stringify(body) })).status;
    });
    expect(r).toEqual([400, 201]);
  });

  it('skipManagementKeyCheck lets an account JWT mint an invite', async () => {
    const invite = () => env.client.raw('POST', `${S.url}/admin/invite`, { headers: { ...json, authorization: `Bearer ${jwt(carol)}` }, body: JSON.stringify({ address: parseAddress('invited!').hash, days: 1 }) });
    expect(await both('skipManagementKeyCheck', async () => (await invite()).status)).toEqual([401, 201]);
  });

  it('skipApiKeyScope lets an API key of carol read the boxes of dave', async () => {
    const created = await env.client.raw('POST', `${S.url}/account/${carol.hash}/apikey`, { headers: { ...json, authorization: `Bearer ${jwt(carol)}` }, body: JSON.stringify({ permissions: ['get-headers'], expires: 0, description: 'scope' }) });
    const key = (created.json as { api_key: string }).api_key;
    const daveBoxes = () => env.client.raw('GET', `${S.url}/account/${dave.hash}/boxes`, { headers: { authorization: `Bearer ${key}` } });
    expect(await both('skipApiKeyScope', async () => (await daveBoxes()).status)).toEqual([401, 200]);
  });

  it('acceptUnvalidatedTickets accepts an upload with a ticket whose work is not done', async () => {
    const r = await both('acceptUnvalidatedTickets', async () => {
      const t = (await env.client.raw('POST', `${S.url}/ticket`, { headers: json, body: JSON.stringify({ sender: carol.hash, recipient: dave.hash }) })).json as { ID: string };
      const status = (await env.client.raw('POST', `${S.url}/incoming/catalog`, { headers: { 'x-bitmaelum-ticket': t.ID }, body: 'x' })).status;
      await env.client.raw('DELETE', `${S.url}/incoming`, { headers: { 'x-bitmaelum-ticket': t.ID } });
      return status;
    });
    expect(r).toEqual([401, 200]);
  });

  it('skipHeaderAddressCheck accepts a header addressed to another recipient than the ticket\'s', async () => {
    const r = await both('skipHeaderAddressCheck', async () => {
      // A header carol signed for dave, uploaded with a ticket of carol to herself.
      const out = await capture();
      const t = await env.client.raw('POST', `${S.url}/account/${carol.hash}/ticket`, { headers: { ...json, authorization: `Bearer ${jwt(carol)}` }, body: JSON.stringify({ sender: carol.hash, recipient: carol.hash }) });
      const id = (t.json as { ID: string }).ID;
      const status = (await env.client.raw('POST', `${S.url}/incoming/header`, { headers: { ...json, 'x-bitmaelum-ticket': id }, body: headerJson(out.header) })).status;
      await env.client.raw('DELETE', `${S.url}/incoming`, { headers: { 'x-bitmaelum-ticket': id } });
      return status;
    });
    expect(r).toEqual([400, 200]);
  });

  it('acceptUnsignedAuthKeys stores an authorised key signed by another key than the account\'s', async () => {
    // GO_ED25519_3 authorised by GO_ED25519_4, which is not carol's key.
    const body = { public_key: GO_ED25519_3.publicKey, signature: signAuthorization(GO_ED25519_4.privateKey, GO_ED25519_3.publicKey), expires: 0, description: 'not by carol' };
    const store = () => env.client.raw('POST', `${S.url}/account/${carol.hash}/authkey`, { headers: { ...json, authorization: `Bearer ${jwt(carol)}` }, body: JSON.stringify(body) });
    const r = await both('acceptUnsignedAuthKeys', async () => (await store()).status);
    for (const k of await S.ctx.repo.listAuthKeys(carol.hash)) if (k.public_key === GO_ED25519_3.publicKey) await S.ctx.repo.deleteAuthKey(carol.hash, k.fingerprint);
    expect(r).toEqual([400, 201]);
  });

  it('deleteMandatoryBoxes deletes the trash box', async () => {
    const del = () => env.client.raw('DELETE', `${S.url}/account/${dave.hash}/box/3`, { headers: { authorization: `Bearer ${jwt(dave)}` } });
    const r = await both('deleteMandatoryBoxes', async () => (await del()).status);
    expect(r[0]).toBe(404);
    expect(r[1]).toBeGreaterThanOrEqual(200);
    expect(r[1]).toBeLessThan(300);
  });

  it('looseAddressRoute lets an account route match an address segment of 63 characters', async () => {
    const r = await both('looseAddressRoute', async () => (await env.client.raw('GET', `${S.url}/account/${carol.hash.slice(1)}/boxes`, { headers: { authorization: `Bearer ${jwt(carol)}` } })).status);
    expect(r[0]).toBe(404);
    expect(r[1]).not.toBe(404);
  });

  let storeRun = 0;
  /** A key/value write of formats.md §10.5 by carol under `parentPath`, its signature over `signedValue`. */
  const storeWrite = (path: string, parentPath: string | null, signedValue = 'v') => {
    const hash = hashString(carol.hash + path);
    const parent = parentPath === null ? null : hashString(carol.hash + parentPath);
    const value = utf8('v');
    const digest = createHash('sha256').update(hash).update(parent ?? '').update(utf8(signedValue)).digest();
    const body = { path: hash, parent, value: toB64(value), signature: toB64(sign(parsePrivateKey(carol.privateKey), new Uint8Array(digest))), public_key: carol.publicKey };
    return env.client.raw('POST', `${S.url}/account/${carol.hash}/store/${hash}`, { headers: { ...json, authorization: `Bearer ${jwt(carol)}` }, body: JSON.stringify(body) });
  };

  it('acceptUnsignedStoreEntries stores an entry whose signature is over another value', async () => {
    expect(await both('acceptUnsignedStoreEntries', async () => (await storeWrite(`/forged-${storeRun++}`, '/', 'another value')).status)).toEqual([400, 200]);
  });

  it('acceptOrphanStoreEntries stores an entry under a parent that does not exist', async () => {
    expect(await both('acceptOrphanStoreEntries', async () => (await storeWrite(`/orphan-${storeRun++}`, '/missing')).status)).toEqual([404, 200]);
  });

  it('deleteStoreEntriesWithChildren deletes an entry that has a child', async () => {
    const r = await both('deleteStoreEntriesWithChildren', async () => {
      const dir = `/dir-${storeRun++}`;
      expect((await storeWrite(dir, '/')).status).toBe(200);
      expect((await storeWrite(`${dir}/kid`, dir)).status).toBe(200);
      return (await env.client.raw('DELETE', `${S.url}/account/${carol.hash}/store/${hashString(carol.hash + dir)}`, { headers: { authorization: `Bearer ${jwt(carol)}` } })).status;
    });
    expect(r).toEqual([409, 204]);
  });
});
