// The dead-target rule (suites/_support/deadtargets.ts) on its own: counts, the probe, the shared
// record. The whole-run bounds (a hanging server, a sleeping adapter) are checked by
// test/hostile.slow.test.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ANSWERS_TO_CLEAR, LivenessTracker, NO_ANSWER_LIMIT, readDeadRecords, TargetDead } from '../suites/_support/deadtargets.ts';

const dir = mkdtempSync(join(tmpdir(), 'bm-liveness-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const AT = new Date(Date.UTC(2026, 11, 6, 10, 0, 0));

function probeCounter(result: true | string) {
  const calls: number[] = [];
  return { calls, probe: async () => (calls.push(1), result) };
}

describe('dead-target rule', () => {
  it(`after ${NO_ANSWER_LIMIT} requests without an answer a failed probe declares the target dead; later requests fail at once naming the time`, async () => {
    const t = new LivenessTracker(undefined, () => AT);
    const { calls, probe } = probeCounter('GET /probe: no answer within 10 ms');
    for (let i = 0; i < NO_ANSWER_LIMIT - 1; i++) t.noAnswer('https://a', 'timeout', probe);
    await t.ensureAlive('https://a');
    expect(calls).toHaveLength(0);
    t.noAnswer('https://a', 'timeout: no answer within 10 ms', probe);
    const err = await t.ensureAlive('https://a').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TargetDead);
    expect((err as Error).message).toMatch(/^target https:\/\/a stopped answering at 2026-12-06T10:00:00Z \(3 requests in a row got no answer \(last: timeout: no answer within 10 ms\), and neither did a probe \(GET \/probe: no answer within 10 ms\)\); not asked$/);
    expect(calls).toHaveLength(1);
    // another target is unaffected
    await t.ensureAlive('https://b');
  });

  it('a probe that gets an answer clears the count: the target is alive', async () => {
    const t = new LivenessTracker(undefined, () => AT);
    const { calls, probe } = probeCounter(true);
    for (let i = 0; i < NO_ANSWER_LIMIT; i++) t.noAnswer('x', 'timeout', probe);
    await t.ensureAlive('x');
    expect(calls).toHaveLength(1);
    for (let i = 0; i < NO_ANSWER_LIMIT - 1; i++) t.noAnswer('x', 'timeout', probe);
    await t.ensureAlive('x');
    expect(calls, 'the count started again from zero').toHaveLength(1);
  });

  // Issue 10 item 5: an adapter that answers one op after each restart and then hangs is hung.
  it(`one answer between losses does not clear the count; ${ANSWERS_TO_CLEAR} in a row do`, async () => {
    const t = new LivenessTracker(undefined, () => AT);
    const hung = probeCounter('no answer');
    for (let i = 0; i < NO_ANSWER_LIMIT; i++) {
      t.answered('one-then-hang');
      t.noAnswer('one-then-hang', 'timeout', hung.probe);
    }
    await expect(t.ensureAlive('one-then-hang')).rejects.toBeInstanceOf(TargetDead);
    const flaky = probeCounter('no answer');
    for (let i = 0; i < NO_ANSWER_LIMIT * 2; i++) {
      for (let k = 0; k < ANSWERS_TO_CLEAR; k++) t.answered('flaky');
      t.noAnswer('flaky', 'closed', flaky.probe);
    }
    await t.ensureAlive('flaky');
    expect(flaky.calls).toHaveLength(0);
  });

  it('a dead record written by one worker stops the others, and the run reads every record for its report', async () => {
    const shared = join(dir, 'run');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(shared);
    const a = new LivenessTracker(shared, () => AT);
    const b = new LivenessTracker(shared, () => AT);
    a.declareDead('adapter: sleepy', 'no answer');
    await expect(b.ensureAlive('adapter: sleepy')).rejects.toThrow(/^target adapter: sleepy stopped answering at 2026-12-06T10:00:00Z \(no answer\)/);
    expect(readDeadRecords(shared)).toEqual([{ target: 'adapter: sleepy', at: '2026-12-06T10:00:00Z', reason: 'no answer' }]);
  });

  it('no-answers during a planned outage (a restart the suite made) are not counted; after it the count starts afresh', async () => {
    const t = new LivenessTracker(undefined, () => AT);
    const { calls, probe } = probeCounter('connection refused');
    t.beginPlannedOutage('https://r');
    for (let i = 0; i < NO_ANSWER_LIMIT * 3; i++) t.noAnswer('https://r', 'connection refused', probe);
    await t.ensureAlive('https://r');
    expect(calls).toHaveLength(0);
    t.endPlannedOutage('https://r');
    // Outside an outage the rule holds again: the same losses declare it dead.
    for (let i = 0; i < NO_ANSWER_LIMIT; i++) t.noAnswer('https://r', 'connection refused', probe);
    await expect(t.ensureAlive('https://r')).rejects.toBeInstanceOf(TargetDead);
    expect(calls).toHaveLength(1);
  });
});
