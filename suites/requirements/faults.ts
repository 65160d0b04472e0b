/**
 * The fault-switch proofs (issue 5 "What must hold", issue 10 item 3): for every fault switch of
 * the reference mail server (harness/reference/mailserver/options.ts `Faults`) and of the
 * reference key resolver (harness/reference/resolver/server.ts `ResolverFaults`), the full names
 * of the conformance tests it must make fail, each of them and nothing else.
 *
 * This is data, reviewed once, read by two sides:
 * - test/faults.test.ts proves it: one run per switch, the failing tests are exactly these;
 * - suites/requirements/failproof.ts cites it: a test named here has been seen failing against a
 *   reference with that defect, which is the strongest evidence a report can give that the
 *   test's pass was earned.
 *
 * Names are stable full test names (`profile › area › requirement ids › case id`,
 * reports/model.ts `testName`); a renamed test makes test/faults.test.ts fail with the name it
 * could not find.
 * @module
 */

export interface FaultProof {
  /** Which reference has the switch: the mail server (`Faults`), the key resolver (`ResolverFaults`) or the adapter (`BM_ADAPTER_FAULTS`). */
  section: 'mail' | 'resolver' | 'adapter';
  /** The switch's name in that section. */
  name: string;
  /** Full names of the tests this switch must (and alone may) make fail. */
  fails: string[];
}

const S = (area: string, reqs: string, caseId: string) => `server › ${area} › ${reqs} › ${caseId}`;
const X = (area: string, reqs: string, caseId: string) => `security › ${area} › ${reqs} › ${caseId}`;
const R = (area: string, reqs: string, caseId: string) => `resolver › ${area} › ${reqs} › ${caseId}`;
const I = (area: string, reqs: string, caseId: string) => `interop › ${area} › ${reqs} › ${caseId}`;

