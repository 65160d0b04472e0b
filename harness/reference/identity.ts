/**
 * The reference's identity: the per-run CA, the mail server's routing key (ed25519) with its
 * routing id (`hash.New(hex(raw public key))`, spec/api.md §1.1) and the management API key
 * (`BMK-…`, §3.8). Made fresh, or kept in `<dataDir>/reference-identity.json` so a restart
 * keeps the same routing id and trust anchor.
 * @module
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatPrivateKey, formatPublicKey, generateKeyPair } from '../protocol/keys.ts';
import type { Rng } from '../protocol/random.ts';
import { atomicWriteFile } from './atomic-file.ts';
import { createCa, loadCa, type CertificateAuthority } from './tls.ts';

export { routingIdOf } from './mailserver/index.ts';

/** What `reference-identity.json` holds. */
export interface Identity {
  ca: { cert: string; key: string };
  routingKey: { privateKey: string; publicKey: string };
  adminKey: string;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function adminKeyFrom(rng: Rng): string {
  // Unbiased: reject bytes ≥ 248 (= 4 × 62).
  let out = 'BMK-';
  while (out.length < 36) {
    for (const b of rng.bytes(32)) {
      if (b < 248 && out.length < 36) out += ALNUM[b % 62];
    }
  }
  return out;
}

async function makeIdentity(rng: Rng): Promise<{ id: Identity; ca: CertificateAuthority }> {
  const ca = await createCa({ rng });
  const kp = generateKeyPair('ed25519', rng);
  return { ca, id: { ca: { cert: ca.cert, key: ca.key }, routingKey: { privateKey: formatPrivateKey(kp.privateKey), publicKey: formatPublicKey(kp.publicKey) }, adminKey: adminKeyFrom(rng) } };
}

/** The identity kept in `dataDir` when there is one, else a fresh one (saved there when `dataDir` is given). */
export async function loadOrMakeIdentity(dataDir: string | undefined, rng: Rng): Promise<{ id: Identity; ca: CertificateAuthority }> {
  const idPath = dataDir && join(dataDir, 'reference-identity.json');
  if (idPath && existsSync(idPath)) {
    const id = JSON.parse(await readFile(idPath, 'utf8')) as Identity;
    return { id, ca: await loadCa(id.ca.cert, id.ca.key) };
  }
  const made = await makeIdentity(rng);
  if (idPath) {
    await mkdir(dataDir!, { recursive: true });
    await atomicWriteFile(idPath, JSON.stringify(made.id, null, 2) + '\n', 0o600);
  }
  return made;
}
