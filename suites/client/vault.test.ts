/**
 * Profile `client`, area `vault`: the client's password vault (spec/formats.md §6; Go
 * internal/vault/container.go, vault.go, migrate.go), judged against the reference library
 * (harness/protocol/vault.ts) and the Go-produced vault of §6.3.
 *
 * - the client's `vault.create` output is a §6.1 container the reference opens to the same
 *   plaintext, written as Go writes it;
 * - the client's `vault.open` opens a vault the reference wrote, the Go vault of §6.3, and an
 *   old version-1 vault (migrated to version 2), and refuses a wrong password.
 *
 * PBKDF2 runs 100 002 iterations per open/create (§6.1), so this file makes few calls.
 */
import { afterAll, describe, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createVault, decryptContainer, encryptContainer, openVault, vaultPlaintextText, vaultToJson } from '../../harness/protocol/vault.ts';
import { fromB64, fromUtf8, utf8 } from '../../harness/protocol/bytes.ts';
import { parseJsonLossless, type JsonValue } from '../../harness/protocol/gojson.ts';
import { seededRng } from '../../harness/protocol/random.ts';
import { GO_KEY_2, GO_ED25519_1 } from '../../harness/protocol/fixtures.ts';
import { suiteAdapter } from '../_support/adapter.ts';
import { mustOp, mustOpError } from '../_support/op.ts';
import { fail, mustBe, mustEqual, mustSchema } from '../_support/must.ts';
import { isObject, show } from '../_support/match.ts';

const adapter = await suiteAdapter();
afterAll(() => adapter.close());

