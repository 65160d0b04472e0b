/**
 * Tests for vault.ts: the real Go vault of spec/formats.md §6.3 (client_library
 * `library/vault_test.go:32-41`), re-encryption with a seeded source, v0/v1 → v2 migration
 * (migrate.go), the Go decoding rules of the plaintext, and hostile containers.
 * PBKDF2 at 100002 iterations costs ~45 ms here, so round-trip properties run few cases; a wrong
 * password or flipped bit fails at the HMAC, before PBKDF2, and runs many.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import {
  createVault,
  decryptContainer,
  encryptContainer,
  findShortRoutingId,
  openVault,
  vaultPlaintextText,
  vaultToJson,
  type VaultContainer,
} from './vault.ts';
import { classOf } from './_hostile.ts';
import { seededRng } from './random.ts';
import { fromB64, toB64, utf8 } from './bytes.ts';
import { GO_ED25519_1, GO_ED25519_2, GO_KEY_2, GO_VAULT, GO_VAULT_PLAINTEXT, MNEMONIC_ED25519 } from './fixtures.ts';

const fp = (keyText: string) => createHash('sha256').update(fromB64(keyText.split(' ')[1]!)).digest('hex');

/** Encrypt a plaintext text as a container of `version` (to feed old layouts and garbage to openVault). */
function containerOf(plaintext: string, version: number, password = 'secret'): VaultContainer {
  return encryptContainer(utf8(plaintext), password, 'vault', version, seededRng(utf8('vault-test')));
}

describe('vault §6.3 real Go vault', () => {
  const opened = openVault(GO_VAULT, 'pass');

  it('opens with password "pass" to a version 2 store whose first account is test30!', () => {
    expect(opened.version).toBe(2);
    expect((opened.plaintext as { accounts: { address: string }[] }).accounts[0]!.address).toBe('test30!');
  });
  it('decrypts to exactly the quoted plaintext bytes', () => {
    expect(Buffer.from(opened.raw).toString('utf8')).toBe(GO_VAULT_PLAINTEXT);
    expect(opened.raw.length).toBe(fromB64(GO_VAULT.data).length);
  });
  it('re-serialises the decoded store byte-exactly as Go wrote it', () => {
    expect(opened.text).toBe(GO_VAULT_PLAINTEXT);
    expect(vaultPlaintextText(opened.plaintext)).toBe(GO_VAULT_PLAINTEXT);
  });
  it('its store_key is the Go seed→key vector of §7.4', () => {
    const sk = (opened.plaintext as { accounts: { store_key: Record<string, string> }[] }).accounts[0]!.store_key;
    expect(sk).toEqual({
      generator: MNEMONIC_ED25519.entropyHex,
      fingerprint: MNEMONIC_ED25519.fingerprint,
      priv_key: MNEMONIC_ED25519.privateKey,
      pub_key: MNEMONIC_ED25519.publicKey,
    });
  });
  it('accepts the container as JSON text, including Go MarshalIndent output of itself', () => {
    const text = vaultToJson(GO_VAULT);
    expect(text.split('\n')[0]).toBe('{');
    expect(text).toBe(
      `{\n  "type": "vault",\n  "version": 2,\n  "data": "${GO_VAULT.data}",\n  "salt": "${GO_VAULT.salt}",\n  "iv": "${GO_VAULT.iv}",\n  "hmac": "${GO_VAULT.hmac}"\n}`,
    );
    expect(openVault(text, 'pass').text).toBe(GO_VAULT_PLAINTEXT);
  });
  it('rejects a wrong password with BadPassword and no output', () => {
    for (const pw of ['Pass', 'pass ', '', 'secret']) expect(classOf(() => openVault(GO_VAULT, pw))).toBe('BadPassword');
  });
  it('a wrong password fails at the HMAC, before any PBKDF2 work (≪ one PBKDF2 per attempt)', () => {
    const t = performance.now();
    for (let i = 0; i < 50; i++) classOf(() => openVault(GO_VAULT, `wrong${i}`));
    expect(performance.now() - t).toBeLessThan(50 * 20);
  });
  it('re-encrypting with a seeded source opens again to the same plaintext, deterministically', () => {
    const a = createVault(opened.plaintext, 'pass', seededRng(utf8('seed-1')));
    const b = createVault(opened.plaintext, 'pass', seededRng(utf8('seed-1')));
    expect(a).toEqual(b);
    expect(a.type).toBe('vault');
    expect(a.version).toBe(2);
    // Draw order: 64 salt bytes, then 16 IV bytes.
    const stream = seededRng(utf8('seed-1')).bytes(80);
    expect(a.salt).toBe(toB64(stream.subarray(0, 64)));
    expect(a.iv).toBe(toB64(stream.subarray(64, 80)));
    const again = openVault(a, 'pass');
    expect(again.text).toBe(GO_VAULT_PLAINTEXT);
    expect(Buffer.from(again.raw).toString('utf8')).toBe(GO_VAULT_PLAINTEXT);
    expect(createVault(opened.plaintext, 'pass', seededRng(utf8('seed-2'))).data).not.toBe(a.data);
  });
  it('any flipped bit in data or hmac is BadPassword (the HMAC covers the whole ciphertext)', () => {
    const data = fromB64(GO_VAULT.data);
    const hmac = fromB64(GO_VAULT.hmac);
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 0, max: 7 }), (inData, pos, bit) => {
        const d = new Uint8Array(data);
        const h = new Uint8Array(hmac);
        if (inData) d[pos % d.length]! ^= 1 << bit;
        else h[pos % h.length]! ^= 1 << bit;
        expect(classOf(() => openVault({ ...GO_VAULT, data: toB64(d), hmac: toB64(h) }, 'pass'))).toBe('BadPassword');
      }),
      { numRuns: 300 },
    );
  });
  it('salt, iv, type and version are not authenticated: changing the salt decrypts to garbage → InvalidInput, not a wrong answer', () => {
    const salt = fromB64(GO_VAULT.salt);
    salt[0]! ^= 1;
    expect(classOf(() => openVault({ ...GO_VAULT, salt: toB64(salt) }, 'pass'))).toBe('InvalidInput');
  });
});

