/**
 * Dead-target tracking for the suites' HTTP requests (deadtargets.ts has the rule):
 * http.ts sends every request through {@link watchedRequest}, which refuses at once to ask a
 * target declared dead, counts requests that got no answer, and probes the target after
 * {@link NO_ANSWER_LIMIT} in a row. The probe is a `GET` of a path no BitMaelum server routes,
 * on a fresh connection: any HTTP status proves the server is alive (a server with one wedged
 * handler still answers it), while one that answers only `GET /` and hangs on everything else
 * does not.
 * @module
 */
import type { Dispatcher } from 'undici';
import { liveness, NO_ANSWER_LIMIT, type ProbeResult } from './deadtargets.ts';
import { HarnessError, type HarnessStep } from './errors.ts';

export { NO_ANSWER_LIMIT, TargetDead } from './deadtargets.ts';

/** Path of the probe request: no route of the API, so it reaches no handler that might be wedged. */
export const PROBE_PATH = '/bm-conformance/liveness-probe';

/** Failures that mean no answer at all (garbage is an answer, if a useless one). */
const NO_ANSWER: ReadonlySet<HarnessStep> = new Set(['timeout', 'closed', 'connect']);

/**
 * Sends one request through the dead-target rule.
 * @param url the request's absolute URL (its origin is the target)
 * @param dispatcher what the request goes through, used for the probe too
 * @throws TargetDead when the target was declared dead; otherwise whatever `send` throws
 */
export async function watchedRequest<T>(url: string, dispatcher: Dispatcher, timeoutMs: number, send: () => Promise<T>): Promise<T> {
  const origin = /^(https?:\/\/[^/?#]+)/.exec(url)?.[1];
  if (origin === undefined) return send();
  const tracker = liveness();
  await tracker.ensureAlive(origin);
  try {
    const res = await send();
    tracker.answered(origin);
    return res;
  } catch (e) {
    if (e instanceof HarnessError && NO_ANSWER.has(e.step)) tracker.noAnswer(origin, e.message, () => probe(origin, dispatcher, timeoutMs));
    throw e;
  }
}

async function probe(origin: string, dispatcher: Dispatcher, timeoutMs: number): Promise<ProbeResult> {
  try {
    const res = await dispatcher.request({ origin, path: PROBE_PATH, method: 'GET', headersTimeout: timeoutMs, bodyTimeout: timeoutMs, signal: AbortSignal.timeout(timeoutMs), reset: true });
    await res.body.dump();
    return true;
  } catch (e) {
    const err = e as Error & { code?: string };
    return `GET ${origin}${PROBE_PATH}: ${err.name === 'TimeoutError' || err.name === 'AbortError' ? `no answer within ${timeoutMs} ms` : `${err.message}${err.code ? ` (${err.code})` : ''}`}`;
  }
}
