import { describe, expect, it } from 'vitest';
import { fixtureResult, HOSTILE } from './fixture.ts';
import { findAll, parseXml } from './_wellformed.ts';
import { reportJunit } from './junit.ts';

describe('junit.xml', () => {
  const xml = reportJunit(fixtureResult());
  const root = parseXml(xml);

  it('junit.xml of a run with hostile strings is well-formed XML 1.0', () => {
    expect(root.name).toBe('testsuites');
  });

  it('the well-formedness check itself rejects what a CI parser rejects', () => {
    expect(() => parseXml('<a>\u0001</a>')).toThrow(/XML Char/);
    expect(() => parseXml('<a>&#1;</a>')).toThrow(/XML Char/);
    expect(() => parseXml('<a>\uD800</a>')).toThrow(/surrogate/);
    expect(() => parseXml('<a>&nbsp;</a>')).toThrow(/entity/);
    expect(() => parseXml('<a>x & y</a>')).toThrow(/reference/);
    expect(() => parseXml('<a><b></a></b>')).toThrow(/close/);
    expect(() => parseXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseXml('<a x=1/>')).toThrow(/quoted/);
    expect(() => parseXml('<a/><b/>')).toThrow(/second root/);
    expect(() => parseXml('<a x="<"/>')).toThrow(/'<'/);
    expect(parseXml('<?xml version="1.0"?>\n<a x="&lt;&#x41;">t&amp;<b/></a>\n').attrs.x).toBe('<A');
  });

  it('there is one testsuite per profile with counts matching its test cases', () => {
    const suites = findAll(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['library', 'server', 'resolver']);
    const lib = suites[0]!;
    expect(lib.attrs).toMatchObject({ tests: '5', failures: '2', errors: '0', skipped: '1' });
    const srv = suites[1]!;
    expect(srv.attrs).toMatchObject({ tests: '2', failures: '1', errors: '0', skipped: '1' });
    expect(suites[2]!.attrs).toMatchObject({ tests: '1', errors: '1' });
    expect(root.attrs).toMatchObject({ tests: '8', failures: '3', errors: '1', skipped: '2' });
  });

  it('a failure carries the message and the expected-vs-actual diff; xpass is a failure, xfail and unsupported are skipped', () => {
    const cases = findAll(root, 'testcase');
    const byName = new Map(cases.map((c) => [c.attrs.name!, c]));
    const fail = byName.get('library › header › BM-HDR-002 › tc2')!;
    const f = findAll(fail, 'failure')[0]!;
    expect(f.attrs.message).toBe('client signature did not verify');
    expect(f.text).toContain('--- expected');
    expect(f.text).toContain('-  "valid": true,');
    expect(f.text).toContain('+  "valid": false,');
    expect(f.text).toContain('replay: npx bm-conformance run');
    expect(findAll(fail, 'system-out')[0]!.text).toContain('< {"id":1,"result":{"valid":false}}');
    expect(findAll(byName.get('server › errors › BM-SRV-002 › double-json')!, 'failure')[0]!.attrs.type).toBe('xpass');
    expect(findAll(byName.get('server › box › BM-SRV-001 › delete-box')!, 'skipped')[0]!.attrs.message).toMatch(/^expected failure: route regex/);
    expect(findAll(byName.get('library › vault › BM-VLT-001 › v1')!, 'skipped')[0]!.attrs.message).toMatch(/^unsupported/);
    expect(findAll(byName.get('resolver › record › BM-RES-001 › delete-missing')!, 'error')).toHaveLength(1);
    expect(byName.get('library › address › BM-ADR-001 › normalise-1')!.children).toHaveLength(0);
  });

  it('hostile text comes back intact except for control characters and lone surrogates, which are shown as \\u{..}', () => {
    const evil = findAll(root, 'testcase').find((c) => c.attrs.name === 'library › hostile › BM-HDR-001 › evil')!;
    const msg = findAll(evil, 'failure')[0]!.attrs.message!;
    expect(msg).toContain('<script>alert("x")</script> & \'q\' "dq" \\u{00}\\u{07}\\u{1B}[31m \u2028\u2029 \\u{D800} ]]>');
  });

  it('run metadata (seed, vector manifest hash, target, implementation) is in the properties', () => {
    const props = Object.fromEntries(findAll(findAll(root, 'testsuite')[0]!, 'property').map((p) => [p.attrs.name, p.attrs.value]));
    expect(props.seed).toBe('00112233445566778899aabbccddeeff');
    expect(props.vectors).toBe(`vectors/manifest.json sha256:${'a'.repeat(64)}`);
    expect(props['target.image_digest']).toBe(`sha256:${'b'.repeat(64)}`);
    expect(props['target.implementation']).toBe('go-bitmaelum-suite 95952d1 (go)');
    expect(HOSTILE.length).toBeGreaterThan(0);
  });
});
