/**
 * Per-run TLS for the reference servers: a throw-away certificate authority and server
 * certificates it issues for loopback names, so clients can verify the servers properly
 * instead of turning verification off (DESIGN.md "The harness owns … its own TLS CA";
 * spec/api.md §2.1: BitMaelum is HTTPS only, self-signed only with `allow_insecure`).
 *
 * Keys are ECDSA P-256 with SHA-256 signatures, made with node's WebCrypto and encoded by
 * @peculiar/x509. The CA is `CA:TRUE, pathlen 0`, key usage keyCertSign+cRLSign; a server
 * certificate is `CA:FALSE`, digitalSignature, extKeyUsage serverAuth, and SANs for every
 * host given (IP literals as iPAddress, names as dNSName).
 *
 * @example
 * ```ts
 * const ca = await createCa();
 * const srv = await issueServerCert(ca);          // hosts 127.0.0.1, localhost, ::1
 * await startHttpServer(router, { tls: { cert: srv.cert, key: srv.key } });
 * const dispatcher = trustingAgent(ca.cert);     // undici Agent that trusts only this CA
 * await request(url, { dispatcher });
 * await writeCaFile(ca, '/tmp/run/ca.pem');     // for `--ca` flags of other tools
 * ```
 * @module
 */
import { webcrypto } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import 'reflect-metadata'; // must precede @peculiar/x509 (its tsyringe container needs the Reflect metadata API)
import * as x509 from '@peculiar/x509';
import { Agent } from 'undici';
import { systemClock, systemRng, type Clock, type Rng } from '../protocol/random.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const SIGN_ALG = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** A certificate authority: PEM certificate and the key that signs server certificates. */
export interface CertificateAuthority {
  /** PEM certificate of the CA (what clients trust). */
  readonly cert: string;
  /** PEM PKCS#8 private key of the CA. */
  readonly key: string;
  /** @internal parsed forms for issuing */
  readonly _cert: x509.X509Certificate;
  readonly _keys: CryptoKeyPair;
}

/** A server certificate issued by a {@link CertificateAuthority}. */
export interface ServerCertificate {
  /** PEM leaf certificate. */
  readonly cert: string;
  /** PEM PKCS#8 private key. */
  readonly key: string;
  /** PEM of the issuing CA (the trust anchor for clients). */
  readonly ca: string;
}

export interface CertOptions {
  /** Common name of the subject. */
  commonName?: string;
  /** Validity in days from now (default 30); `notBefore` is one hour in the past for clock skew. */
  days?: number;
  clock?: Clock;
  /** Source of the serial number bytes. */
  rng?: Rng;
}

function serial(rng: Rng): string {
  const b = rng.bytes(16);
  b[0] = b[0]! & 0x7f; // positive INTEGER
  if (b[0] === 0) b[0] = 1; // and no leading zero byte
  return Buffer.from(b).toString('hex');
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
}

function validity(opts: CertOptions): { notBefore: Date; notAfter: Date } {
  const now = (opts.clock ?? systemClock).now();
  return { notBefore: new Date((now - 3600) * 1000), notAfter: new Date((now + (opts.days ?? 30) * 86400) * 1000) };
}

/** Create a fresh CA (new key each call). */
export async function createCa(opts: CertOptions = {}): Promise<CertificateAuthority> {
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const name = `CN=${opts.commonName ?? 'bitmaelum-conformance test CA'}, O=bitmaelum-conformance`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(opts.rng ?? systemRng),
    name,
    ...validity(opts),
    keys,
    signingAlgorithm: SIGN_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await keyPem(keys.privateKey), _cert: cert, _keys: keys };
}

/**
 * Load a CA written earlier (PEM certificate + PEM PKCS#8 key, as {@link createCa} returns), so
 * a durable reference keeps one trust anchor across restarts.
 * @throws TypeError if the PEM texts are not an ECDSA P-256 CA certificate and its key
 */
export async function loadCa(certPem: string, keyPem: string): Promise<CertificateAuthority> {
  let cert: x509.X509Certificate;
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  try {
    cert = new x509.X509Certificate(certPem);
    const der = Buffer.from(keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
    privateKey = await webcrypto.subtle.importKey('pkcs8', der, ALG, true, ['sign']);
    publicKey = await cert.publicKey.export(ALG, ['verify']);
  } catch (e) {
    throw new TypeError(`loadCa: not a P-256 CA certificate and key: ${(e as Error).message}`);
  }
  return { cert: certPem, key: keyPem, _cert: cert, _keys: { privateKey, publicKey } };
}

/** The loopback names every reference server answers on. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '::1'];

/** Issue a server certificate for `hosts` (IP literals and DNS names) signed by `ca`. */
export async function issueServerCert(ca: CertificateAuthority, hosts: readonly string[] = LOOPBACK_HOSTS, opts: CertOptions = {}): Promise<ServerCertificate> {
  if (hosts.length === 0) throw new RangeError('issueServerCert: hosts: expected at least one host');
  const keys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const names = hosts.map((h) => ({ type: isIP(h) ? ('ip' as const) : ('dns' as const), value: h }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(opts.rng ?? systemRng),
    subject: `CN=${opts.commonName ?? hosts[0]}`,
    // The CA's subject as encoded, not re-encoded from text: Go's crypto/x509 matches issuer to
    // subject byte for byte, so a UTF8String CN (OpenSSL's default) turned PrintableString is
    // "certificate signed by unknown authority" to a Go server, while Node still accepts it.
    issuer: ca._cert.subjectName,
    ...validity(opts),
    publicKey: keys.publicKey,
    signingKey: ca._keys.privateKey,
    signingAlgorithm: SIGN_ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca._keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: await keyPem(keys.privateKey), ca: ca.cert };
}

/**
 * An undici Agent that trusts exactly `caPem` (not the system roots) and verifies host names.
 * Pass it as `dispatcher`. Close it with `await agent.close()` when done.
 *
 * The trust store is built once, as one TLS secure context shared by every connection of the
 * agent: undici's `connect: { ca }` hands the PEM to `tls.connect`, which parses it into a new
 * context for each connection — the largest single cost of a short request on a fresh
 * connection. Host name checks are unaffected (`checkServerIdentity` runs per connection).
 */
export function trustingAgent(caPem: string | readonly string[], opts: { keepAliveTimeoutMs?: number; connectTimeoutMs?: number } = {}): Agent {
  return new Agent({
    connect: { secureContext: trustingContext(caPem), rejectUnauthorized: true, timeout: opts.connectTimeoutMs ?? 10_000 },
    keepAliveTimeout: opts.keepAliveTimeoutMs ?? 4_000,
  });
}

/**
 * A TLS client context whose only trust anchors are `caPem` (for `tls.connect({ secureContext })`
 * or an undici `connect` option). Build it once and share it across connections.
 */
export function trustingContext(caPem: string | readonly string[]): SecureContext {
  return createSecureContext({ ca: typeof caPem === 'string' ? caPem : [...caPem] });
}

/** Write the CA certificate PEM to `path` (directories created), for other processes to trust. */
export async function writeCaFile(ca: CertificateAuthority | string, path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, typeof ca === 'string' ? ca : ca.cert, { mode: 0o644 });
  return path;
}
