import { describe, expect, it } from 'vitest';
import { detectMimeType } from './mimetype.ts';
import { fromB64, utf8 } from './bytes.ts';
import { goTestdata } from './gotestdata.ts';

// Go composer: gabriel-vasile/mimetype v1.4.0 DetectReader (catalog.go:188).
describe('attachment MIME type (mimetype v1.4.0 subset)', () => {
  it('the 1-px GIF of catalog_test.go is image/gif', () => {
    expect(detectMimeType(fromB64('R0lGODlhAQABAAAAACH5BAEAAAAALAAAAAABAAEAAAI='))).toBe('image/gif');
  });
  it('testdata/attachment.png is image/png', () => {
    expect(detectMimeType(goTestdata('attachment.png'))).toBe('image/png');
  });
  it.each([
    [[0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'image/jpeg'],
    [[...utf8('%PDF-1.4\n')], 'application/pdf'],
    [[0x50, 0x4b, 0x03, 0x04, 0, 0], 'application/zip'],
    [[0x1f, 0x8b, 0x08, 0], 'application/gzip'],
    [[...utf8('GIF87a')], 'image/gif'],
    [[0, 1, 2, 3], 'application/octet-stream'],
    [[...utf8('hello world\n')], 'text/plain; charset=utf-8'],
    [[...utf8('héllo wörld')], 'text/plain; charset=utf-8'],
    [[0x68, 0xe9, 0x6c], 'text/plain; charset=iso-8859-1'],
    [[0x68, 0x93, 0x6c], 'text/plain; charset=windows-1252'],
    [[], 'text/plain'],
    [[...utf8('  <html><body>x</body></html>')], 'text/html; charset=utf-8'],
    [[...utf8('<!DOCTYPE html>\n<p>x')], 'text/html; charset=utf-8'],
    [[...utf8('<?xml version="1.0"?><a/>')], 'text/xml; charset=utf-8'],
    [[...utf8('<htmlx>')], 'text/plain; charset=utf-8'],
  ])('%j is %s', (bytes, mime) => {
    expect(detectMimeType(new Uint8Array(bytes))).toBe(mime);
  });
  it('looks only at the first 3072 bytes (binary bytes after them do not matter)', () => {
    const b = new Uint8Array(4000).fill(0x61);
    b[3500] = 0;
    expect(detectMimeType(b)).toBe('text/plain; charset=utf-8');
    b[3000] = 0;
    expect(detectMimeType(b)).toBe('application/octet-stream');
  });
  it('a UTF-8 rune cut by the 3072-byte limit still counts as utf-8', () => {
    const b = utf8('a'.repeat(3071) + 'é' + 'x');
    expect(detectMimeType(b)).toBe('text/plain; charset=utf-8');
  });
});