/** §6.3: the vault Go wrote with password "pass" (schemas/testdata holds the file as published). */
const GO_VAULT = JSON.parse(readFileSync(new URL('../../schemas/testdata/vault-v2-client-library.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** §6.3: its plaintext, exactly. */
const GO_PLAINTEXT = {
  accounts: [
    {
      address: 'test30!',
      name: 'Test user 30',
      settings: null,
      Keys: [
        {
          generator: '',
          fingerprint: '982c322e7d529a699dd30cc6a8cb008aa218bd7b5c98e05f0303ec766b8dc213',
          priv_key: 'ed25519 MC4CAQAwBQYDK2VwBCIEIJleMu6MT1da+eKkO2i6meAsF7LH6G386/aXJKpCoVpX',
          pub_key: 'ed25519 MCowBQYDK2VwAyEAJNUYkmr/Nol/6hNn6/tupiCWG3jVGF5u0piohVTw4ks=',
          active: true,
        },
      ],
      proof: '27$YmY2ZjAyMDA1ZDZiMTQxMGRiYjE1ZWZjYmJjY2NjNjUyMDBiMjMzZWJlMWY3MTFiMGNmNDk1MDdlYTFiYTI1Mw==$43776839',
      routing_id: '323250728593e92f50bf1572d10318912fd611dd0f4e5d36726c0c0757b29e03',
      store_key: {
        generator: '19831f82dd7560260b3b70b94e139ae28b10bea53bfe3cf1',
        fingerprint: 'b124c61958adc6ab6ae402181b78b1798b25d7a804d28f11622fb707b9572488',
        priv_key: 'ed25519 MC4CAQAwBQYDK2VwBCIEIBnwCHm+XPAUfuue6UYI6WSRfwNPqsO++SDFOKHaFkhH',
        pub_key: 'ed25519 MCowBQYDK2VwAyEAX3C2RR56wTu4TpspzEIiE4lDy05V/kGpwSk567pP+XU=',
      },
    },
  ],
  organisations: [],
};

const PASSWORD = 'correct horse battery staple ✓';

describe('client › vault', { meta: { area: 'vault' } }, () => {
  // vault.create: the container is {"type","version","data","salt","iv","hmac"} in that order
  // (vault_schema_v1.json), version 2, a 64-byte salt and 16-byte IV, and the reference opens it
  // (PBKDF2-SHA256 100 002 → AES-256-CTR, HMAC-SHA256 keyed with the password over the
  // ciphertext) to the plaintext given. formats.md §6.1.
  it('BM-VAULT-001 BM-VAULT-002 BM-VAULT-003 BM-VAULT-004 MUST create a vault container that the reference opens to the same plaintext', async () => {
    const r = await mustOp(adapter, 'vault.create', { password: PASSWORD, plaintext: GO_PLAINTEXT }, { seed: '7661756c74' });
    const v = r.vault;
    mustSchema(v, 'vault_schema_v1.json', 'vault container');
    if (!isObject(v)) fail('vault: expected an object');
    mustEqual(Object.keys(v), ['type', 'version', 'data', 'salt', 'iv', 'hmac'], 'container key order');
    mustEqual(v.version, 2, 'version');
    mustEqual(fromB64(String(v.salt), 'salt').length, 64, 'salt length');
    mustEqual(fromB64(String(v.iv), 'iv').length, 16, 'iv length');
    let opened: ReturnType<typeof openVault>;
    try {
      opened = openVault(v, PASSWORD);
    } catch (e) {
      fail(`the reference cannot open the client's vault: ${(e as Error).name}: ${(e as Error).message}`);
    }
    mustEqual(opened.plaintext, GO_PLAINTEXT, 'plaintext the reference reads');
  });

  // The encrypted plaintext is the Go-JSON of the store indented with two spaces (Go
  // MarshalIndent: struct order, `Keys` capitalised): decrypted by the reference and compared
  // byte for byte with what Go writes for it. formats.md §6.2.
  it('BM-VAULT-007 BM-VAULT-010 MUST encrypt the plaintext as Go-JSON indented with two spaces', async () => {
    const r = await mustOp(adapter, 'vault.create', { password: PASSWORD, plaintext: GO_PLAINTEXT }, { seed: '7661756c7432' });
    const raw = decryptContainer(r.vault, PASSWORD);
    mustEqual(fromUtf8(raw.plaintext), vaultPlaintextText(GO_PLAINTEXT), 'decrypted plaintext text');
  });

  // vault.open of a vault the reference wrote (current version 2). formats.md §6.1–6.2.
  it('BM-VAULT-008 MUST open a version 2 vault the reference wrote', async () => {
    const container = parseJsonLossless(vaultToJson(createVault(GO_PLAINTEXT, PASSWORD, seededRng(utf8('client-vault-open'))))) as JsonValue;
    const r = await mustOp(adapter, 'vault.open', { vault: container, password: PASSWORD });
    mustEqual(r.version, 2, 'version');
    mustEqual(r.plaintext, GO_PLAINTEXT, 'plaintext');
  });

  // The HMAC is checked before decrypting; a wrong password is BadPassword ("incorrect
  // password"), not garbage plaintext. formats.md §6.1.
  it('BM-VAULT-005 MUST refuse a wrong password with BadPassword', async () => {
    const container = parseJsonLossless(vaultToJson(createVault(GO_PLAINTEXT, PASSWORD, seededRng(utf8('client-vault-badpw'))))) as JsonValue;
    await mustOpError(adapter, 'vault.open', { vault: container, password: `${PASSWORD}x` }, ['BadPassword']);
  });

  // The vault Go wrote (§6.3) opens with "pass" to exactly its plaintext. formats.md §6.3.
  it('BM-VAULT-012 MUST open the Go-produced vault of §6.3 to its exact plaintext', async () => {
    const r = await mustOp(adapter, 'vault.open', { vault: GO_VAULT, password: 'pass' });
    mustEqual(r.version, 2, 'version');
    mustEqual(r.plaintext, GO_PLAINTEXT, 'plaintext');
  });

  // ... and with no other password (case differs). formats.md §6.3.
  it('BM-VAULT-012 BM-VAULT-005 MUST NOT open the Go-produced vault of §6.3 with another password', async () => {
    await mustOpError(adapter, 'vault.open', { vault: GO_VAULT, password: 'Pass' }, ['BadPassword']);
  });

  // A routing id as Go writes it (64 hex digits), so the migrated plaintext is a schema-valid v2 one.
  const ROUTING_ID = 'c9b9b7ad2f9ba32ab2f0ba4ac3e83dfcc1aa1fa1a1e5fde6e9aaf6b3a6ebba1f';

  // A version-1 vault (single priv_key/pub_key per account and organisation) is migrated on
  // open: each key becomes Keys/keys [{generator "", fingerprint, priv_key, pub_key, active
  // true}]. formats.md §6.2 (migrate.go).
  it('BM-VAULT-008 BM-VAULT-009 MUST open a version 1 vault and migrate its keys to version 2', async () => {
    const v1 = JSON.stringify({
      accounts: [{ address: 'john!', name: 'John', settings: null, priv_key: GO_KEY_2.privateKey, pub_key: GO_KEY_2.publicKey, proof: '8$am9obkBleGFtcGxlIQ==$149', routing_id: ROUTING_ID }],
      organisations: [{ addr: 'example', name: 'Example', priv_key: GO_ED25519_1.privateKey, pub_key: GO_ED25519_1.publicKey, validations: ['dns example.org'] }],
    });
    const container = parseJsonLossless(vaultToJson(encryptContainer(utf8(v1), PASSWORD, 'vault', 1, seededRng(utf8('client-vault-v1'))))) as JsonValue;
    const r = await mustOp(adapter, 'vault.open', { vault: container, password: PASSWORD });
    const want = openVault(container, PASSWORD).plaintext;
    const p = r.plaintext;
    mustBe(isObject(p) && Array.isArray(p.accounts) && isObject(p.accounts[0]) && Array.isArray(p.accounts[0].Keys), `plaintext: expected accounts[0].Keys (version 2), got ${show(p)}`);
    mustEqual(p, want, 'migrated plaintext');
  });
});
