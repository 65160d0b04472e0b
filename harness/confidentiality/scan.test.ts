// The confidentiality scanner (harness/confidentiality/scan.ts) finds the canary in each form it
// promises, at the right offset, and nothing in data without it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canaryNeedles, describeHit, scanBytes, tarFiles } from './scan.ts';

const CANARY = 'bmcanary-7f3a9c21d4e8b605';
const needles = canaryNeedles(CANARY);
const noise = (n: number, seed = 7) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + seed * 17) % 251));

/** `inner` placed at offset 100 of noise. */
const planted = (inner: Buffer) => Buffer.concat([noise(100), inner, noise(100, 3)]);

describe('confidentiality scanner', () => {
  it('finds nothing in data without the canary, nor a near miss (one character changed)', () => {
    expect(scanBytes(noise(10_000), needles, 'f')).toEqual([]);
    expect(scanBytes(planted(Buffer.from(CANARY.replace('7f3a', '7f3b'))), needles, 'f')).toEqual([]);
  });

  it.each([
    ['raw', Buffer.from(CANARY)],
    ['hex', Buffer.from(Buffer.from(CANARY).toString('hex'))],
    ['HEX', Buffer.from(Buffer.from(CANARY).toString('hex').toUpperCase())],
    ['utf-16le', Buffer.from(CANARY, 'utf16le')],
    ['utf-16be', Buffer.from(CANARY, 'utf16le').swap16()],
  ])('finds the canary stored %s, at its offset', (encoding, bytes) => {
    const hits = scanBytes(planted(bytes), needles, 'data/file');
    expect(hits.map((h) => [h.encoding, h.offset])).toContainEqual([encoding, 100]);
  });

  it.each([0, 1, 2])('finds the canary base64- and base64url-encoded %i bytes into a longer value', (lead) => {
    // A JSON-ish field holding prefix + canary + suffix, encoded as a whole.
    const value = Buffer.concat([Buffer.from('xyz'.slice(0, lead)), Buffer.from(CANARY), Buffer.from('-tail')]);
    for (const enc of ['base64', 'base64url'] as const) {
      const hits = scanBytes(planted(Buffer.from(value.toString(enc))), needles, 'f');
      // Forms that encode alike are searched once, under the first name: either is the right answer.
      expect(hits.map((h) => h.encoding), `${enc} lead ${lead}`).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^base64(url)?\\+${lead}$`))]));
    }
  });

  it('finds the canary inside a zlib stream and a gzip stream, naming the stream', () => {
    const z = scanBytes(planted(deflateSync(Buffer.from(`subject: ${CANARY}`))), needles, 'blob');
    expect(z.map(describeHit)).toContain('blob offset 9 (raw, inside zlib@100)');
    const g = scanBytes(planted(gzipSync(Buffer.from(Buffer.from(CANARY).toString('base64')))), needles, 'blob');
    expect(g.some((h) => h.inside[0] === 'gzip@100' && h.encoding === 'base64+0')).toBe(true);
  });

  it('refuses a canary too short or not printable ASCII', () => {
    expect(() => canaryNeedles('short')).toThrow(RangeError);
    expect(() => canaryNeedles('bmcanary-ü-0123456789')).toThrow(RangeError);
  });

  it('reads the regular files of a tar archive (what docker cp … - writes), long names included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bm-tar-'));
    try {
      const long = `${'d'.repeat(60)}/${'e'.repeat(60)}`;
      mkdirSync(join(dir, 'src', long), { recursive: true });
      writeFileSync(join(dir, 'src', 'a.txt'), 'alpha');
      writeFileSync(join(dir, 'src', long, 'b.bin'), noise(1500));
      // GNU long-name entries, and PAX path records (Go's archive/tar, which docker uses, writes PAX).
      for (const format of ['gnu', 'pax']) {
        const files = tarFiles(execFileSync('tar', ['-c', `--format=${format}`, '-C', dir, 'src']));
        expect(files.map((f) => f.path).sort(), format).toEqual(['src/a.txt', `src/${long}/b.bin`]);
      }
      const files = tarFiles(execFileSync('tar', ['-c', '--format=pax', '-C', dir, 'src']));
      expect(files.find((f) => f.path === 'src/a.txt')!.data.toString()).toBe('alpha');
      expect(Buffer.compare(files.find((f) => f.path.endsWith('b.bin'))!.data, noise(1500))).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
