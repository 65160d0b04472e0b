import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GoMap, goMap, goMarshal, goMarshalBytes, goMarshalIndent, goQuote, omitEmpty, jsonText, parseJsonLossless, toWellFormed, type GoValue } from './gojson.ts';
import { InvalidInput } from './errors.ts';

// Expected strings below are Go encoding/json (Go 1.16–1.21, HTML escaping on) outputs per spec §4.5.
describe('goQuote: Go string escaping (§4.5)', () => {
  it('escapes every C0 control as Go does: \\n \\r \\t short, the rest \\u00xx (incl. \\b, \\f)', () => {
    for (let c = 0; c < 0x20; c++) {
      const exp = c === 0x0a ? '\\n' : c === 0x0d ? '\\r' : c === 0x09 ? '\\t' : '\\u00' + c.toString(16).padStart(2, '0');
      expect(goQuote(String.fromCharCode(c))).toBe(`"${exp}"`);
    }
  });

  it('escapes " and \\ and the HTML characters < > & as \\u003c \\u003e \\u0026; leaves / and DEL raw', () => {
    expect(goQuote('"\\')).toBe('"\\"\\\\"');
    expect(goQuote('<a href="x">&</a>')).toBe('"\\u003ca href=\\"x\\"\\u003e\\u0026\\u003c/a\\u003e"');
    expect(goQuote('/\x7f')).toBe('"/\x7f"');
  });

  it('leaves every other printable ASCII character raw', () => {
    for (let c = 0x20; c < 0x7f; c++) {
      const ch = String.fromCharCode(c);
      if ('"\\<>&'.includes(ch)) continue;
      expect(goQuote(ch)).toBe(`"${ch}"`);
    }
  });

  it('escapes U+2028/U+2029 and writes other non-ASCII (incl. astral pairs) as raw UTF-8', () => {
    expect(goQuote('a\u2028b\u2029c')).toBe('"a\\u2028b\\u2029c"');
    expect(goQuote('é€😀\u0085\ufeff')).toBe('"é€😀\u0085\ufeff"');
    expect(Buffer.from(goMarshalBytes('😀')).toString('hex')).toBe('22f09f988022');
  });

  it('BM-JSON-005 writes an unpaired surrogate (Go: invalid UTF-8) as the escape text \\ufffd', () => {
    expect(goQuote('a\ud800b')).toBe('"a\\ufffdb"');
    expect(goQuote('\udc00')).toBe('"\\ufffd"');
    expect(goQuote('\ud800')).toBe('"\\ufffd"');
    expect(goQuote('\ud83d\ude00\ud83d')).toBe('"😀\\ufffd"');
  });

  it('agrees with JSON.parse on every string (round trip modulo unpaired surrogates)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(JSON.parse(goQuote(s))).toBe(toWellFormed(s));
      }),
      { numRuns: 300 },
    );
  });
});

