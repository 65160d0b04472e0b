/**
 * Confidentiality defects of the reference adapter, for proving that the client profile's
 * confidentiality check (suites/client/confidentiality.test.ts, issue 12 item 3) can fail. Never
 * on by default; switched on for the adapter process by `BM_ADAPTER_FAULTS`, a comma list:
 *
 * - `log-subject`: `message.compose` and `message.open` write the plaintext subject to stderr
 *   (the adapter's log), as a client's debug logging would;
 * - `plain-block-file`: `message.compose` writes the first block's plaintext to a file under the
 *   temporary directory (`os.tmpdir()`, i.e. `TMPDIR`), as a client keeping a draft would.
 *
 * The encrypted message the ops return is unchanged: only a check of what the client leaves
 * behind can see these.
 * @module
 */

export const ADAPTER_FAULT_NAMES = ['log-subject', 'plain-block-file'] as const;
export type AdapterFault = (typeof ADAPTER_FAULT_NAMES)[number];

/** The variable the reference adapter process reads its fault switches from. */
export const ADAPTER_FAULTS_ENV = 'BM_ADAPTER_FAULTS';

/**
 * Parse a `BM_ADAPTER_FAULTS` value (comma list; empty or unset = none).
 * @throws RangeError naming an unknown switch
 */
export function parseAdapterFaults(text: string | undefined): ReadonlySet<AdapterFault> {
  const out = new Set<AdapterFault>();
  for (const name of (text ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!(ADAPTER_FAULT_NAMES as readonly string[]).includes(name)) throw new RangeError(`${ADAPTER_FAULTS_ENV}: unknown fault switch ${JSON.stringify(name)} (known: ${ADAPTER_FAULT_NAMES.join(', ')})`);
    out.add(name as AdapterFault);
  }
  return out;
}
