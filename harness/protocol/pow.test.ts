/**
 * Tests for pow.ts: the pow_test.go known answers (spec/formats.md §9), the vault proof of §6.3,
 * the text/JSON forms and their parse errors, and a differential check of the fast search loop
 * against a naive bigint implementation built on @noble/hashes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  formatProofOfWork,
  generateWorkData,
  parseProofOfWork,
  parseProofOfWorkJson,
  proofOfWorkToJson,
  searchPow,
  solvePow,
  verifyPow,
} from './pow.ts';
import { classOf } from './_hostile.ts';

/** Naive oracle: big-integer comparison exactly as Go's IsValid writes it. */
function naiveValid(bits: number, data: Uint8Array, proof: bigint): boolean {
  const pre = new Uint8Array([...data, ...new TextEncoder().encode(proof.toString(16))]);
  const h = sha256(sha256(pre));
  const n = BigInt('0x' + Buffer.from(h).toString('hex'));
  return n < 1n << BigInt(256 - bits);
}
function naiveSolve(bits: number, data: Uint8Array, start: bigint): bigint {
  for (let c = start; ; c++) if (naiveValid(bits, data, c)) return c;
}

describe('pow known answers (pow_test.go)', () => {
  it('solvePow finds 149 as the first 8-bit proof of "john@example!" counting from 0', () => {
    expect(solvePow(8, 'john@example!')).toBe(149n);
  });
  it('verifyPow accepts proof 98 for "jane@example!" at 8 bits, and 98 is the first such proof', () => {
    expect(verifyPow(8, 'jane@example!', 98n)).toBe(true);
    expect(verifyPow(8, 'jane@example!', 98)).toBe(true);
    expect(solvePow(8, 'jane@example!')).toBe(98n);
  });
  it('verifyPow rejects proof 12431241 for "john@example!" at 8 bits', () => {
    expect(verifyPow(8, 'john@example!', 12431241n)).toBe(false);
  });
  it('verifyPow rejects New(22, "foo", 0)', () => {
    expect(verifyPow(22, 'foo', 0n)).toBe(false);
  });
  it('the §6.3 vault proof 27$…$43776839 for the address hash of test30! is valid', () => {
    const s = '27$YmY2ZjAyMDA1ZDZiMTQxMGRiYjE1ZWZjYmJjY2NjNjUyMDBiMjMzZWJlMWY3MTFiMGNmNDk1MDdlYTFiYTI1Mw==$43776839';
    const p = parseProofOfWork(s);
    expect(p.bits).toBe(27);
    expect(p.dataText).toBe('bf6f02005d6b1410dbb15efcbbcccc65200b233ebe1f711b0cf49507ea1ba253');
    expect(p.proof).toBe(43776839n);
    expect(verifyPow(p.bits, p.data, p.proof)).toBe(true);
    expect(verifyPow(27, p.dataText, 43776838n)).toBe(false);
    expect(formatProofOfWork(p)).toBe(s);
  });
  it('generateWorkData with an all-0x01 random source is AQEB…AQE=', () => {
    expect(generateWorkData({ bytes: (n) => new Uint8Array(n).fill(1) })).toBe('AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=');
  });
});

describe('pow text and JSON forms', () => {
  it('formats (8, "john@example!", 149) as 8$am9obkBleGFtcGxlIQ==$149 and JSON-quotes it', () => {
    const p = { bits: 8, data: 'john@example!', proof: 149n };
    expect(formatProofOfWork(p)).toBe('8$am9obkBleGFtcGxlIQ==$149');
    expect(proofOfWorkToJson(p)).toBe('"8$am9obkBleGFtcGxlIQ==$149"');
  });
  it('parses the text and JSON forms back to the same values', () => {
    for (const p of [parseProofOfWork('8$am9obkBleGFtcGxlIQ==$149'), parseProofOfWorkJson('"8$am9obkBleGFtcGxlIQ==$149"')]) {
      expect(p.bits).toBe(8);
      expect(p.dataText).toBe('john@example!');
      expect(p.proof).toBe(149n);
    }
  });
  it.each([
    '8$am9obkBleGFtcGxlI',
    '3$a$1',
    '8$a$b',
    'abc$am9obkBleGFtcGxlIQ==$149',
    '7$am9obkBleGFtcGxlIQ==$foobar',
    '',
    '$$',
    '8$$',
    '8$am9obkBleGFtcGxlIQ==$1$2',
    '8$am9obkBleGFtcGxlIQ==$9223372036854775808',
    '8$am9obkBleGFtcGxlIQ==$ 1',
    '8$am9obkBleGFtcGxlIQ==$+',
  ])('parseProofOfWork rejects %j with InvalidProof', (s) => {
    expect(classOf(() => parseProofOfWork(s))).toBe('InvalidProof');
  });
  it.each(['{111111}', '"fooobar"', '111', 'null', '["8$am9obkBleGFtcGxlIQ==$149"]'])('parseProofOfWorkJson rejects %s with InvalidProof', (s) => {
    expect(classOf(() => parseProofOfWorkJson(s))).toBe('InvalidProof');
  });
  it('keeps Go Atoi quirks: a "+" sign is accepted and a negative proof wraps to uint64', () => {
    expect(parseProofOfWork('+8$am9obkBleGFtcGxlIQ==$+149').proof).toBe(149n);
    expect(parseProofOfWork('8$am9obkBleGFtcGxlIQ==$-1').proof).toBe((1n << 64n) - 1n);
    expect(parseProofOfWork('8$$0').data.length).toBe(0);
  });
  it('a proof at or above 2^63 formats but does not parse back, as in Go (Atoi is int64)', () => {
    const s = formatProofOfWork({ bits: 8, data: 'x', proof: 1n << 63n });
    expect(s).toBe('8$eA==$9223372036854775808');
    expect(classOf(() => parseProofOfWork(s))).toBe('InvalidProof');
  });
  it('round-trips the text form for any bits, data bytes and proof below 2^63', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 256 }), fc.uint8Array({ maxLength: 80 }), fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), (bits, data, proof) => {
        const s = formatProofOfWork({ bits, data, proof });
        const p = parseProofOfWork(s);
        expect(p.bits).toBe(bits);
        expect(Buffer.from(p.data).equals(Buffer.from(data))).toBe(true);
        expect(p.proof).toBe(proof);
        expect(formatProofOfWork(p)).toBe(s);
      }),
      { numRuns: 200 },
    );
  });
});