describe('vault create → open', () => {
  it('round-trips any version-2 store of names, settings and keys (few runs: PBKDF2 100002)', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }),
        fc.string(),
        fc.boolean(),
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        (name, settings, password, active, seed) => {
          const store = {
            accounts: [
              {
                address: 'john@example!',
                name,
                settings,
                Keys: [{ generator: '', fingerprint: fp(GO_ED25519_1.publicKey), priv_key: GO_ED25519_1.privateKey, pub_key: GO_ED25519_1.publicKey, active }],
                routing_id: '12345678',
              },
            ],
            organisations: [],
          };
          const c = createVault(store, password, seededRng(seed));
          const o = openVault(c, password);
          expect(o.version).toBe(2);
          const acc = (o.plaintext as { accounts: Record<string, unknown>[] }).accounts[0]!;
          expect(acc.name).toBe(name);
          expect(acc.settings).toEqual({ ...settings });
          expect(o.text).toBe(Buffer.from(o.raw).toString('utf8'));
        },
      ),
      { numRuns: 3 },
    );
  });
});

describe('vault migration (migrate.go)', () => {
  it('BM-KEY-016 v1 → v2: each single key becomes Keys/keys [{generator "", fingerprint sha256(DER), priv, pub, active true}]', () => {
    const v1 = JSON.stringify({
      accounts: [{ address: 'Jo.hn@Example!', name: 'John', settings: { b: '2', a: '1' }, priv_key: GO_KEY_2.privateKey, pub_key: GO_KEY_2.publicKey, proof: '8$am9obkBleGFtcGxlIQ==$149', routing_id: 'r1' }],
      organisations: [{ addr: 'example', name: 'Example', priv_key: GO_ED25519_1.privateKey, pub_key: GO_ED25519_1.publicKey, validations: ['DNS example.org'] }],
    });
    const o = openVault(containerOf(v1, 1), 'secret');
    expect(o.version).toBe(1);
    expect(o.text).toBe(`{
  "accounts": [
    {
      "address": "john@example!",
      "name": "John",
      "settings": {
        "a": "1",
        "b": "2"
      },
      "Keys": [
        {
          "generator": "",
          "fingerprint": "bb22a0950366bbf944b9703186ed688229614b5f09bdc1226717b5dbf3cf7e3c",
          "priv_key": ${JSON.stringify(GO_KEY_2.privateKey)},
          "pub_key": ${JSON.stringify(GO_KEY_2.publicKey)},
          "active": true
        }
      ],
      "proof": "8$am9obkBleGFtcGxlIQ==$149",
      "routing_id": "r1"
    }
  ],
  "organisations": [
    {
      "addr": "example",
      "name": "Example",
      "keys": [
        {
          "generator": "",
          "fingerprint": "7b2a596fff8cedd4dec87306e9f941850d8b725b4c4e178cf23a1a2e6dccd88b",
          "priv_key": ${JSON.stringify(GO_ED25519_1.privateKey)},
          "pub_key": ${JSON.stringify(GO_ED25519_1.publicKey)},
          "active": true
        }
      ],
      "validations": [
        "dns example.org"
      ]
    }
  ]
}`);
  });
  it('v0 → v2: a bare account array is wrapped, and an empty organisations list migrates to null as in Go', () => {
    const v0 = JSON.stringify([{ address: 'a1b!', name: 'A', settings: null, priv_key: GO_ED25519_2.privateKey, pub_key: GO_ED25519_2.publicKey, routing_id: 'x' }]);
    const o = openVault(containerOf(v0, 0), 'secret');
    expect(o.version).toBe(0);
    const p = o.plaintext as { accounts: Record<string, unknown>[]; organisations: unknown };
    expect(p.organisations).toBeNull();
    expect(p.accounts[0]!.Keys).toEqual([
      { generator: '', fingerprint: '3a0053faa30119e4a7dbf8f2fc5b9cbb71c19130058dcf86fdcf08fc2d73b8f8', priv_key: GO_ED25519_2.privateKey, pub_key: GO_ED25519_2.publicKey, active: true },
    ]);
    expect(Object.keys(p.accounts[0]!)).toEqual(['address', 'name', 'settings', 'Keys', 'routing_id']);
  });
  it('v0/v1 vaults without accounts migrate to "accounts": null (Go appends to a nil slice)', () => {
    expect(openVault(containerOf('[]', 0), 'secret').text).toBe('{\n  "accounts": null,\n  "organisations": null\n}');
    expect(openVault(containerOf('{"accounts":[],"organisations":[]}', 1), 'secret').text).toBe('{\n  "accounts": null,\n  "organisations": null\n}');
    expect(openVault(containerOf('{"accounts":[],"organisations":[]}', 2), 'secret').text).toBe('{\n  "accounts": [],\n  "organisations": []\n}');
  });
});