describe('goMarshal: structs, maps, omitempty, bytes, integers', () => {
  it('writes struct fields in insertion order and skips undefined (omitempty)', () => {
    expect(goMarshal({ b: 1, a: 'x', c: undefined, d: null })).toBe('{"b":1,"a":"x","d":null}');
  });

  it('omitEmpty drops "", 0, 0n, false, null, [] , empty bytes and empty maps; keeps structs and non-empty values', () => {
    for (const v of ['', 0, 0n, false, null, [], new Uint8Array(0), goMap({})]) expect(omitEmpty(v)).toBeUndefined();
    for (const v of ['a', 1, 1n, true, [0], new Uint8Array(1), goMap({ a: 1 }), {}]) expect(omitEmpty(v)).toBe(v);
    expect(goMarshal({ s: omitEmpty(''), n: omitEmpty(0), m: omitEmpty(goMap({})), k: omitEmpty('v') })).toBe('{"k":"v"}');
  });

  it('sorts GoMap keys by UTF-8 bytes, not UTF-16 units (U+FFFF before U+10000)', () => {
    const m = goMap({ b: 1, a: 2, B: 3, '\u{10000}': 4, '\uffff': 5, é: 6, '': 7 });
    expect(goMarshal(m)).toBe('{"":7,"B":3,"a":2,"b":1,"é":6,"\uffff":5,"\u{10000}":4}');
  });

  it('keeps one entry per GoMap key (last value wins) and escapes map keys like strings', () => {
    expect(goMarshal(new GoMap([['k', 1], ['k', 2]]))).toBe('{"k":2}');
    expect(goMarshal(goMap({ '<&>': 1 }))).toBe('{"\\u003c\\u0026\\u003e":1}');
  });

  it('writes Uint8Array as standard base64 with padding, empty as "", and null as null', () => {
    expect(goMarshal({ a: new Uint8Array([0xfb, 0xff]), b: new Uint8Array(0), c: null })).toBe('{"a":"+/8=","b":"","c":null}');
    expect(goMarshal(new TextEncoder().encode('foobar'))).toBe('"Zm9vYmFy"');
  });

  it('writes integers exactly (bigint beyond 2^53, uint64 max) and refuses floats and unsafe numbers', () => {
    expect(goMarshal([0, -0, 42, -7, 2n ** 64n - 1n, 9007199254740993n])).toBe('[0,0,42,-7,18446744073709551615,9007199254740993]');
    expect(() => goMarshal(1.5)).toThrow(InvalidInput);
    expect(() => goMarshal(2 ** 60)).toThrow(/bigint/);
    expect(() => goMarshal(NaN)).toThrow(InvalidInput);
  });

  it('refuses undefined outside an object field and non-JSON types', () => {
    expect(() => goMarshal(undefined)).toThrow(InvalidInput);
    expect(() => goMarshal([undefined])).toThrow(InvalidInput);
    expect(() => goMarshal((() => 1) as unknown as null)).toThrow(InvalidInput);
  });

  it('refuses a JS Map (it has no Go form) and nesting deeper than 256 (a cycle)', () => {
    expect(() => goMarshal(new Map([['a', 1]]) as unknown as GoValue)).toThrow(/goMap/);
    const cyclic: Record<string, GoValue> = {};
    cyclic.self = cyclic;
    expect(() => goMarshal(cyclic)).toThrow(/nested deeper than 256/);
  });
});

describe('goMarshal with plainJs: the adapter wire, any JSON an answer may hold', () => {
  it('writes floats, unsafe numbers, undefined outside a field and a JS Map as JavaScript does', () => {
    const v = [1.5, 2 ** 60, -0, undefined, new Map<string, GoValue>([['z', 1], ['a', undefined], ['b', 2n]])] as unknown as GoValue;
    expect(goMarshal(v, { plainJs: true })).toBe('[1.5,1152921504606847000,0,null,{"z":1,"b":2}]');
    expect(goMarshal(undefined, { plainJs: true })).toBe('null');
  });

  it('keeps the Go forms: sorted GoMap, base64 bytes, exact bigint, Go string quoting', () => {
    expect(goMarshal({ m: goMap({ b: 1, a: 2 }), k: new Uint8Array([0xfb, 0xff]), n: 2n ** 64n - 1n, s: '<\u2028>' }, { plainJs: true }))
      .toBe('{"m":{"a":2,"b":1},"k":"+/8=","n":18446744073709551615,"s":"\\u003c\\u2028\\u003e"}');
  });

  it('still refuses NaN, Infinity, functions and cycles with InvalidInput', () => {
    for (const v of [NaN, Infinity, -Infinity, () => 1]) expect(() => goMarshal(v as unknown as GoValue, { plainJs: true })).toThrow(InvalidInput);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => goMarshal(cyclic as GoValue, { plainJs: true })).toThrow(InvalidInput);
  });
});

