/**
 * The reference implementation's one public entry for the layers above (suites, targets, run):
 * start the mail server and key resolver together or the mail server alone, the TLS authority
 * they use, the client that talks to them, a webhook receiver, the fault switches that make the
 * reference deliberately wrong, and its command (`bm-conformance serve`). Inside harness/reference
 * the modules import each other directly.
 * @module
 */
export { startReference, routingIdOf, type ReferenceHandle, type ReferenceOptions } from './start.ts';
export { createCa, issueServerCert, loadCa, trustingAgent, type CertificateAuthority, type ServerCertificate } from './tls.ts';
export { startMailServer, NO_FAULTS, FAULT_NAMES, type Faults, type MailServer, type MailServerOptions } from './mailserver/index.ts';
export { NO_RESOLVER_FAULTS, type ResolverFaults } from './resolver/server.ts';
export { ReferenceClient, type ClientAccount, type OutgoingMessage } from './client.ts';
export { ApiError } from './apierror.ts';
export { startReceiver, type Receiver, type ReceivedRequest } from './receiver.ts';
export { serveMain } from './serve.ts';