describe('vault plaintext decoding follows Go encoding/json', () => {
  const key = { generator: 'g', fingerprint: 'f', priv_key: GO_ED25519_1.privateKey, pub_key: GO_ED25519_1.publicKey, active: true };
  it('matches field names case-insensitively (also KELVIN SIGN for k), ignores unknown fields, writes struct order', () => {
    const text = vaultPlaintextText({
      ORGANISATIONS: [{ VALIDATIONS: null, \u212aeys: [key], Addr: 'o', extra: 1 }],
      accounts: [{ routing_id: 'r', keys: [key], NAME: 'n', address: 'a1b!', unknown: [1, 2] }],
    });
    const p = JSON.parse(text);
    expect(Object.keys(p)).toEqual(['accounts', 'organisations']);
    expect(Object.keys(p.accounts[0])).toEqual(['address', 'name', 'settings', 'Keys', 'routing_id']);
    expect(p.accounts[0].name).toBe('n');
    expect(p.accounts[0].Keys).toHaveLength(1);
    expect(Object.keys(p.organisations[0])).toEqual(['addr', 'name', 'keys', 'validations']);
    expect(p.organisations[0].validations).toBeNull();
  });
  it('null strings and bools decode to their zero values; null settings values to ""; settings keys sort bytewise', () => {
    const p = JSON.parse(
      vaultPlaintextText({ accounts: [{ address: null, name: null, settings: { z: null, '10': 'x', '9': 'y' }, Keys: [{ ...key, active: null, generator: null }], routing_id: null, store_key: null, proof: null }], organisations: null }),
    );
    expect(p.accounts[0]).toEqual({ address: null, name: '', settings: { z: '', '10': 'x', '9': 'y' }, Keys: [{ ...key, active: false, generator: '' }], routing_id: '' });
    expect(vaultPlaintextText({ accounts: [{ settings: { z: '', '10': 'x', '9': 'y' }, Keys: null }] })).toContain('"settings": {\n        "10": "x",\n        "9": "y",\n        "z": ""\n      }');
  });
  it('BM-KEY-014 keys are written in Go text form: trimmed, public key description kept', () => {
    const p = JSON.parse(
      vaultPlaintextText({ accounts: [{ Keys: [{ ...key, priv_key: GO_ED25519_1.privateKey.replace(' ', '  ') + ' \n', pub_key: GO_ED25519_1.publicKey + ' my desc ' }] }] }),
    );
    expect(p.accounts[0].Keys[0].priv_key).toBe(GO_ED25519_1.privateKey);
    expect(p.accounts[0].Keys[0].pub_key).toBe(GO_ED25519_1.publicKey + ' my desc');
  });
  it.each([
    ['a JSON number for a string field', { accounts: [{ name: 5 }] }],
    ['an account that is not an object', { accounts: [5] }],
    ['accounts that is an object', { accounts: {} }],
    ['an invalid address', { accounts: [{ address: 'not an address', Keys: [] }] }],
    ['an invalid proof of work', { accounts: [{ proof: '8$$x' }] }],
    ['a key pair without priv_key', { accounts: [{ Keys: [{ pub_key: GO_ED25519_1.publicKey }] }] }],
    ['a null priv_key', { accounts: [{ Keys: [{ ...key, priv_key: null }] }] }],
    ['a garbage priv_key', { accounts: [{ Keys: [{ ...key, priv_key: 'ed25519 AAAA' }] }] }],
    ['an unknown key type', { accounts: [{ Keys: [{ ...key, priv_key: 'dsa AAAA' }] }] }],
    ['a public key where the private key goes', { accounts: [{ Keys: [{ ...key, priv_key: GO_ED25519_1.publicKey }] }] }],
    ['active that is a string', { accounts: [{ Keys: [{ ...key, active: 'true' }] }] }],
    ['an unknown validation type', { organisations: [{ validations: ['web example.org'] }] }],
    ['an empty validation value', { organisations: [{ validations: ['dns   '] }] }],
    ['a settings value that is a number', { accounts: [{ settings: { a: 1 } }] }],
    ['a null store', null],
    ['an array store for version 2', []],
  ])('rejects %s with InvalidInput', (_name, store) => {
    expect(classOf(() => vaultPlaintextText(store))).toBe('InvalidInput');
  });
  it('an unparsable or wrongly shaped plaintext behind a correct password is InvalidInput', () => {
    expect(classOf(() => openVault(containerOf('not json', 2), 'secret'))).toBe('InvalidInput');
    expect(classOf(() => openVault(containerOf('{"accounts": 1}', 2), 'secret'))).toBe('InvalidInput');
    expect(classOf(() => openVault(containerOf('{"accounts": []}', 0), 'secret'))).toBe('InvalidInput');
    expect(classOf(() => openVault(containerOf('null', 1), 'secret'))).toBe('InvalidInput');
  });
});

