import { describe, expect, it } from 'vitest';
import { goToLower, isValidAddress, organisationHash, parseAddress } from './address.ts';
import { EMPTY_HASH } from './hash.ts';
import { InvalidAddress } from './errors.ts';

describe('address (§2.2, §2.3 address_test.go)', () => {
  it('joshua@bitmaelum! has the Go hash, local hash and org hash', () => {
    const a = parseAddress('joshua@bitmaelum!');
    expect(a.hash).toBe('6b024a4e51c0c4a30c3750115c66be776253880bb4af0f313e3bf2236e808840');
    expect(a.localHash).toBe('fc52fabe94c0e037d2df4498e87481a6438960c9f73d517584a7a5c564535ac4');
    expect(a.orgHash).toBe('49aa67181f4a3176f9b65605390bb81126e8ff1f6d03b1bd220c53e7a6b36d3e');
    expect(a.address).toBe('joshua@bitmaelum!');
    expect([a.local, a.org]).toEqual(['joshua', 'bitmaelum']);
  });

  it('joshua! has the Go hash and the empty org hash', () => {
    const a = parseAddress('joshua!');
    expect(a.hash).toBe('66c94b6643ada5661b2d940eb87502b5af0f47f40fd45ce0fa125502dfa9c1ee');
    expect(a.orgHash).toBe(EMPTY_HASH);
    expect(a.org).toBe('');
  });

  it.each([
    ['example!', '2244643da7475120bf84d744435d15ea297c36ca165ea0baaa69ec818d0e952f'],
    ['jaytaph!', '88667a68d0976d6c9106d4a68b4097026f0daeaec1aeb8351b096637679cf350'],
    ['bitmaelum!', 'dcc59b2c83ea86f1fd4d82f54acebfb083283553ef798380b18a0b5e512e668b'],
    ['hello@bitmaelum!', 'f3828fb0917561b49b2229953110e65785228f5302973ee52208a76bffc26aee'],
    ['hello@example!', 'a5098c40c4b7e272403f94d752026f45faeab26b4d67804c887969461b032074'],
    ['from!', '4f16cf359aeca741b5516b2c8609919e9f0008b66beb97209fbc694d7f272e08'],
    ['john!', '41141d23ae5b3f0a6c027c98dc6e32c02cb079eebf3f2111e565a48139dc01bc'],
    ['john@example!', '16d0a463eb0be0514246e65b6b2d74c96d876bd1531f3bc095ac4b9f0b26d71c'],
  ])('%s hashes to the Go KAT', (s, h) => {
    expect(parseAddress(s).hash).toBe(h);
  });

  it('jay! and jay@org! have the Go local/org/address hashes', () => {
    const j = parseAddress('jay!');
    expect(j.localHash).toBe('bfef4adc39f01b033fe749bb5f28f10b581fef319d34445d21a7bc63fe732fa3');
    expect(j.hash).toBe('e3c57837799cbbcaea93913a5ce9d05c21abd5ce0eb0e583c7ee19533d0b8d4b');
    const o = parseAddress('jay@org!');
    expect(o.orgHash).toBe('e87cb45c05ad389d58904ea398345c24b50f46c15d412d0f671e66b766247d39');
    expect(o.hash).toBe('7e0f626bc680f4e79c950132bf34bc90bc21233a5649b11355278893501eb5b9');
  });

  it.each(['ja.y@org!', 'j.a.y@org!', 'j.a.y@o..rg!', 'j.a.y@o..r---g!', 'j.a.y@o..r-..--g.....!', 'JAY@ORG!', 'J-A-Y@O.R.G!'])(
    '%s normalises to exactly jay@org! with the same hashes',
    (s) => {
      const a = parseAddress(s);
      expect(a.address).toBe('jay@org!');
      expect(a.hash).toBe('7e0f626bc680f4e79c950132bf34bc90bc21233a5649b11355278893501eb5b9');
    },
  );

  const L64 = 'y' + 'jay'.repeat(21);
  it.each(['jay!', 'jay@org!', 'ja.y@org!', 'j.a.y@org!', 'j.a.y@o..rg!', 'j.a.y@o..r---g!', 'j1234!', '1ja!', 'abc@de!', `${L64}!`, `${L64}@${L64}!`])(
    '%s is a valid address',
    (s) => {
      expect(L64.length).toBe(64);
      expect(isValidAddress(s)).toBe(true);
      expect(() => parseAddress(s)).not.toThrow();
    },
  );

  it.each(['jay', 'j!', 'ja!', '1!', 'jay-@o$rg!', '@@org!', '@org!', 'ab@de!', 'abc@d!', `${L64}x!`, `${L64}x@${L64}!`, `${L64}@${L64}x!`, `${L64}x@${L64}x!`, '', 'jay!\n', ' jay!', 'jay@org!!', 'ja_y!', 'jäy!'])(
    '%j is rejected with InvalidAddress',
    (s) => {
      expect(isValidAddress(s)).toBe(false);
      expect(() => parseAddress(s)).toThrow(InvalidAddress);
    },
  );

  it('lower-cases rune by rune like Go: U+0130 → i and U+212A (Kelvin) → k make valid addresses', () => {
    expect(goToLower('\u0130')).toBe('i');
    expect('\u0130'.toLowerCase()).toBe('i\u0307'); // what JS full-string lowering would do instead
    expect(parseAddress('\u0130AY@ORG!').address).toBe('iay@org!');
    expect(parseAddress('\u212Aay!').address).toBe('kay!');
    // Final-sigma context is a SpecialCasing rule Go does not apply; per-rune lowering keeps σ.
    expect(goToLower('ΑΣ')).toBe('ασ');
    expect(goToLower('ΑΣ'.toLowerCase())).toBe('ας');
  });

  it('rejects non-string input with an InvalidInput naming the field', () => {
    expect(() => parseAddress(42 as unknown as string)).toThrow(/address/);
    expect(isValidAddress(null)).toBe(false);
  });

  it('BM-ADDR-007 organisationHash is the single hash.New(org): foo → 2c26b46b…', () => {
    expect(organisationHash('foo')).toBe('2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae');
  });
});