describe('pow search', () => {
  it('solvePow agrees with a naive bigint search for random data, difficulty and start', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 70 }), fc.integer({ min: 0, max: 9 }), fc.bigInt({ min: 0n, max: 1n << 40n }), (data, bits, start) => {
        const p = solvePow(bits, data, start);
        expect(p).toBe(naiveSolve(bits, data, start));
        expect(verifyPow(bits, data, p)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
  it('the in-place hex counter carries correctly across digit-count boundaries', () => {
    for (const start of [0n, 0xen, 0xfn, 0xfen, 0xffn, 0xfffn, 0xfffffffn, (1n << 62n) - 3n]) {
      expect(solvePow(6, 'carry', start)).toBe(naiveSolve(6, new TextEncoder().encode('carry'), start));
    }
  });
  it('verifyPow agrees with the naive check at every difficulty 0..256', () => {
    fc.assert(
      fc.property(fc.string(), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 256 }), (data, proof, bits) => {
        expect(verifyPow(bits, data, proof)).toBe(naiveValid(bits, new TextEncoder().encode(data), proof));
      }),
      { numRuns: 300 },
    );
  });
  it('a 16-bit proof is found and verified, and every earlier counter fails', () => {
    const p = solvePow(16, 'bf6f02005d6b1410dbb15efcbbcccc65200b233ebe1f711b0cf49507ea1ba253');
    expect(verifyPow(16, 'bf6f02005d6b1410dbb15efcbbcccc65200b233ebe1f711b0cf49507ea1ba253', p)).toBe(true);
    for (let c = 0n; c < p; c += 97n) expect(verifyPow(16, 'bf6f02005d6b1410dbb15efcbbcccc65200b233ebe1f711b0cf49507ea1ba253', c)).toBe(false);
  });
  it('searchPow gives up after maxTries counters and, sliced, finds the same first proof as solvePow', () => {
    // "john@example!" at 8 bits: 149 is the first proof (pow_test.go), so 149 tries find nothing.
    expect(searchPow(8, 'john@example!', 0n, 149)).toBeUndefined();
    expect(searchPow(8, 'john@example!', 0n, 150)).toBe(149n);
    const data = 'bf6f02005d6b1410dbb15efcbbcccc65200b233ebe1f711b0cf49507ea1ba253';
    let start = 0n, found: bigint | undefined;
    while ((found = searchPow(12, data, start, 333)) === undefined) start += 333n;
    expect(found).toBe(solvePow(12, data));
  });
  it('searchPow refuses a maxTries that is not a positive integer', () => {
    for (const m of [0, -1, 1.5, NaN]) expect(classOf(() => searchPow(8, 'x', 0n, m))).toBe('InvalidInput');
  });
  it('bits 0 accepts every proof and solvePow returns the start', () => {
    expect(solvePow(0, 'x', 12345n)).toBe(12345n);
    expect(verifyPow(0, 'x', (1n << 64n) - 1n)).toBe(true);
  });
});

describe('pow hostile inputs', () => {
  const hostile: unknown[] = [undefined, null, NaN, Infinity, -1, 1.5, 257, '8', {}, [], 2n ** 70n, -1n, Symbol.iterator];
  it('verifyPow/solvePow throw InvalidInput (never crash, never answer) for bad bits, data or proof', () => {
    for (const h of hostile) {
      if (!(typeof h === 'number' && Number.isInteger(h) && h >= 0 && h <= 256)) {
        expect(classOf(() => verifyPow(h as number, 'x', 1n))).toBe('InvalidInput');
        expect(classOf(() => solvePow(h as number, 'x'))).toBe('InvalidInput');
      }
      if (typeof h !== 'string') expect(classOf(() => verifyPow(8, h as string, 1n))).toBe('InvalidInput');
      if (!(typeof h === 'number' && Number.isSafeInteger(h) && h >= 0)) {
        expect(classOf(() => verifyPow(8, 'x', h as bigint))).toBe('InvalidInput');
        if (h !== undefined) expect(classOf(() => solvePow(8, 'x', h as bigint))).toBe('InvalidInput');
      }
      if (typeof h !== 'string') {
        expect(classOf(() => parseProofOfWork(h as string))).toBe('InvalidInput');
        expect(classOf(() => parseProofOfWorkJson(h as string))).toBe('InvalidInput');
      }
      expect(classOf(() => formatProofOfWork(h as never))).toBe('InvalidInput');
    }
  });
  it('solvePow refuses a start at or beyond Go loop bound 2^63-1', () => {
    expect(classOf(() => solvePow(8, 'x', (1n << 63n) - 1n))).toBe('InvalidInput');
  });
});