describe('vault container hostile inputs', () => {
  const hostile: [string, unknown][] = [
    ['undefined', undefined],
    ['null', null],
    ['a number', 5],
    ['an array', []],
    ['text that is not JSON', '{'],
    ['no data', { ...GO_VAULT, data: undefined }],
    ['null data', { ...GO_VAULT, data: null }],
    ['data that is not base64', { ...GO_VAULT, data: 'd7h2!' }],
    ['unpadded base64 salt', { ...GO_VAULT, salt: 'AAA' }],
    ['a 15-byte IV', { ...GO_VAULT, iv: toB64(new Uint8Array(15)) }],
    ['a 31-byte HMAC', { ...GO_VAULT, hmac: toB64(new Uint8Array(31)) }],
    ['version 3', { ...GO_VAULT, version: 3 }],
    ['version -1', { ...GO_VAULT, version: -1 }],
    ['version "2"', { ...GO_VAULT, version: '2' }],
    ['version 2.5', { ...GO_VAULT, version: 2.5 }],
    ['a numeric type', { ...GO_VAULT, type: 1 }],
  ];
  it.each(hostile)('openVault rejects a container with %s as InvalidInput', (_n, c) => {
    expect(classOf(() => openVault(c, 'pass'))).toBe('InvalidInput');
  });
  it('openVault rejects a non-string password as InvalidInput', () => {
    for (const pw of [undefined, null, 1, {}]) expect(classOf(() => openVault(GO_VAULT, pw as string))).toBe('InvalidInput');
  });
  it('a missing version reads as 0 (Go zero value): the v2 plaintext then fails the v0 layout', () => {
    expect(classOf(() => openVault({ ...GO_VAULT, version: undefined }, 'pass'))).toBe('InvalidInput');
    expect(decryptContainer({ ...GO_VAULT, version: undefined }, 'pass').version).toBe(0);
  });
  it('container field names match case-insensitively, as Go unmarshals them', () => {
    const c = { TYPE: 'vault', Version: 2, DATA: GO_VAULT.data, Salt: GO_VAULT.salt, iV: GO_VAULT.iv, hmac: GO_VAULT.hmac };
    expect(openVault(c, 'pass').text).toBe(GO_VAULT_PLAINTEXT);
  });
  it('createVault rejects a store that is not a valid version-2 store, before drawing randomness', () => {
    let drawn = 0;
    const rng = { bytes: (n: number) => { drawn += n; return new Uint8Array(n); } };
    for (const s of [null, 5, 'x', [], { accounts: [{ Keys: [{}] }] }]) expect(classOf(() => createVault(s, 'p', rng))).toBe('InvalidInput');
    expect(classOf(() => createVault({}, null as unknown as string, rng))).toBe('InvalidInput');
    expect(drawn).toBe(0);
  });
});

