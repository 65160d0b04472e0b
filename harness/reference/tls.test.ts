// Tests of tls.ts: a client that trusts the per-run CA reaches the reference server; a client
// that does not (other CA, system roots, wrong host name) is refused by certificate checks.
import 'reflect-metadata'; // before @peculiar/x509
import * as x509 from '@peculiar/x509';
import tls from 'node:tls';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Router } from './router.ts';
import { startHttpServer, type RunningServer } from './http.ts';
import { createCa, issueServerCert, loadCa, trustingAgent, type CertificateAuthority } from './tls.ts';

let ca: CertificateAuthority;
let srv: RunningServer;

beforeAll(async () => {
  ca = await createCa();
  const leaf = await issueServerCert(ca);
  const r = new Router();
  r.get('/ping', () => ({ status: 200, json: { pong: true } }));
  srv = await startHttpServer(r, { tls: leaf });
});
afterAll(async () => {
  await srv.close();
});

async function get(url: string, dispatcher: Agent): Promise<number> {
  try {
    const res = await request(url, { dispatcher });
    await res.body.text();
    return res.statusCode;
  } finally {
    await dispatcher.close();
  }
}

describe('per-run CA', () => {
  it('issues a CA certificate with CA:TRUE and a leaf with CA:FALSE, serverAuth and loopback SANs', async () => {
    const c = new x509.X509Certificate(ca.cert);
    expect(c.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    const leaf = new x509.X509Certificate((await issueServerCert(ca)).cert);
    expect(leaf.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toContain(x509.ExtendedKeyUsage.serverAuth);
    const san = leaf.getExtension(x509.SubjectAlternativeNameExtension)!.names.toJSON().map((n) => `${n.type}:${n.value}`);
    expect(san).toEqual(expect.arrayContaining(['ip:127.0.0.1', 'dns:localhost', 'ip:::1']));
    expect(leaf.issuer).toBe(c.subject);
    expect(await leaf.verify({ publicKey: c.publicKey })).toBe(true);
  });

  it('lets a client that trusts the CA connect by IP and by name', async () => {
    expect(await get(`${srv.url}/ping`, trustingAgent(ca.cert))).toBe(200);
    expect(await get(`https://localhost:${srv.port}/ping`, trustingAgent(ca.cert))).toBe(200);
  });

  it('makes a client that trusts another CA reject the server certificate', async () => {
    const other = await createCa();
    await expect(get(`${srv.url}/ping`, trustingAgent(other.cert))).rejects.toThrow(/certificate|self[- ]signed|verify/i);
  });

  it('makes a client with the system roots reject the server certificate', async () => {
    await expect(get(`${srv.url}/ping`, new Agent())).rejects.toThrow(/certificate|verify/i);
  });

  it('makes a client reject a certificate issued for another host name', async () => {
    const leaf = await issueServerCert(ca, ['bitmaelum.invalid']);
    const s = await startHttpServer(new Router().get('/ping', () => ({ status: 200 })), { tls: leaf });
    try {
      await expect(get(`${s.url}/ping`, trustingAgent(ca.cert))).rejects.toThrow(/altname|does not match|Hostname/i);
    } finally {
      await s.close();
    }
  });

  it('reloads a CA from its PEM texts and issues certificates the original trust anchor accepts', async () => {
    const again = await loadCa(ca.cert, ca.key);
    const leaf = await issueServerCert(again);
    const s = await startHttpServer(new Router().get('/ping', () => ({ status: 200 })), { tls: leaf });
    try {
      expect(await get(`${s.url}/ping`, trustingAgent(ca.cert))).toBe(200);
    } finally {
      await s.close();
    }
    await expect(loadCa('not a pem', ca.key)).rejects.toThrow(TypeError);
  });

  it('copies a loaded CA subject into the leaf issuer byte for byte, whatever string type it uses', async () => {
    // OpenSSL writes a CN as UTF8String; re-encoding it from text gives PrintableString, which
    // Node accepts (canonical comparison) but Go's crypto/x509 does not (raw byte comparison).
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const foreign = await x509.X509CertificateGenerator.createSelfSigned({
      name: new x509.Name([{ CN: [{ utf8String: 'foreign test CA' }] }]),
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
    });
    const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
    const loaded = await loadCa(foreign.toString('pem'), `-----BEGIN PRIVATE KEY-----\n${pkcs8}\n-----END PRIVATE KEY-----\n`);
    const leaf = new x509.X509Certificate((await issueServerCert(loaded)).cert);
    const caSubject = Buffer.from(foreign.subjectName.toArrayBuffer());
    expect(caSubject.includes(Buffer.from([0x0c, 'foreign test CA'.length]))).toBe(true); // UTF8String tag
    expect(Buffer.from(leaf.issuerName.toArrayBuffer()).equals(caSubject)).toBe(true);
  });
});

describe('trustingAgent', () => {
  it('builds no TLS context per connection: one shared context serves every new connection', async () => {
    // Every answer closes its connection, so each request opens (and verifies) a new one.
    const r = new Router().get('/ping', () => ({ status: 200, json: { pong: true }, headers: { connection: 'close' } }));
    const s = await startHttpServer(r, { tls: await issueServerCert(ca) });
    let connections = 0;
    s.server.on('secureConnection', () => { connections++; });
    const agent = trustingAgent(ca.cert);
    // tls.connect calls tls.createSecureContext(options) unless given a secureContext.
    const spy = vi.spyOn(tls, 'createSecureContext');
    try {
      for (let i = 0; i < 4; i++) {
        const res = await request(`${s.url}/ping`, { dispatcher: agent });
        expect(res.statusCode).toBe(200);
        await res.body.text();
      }
      expect(connections).toBe(4);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      await agent.close();
      await s.close();
    }
  });

  it('still checks the host name on every connection with the shared context', async () => {
    const agent = trustingAgent(ca.cert);
    try {
      const ok = await request(`https://localhost:${srv.port}/ping`, { dispatcher: agent });
      await ok.body.text();
      expect(ok.statusCode).toBe(200);
      const leaf = await issueServerCert(ca, ['bitmaelum.invalid']);
      const s = await startHttpServer(new Router().get('/ping', () => ({ status: 200 })), { tls: leaf });
      try {
        await expect(request(`${s.url}/ping`, { dispatcher: agent })).rejects.toThrow(/altname|does not match|Hostname/i);
      } finally {
        await s.close();
      }
    } finally {
      await agent.close();
    }
  });
});