describe('jsonText: report and message JSON, never hashed', () => {
  it('is JSON.stringify with a bigint as its decimal string, so JSON.parse keeps it exact', () => {
    const v = { n: 2n ** 64n - 1n, s: '<a>', list: [1, undefined], f: 1.5 };
    expect(jsonText(v)).toBe('{"n":"18446744073709551615","s":"<a>","list":[1,null],"f":1.5}');
    expect(jsonText({ a: [] }, 2)).toBe(JSON.stringify({ a: [] }, null, 2));
    expect(jsonText(undefined)).toBeUndefined();
    expect(() => JSON.stringify(v)).toThrow(TypeError);
  });
});

describe('goMarshalIndent: json.MarshalIndent(v, "", indent)', () => {
  it('indents nested structs and arrays with ": " and keeps empty {} and [] compact', () => {
    const v = { a: 1, b: [1, { c: 'x' }], e: {}, f: [], g: goMap({}), h: null, s: 'a,b:{c}[d]"e' };
    expect(goMarshalIndent(v)).toBe(
      '{\n  "a": 1,\n  "b": [\n    1,\n    {\n      "c": "x"\n    }\n  ],\n  "e": {},\n  "f": [],\n  "g": {},\n  "h": null,\n  "s": "a,b:{c}[d]\\"e"\n}',
    );
  });

  it('uses the given indent string and leaves scalars unchanged', () => {
    expect(goMarshalIndent({ a: [true] }, '\t')).toBe('{\n\t"a": [\n\t\ttrue\n\t]\n}');
    expect(goMarshalIndent('x')).toBe('"x"');
    expect(goMarshalIndent({})).toBe('{}');
    expect(goMarshalIndent([])).toBe('[]');
  });

  it('re-parses to the same value as the compact form', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const clean = JSON.parse(JSON.stringify(v), (_k, x) => (typeof x === 'number' && !Number.isSafeInteger(x) ? 0 : x));
        expect(JSON.parse(goMarshalIndent(clean))).toEqual(JSON.parse(goMarshal(clean)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseJsonLossless', () => {
  it('keeps integers above 2^53 exact as bigint and safe integers as numbers', () => {
    expect(parseJsonLossless('[9007199254740991, 9007199254740993, 18446744073709551615, -9007199254740993]')).toEqual([
      9007199254740991, 9007199254740993n, 18446744073709551615n, -9007199254740993n,
    ]);
    expect(goMarshal(parseJsonLossless('{"serial":18446744073709551615}') as never)).toBe('{"serial":18446744073709551615}');
  });

  it('lets the last duplicate key win, as Go decoding into a map', () => {
    expect(parseJsonLossless('{"a":1,"b":2,"a":{"x":3}}')).toEqual({ a: { x: 3 }, b: 2 });
  });

  it('keeps "__proto__" as an ordinary own key', () => {
    const v = parseJsonLossless('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.hasOwn(v, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('turns an unpaired surrogate escape into U+FFFD as Go does, and keeps valid pairs', () => {
    expect(parseJsonLossless('"\\ud800"')).toBe('\ufffd');
    expect(parseJsonLossless('"\\udc00x\\ud83d\\ude00"')).toBe('\ufffdx😀');
    expect(parseJsonLossless('"\\ud800\\ud800\\udc00"')).toBe('\ufffd\u{10000}');
  });

  it.each(['', '{', '{"a"}', '[1,]', '{"a":1,}', "{'a':1}", '01', '1 2', 'tru', '"\\x"', '"a\nb"', 'NaN', '[' .repeat(600)])(
    'rejects %j with InvalidInput',
    (t) => {
      expect(() => parseJsonLossless(t)).toThrow(InvalidInput);
    },
  );

  it('agrees with JSON.parse on safe JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (v) => {
        const text = JSON.stringify(v);
        const parsed = JSON.parse(text, (_k, x) => (typeof x === 'string' ? toWellFormed(x) : x));
        const mine = parseJsonLossless(text);
        expect(JSON.stringify(mine, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))).toBe(JSON.stringify(parsed));
      }),
      { numRuns: 200 },
    );
  });
});
