// Tests of start.ts: startReference brings up a trusted HTTPS resolver and the mail server and
// reports what a test needs; a data directory keeps identity and records across restarts.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDirs } from './_tempdirs.ts';
import { generateKeyPair, formatPublicKey, parsePrivateKey } from '../protocol/keys.ts';
import { seededRng } from '../protocol/random.ts';
import { ResolverClient } from './resolver/client.ts';
import { routingIdOf, startReference } from './start.ts';

const tempDir = useTempDirs('bm-serve-');

describe('startReference', () => {
  it('starts a resolver on 127.0.0.1 over HTTPS trusted through the written CA file', async () => {
    const ref = await startReference({ pow: { address: 8, organisation: 8 }, mail: false });
    try {
      expect(ref.resolverUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(ref.mailUrl).toBeUndefined();
      expect(readFileSync(ref.caPath, 'utf8')).toBe(ref.caPem);
      expect(ref.routingId).toMatch(/^[0-9a-f]{64}$/);
      expect(ref.routingId).toBe(routingIdOf(ref.routingKey.publicKey));
      expect(ref.adminKey).toMatch(/^BMK-[A-Za-z0-9]{32}$/);
      const rc = new ResolverClient({ baseUrl: ref.resolverUrl, ca: readFileSync(ref.caPath, 'utf8') });
      expect(await rc.getConfig()).toEqual({ address: 8, organisation: 8 });
      await rc.close();
    } finally {
      await ref.close();
    }
    expect(existsSync(ref.caPath)).toBe(false); // temp CA removed on close
  });

  it('starts the mail server too when it is available, registered on the resolver under the routing id', async () => {
    const ref = await startReference({ pow: { address: 8, organisation: 8 } });
    try {
      expect(ref.mailUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const rc = new ResolverClient({ baseUrl: ref.resolverUrl, ca: ref.caPem });
      const rec = await rc.getRouting(ref.routingId);
      expect(rec?.routing).toBe(ref.mailUrl!.replace('https://', ''));
      expect(rec?.publicKey).toBe(ref.routingKey.publicKey);
      const home = await rc.raw('GET', '/');
      expect(home.status).toBe(200);
      await rc.close();
    } finally {
      await ref.close();
    }
  });

  it('keeps CA, routing identity, admin key and resolver records across restarts with a data directory', async () => {
    const dir = await tempDir();
    const ref1 = await startReference({ dataDir: dir, mail: false });
    const kp = generateKeyPair('ed25519', seededRng(new Uint8Array([4])));
    const pub = formatPublicKey(kp.publicKey);
    const rid = routingIdOf(pub);
    const rc1 = new ResolverClient({ baseUrl: ref1.resolverUrl, ca: ref1.caPem });
    await rc1.uploadRouting({ hash: rid, publicKey: pub, routing: '127.0.0.1:2424' }, kp.privateKey);
    await rc1.close();
    await ref1.close();

    const ref2 = await startReference({ dataDir: dir, mail: false });
    try {
      expect(ref2.caPem).toBe(ref1.caPem);
      expect(ref2.routingId).toBe(ref1.routingId);
      expect(ref2.adminKey).toBe(ref1.adminKey);
      expect(ref2.caPath).toBe(join(dir, 'ca.pem'));
      expect(parsePrivateKey(ref2.routingKey.privateKey).type).toBe('ed25519');
      const rc2 = new ResolverClient({ baseUrl: ref2.resolverUrl, ca: readFileSync(ref2.caPath, 'utf8') });
      expect((await rc2.getRouting(rid))?.routing).toBe('127.0.0.1:2424');
      await rc2.close();
    } finally {
      await ref2.close();
    }
  });
});
