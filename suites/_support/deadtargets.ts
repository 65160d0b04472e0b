/**
 * Dead targets are bounded (DESIGN.md contract 7 "a target that stops answering is declared dead
 * within a bound"; issue 10 item 5). Without this a server that hangs costs one request time-out
 * per test (hundreds), and an adapter that answers one op after each restart costs one per case
 * (thousands).
 *
 * The rule, per target (a server origin such as `https://127.0.0.1:8443`, or an adapter command):
 * - each request that got no answer (time-out, connection refused, closed or reset, the adapter
 *   gone) counts; an answer of any kind (a status, an error body, an adapter error) counts as
 *   alive, but a lone answer between losses does not clear the count: only
 *   {@link ANSWERS_TO_CLEAR} answers in a row do. So a server that answers `GET /` and hangs on
 *   everything else, or an adapter that answers one op after each restart and then hangs, is still
 *   counted as hung;
 * - after {@link NO_ANSWER_LIMIT} losses the target is probed once (by the caller's probe: a
 *   request any live target answers). An answer clears the count. No answer declares the target
 *   dead: every later request to it fails at once with {@link TargetDead}, "target … stopped
 *   answering at <time>", which the report counts as `error` (harness/run/collect.ts);
 * - the request that reached the limit fails with its own error; the probe runs meanwhile and the
 *   next request waits for it ({@link LivenessTracker.ensureAlive}), so no single test pays for
 *   two waits.
 *
 * Suite files run in several worker processes. A dead target is recorded as a file in the folder
 * named by `BM_LIVENESS_DIR` (the harness makes one per run, harness/run/index.ts), so one
 * worker's verdict stops the others too; the counts themselves are per process. Without the
 * variable (a suite run directly under vitest) the record stays in memory.
 * @module
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CouldNotRun } from '../../harness/adapter/index.ts';

/** Requests in a row without an answer after which the target is probed. */
export const NO_ANSWER_LIMIT = 3;
/** Answers in a row that clear the no-answer count (one answer between losses does not). */
export const ANSWERS_TO_CLEAR = 2;
/** Environment variable naming the run's folder of dead-target records. */
export const LIVENESS_DIR_ENV = 'BM_LIVENESS_DIR';

/** A target declared dead earlier in the run: the request was not sent. Becomes an `error` verdict. */
export class TargetDead extends CouldNotRun {
  override name = 'TargetDead';
  constructor(
    readonly target: string,
    /** When it was declared dead (RFC 3339 UTC). */
    readonly since: string,
    readonly reason: string,
  ) {
    super(`target ${target} stopped answering at ${since} (${reason}); not asked`);
  }
}

/** What a dead-target record holds (one JSON file per target in the run's folder). */
export interface DeadRecord {
  target: string;
  at: string;
  reason: string;
}

/** A probe's outcome: `true` when the target answered, else why not. */
export type ProbeResult = true | string;

interface State {
  losses: number;
  answersInARow: number;
  lastLoss?: string;
  probing?: Promise<void>;
  dead?: DeadRecord;
  /** A restart the suite made on purpose is under way: no-answers are expected, not counted. */
  plannedOutage?: boolean;
}

export class LivenessTracker {
  private readonly states = new Map<string, State>();

