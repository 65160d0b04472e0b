/**
 * Internal: which Go struct field each key of a decoded JSON object lands in, as Go's
 * `encoding/json` matches them (decode.go `object`): the exact field name first, else a
 * case-insensitive match under Unicode simple folding. For ASCII field names the only non-ASCII
 * runes that fold onto them are U+212A KELVIN SIGN (k) and U+017F LATIN SMALL LETTER LONG S (s).
 * Unknown keys are dropped. Used by vault.ts and jwt.ts.
 *
 * Known approximation: the input is an already-parsed JS object, so two keys that are spelled
 * identically collapse (last value, first position), and keys that fold together are visited in
 * the object's enumeration order; Go visits the raw text in order. Only inputs with several
 * spellings of one field AND a repeated spelling can tell the difference.
 * @module
 */

/** ASCII upper → lower, KELVIN SIGN → k, LONG S → s; everything else unchanged. */
export function foldAsciiKey(s: string): string {
  let out = '';
  for (const ch of s) {
    if (ch === '\u212a') out += 'k';
    else if (ch === '\u017f') out += 's';
    else if (ch >= 'A' && ch <= 'Z') out += ch.toLowerCase();
    else out += ch;
  }
  return out;
}

/** Field values by Go field name (names are the JSON names of the struct's fields, ASCII). */
export function goFields(obj: Record<string, unknown>, names: readonly string[]): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const key of Object.keys(obj)) {
    let name: string | undefined = names.includes(key) ? key : undefined;
    if (name === undefined) {
      const k = foldAsciiKey(key);
      name = names.find((n) => n.toLowerCase() === k);
    }
    if (name !== undefined) out.set(name, obj[key]);
  }
  return out;
}
