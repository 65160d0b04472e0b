/**
 * vectors/pow_proof_test.json: proof of work (spec/formats.md §9; Go pkg/proofofwork/pow.go).
 *
 * valid iff SHA-256(SHA-256(data ‖ lowercase hex of proof, no leading zeros)) < 2^(256 − bits);
 * the solver counts up from 0 and returns the first valid counter.
 *
 * Imported: the pow_test.go known answers, the 27-bit proof of the §6.3 vault and the api.md §9.3
 * 22-bit address proofs. Generated: solves at 1–16 bits over seeded data, each with its verify at
 * the difficulty, at exactly the number of leading zero bits of its hash (still valid) and one bit
 * more (a weak proof); uint64 proofs above 2^53; proof 0 (Go's IsValid accepts it); bits 0 and 256.
 * Every expected proof is recomputed here with an independent solver (BigInt comparison).
 *
 * Bulk: POW_SWEEP (vectors/index.ts) — the first proofs of 1024 data strings, committed as one
 * SHA-256 in vectors/manifest.json `accumulated` and recomputed by suites/library/accumulated.test.ts.
 * @module
 */
import { hash as nodeHash } from 'node:crypto';
import type { AccumulatedSpec, CaseSpec, GroupSpec, VectorFileSpec } from './_framework.ts';
import { toB64, toHex, utf8 } from '../../harness/protocol/bytes.ts';
import { POW_SWEEP, powSweepHash } from '../index.ts';
import { GO_CLIENT_LIBRARY, GO_SUITE, sha256hex } from './_cryptogen.ts';

const UINT64_MAX = (1n << 64n) - 1n;

/** SHA-256(SHA-256(data ‖ hex(proof))) (pow.go:221-238). */
function powDigest(data: Buffer, proof: bigint): Buffer {
  const inner = nodeHash('sha256', Buffer.concat([data, Buffer.from(proof.toString(16), 'latin1')]), 'buffer');
  return nodeHash('sha256', inner, 'buffer');
}
/** 2^(256 − bits) as 33 big-endian bytes (so bits = 0 fits). */
function target(bits: number): Buffer {
  const t = Buffer.alloc(33);
  t[32 - (256 - bits >> 3)] = 1 << ((256 - bits) & 7);
  return t;
}
/** Independent check: the digest, read as a 33-byte big-endian number, is below the target. */
const below = (digest: Buffer, t: Buffer): boolean => Buffer.compare(Buffer.concat([Buffer.alloc(1), digest]), t) < 0;
const isValid = (bits: number, data: string, proof: bigint): boolean => below(powDigest(Buffer.from(utf8(data)), proof), target(bits));
/** Number of leading zero bits of the proof's hash. */
function leadingZeros(data: string, proof: bigint): number {
  const d = powDigest(Buffer.from(utf8(data)), proof);
  let n = 0;
  for (const byte of d) {
    if (byte === 0) { n += 8; continue; }
    return n + Math.clz32(byte) - 24;
  }
  return n;
}
/** First valid proof from `start`, stepping by `step` (independent of the reference's solver). */
function solve(bits: number, data: string, start = 0n, step = 1n): bigint {
  const d = Buffer.from(utf8(data));
  const t = target(bits);
  for (let p = start; ; p += step) if (below(powDigest(d, p), t)) return p;
}

/** Address hash (§2.2) of an already normalised address. */
function addressHash(addr: string): string {
  const body = addr.slice(0, -1);
  const at = body.indexOf('@');
  return sha256hex(sha256hex(at < 0 ? body : body.slice(0, at)) + sha256hex(at < 0 ? '' : body.slice(at + 1)));
}

const REQ_CHECK = ['BM-POW-001'];
const REQ_SOLVE = ['BM-POW-001', 'BM-POW-004'];