  constructor(
    /** Folder shared by the run's workers, or undefined: in-memory only. */
    private readonly dir: string | undefined = process.env[LIVENESS_DIR_ENV] || undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private state(target: string): State {
    let s = this.states.get(target);
    if (s === undefined) this.states.set(target, (s = { losses: 0, answersInARow: 0 }));
    return s;
  }

  private file(target: string): string | undefined {
    return this.dir === undefined ? undefined : join(this.dir, `${createHash('sha256').update(target).digest('hex').slice(0, 24)}.dead.json`);
  }

  /** The target's dead record, from this process or another worker's file. */
  deadRecord(target: string): DeadRecord | undefined {
    const s = this.state(target);
    if (s.dead) return s.dead;
    const f = this.file(target);
    if (f !== undefined && existsSync(f)) {
      try {
        s.dead = JSON.parse(readFileSync(f, 'utf8')) as DeadRecord;
      } catch {
        s.dead = { target, at: this.now().toISOString(), reason: 'declared dead by another worker' };
      }
    }
    return s.dead;
  }

  /**
   * Before a request: waits for a probe of this target in flight, then throws if it is dead.
   * @throws TargetDead when this worker or another declared the target dead
   */
  async ensureAlive(target: string): Promise<void> {
    const probing = this.state(target).probing;
    if (probing) await probing;
    const dead = this.deadRecord(target);
    if (dead) throw new TargetDead(target, dead.at, dead.reason);
  }

  /** The target answered (anything well-formed). */
  answered(target: string): void {
    const s = this.state(target);
    s.answersInARow += 1;
    if (s.answersInARow >= ANSWERS_TO_CLEAR) s.losses = 0;
  }

  /**
   * The target gave no answer to a request. At the limit the probe starts (not awaited: the
   * caller fails with its own error; the next {@link ensureAlive} waits for the probe).
   * @param why the failure, for the dead record
   * @param probe one request any live target answers
   */
  noAnswer(target: string, why: string, probe: () => Promise<ProbeResult>): void {
    const s = this.state(target);
    if (s.plannedOutage) return;
    s.answersInARow = 0;
    s.losses += 1;
    s.lastLoss = why;
    if (s.losses < NO_ANSWER_LIMIT || s.probing || s.dead) return;
    s.probing = (async () => {
      let result: ProbeResult;
      try {
        result = await probe();
      } catch (e) {
        result = (e as Error).message ?? String(e);
      }
      if (result === true) {
        s.losses = 0;
        s.answersInARow = 0;
        return;
      }
      this.declareDead(target, `${NO_ANSWER_LIMIT} requests in a row got no answer (last: ${clip(s.lastLoss ?? '')}), and neither did a probe (${clip(result)})`);
    })().finally(() => {
      s.probing = undefined;
    });
  }

  /**
   * A suite is about to kill or restart the target on purpose (the durability profile): until
   * {@link endPlannedOutage}, requests that get no answer are the outage it made, not a dead
   * target, so they are not counted and no probe runs. A target declared dead before stays dead.
   */
  beginPlannedOutage(target: string): void {
    this.state(target).plannedOutage = true;
  }

  /** The target is back from a planned outage: counting starts afresh. */
  endPlannedOutage(target: string): void {
    const s = this.state(target);
    s.plannedOutage = false;
    s.losses = 0;
    s.answersInARow = 0;
  }

  /** Record the target as dead for the rest of the run (and for every worker). */
  declareDead(target: string, reason: string): DeadRecord {
    const s = this.state(target);
    s.dead ??= { target, at: this.now().toISOString().replace(/\.\d+Z$/, 'Z'), reason };
    const f = this.file(target);
    if (f !== undefined && !existsSync(f)) {
      // Written whole, then renamed, so another worker never reads half a record.
      const tmp = `${f}.${process.pid}.tmp`;
      try {
        writeFileSync(tmp, JSON.stringify(s.dead) + '\n');
        renameSync(tmp, f);
      } catch {
        // the run's folder is gone (the run ended): this worker's own record still holds
      }
    }
    return s.dead;
  }
}

/** Every dead-target record in a run's folder, oldest first (for the report's warnings). */
export function readDeadRecords(dir: string): DeadRecord[] {
  if (!existsSync(dir)) return [];
  const out: DeadRecord[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.dead.json'))) {
    try {
      out.push(JSON.parse(readFileSync(join(dir, f), 'utf8')) as DeadRecord);
    } catch {
      // a record being written as the run ends: the tests that met it say why
    }
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

function clip(s: string, n = 300): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

let shared: LivenessTracker | undefined;

/** This process's tracker (reads `BM_LIVENESS_DIR` on first use). */
export function liveness(): LivenessTracker {
  shared ??= new LivenessTracker();
  return shared;
}
