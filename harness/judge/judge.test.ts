/**
 * The judge (harness/judge): each rule shown both ways — a right answer passes, and the wrong
 * answer it is there to catch fails with a reason naming what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { judgeCase, referenceCounterparty, resultProblem, type Counterparty, type JudgedCase } from './index.ts';
import { GO_ED25519_1, GO_ED25519_2 } from '../protocol/fixtures.ts';
import type { AdapterResponse } from '../adapter/wire.ts';

const ref = referenceCounterparty();
const ok = (result: Record<string, unknown>): AdapterResponse => ({ id: 1, ok: true, result: result as never });
const err = (cls: string): AdapterResponse => ({ id: 1, ok: false, error: { class: cls, message: 'x' } });
const MSG = Buffer.from('judge').toString('base64');
const sigOf = async (seed?: string) => ((await ref.request('sign', { private_key: GO_ED25519_1.privateKey, message_b64: MSG }, seed ? { seed } : {})) as unknown as { result: { signature_b64: string } }).result.signature_b64;
const verifyCase = (signature_b64: string, valid: boolean, result: JudgedCase['result'] = valid ? 'valid' : 'invalid'): JudgedCase => ({ op: 'verify', inputs: { public_key: GO_ED25519_1.publicKey, message_b64: MSG, signature_b64 }, result, expected: { valid } });
const alwaysTrue: Counterparty = { request: async () => ok({ valid: true }) };

describe('judge', () => {
  it('never passes Internal, even where any refusal is acceptable', async () => {
    const c: JudgedCase = { op: 'key.parse', inputs: { key: 'ecdsa AAAA' }, result: 'acceptable' };
    expect(await judgeCase(c, err('InvalidKey'), { deterministic: true })).toEqual({ verdict: 'pass' });
    expect(await judgeCase(c, err('Internal'), { deterministic: true })).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/crashed \(Internal/) });
    expect(await judgeCase(c, err('Oops'), { deterministic: true })).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/not one of ADAPTER.md's/) });
  });

  it('fails a malformed ok naming the field: missing, extra, wrong type', async () => {
    expect(resultProblem('verify', { valid: false })).toBeUndefined();
    expect(resultProblem('verify', {})).toMatch(/malformed verify result: result must have required property 'valid'/);
    expect(resultProblem('verify', { valid: true, message_b64: MSG })).toMatch(/additional properties \(message_b64\)/);
    expect(resultProblem('sign', { signature_b64: 42 })).toMatch(/result\.signature_b64 must be string/);
    const sig = await sigOf();
    expect(await judgeCase(verifyCase(sig, true), ok({}), { deterministic: true })).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/required property 'valid'/) });
  });

  it('passes an accepted acceptable case only with the recorded answer', async () => {
    const c: JudgedCase = { op: 'hash.string', inputs: { value: 'x' }, result: 'acceptable' };
    const right = (await ref.request('hash.string', { value: 'x' })) as AdapterResponse;
    expect(await judgeCase(c, right, { deterministic: true })).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/records no answer an accepting implementation must give/) });
    expect(await judgeCase({ ...c, expected: (right as unknown as { result: Record<string, never> }).result }, right, { deterministic: true })).toEqual({ verdict: 'pass' });
    expect(await judgeCase({ ...c, expected: { hash: '00'.repeat(32) } }, right, { deterministic: true })).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/result differs/) });
  });

  it('round-trips a non-deterministic signature through the reference instead of comparing bytes', async () => {
    const c: JudgedCase = { op: 'sign', inputs: { private_key: GO_ED25519_1.privateKey, message_b64: MSG }, result: 'valid', expected: { signature_b64: await sigOf() } };
    const other = await sigOf('01');
    expect(await judgeCase(c, ok({ signature_b64: other }), { deterministic: false })).toEqual({ verdict: 'pass' });
    expect(await judgeCase(c, ok({ signature_b64: MSG }), { deterministic: false })).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/^round trip: the signature does not verify/) });
    const wrongKey = ((await ref.request('sign', { private_key: GO_ED25519_2.privateKey, message_b64: MSG })) as unknown as { result: { signature_b64: string } }).result.signature_b64;
    expect(await judgeCase(c, ok({ signature_b64: wrongKey }), { deterministic: false })).toMatchObject({ verdict: 'fail' });
  });

  it('decrypts what a non-deterministic adapter encrypted: a ciphertext that is the plaintext fails', async () => {
    const secret_b64 = Buffer.alloc(32, 9).toString('base64');
    const c: JudgedCase = { op: 'secret.encrypt', inputs: { public_key: GO_ED25519_2.publicKey, secret_b64 }, result: 'valid', expected: {} };
    const real = (await ref.request('secret.encrypt', c.inputs, { seed: 'aa' })) as unknown as { result: Record<string, unknown> };
    expect(await judgeCase(c, ok(real.result), { deterministic: false })).toEqual({ verdict: 'pass' });
    expect(await judgeCase(c, ok({ ...real.result, ciphertext_b64: secret_b64 }), { deterministic: false })).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/^round trip: /) });
  });

  it('credits valid: true only from an adapter that also says false to a near twin', async () => {
    const c = verifyCase(await sigOf(), true);
    expect(await judgeCase(c, ok({ valid: true }), { deterministic: true, subject: ref })).toEqual({ verdict: 'pass' });
    expect(await judgeCase(c, ok({ valid: true }), { deterministic: true, subject: alwaysTrue })).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/a verifier that does not say false earns no pass/) });
    // A negative case is judged on its own answer.
    expect(await judgeCase(verifyCase(MSG, false), ok({ valid: true }), { deterministic: true, subject: alwaysTrue })).toMatchObject({ verdict: 'fail', reason: expect.stringMatching(/result differs/) });
  });

  it('reports unsupported apart from a failure', async () => {
    expect(await judgeCase(verifyCase(MSG, false), { id: 1, unsupported: true, reason: 'no ed25519' }, { deterministic: true })).toEqual({ verdict: 'unsupported', reason: 'unsupported: no ed25519' });
  });
});

describe('judge: a failure compares like with like', () => {
  it('differingFields keeps only the fields that differ, each side, and leaves an error answer whole', async () => {
    const { differingFields } = await import('./index.ts');
    const expected = { address: 'jay@org!', hash: 'aa', org_hash: 'bb' };
    expect(differingFields(expected, { id: 3, ok: true, address: 'j.a.y@org!', hash: 'aa', org_hash: 'bb', local_hash: 'cc' })).toEqual({ expected: { address: 'jay@org!' }, actual: { address: 'j.a.y@org!' }, fields: ['address'] });
    const error = { error: { class: 'InvalidAddress', message: 'no' } };
    expect(differingFields(expected, error)).toEqual({ expected, actual: error });
    expect(differingFields('a', 'b')).toEqual({ expected: 'a', actual: 'b' });
  });
});
