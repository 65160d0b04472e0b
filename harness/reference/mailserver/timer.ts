/**
 * Injected time for the reference mail server: a `Clock` (unix seconds, harness/protocol/random.ts)
 * and a `Scheduler` for delayed work (remote-delivery retries, spec/api.md §5.5,
 * Go processor/retry_queue.go). Tests use {@link manualTime}, so a retry schedule of minutes
 * runs in milliseconds and a ticket or JWT can be aged without waiting.
 * @module
 */
import type { Clock } from '../../protocol/random.ts';
import { systemClock } from '../../protocol/random.ts';

/** A cancellable delayed call. */
export interface Scheduled {
  cancel(): void;
}

export interface Scheduler {
  /** Run `fn` after `delaySeconds` of scheduler time. */
  schedule(delaySeconds: number, fn: () => void): Scheduled;
}

/** Real timers; timers are unref'd so a forgotten retry never keeps a process alive. */
export const systemScheduler: Scheduler = {
  schedule(delaySeconds, fn) {
    const t = setTimeout(fn, Math.max(0, delaySeconds) * 1000);
    t.unref?.();
    return { cancel: () => clearTimeout(t) };
  },
};

/** A clock and scheduler that only move when told to. */
export interface ManualTime extends Clock, Scheduler {
  /** Move time forward by `seconds`, firing every task that falls due, in due order. */
  advance(seconds: number): void;
  /** Set the clock to an absolute unix time (never backwards). */
  set(unix: number): void;
  /** Number of tasks still waiting. */
  pending(): number;
}

/**
 * A manual clock + scheduler starting at `startUnix`. Tasks due at the same instant fire in the
 * order they were scheduled.
 */
export function manualTime(startUnix: number): ManualTime {
  if (!Number.isSafeInteger(startUnix)) throw new RangeError(`manualTime: expected integer seconds, got ${startUnix}`);
  let now = startUnix;
  let seq = 0;
  const tasks: { at: number; seq: number; fn: () => void; live: boolean }[] = [];
  const run = (target: number) => {
    for (;;) {
      tasks.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = tasks[0];
      if (!next || next.at > target) break;
      tasks.shift();
      now = Math.max(now, next.at);
      if (next.live) next.fn();
    }
    now = target;
  };
  return {
    now: () => Math.floor(now),
    schedule(delaySeconds, fn) {
      const task = { at: now + Math.max(0, delaySeconds), seq: seq++, fn, live: true };
      tasks.push(task);
      return {
        cancel: () => {
          task.live = false;
          const i = tasks.indexOf(task);
          if (i >= 0) tasks.splice(i, 1);
        },
      };
    },
    advance(seconds) {
      if (!(seconds >= 0)) throw new RangeError(`advance: expected non-negative seconds, got ${seconds}`);
      run(now + seconds);
    },
    set(unix) {
      if (unix < now) throw new RangeError(`set: time cannot go backwards (${unix} < ${now})`);
      run(unix);
    },
    pending: () => tasks.length,
  };
}

export { systemClock };
