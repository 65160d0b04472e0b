/**
 * Attachment MIME type detection, a subset of what the Go composer uses: `catalog.go:188` calls
 * `github.com/gabriel-vasile/mimetype` v1.4.0 `DetectReader` (NOT `net/http.DetectContentType`;
 * for the types below both give the same strings). Facts taken from mimetype v1.4.0
 * (`tree.go`, `mime.go:95-116`, `internal/magic/{image,document,archive,zip,text,signature}.go`,
 * `internal/charset/charset.go:64-122`):
 * - only the first 3072 bytes are looked at (`readLimit`);
 * - binary signatures: PNG `89 50 4E 47 0D 0A 1A 0A` → image/png, JPEG `FF D8 FF` → image/jpeg,
 *   GIF `GIF87a`/`GIF89a` → image/gif, PDF `%PDF` → application/pdf, ZIP `PK` + (3|5|7) + (4|6|8)
 *   → application/zip, gzip `1F 8B` → application/gzip;
 * - text: no WHATWG binary-data byte (00–08, 0B, 0E–1A, 1C–1F) → text/plain, refined to text/html
 *   (leading-whitespace-trimmed, case-insensitive `<HTML`, `<BODY`, `<P`, … followed by space or
 *   `>`) or text/xml (`<?XML`); a charset parameter from the content: `utf-8` for ASCII or
 *   valid UTF-8, otherwise `windows-1252` when a byte 80–9F occurs, else `iso-8859-1`; no
 *   charset for empty content (so an empty file is `text/plain`);
 * - anything else → application/octet-stream.
 * Not reproduced (rarely seen in mail, listed so a mismatch is explainable): office/jar/epub
 * refinements of zip, the ~80 other binary formats, and the text refinements svg, php, js, lua,
 * perl, python, json, ndjson, rtf, tcl, csv, tsv, vcard, icalendar, warc; HTML/XML `charset`
 * from meta tags / XML declarations; UTF-16/32 BOM handling; mimetype's text-character table
 * that can drop the latin charset.
 * @module
 */
import { abytes } from './bytes.ts';

const READ_LIMIT = 3072;

function startsWith(b: Uint8Array, sig: readonly number[]): boolean {
  if (b.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[i] !== sig[i]) return false;
  return true;
}
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

const HTML_SIGS = ['<!DOCTYPE HTML', '<HTML', '<HEAD', '<SCRIPT', '<IFRAME', '<H1', '<DIV', '<FONT', '<TABLE', '<A', '<STYLE', '<TITLE', '<B', '<BODY', '<BR', '<P', '<!--'].map(ascii);
const XML_SIGS = [ascii('<?XML')];

function isWS(b: number): boolean {
  return b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d || b === 0x20;
}

function markup(raw: Uint8Array, sigs: number[][]): boolean {
  let i = 0;
  while (i < raw.length && isWS(raw[i]!)) i++;
  const r = raw.subarray(i);
  if (r.length === 0) return false;
  return sigs.some((sig) => {
    if (r.length < sig.length + 1) return false;
    for (let j = 0; j < sig.length; j++) {
      const s = sig[j]!;
      const d = s >= 0x41 && s <= 0x5a ? r[j]! & 0xdf : r[j]!;
      if (d !== s) return false;
    }
    const next = r[sig.length];
    return next === 0x20 || next === 0x3e;
  });
}

function isText(raw: Uint8Array): boolean {
  for (const b of raw) if (b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f)) return false;
  return true;
}

function isValidUtf8(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

function plainCharset(raw: Uint8Array): string {
  if (raw.length === 0) return '';
  // Drop a rune cut by the read limit before checking UTF-8 validity.
  let content = raw;
  for (let i = raw.length - 1; i >= 0 && i > raw.length - 4; i--) {
    const b = raw[i]!;
    if (b < 0x80) break;
    if ((b & 0xc0) !== 0x80) {
      content = raw.subarray(0, i);
      break;
    }
  }
  const high = raw.some((b) => b >= 0x80);
  if (!high) return 'utf-8';
  if (isValidUtf8(content)) return 'utf-8';
  return raw.some((b) => b >= 0x80 && b <= 0x9f) ? 'windows-1252' : 'iso-8859-1';
}

/** MIME type string as Go's composer writes into `attachments[].mimetype`. */
export function detectMimeType(data: Uint8Array): string {
  abytes(data, 'data');
  const raw = data.subarray(0, READ_LIMIT);
  if (startsWith(raw, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(raw, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(raw, ascii('GIF87a')) || startsWith(raw, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(raw, ascii('%PDF'))) return 'application/pdf';
  if (raw.length > 3 && raw[0] === 0x50 && raw[1] === 0x4b && [3, 5, 7].includes(raw[2]!) && [4, 6, 8].includes(raw[3]!)) return 'application/zip';
  if (startsWith(raw, [0x1f, 0x8b])) return 'application/gzip';
  if (!isText(raw)) return 'application/octet-stream';
  const base = markup(raw, HTML_SIGS) ? 'text/html' : markup(raw, XML_SIGS) ? 'text/xml' : 'text/plain';
  const cs = plainCharset(raw);
  return cs ? `${base}; charset=${cs}` : base;
}