export const FAULT_PROOFS: readonly FaultProof[] = [
  {
    section: 'mail', name: 'skipClientSignatureCheck', fails: [
      S('DELIV', 'BM-DELIV-002+BM-SIG-009', 'must-not-deliver-a-message-whose-header-was-changed-after-the-client-signed-it'),
      S('DELIV', 'BM-DELIV-002+BM-SIG-009', 'must-not-deliver-a-message-whose-client-signature-is-by-another-key'),
      S('UPLOAD', 'BM-UPLOAD-006', 'should-refuse-with-a-4xx-before-accepting-it-a-message-whose-client-signature'),
      X('SIG', 'BM-SIG-008+BM-DELIV-002', 'must-not-deliver-a-message-whose-client-signature-was-stripped'),
      X('DELIV', 'BM-DELIV-002+BM-SIG-009', 'must-not-deliver-a-message-whose-catalog-crypto-was-downgraded-to-legacy-rsa'),
    ],
  },
  {
    section: 'mail', name: 'skipServerSignatureCheck', fails: [
      S('DELIV', 'BM-DELIV-002+BM-SIG-013+BM-SIG-016', 'must-not-deliver-a-message-whose-server-signature-is-not-by-the-sender-s-home'),
      X('SIG', 'BM-SIG-013+BM-SIG-016', 'must-not-deliver-a-relayed-message-whose-server-signature-was-stripped'),
    ],
  },
  {
    section: 'mail', name: 'skipAuthorizationCheck', fails: [
      X('SIG', 'BM-SIG-011+BM-SIG-012', 'must-not-deliver-an-on-behalf-message-whose-authorized-by-was-not-signed-by-the'),
    ],
  },
  {
    section: 'mail', name: 'skipCatalogChecksum', fails: [
      S('DELIV', 'BM-DELIV-010', 'should-not-deliver-a-message-whose-catalog-bytes-do-not-match-the-signed-size'),
      X('DELIV', 'BM-DELIV-010', 'should-not-deliver-a-message-whose-catalog-was-truncated'),
    ],
  },
  {
    section: 'mail', name: 'acceptExpiredTokens', fails: [
      S('JWT', 'BM-JWT-014+BM-JWT-004', 'must-answer-401-token-time-not-valid-to-a-validly-signed-token-past-its-exp'),
      S('JWT', 'BM-JWT-014+BM-JWT-004', 'must-answer-401-token-time-not-valid-to-a-validly-signed-token-whose-nbf-is-in'),
      S('JWT', 'BM-JWT-004', 'must-refuse-a-validly-signed-token-whose-iat-is-in-the-future'),
      X('JWT', 'BM-JWT-014', 'must-refuse-a-captured-token-replayed-after-it-expired'),
      X('JWT', 'BM-JWT-014', 'must-refuse-a-token-minted-ahead-for-a-later-window'),
    ],
  },
  {
    section: 'mail', name: 'acceptAlgNone', fails: [
      X('JWT', 'BM-JWT-012', 'must-refuse-an-unsigned-token-with-alg-none-in-lower-case'),
      X('JWT', 'BM-JWT-012', 'must-refuse-an-unsigned-token-with-alg-none-capitalised'),
      X('JWT', 'BM-JWT-012', 'must-refuse-an-unsigned-token-with-alg-none-in-upper-case'),
    ],
  },
  {
    section: 'mail', name: 'acceptWrongSubject', fails: [
      X('JWT', 'BM-JWT-010+BM-JWT-013', 'must-refuse-a-valid-token-of-another-account'),
    ],
  },
  {
    section: 'mail', name: 'acceptWeakProofOfWork', fails: [
      S('ACCT', 'BM-ACCT-001', 'must-reject-an-account-proof-of-work-with-fewer-bits-than-the-resolver-minimum'),
      S('ACCT', 'BM-ACCT-002+BM-POW-001', 'must-reject-an-account-proof-of-work-whose-counter-is-not-a-solution'),
      S('ACCT', 'BM-ACCT-002+BM-POW-006', 'must-reject-an-account-proof-of-work-solved-for-another-address'),
      S('ACCT', 'BM-ACCT-002+BM-ACCT-005', 'must-check-the-proof-of-work-before-the-invite-token'),
      S('TICKET', 'BM-TICKET-008', 'must-leave-a-ticket-invalid-for-a-wrong-proof-of-work'),
    ],
  },
  {
    section: 'mail', name: 'acceptBadInvite', fails: [
      S('ACCT', 'BM-ACCT-005+BM-ACCT-007', 'must-check-the-invite-token-before-reporting-an-existing-account'),
      X('ACCT', 'BM-ACCT-006', 'must-refuse-an-invite-token-issued-for-another-address'),
      X('ACCT', 'BM-ACCT-005+BM-INV-004', 'must-refuse-an-invite-token-not-signed-by-the-server-s-routing-key'),
      X('INV', 'BM-INV-003+BM-API-012', 'must-answer-400-to-a-token-with-fewer-than-four-parts'),
      X('INV', 'BM-INV-004+BM-INV-007', 'must-refuse-an-invite-token-after-its-expiry'),
    ],
  },
  {
    section: 'mail', name: 'allowTicketReplay', fails: [
      S('UPLOAD', 'BM-UPLOAD-015', 'must-refuse-uploads-with-a-ticket-whose-message-was-completed'),
      S('UPLOAD', 'BM-UPLOAD-014+BM-UPLOAD-015', 'must-refuse-uploads-with-a-ticket-whose-upload-was-cancelled'),
      X('UPLOAD', 'BM-UPLOAD-015', 'must-refuse-every-upload-that-replays-a-spent-ticket'),
    ],
  },
  {
    section: 'mail', name: 'skipSenderBinding', fails: [
      X('TICKET', 'BM-TICKET-012', 'must-refuse-a-client-ticket-whose-sender-is-not-the-authenticated-account'),
    ],
  },
  {
    section: 'mail', name: 'acceptIncompleteUpload', fails: [
      S('UPLOAD', 'BM-UPLOAD-013', 'should-refuse-to-complete-a-message-whose-header-was-not-uploaded'),
      S('UPLOAD', 'BM-UPLOAD-013', 'should-refuse-to-complete-a-message-whose-catalog-was-not-uploaded'),
    ],
  },
  {
    section: 'resolver', name: 'acceptWeakProofOfWork', fails: [
      R('creation', 'BM-RES-018+BM-POW-001', 'must-reject-an-address-proof-of-work-whose-counter-does-not-satisfy-its-bits'),
      R('creation', 'BM-RES-018+BM-POW-006', 'must-reject-an-address-proof-of-work-over-data-other-than-the-address-hash'),
      R('creation', 'BM-RES-018+BM-RES-009', 'must-reject-an-address-proof-of-work-one-bit-below-the-config-json-minimum'),
      R('creation', 'BM-RES-018+BM-RES-040', 'must-answer-400-to-a-new-address-record-without-a-proof-of-work'),
      R('creation', 'BM-RES-035', 'must-reject-an-organisation-proof-of-work-below-the-organisation-minimum'),
      R('creation', 'BM-RES-035+BM-POW-006', 'must-reject-an-organisation-proof-of-work-over-data-other-than-the-organisation'),
      R('creation', 'BM-RES-036', 'should-name-the-organisation-minimum-in-the-organisation-proof-of-work-too-weak'),
    ],
  },
  {
    section: 'resolver', name: 'skipBearerCheck', fails: [
      R('authorisation', 'BM-RES-020', 'must-answer-401-to-an-address-update-whose-signature-leaves-out-the-routing-id'),
      R('authorisation', 'BM-RES-020', 'must-answer-401-to-an-address-update-without-a-bearer'),
      R('authorisation', 'BM-RES-020', 'must-answer-401-unauthenticated-to-an-address-update-signed-by-another-key'),
      R('authorisation', 'BM-RES-020+BM-RES-021', 'must-answer-401-to-an-address-update-signed-over-a-serial-that-is-not-the'),
      R('authorisation', 'BM-RES-021', 'must-reject-a-replayed-bearer-signed-over-the-serial-before-the-last-update'),
      R('authorisation', 'BM-RES-021+BM-RES-019', 'must-verify-the-bearer-against-the-exact-64-bit-serial-not-one-rounded-to-a'),
      R('authorisation', 'BM-RES-023', 'must-answer-401-to-delete-address-hash-signed-by-another-key'),
      R('authorisation', 'BM-RES-023', 'must-answer-401-to-delete-address-hash-without-a-bearer-and-keep-the-record'),
      R('authorisation', 'BM-RES-032', 'must-answer-401-to-a-routing-update-signed-by-another-key'),
      R('authorisation', 'BM-RES-032+BM-RES-021', 'must-answer-401-to-a-routing-update-signed-over-the-serial-before-the-last'),
      R('authorisation', 'BM-RES-033', 'must-answer-401-to-delete-routing-hash-without-a-bearer'),
      R('authorisation', 'BM-RES-037', 'must-answer-401-to-an-organisation-update-signed-by-another-key'),
      R('authorisation', 'BM-RES-037', 'must-answer-401-to-delete-organisation-hash-signed-by-another-key'),
      R('authorisation', 'BM-RES-038', 'must-verify-later-bearers-with-the-key-stored-by-the-last-update'),
      R('creation', 'BM-RES-031', 'should-refuse-to-create-a-routing-record-without-a-bearer-by-the-uploaded-key'),
      R('lifecycle', 'BM-RES-025', 'must-answer-401-to-a-soft-delete-without-a-bearer'),
      R('lifecycle', 'BM-RES-025', 'must-answer-401-to-an-undelete-signed-by-another-key'),
      R('lifecycle', 'BM-RES-026', 'must-refuse-a-key-status-change-without-the-address-owner-s-bearer'),
    ],
  },
  {
    section: 'mail', name: 'acceptExpiredAuthKeys', fails: [
      S('JWT', 'BM-JWT-020', 'must-refuse-401-an-on-behalf-jwt-once-the-authorised-key-s-expires-has-passed'),
    ],
  },
  {
    section: 'mail', name: 'dropWebhookEvents', fails: [
      S('HOOK', 'BM-HOOK-003', 'must-post-meta-id-account-event-message-from-to-id-once-to-an-enabled-http'),
    ],
  },
  {
    section: 'mail', name: 'looseAddressRoute', fails: [
      S('API', 'BM-API-009', 'must-not-match-an-account-route-whose-address-segment-is-not-64-characters'),
    ],
  },
  {
    section: 'mail', name: 'acceptUnsignedStoreEntries', fails: [
      S('STORE', 'BM-STORE-005', 'must-refuse-an-entry-whose-signature-does-not-verify'),
    ],
  },
  {
    section: 'mail', name: 'acceptOrphanStoreEntries', fails: [
      S('STORE', 'BM-STORE-005', 'must-refuse-an-entry-whose-parent-does-not-exist'),
    ],
  },
  {
    section: 'mail', name: 'deleteStoreEntriesWithChildren', fails: [
      S('STORE', 'BM-STORE-006', 'must-refuse-to-delete-an-entry-that-has-children'),
    ],
  },
  {
    section: 'mail', name: 'capitaliseTicketRequest', fails: [
      I('API', 'BM-API-014', 'must-send-its-ticket-request-and-proof-to-the-remote-server-with-the-go-structs'),
    ],
  },
  {
    section: 'mail', name: 'skipRemoteProofOfWork', fails: [
      I('DELIV', 'BM-DELIV-004+BM-SIG-006+BM-MSG-001', 'must-deliver-mail-from-a-ecdsa-sender-on-the-target-to-the-reference-peer-read'),
      I('DELIV', 'BM-DELIV-004+BM-SIG-006+BM-MSG-001', 'must-deliver-mail-from-a-ed25519-sender-on-the-target-to-the-reference-peer-read'),
      I('DELIV', 'BM-DELIV-004+BM-SIG-006+BM-MSG-001', 'must-deliver-mail-from-a-rsa-sender-on-the-target-to-the-reference-peer-read'),
      I('DELIV', 'BM-DELIV-004+BM-SIG-006+BM-MSG-001', 'must-deliver-mail-from-a-rsa4096-sender-on-the-target-to-the-reference-peer-read'),
      I('DELIV', 'BM-DELIV-006', 'must-deliver-mail-sent-from-the-target-to-an-alias-of-a-peer-account-to-the'),
    ],
  },
  {
    section: 'mail', name: 'registerRoutingWithoutPort', fails: [
      I('TLS', 'BM-TLS-005+BM-TLS-002', 'must-have-a-routing-record-on-the-resolver-that-points-at-the-target'),
    ],
  },
  {
    section: 'mail', name: 'acceptProofZero', fails: [
      S('POW', 'BM-POW-008', 'must-leave-a-ticket-invalid-for-the-proof-0'),
    ],
  },
  {
    section: 'mail', name: 'acceptTokensWithoutExp', fails: [
      S('JWT', 'BM-JWT-016', 'must-answer-401-to-a-validly-signed-token-without-exp'),
      X('JWT', 'BM-JWT-016', 'must-refuse-a-validly-signed-token-without-exp'),
    ],
  },
  {
    section: 'mail', name: 'acceptOnBehalfEverywhere', fails: [
      S('JWT', 'BM-JWT-021', 'must-not-accept-an-on-behalf-jwt-on-get-account-addr-boxes'),
      S('JWT', 'BM-JWT-022', 'should-not-let-an-on-behalf-jwt-create-api-keys'),
    ],
  },
  {
    section: 'mail', name: 'blockOverwritesParts', fails: [
      S('UPLOAD', 'BM-UPLOAD-010', 'must-not-let-a-block-named-catalog-overwrite-that-part-of-the-message'),
      S('UPLOAD', 'BM-UPLOAD-010', 'must-not-let-a-block-named-header-overwrite-that-part-of-the-message'),
    ],
  },
  {
    section: 'mail', name: 'fileIntoMissingBoxes', fails: [
      S('BOX', 'BM-BOX-010', 'must-answer-404-to-a-move-into-a-box-that-does-not-exist'),
      S('BOX', 'BM-BOX-011', 'must-answer-404-to-a-copy-into-a-box-that-does-not-exist'),
    ],
  },
  {
    section: 'mail', name: 'skipAddressHashCheck', fails: [
      S('ACCT', 'BM-ACCT-003', 'must-answer-400-cant-verify-the-address-hashes-when-address-is-not-hash-user'),
    ],
  },
  {
    section: 'mail', name: 'skipManagementKeyCheck', fails: [
      S('ADMIN', 'BM-ADMIN-001', 'must-refuse-post-admin-invite-with-an-account-jwt'),
    ],
  },
  {
    section: 'mail', name: 'skipApiKeyScope', fails: [
      S('APIKEY', 'BM-APIKEY-007', 'must-answer-401-unauthorized-to-an-api-key-used-on-another-account'),
    ],
  },
  {
    section: 'mail', name: 'acceptUnvalidatedTickets', fails: [
      S('TICKET', 'BM-TICKET-013', 'must-answer-401-to-an-upload-with-a-ticket-whose-work-is-not-done'),
    ],
  },
  {
    section: 'mail', name: 'acceptUnsignedAuthKeys', fails: [
      S('AUTHKEY', 'BM-AUTHKEY-004', 'must-refuse-an-authorised-key-whose-signature-is-not-the-account-s'),
    ],
  },
  {
    section: 'mail', name: 'deleteMandatoryBoxes', fails: [
      S('BOX', 'BM-BOX-006', 'must-refuse-to-delete-a-mandatory-box-with-404'),
    ],
  },
  {
    section: 'mail', name: 'skipHeaderAddressCheck', fails: [
      S('UPLOAD', 'BM-UPLOAD-002', 'must-answer-400-when-the-header-recipient-is-not-the-ticket-recipient'),
    ],
  },
  {
    section: 'resolver', name: 'acceptDanglingRedirects', fails: [
      R('creation', 'BM-RES-017', 'must-refuse-an-address-whose-redir-hash-does-not-resolve-404-hash-not-found'),
      R('lifecycle', 'BM-RES-012+BM-RES-017', 'must-resolve-a-chain-of-nine-redirects-and-refuse-a-tenth-with-400-maximum'),
    ],
  },
  {
    // Serials read through a JS number: every flow that signs the serial it read breaks, so the
    // class covers updates, deletes, undeletes and the lifecycle tests whose setup updates records.
    section: 'resolver', name: 'lossySerials', fails: [
      R('authorisation', 'BM-RES-020+BM-RES-042', 'must-accept-an-address-update-signed-by-the-current-key-over-hash-routing-id-and'),
      R('authorisation', 'BM-RES-021', 'must-reject-a-replayed-bearer-signed-over-the-serial-before-the-last-update'),
      R('authorisation', 'BM-RES-021+BM-RES-019', 'must-verify-the-bearer-against-the-exact-64-bit-serial-not-one-rounded-to-a'),
      R('authorisation', 'BM-RES-022', 'must-accept-the-bearer-prefix-in-any-case-bearer-bearer'),
      R('authorisation', 'BM-RES-023', 'must-delete-an-address-record-on-a-delete-signed-by-its-key'),
      R('authorisation', 'BM-RES-032', 'must-accept-a-routing-update-signed-by-the-current-key-over-hash-and-serial'),
      R('authorisation', 'BM-RES-032+BM-RES-021', 'must-answer-401-to-a-routing-update-signed-over-the-serial-before-the-last'),
      R('authorisation', 'BM-RES-033', 'must-delete-a-routing-record-on-a-delete-signed-by-its-key'),
      R('authorisation', 'BM-RES-037', 'must-accept-an-organisation-update-signed-by-the-current-key-over-hash-and'),
      R('authorisation', 'BM-RES-037', 'must-delete-an-organisation-record-on-a-delete-signed-by-its-key'),
      R('authorisation', 'BM-RES-038', 'must-verify-later-bearers-with-the-key-stored-by-the-last-update'),
      R('lifecycle', 'BM-RES-011+BM-RES-025', 'must-answer-404-for-an-address-whose-redirect-target-is-soft-deleted'),
      R('lifecycle', 'BM-RES-012', 'must-answer-400-cyclic-dependency-detected-for-a-redirect-cycle'),
      R('lifecycle', 'BM-RES-025', 'must-answer-401-to-an-undelete-signed-by-another-key'),
      R('lifecycle', 'BM-RES-025', 'must-restore-a-soft-deleted-address-on-an-undelete-signed-over-serial-0'),
      R('lifecycle', 'BM-RES-025+BM-RES-011', 'must-answer-404-hash-not-found-for-a-soft-deleted-address'),
      R('lifecycle', 'BM-RES-027', 'must-keep-a-replaced-key-in-the-history-as-normal-and-record-the-new-one'),
      R('lifecycle', 'BM-RES-027', 'must-report-a-key-marked-compromised-as-compromised'),
    ],
  },
];

const C = (area: string, reqs: string, caseId: string) => `client › ${area} › ${reqs} › ${caseId}`;

/**
 * Fault switches of the reference adapter (harness/adapter/faults.ts, `BM_ADAPTER_FAULTS`): each
 * makes exactly these client tests fail. Proven by test/confidentiality.test.ts against the
 * builtin reference adapter run as a child process, and by test/confidentiality.docker.test.ts
 * against the reference adapter image.
 */
export const ADAPTER_FAULT_PROOFS: readonly FaultProof[] = [
  {
    section: 'adapter', name: 'log-subject', fails: [
      C('confidentiality', 'BM-CONF-002', 'should-not-write-the-plaintext-of-a-message-it-composes-or-opens-to-its-log'),
    ],
  },
  {
    section: 'adapter', name: 'plain-block-file', fails: [
      C('confidentiality', 'BM-CONF-003', 'should-not-write-the-plaintext-of-a-message-it-composes-or-opens-to-files'),
    ],
  },
];
