/**
 * Internal, test-only: the hostile-argument kit shared by the protocol tests (STYLE.md "Tests":
 * one shared table of hostile values is thrown at every public function, after noble-curves
 * `test/utils.ts` `getTypeTests`; API.md: bad input is a typed error from errors.ts, never a
 * crash). Not part of the library: only `*.test.ts` files import it.
 * @module
 */
import { errorClassOf } from './errors.ts';

/**
 * Values of the wrong JS type for a string, key, bytes, record or object parameter. A test whose
 * parameter also refuses other values appends them (`[...HOSTILE_VALUES, 'x']`); a test whose
 * parameter accepts one of these (a number, say) keeps its own table.
 */
export const HOSTILE_VALUES: readonly unknown[] = [undefined, null, 5, {}, []];

/**
 * The ADAPTER.md error class that `f` throws (`errorClassOf`: 'Internal' for an untyped error,
 * which no test expects), or 'no error' when it returns.
 * @example classOf(() => parseInvite(5 as never)) // 'InvalidInput'
 */
export function classOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return errorClassOf(e);
  }
  return 'no error';
}