export const file: VectorFileSpec = {
  name: 'pow_proof',
  area: 'POW',
  requirements: ['BM-POW-001', 'BM-POW-004', 'BM-POW-005'],
  source: { kind: 'generated', note: 'pow_test.go known answers, the §6.3 vault proof and the api.md §9.3 address proofs, plus proofs solved from the file seed (expected values recomputed by an independent solver)' },
  header: [
    'Proof of work: valid iff SHA-256(SHA-256(data ‖ hex(proof))) < 2^(256 − bits), hex = lowercase, no leading zeros, no 0x (strconv.FormatUint(proof, 16)); data = the UTF-8 bytes of the string as given.',
    'pow.solve returns the first valid counter from 0; pow.verify answers {"valid": bool} — a proof that does not meet the difficulty is {"valid": false}, not an error.',
    'Proofs are uint64 JSON integers, exact beyond 2^53. The text form "<bits>$<b64(data)>$<proof>" and its parse errors are covered through the vault plaintext (vault_container, BM-POW-003).',
    `Bulk coverage: manifest.json "accumulated" entry ${POW_SWEEP.name} (${POW_SWEEP.count} first proofs hashed into one SHA-256).`,
  ],
  notes: {
    GoKnownAnswer: { bugType: 'BASIC', description: 'Proof asserted by a Go test (pow_test.go), carried by the Go-produced §6.3 vault, or listed in spec/api.md §9.3.', links: ['spec/formats.md §9', 'spec/api.md §9.3'] },
    FirstProof: { bugType: 'BASIC', description: 'The solver counts up from 0 and returns the first valid counter (the Go comment "counter += 1 before hashing" is wrong).', effect: 'A solver starting at 1, or stepping differently, gives another (still valid) proof; seeded outputs no longer match Go.', links: ['pkg/proofofwork/pow.go:158-191'] },
    HexEncoding: { bugType: 'EDGE_CASE', description: 'The counter is appended as lowercase hex without leading zeros; proofs with hex letters and odd digit counts appear here.', effect: 'Decimal, upper-case or zero-padded encodings hash different bytes: valid proofs are refused and vice versa.', links: ['pkg/proofofwork/pow.go:241-243'] },
    Difficulty: { bugType: 'EDGE_CASE', description: 'Difficulty checked bit-exactly: the proof is valid at exactly the number of leading zero bits of its hash and not one bit more; bits that are not a multiple of 8 exercise the partial byte.', effect: 'Comparing whole bytes or hex digits accepts weak proofs (up to 7 bits less work) or refuses good ones.', links: ['pkg/proofofwork/pow.go:221-238'] },
    WeakProof: { bugType: 'MODIFIED_PARAMETER', description: 'A proof checked at more bits than its hash has leading zeros (e.g. the Go KAT 12431241, or a generated proof at its zero-bit count + 1).', effect: 'Accepting it lets clients register addresses or send mail with less work than required.' },
    Uint64Proof: { bugType: 'EDGE_CASE', description: 'Proofs above 2^53 (JSON integers a double cannot hold) up to 2^64 − 1.', effect: 'Rounding the proof to a double hashes another counter.', links: ['spec/formats.md §9'] },
    ProofZero: { bugType: 'GO_QUIRK', description: 'Proof 0 for data whose hash meets the difficulty: Go IsValid accepts it, but HasDoneWork (proof > 0) treats 0 as no work, so ticket checks require proof > 0 as well (BM-POW-008). Either answer is acceptable for pow.verify.', links: ['pkg/proofofwork/pow.go:128-130'] },
    ExtremeBits: { bugType: 'EDGE_CASE', description: 'bits 0 (every proof valid) and 256 (no proof valid in practice).', effect: 'Shifts by 256 or 0 overflow in fixed-width code.' },
    DataEncoding: { bugType: 'EDGE_CASE', description: 'Work data hashed as the UTF-8 bytes of the string: empty, non-ASCII, and ticket data (the base64 text of 32 random bytes is hashed as ASCII, not decoded).', effect: 'Hashing decoded bytes or UTF-16 code units gives proofs Go refuses.', links: ['spec/formats.md §9'] },
    WrongData: { bugType: 'MODIFIED_PARAMETER', description: 'An account proof checked over other data than the address hash hex (the address text, the hash in upper case, another address\'s hash) — not a solution there.', effect: 'A verifier that ignores the data, or normalises it, lets one solved proof register any address.', links: ['spec/formats.md §9', 'spec/api.md §1.4'] },
    WireType: { bugType: 'BASIC', description: 'An argument outside its wire type: proof as a JSON string or negative or ≥ 2^64, bits above 256.', effect: 'An adapter that coerces strings to numbers checks a different proof.', links: ['ADAPTER.md "Encodings"'] },
  },
  async build(ctx) {
    const groups: GroupSpec[] = [];
    const goSrc = { kind: 'imported' as const, ...GO_SUITE, path: 'pkg/proofofwork/pow_test.go', note: 'spec/formats.md §9' };
    const verify = (key: string, comment: string, bits: number, data: string, proof: bigint | number, flags: string[], reqs: string[] = REQ_CHECK): CaseSpec => {
      const valid = isValid(bits, data, BigInt(proof));
      return { key, comment, flags, inputs: { bits, data, proof: typeof proof === 'bigint' && proof <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(proof) : proof }, result: valid ? 'valid' : 'invalid', expected: { valid }, requirements: reqs };
    };
    const solveCase = (key: string, comment: string, bits: number, data: string, flags: string[], reqs: string[] = REQ_SOLVE): CaseSpec => {
      const p = solve(bits, data);
      return { key, comment: `${comment} → ${p}`, flags, op: 'pow.solve', inputs: { bits, data }, result: 'valid', expected: { proof: Number(p) }, requirements: reqs };
    };

    // ---- Go known answers ---------------------------------------------------------------------
    const kat = (c: CaseSpec, want: boolean): CaseSpec => {
      if (c.expected && (c.expected as { valid?: boolean }).valid !== undefined && (c.expected as { valid: boolean }).valid !== want) throw new Error(`pow_proof: Go KAT ${c.key} does not hold`);
      return c;
    };
    const john = 'john@example!';
    if (solve(8, john) !== 149n || solve(8, 'jane@example!') !== 98n) throw new Error('pow_proof: the pow_test.go first proofs do not hold');
    groups.push({
      op: 'pow.verify',
      comment: 'pow_test.go known answers',
      source: goSrc,
      cases: [
        solveCase('go-solve-john', 'Go KAT: pow.solve(8, "john@example!")', 8, john, ['GoKnownAnswer', 'FirstProof'], [...REQ_SOLVE, 'BM-POW-005']),
        solveCase('go-solve-jane', 'Go KAT: pow.solve(8, "jane@example!")', 8, 'jane@example!', ['GoKnownAnswer', 'FirstProof'], [...REQ_SOLVE, 'BM-POW-005']),
        kat(verify('go-john-149', 'Go KAT: (john@example!, 8, 149) is valid', 8, john, 149, ['GoKnownAnswer'], [...REQ_CHECK, 'BM-POW-005']), true),
        kat(verify('go-jane-98', 'Go KAT: (jane@example!, 8, 98) is valid', 8, 'jane@example!', 98, ['GoKnownAnswer'], [...REQ_CHECK, 'BM-POW-005']), true),
        kat(verify('go-john-12431241', 'Go KAT: (john@example!, 8, 12431241) is not valid', 8, john, 12431241, ['GoKnownAnswer', 'WeakProof'], [...REQ_CHECK, 'BM-POW-005']), false),
        kat(verify('go-foo-22-0', 'Go KAT: New(22, "foo", 0) is not valid', 22, 'foo', 0, ['GoKnownAnswer', 'WeakProof'], [...REQ_CHECK, 'BM-POW-005']), false),
      ],
    });
    const vaultData = addressHash('test30!');
    if (vaultData !== 'bf6f02005d6b1410dbb15efcbbcccc65200b233ebe1f711b0cf49507ea1ba253') throw new Error('pow_proof: test30! address hash');
    const apiProofs: [string, string, number][] = [
      ['example', addressHash('example!'), 1540921],
      ['foo', addressHash('foo!'), 1310761],
      ['bar', addressHash('bar!'), 1019732],
      ['acme-inc', sha256hex('acme-inc!'), 1783097],
    ];
    if (!apiProofs[0]![1].startsWith('2244643d') || !apiProofs[1]![1].startsWith('efd56313')) throw new Error('pow_proof: api.md §9.3 address hashes');
    groups.push({
      op: 'pow.verify',
      comment: 'Go-produced and api.md §9.3 account proofs (data = address hash hex)',
      source: { kind: 'imported', ...GO_CLIENT_LIBRARY, path: 'library/vault_test.go; key-resolver-go tests (spec/api.md §9.3)', note: 'the §6.3 vault proof and the api.md §9.3 22-bit address proofs' },
      cases: [
        kat(verify('vault-test30-27-bits', 'the §6.3 vault proof: 27 bits over the address hash of test30!, proof 43776839', 27, vaultData, 43776839, ['GoKnownAnswer'], [...REQ_CHECK, 'BM-POW-006']), true),
        verify('vault-test30-28-bits', 'the same proof checked at 28 bits', 28, vaultData, 43776839, ['GoKnownAnswer', 'WeakProof', 'Difficulty']),
        ...apiProofs.map(([name, data, proof]) => kat(verify(`api-22-bits-${name}`, `api.md §9.3: 22 bits over ${name === 'acme-inc' ? 'hash.New("acme-inc!")' : `the address hash of ${name}!`}, proof ${proof}`, 22, data, proof, ['GoKnownAnswer'], [...REQ_CHECK, 'BM-POW-005', 'BM-POW-006']), true)),
        // BM-POW-006: the same proofs over other data than the address hash hex are not solutions.
        kat(verify('vault-test30-over-address-text', 'the §6.3 vault proof 43776839 at 27 bits over the address text "test30!" instead of its hash', 27, 'test30!', 43776839, ['WrongData'], [...REQ_CHECK, 'BM-POW-006']), false),
        kat(verify('vault-test30-over-upper-case-hash', 'the §6.3 vault proof 43776839 at 27 bits over the address hash in upper-case hex', 27, vaultData.toUpperCase(), 43776839, ['WrongData', 'HexEncoding'], [...REQ_CHECK, 'BM-POW-006']), false),
        kat(verify('api-22-bits-example-over-foo', 'the api.md §9.3 proof 1540921 of example! checked over the address hash of foo!', 22, apiProofs[1]![1], 1540921, ['WrongData'], [...REQ_CHECK, 'BM-POW-006']), false),
      ],
    });

    // ---- generated: 1–16 bits -------------------------------------------------------------------
    const solves: CaseSpec[] = [];
    const checks: CaseSpec[] = [];
    for (let bits = 1; bits <= 16; bits++) {
      const data = toHex(ctx.rng.bytes(32));
      const p = solve(bits, data);
      const lz = leadingZeros(data, p);
      const flags = bits % 8 === 0 ? ['FirstProof'] : ['FirstProof', 'Difficulty'];
      solves.push({ key: `solve-${bits}-bits`, comment: `pow.solve(${bits}, ${data.slice(0, 12)}…) → ${p} (hex ${p.toString(16)})`, flags: /[a-f]/.test(p.toString(16)) ? [...flags, 'HexEncoding'] : flags, op: 'pow.solve', inputs: { bits, data }, result: 'valid', expected: { proof: Number(p) }, requirements: REQ_SOLVE });
      checks.push(verify(`verify-${bits}-bits`, `the ${bits}-bit proof ${p} verifies at ${bits} bits`, bits, data, p, ['Difficulty']));
      if (lz > bits) checks.push(verify(`verify-${bits}-bits-at-${lz}`, `the ${bits}-bit proof ${p} has ${lz} leading zero bits: valid at ${lz}`, lz, data, p, ['Difficulty']));
      checks.push({ ...verify(`verify-${bits}-bits-weak`, `the ${bits}-bit proof ${p} checked at ${lz + 1} bits (one more than its hash has)`, lz + 1, data, p, ['Difficulty', 'WeakProof']), mutant: true });
      if (p > 0n) checks.push({ ...verify(`verify-${bits}-bits-previous`, `counter ${p - 1n} (one before the first valid proof) at ${bits} bits`, bits, data, p - 1n, ['FirstProof', 'WeakProof']), mutant: true });
    }
    groups.push({ op: 'pow.solve', comment: 'first proofs at 1–16 bits over seeded 64-hex data', source: { kind: 'generated' }, cases: solves });
    groups.push({ op: 'pow.verify', comment: 'the generated proofs at, above and below their difficulty', source: { kind: 'generated' }, cases: checks });

    // ---- edge cases -------------------------------------------------------------------------------
    // Data whose proof 0 already meets 8 bits.
    let z = 0;
    while (!isValid(8, `zero-proof-${z}`, 0n)) z++;
    const zeroData = `zero-proof-${z}`;
    const hiData = 'big@proof!';
    const nearMax = solve(4, hiData, UINT64_MAX, -1n);
    const above53 = solve(4, hiData, (1n << 53n) + 1n);
    const ticketData = toB64(ctx.rng.bytes(32));
    const edge: CaseSpec[] = [
      { key: 'proof-zero', comment: `proof 0 for "${zeroData}" meets 8 bits: Go IsValid accepts it (HasDoneWork would not)`, flags: ['ProofZero'], inputs: { bits: 8, data: zeroData, proof: 0 }, result: 'acceptable', expected: { valid: true }, requirements: REQ_CHECK },
      solveCase('solve-proof-zero', `pow.solve(8, "${zeroData}") starts at 0`, 8, zeroData, ['ProofZero', 'FirstProof']),
      verify('bits-0', 'bits 0: any proof is valid', 0, john, 987654321, ['ExtremeBits']),
      solveCase('solve-bits-0', 'pow.solve(0, …) is 0', 0, john, ['ExtremeBits', 'FirstProof']),
      verify('bits-256', 'bits 256: the Go KAT proof is not valid', 256, john, 149, ['ExtremeBits', 'WeakProof']),
      verify('proof-near-uint64-max', `a 4-bit proof just below 2^64: ${nearMax}`, 4, hiData, nearMax, ['Uint64Proof', 'HexEncoding']),
      verify('proof-uint64-max', 'proof 2^64 − 1 (hex ffffffffffffffff)', Math.max(1, leadingZeros(hiData, UINT64_MAX)), hiData, UINT64_MAX, ['Uint64Proof']),
      verify('proof-above-2-53', `the first 4-bit proof above 2^53: ${above53} (not representable as a double)`, 4, hiData, above53, ['Uint64Proof']),
      { ...verify('proof-above-2-53-rounded', `${above53 + 1n}, the next counter, is not valid (a double would round one onto the other)`, 4, hiData, above53 + 1n, ['Uint64Proof', 'WeakProof']), mutant: true },
      solveCase('solve-empty-data', 'pow.solve(8, "")', 8, '', ['DataEncoding', 'FirstProof']),
      solveCase('solve-utf8-data', 'pow.solve(8, "jöhn@exämple! ☃ 😀") hashes the UTF-8 bytes', 8, 'jöhn@exämple! ☃ 😀', ['DataEncoding', 'FirstProof']),
      solveCase('solve-ticket-data', `ticket work data (base64 text of 32 seeded bytes, hashed as ASCII) at 10 bits`, 10, ticketData, ['DataEncoding', 'FirstProof'], [...REQ_SOLVE, 'BM-POW-007']),
      { key: 'wire-proof-string', comment: 'proof as the JSON string "149"', flags: ['WireType'], inputs: { bits: 8, data: john, proof: '149' }, result: 'invalid', errorClass: 'InvalidInput', requirements: REQ_CHECK },
      { key: 'wire-proof-negative', comment: 'proof -1', flags: ['WireType'], inputs: { bits: 8, data: john, proof: -1 }, result: 'invalid', errorClass: 'InvalidInput', requirements: REQ_CHECK },
      { key: 'wire-proof-2-64', comment: 'proof 2^64 (outside uint64)', flags: ['WireType'], inputs: { bits: 8, data: john, proof: 1n << 64n }, result: 'invalid', errorClass: 'InvalidInput', requirements: REQ_CHECK },
      { key: 'wire-bits-257', comment: 'bits 257', flags: ['WireType', 'ExtremeBits'], inputs: { bits: 257, data: john, proof: 149 }, result: 'invalid', errorClass: 'InvalidInput', expected: { valid: false }, requirements: REQ_CHECK },
    ];
    groups.push({ op: 'pow.verify', comment: 'proof 0, extreme difficulties, uint64 proofs, data encodings, wire types', source: { kind: 'generated' }, cases: edge });
    return groups;
  },
  async accumulated(ctx): Promise<AccumulatedSpec[]> {
    const sha256 = await powSweepHash(async (bits, data) => {
      const r = await ctx.must('pow.solve', { bits, data });
      return r.proof as number;
    });
    return [{ name: POW_SWEEP.name, count: POW_SWEEP.count, sha256, description: POW_SWEEP.description }];
  },
};
