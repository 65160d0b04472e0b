/**
 * The generator's own rules (vectors/generate.ts): every case is judged by the one judge before it
 * is written, so a mutant the reference accepts stops generation — `npm run vectors` and
 * `npm run vectors:check` both build through `buildFile` — naming the file, key and tcId instead
 * of silently dropping the case; and a key that vanishes becomes a tombstone only with the reason
 * its generator gives.
 */
import { describe, expect, it } from 'vitest';
import { buildFile, type IdRegistry } from './generate.ts';
import type { CaseSpec, VectorFileSpec } from './gen/index.ts';
import { GO_ED25519_1 } from '../harness/protocol/fixtures.ts';

const MESSAGE_B64 = Buffer.from('judge me').toString('base64');

/** A one-group generator for `verify`, its cases built around a real Ed25519 signature. */
function generator(cases: (sig: string) => CaseSpec[], retired?: Record<string, string>): VectorFileSpec {
  return {
    name: 'judge_probe',
    area: 'SIG',
    requirements: [],
    source: { kind: 'generated' },
    header: ['probe'],
    notes: { BitFlip: { bugType: 'INTEGRITY', description: 'probe' } },
    ...(retired ? { retired } : {}),
    async build(ctx) {
      const sig = (await ctx.must('sign', { private_key: GO_ED25519_1.privateKey, message_b64: MESSAGE_B64 })).signature_b64 as string;
      return [{ op: 'verify', cases: cases(sig) }];
    },
  };
}
const verifyCase = (key: string, signature: string, valid: boolean, extra: Partial<CaseSpec> = {}): CaseSpec => ({
  key,
  comment: `${key} probe`,
  flags: ['BitFlip'],
  inputs: { public_key: GO_ED25519_1.publicKey, message_b64: MESSAGE_B64, signature_b64: signature },
  result: valid ? 'valid' : 'invalid',
  expected: { valid },
  ...extra,
});
const flipped = (sig: string) => {
  const b = Buffer.from(sig, 'base64');
  b[0]! ^= 1;
  return b.toString('base64');
};

describe('vector generation', () => {
  it('keeps a mutant the reference refuses', async () => {
    const registry: IdRegistry = { files: {}, tombstones: [] };
    const built = await buildFile(generator((sig) => [verifyCase('good', sig, true), verifyCase('flip-bit-0', flipped(sig), false, { mutant: true })]), registry);
    expect(built.counts).toMatchObject({ cases: 2, valid: 1, invalid: 1 });
    expect(registry.files.judge_probe!.ids).toEqual({ good: 1, 'flip-bit-0': 2 });
  });

  it('stops, naming the case, when the reference accepts a mutant (no silent drop, no tombstone)', async () => {
    // "Mutated" into the unchanged signature: the reference verifies it, so the vector is wrong.
    const registry: IdRegistry = { files: { judge_probe: { nextId: 3, ids: { good: 1, 'flip-bit-0': 2 } } }, tombstones: [] };
    await expect(buildFile(generator((sig) => [verifyCase('good', sig, true), verifyCase('flip-bit-0', sig, false, { mutant: true })]), registry)).rejects.toThrow(/judge_probe: mutant case flip-bit-0 \(judge_probe#2\) .*result differs/);
    expect(registry.tombstones).toEqual([]);
  });

  it('names the reference accepting an invalid mutant that expects an error class', async () => {
    const registry: IdRegistry = { files: {}, tombstones: [] };
    const bad = (sig: string) => [verifyCase('good', sig, true), { ...verifyCase('flip-bit-0', sig, false, { mutant: true }), expected: undefined, errorClass: 'BadSignature' }];
    await expect(buildFile(generator(bad), registry)).rejects.toThrow(/mutant case flip-bit-0 .*the reference accepts this mutant, which it must refuse/);
  });

  it('refuses a key that vanished without a reason, and tombstones it with the reason given', async () => {
    const before = (): IdRegistry => ({ files: { judge_probe: { nextId: 3, ids: { good: 1, 'flip-bit-0': 2 } } }, tombstones: [] });
    await expect(buildFile(generator((sig) => [verifyCase('good', sig, true)]), before())).rejects.toThrow(/case flip-bit-0 \(judge_probe#2\) is no longer built; list it in the generator's `retired`/);
    const registry = before();
    await buildFile(generator((sig) => [verifyCase('good', sig, true)], { 'flip-bit-0': 'covered by signature_ed25519#12' }), registry);
    expect(registry.tombstones).toEqual([{ file: 'judge_probe_test.json', tcId: 2, removedIn: expect.any(String), reason: 'case flip-bit-0: covered by signature_ed25519#12' }]);
    expect(registry.files.judge_probe!.ids).toEqual({ good: 1 });
  });
});