// JSON fields of the vault plaintext whose Go types bring their own marshalling: address.Address
// (formats.md §2.2, address.go:45-69) and organisation.ValidationType (§10.1, validation.go:35-106).
// The vault is the one place the library reads and writes them as JSON.
describe('vault plaintext: Go-typed JSON fields', () => {
  const account = (address: string) => ({ accounts: [{ address, Keys: [] }] });
  const org = (validations: string[]) => ({ organisations: [{ addr: 'example', validations }] });

  it('BM-ADDR-008 writes an address as the JSON string of its normalised form and refuses one that does not parse ("{{{{{{")', () => {
    expect(JSON.parse(vaultPlaintextText(account('Jo.hn@Example!'))).accounts[0].address).toBe('john@example!');
    expect(classOf(() => vaultPlaintextText(account('{{{{{{')))).toBe('InvalidInput');
    expect(classOf(() => vaultPlaintextText({ accounts: [{ address: 5 }] }))).toBe('InvalidInput');
  });

  it('BM-RES-005 reads a validation as "<dns|kb|gpg> <value>": type matched case-insensitively and stored lower case, value kept untrimmed but non-empty', () => {
    const out = JSON.parse(vaultPlaintextText(org(['DNS example.org', 'Kb alice', 'gpg  ABCD '])));
    expect(out.organisations[0].validations).toEqual(['dns example.org', 'kb alice', 'gpg  ABCD ']);
    // The Go known answers of validation_test.go (spec/formats.md §12).
    const kat = JSON.parse(vaultPlaintextText(org(['dns foobar.org', 'kb bitmaelum', 'gpg 0xDEADBEEF'])));
    expect(kat.organisations[0].validations).toEqual(['dns foobar.org', 'kb bitmaelum', 'gpg 0xDEADBEEF']);
    for (const bad of ['', 'dns', 'dns         ', 'unknown foobar.org'])
      expect(classOf(() => vaultPlaintextText(org([bad]))), JSON.stringify(bad)).toBe('InvalidInput');
    for (const bad of ['web example.org', 'dns', 'dns   ', 'dnsexample.org', ''])
      expect(classOf(() => vaultPlaintextText(org([bad]))), JSON.stringify(bad)).toBe('InvalidInput');
  });
});

describe('vault: short routing ids (the client helper of vault.go)', () => {
  const store = (...ids: string[]) => ({ accounts: ids.map((routing_id) => ({ address: 'example!', routing_id })), organisations: [] });

  // The Go known answers of vault_test.go TestFindShortRoutingId (spec/formats.md §12).
  it('expands 154 and 15435 to 154353535335 and answers "" for the ambiguous 12345 and 1', () => {
    const v = store('123456780000', '123456780001', '123456780002', '154353535335');
    expect(findShortRoutingId(v, '154')).toBe('154353535335');
    expect(findShortRoutingId(v, '15435')).toBe('154353535335');
    expect(findShortRoutingId(v, '12345')).toBe('');
    expect(findShortRoutingId(v, '1')).toBe('');
  });

  it('works on an opened vault, counts one id held by two accounts once, and answers "" for no match', () => {
    const opened = openVault(createVault(store('abc123', 'abc123', 'def456'), 'secret', seededRng(utf8('short-routing'))), 'secret');
    expect(findShortRoutingId(opened.plaintext, 'abc')).toBe('abc123');
    expect(findShortRoutingId(opened.text, 'd')).toBe('def456');
    expect(findShortRoutingId(opened.plaintext, 'x')).toBe('');
    expect(findShortRoutingId({ accounts: null }, '')).toBe('');
  });

  it('refuses a store that is not one, and a prefix that is not a string, with InvalidInput', () => {
    expect(classOf(() => findShortRoutingId({ accounts: [{ routing_id: 5 }] }, '1'))).toBe('InvalidInput');
    expect(classOf(() => findShortRoutingId(store('1'), 1 as unknown as string))).toBe('InvalidInput');
  });
});
