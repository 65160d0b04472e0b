/**
 * Escaping for the report writers (internal). Everything a target, an adapter or a test
 * produces (names, messages, traces, expected/actual values) is untrusted text: it may hold
 * markup, quotes, control characters, lone surrogates or U+2028/U+2029.
 *
 * XML 1.0 (§2.2 Char) forbids C0 controls other than TAB, LF, CR — even as character
 * references — and U+FFFE/U+FFFF and unpaired surrogates; HTML treats the same code points as
 * parse errors. Such code points are replaced by a visible `\u{XX}` text so nothing is lost
 * silently and the document stays well-formed. C1 controls (U+007F–U+009F) are legal but
 * invisible, so they get the same treatment.
 * @module
 */

// C0 (minus TAB LF CR), DEL + C1, U+FFFE/U+FFFF, and unpaired surrogates.
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces code points not allowed (or invisible) in XML/HTML text with a visible `\u{XX}`. */
export function visibleControls(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u{${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}}`);
}

const TEXT_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\u2028': '&#x2028;',
  '\u2029': '&#x2029;',
};

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(s: string): string {
  return visibleControls(s).replace(/[&<>"'\u2028\u2029]/g, (c) => TEXT_ENTITIES[c]!);
}

/**
 * Escapes text for XML element content and attribute values (XML 1.0). Newlines, tabs and CRs
 * in attributes become character references so attribute-value normalisation keeps them.
 */
export function escapeXml(s: string, attribute = false): string {
  const out = visibleControls(s).replace(/[&<>"']/g, (c) => TEXT_ENTITIES[c]!);
  return attribute ? out.replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : out.replace(/\r/g, '&#13;');
}

/**
 * Escapes text for a Markdown table cell or inline prose: markup characters become entities
 * (GitHub renders inline HTML), `|` cannot end the cell, newlines become `<br>`, and characters
 * with Markdown meaning are backslash-escaped.
 */
export function escapeMarkdownInline(s: string): string {
  // Backslash-escape first, on the raw text, so the entities added next are left intact.
  return escapeHtml(s.replace(/([\\`*_[\]#~!])/g, '\\$1'))
    .replace(/\|/g, '&#124;')
    .replace(/\r?\n/g, '<br>');
}

/**
 * Untrusted text as a Markdown inline code span, shown literally (no HTML entity, no backslash
 * escape a reader sees): a backtick run longer than any inside delimits it, a `|` is `\|` so a
 * table cell cannot end early (GFM reads `\|` as `|` inside a code span in a table), newlines
 * become spaces, and invisible or illegal code points become visible `\u{XX}`.
 */
export function markdownCode(s: string): string {
  const text = visibleControls(s.replace(/\r?\n|\r/g, ' ')).replace(/\|/g, '\\|');
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/**
 * Our own prose (requirement text from the registry, counts) for a table cell: only what would
 * break the table, open a code span or open a tag is touched (`|` → `\|`, a backtick → `\``, `<` before a tag-like character →
 * `&lt;`), so the raw Markdown reads as written.
 */
export function markdownText(s: string): string {
  return visibleControls(s.replace(/\r?\n|\r/g, ' ')).replace(/([|`])/g, '\\$1').replace(/<(?=[A-Za-z/!?])/g, '&lt;');
}

/** A Markdown code fence long enough that no backtick run in `body` can close it. */
export function markdownFence(body: string, info = ''): string {
  let longest = 0;
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${visibleControls(body)}\n${fence}`;
}

/** Quotes a string for a POSIX shell (single quotes; embedded `'` becomes `'\''`). */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
