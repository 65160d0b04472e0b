/**
 * A tiny XML 1.0 well-formedness checker and tree reader for tests of the junit.xml and
 * badge.svg writers (internal). It checks what a CI system's XML parser would reject: the Char
 * production (§2.2, including character references), names, attribute quoting and uniqueness,
 * entity references (only the five predefined ones), tag nesting, a single root element.
 * No DTDs, no namespaces processing. Throws Error with the offset on the first problem.
 * @module
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Concatenated decoded text directly inside this element. */
  text: string;
}

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

function checkChars(s: string, base: number): void {
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    if (cp >= 0xd800 && cp <= 0xdfff) throw new Error(`offset ${base + i}: unpaired surrogate U+${cp.toString(16)}`);
    if (!isXmlChar(cp)) throw new Error(`offset ${base + i}: character U+${cp.toString(16)} is not an XML Char`);
    if (cp > 0xffff) i++;
  }
}

function decode(s: string, base: number): string {
  if (s.includes('<')) throw new Error(`offset ${base}: '<' in text or attribute value`);
  return s.replace(/&([^;&]*)(;?)/g, (_m, ref: string, semi: string) => {
    if (semi !== ';') throw new Error(`offset ${base}: '&' not starting a reference`);
    if (ref in PREDEFINED) return PREDEFINED[ref]!;
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    if (m === null) throw new Error(`offset ${base}: unknown entity &${ref};`);
    const cp = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
    if (!isXmlChar(cp)) throw new Error(`offset ${base}: character reference &${ref}; is not an XML Char`);
    return String.fromCodePoint(cp);
  });
}

/** Parses `xml`, throwing on the first well-formedness error; returns the root element. */
export function parseXml(xml: string): XmlElement {
  checkChars(xml, 0);
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end < 0) throw new Error('unterminated XML declaration');
    i = end + 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    if (text !== '') {
      const decoded = decode(text, i);
      if (stack.length === 0) {
        if (decoded.trim() !== '') throw new Error(`offset ${i}: text outside the root element`);
      } else {
        stack[stack.length - 1]!.text += decoded;
      }
    }
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) throw new Error(`offset ${i}: unterminated comment`);
      if (xml.slice(i + 4, end).includes('--')) throw new Error(`offset ${i}: '--' inside a comment`);
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', i)) {
      if (stack.length === 0) throw new Error(`offset ${i}: CDATA outside the root`);
      const end = xml.indexOf(']]>', i);
      if (end < 0) throw new Error(`offset ${i}: unterminated CDATA`);
      stack[stack.length - 1]!.text += xml.slice(i + 9, end);
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i);
      if (end < 0) throw new Error(`offset ${i}: unterminated processing instruction`);
      i = end + 2;
      continue;
    }
    if (xml.startsWith('<!', i)) throw new Error(`offset ${i}: DTDs are not expected`);
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      if (m === null) throw new Error(`offset ${i}: bad end tag`);
      const name = m[0];
      let j = i + 2 + name.length;
      while (/\s/.test(xml[j] ?? '')) j++;
      if (xml[j] !== '>') throw new Error(`offset ${j}: expected '>' in end tag`);
      const open = stack.pop();
      if (open === undefined || open.name !== name) throw new Error(`offset ${i}: </${name}> does not close <${open?.name ?? '(nothing)'}>`);
      i = j + 1;
      continue;
    }
    // Start tag.
    const m = NAME.exec(xml.slice(i + 1));
    if (m === null) throw new Error(`offset ${i}: bad start tag`);
    const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
    let j = i + 1 + el.name.length;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(j))![0].length;
      j += ws;
      if (xml.startsWith('/>', j) || xml[j] === '>') break;
      if (ws === 0) throw new Error(`offset ${j}: expected whitespace before attribute`);
      const an = NAME.exec(xml.slice(j));
      if (an === null) throw new Error(`offset ${j}: bad attribute name`);
      j += an[0].length;
      while (/\s/.test(xml[j] ?? '')) j++;
      if (xml[j] !== '=') throw new Error(`offset ${j}: expected '=' after ${an[0]}`);
      j++;
      while (/\s/.test(xml[j] ?? '')) j++;
      const q = xml[j];
      if (q !== '"' && q !== "'") throw new Error(`offset ${j}: attribute value not quoted`);
      const end = xml.indexOf(q, j + 1);
      if (end < 0) throw new Error(`offset ${j}: unterminated attribute value`);
      if (an[0] in el.attrs) throw new Error(`offset ${j}: duplicate attribute ${an[0]}`);
      el.attrs[an[0]] = decode(xml.slice(j + 1, end), j + 1);
      j = end + 1;
    }
    const selfClosing = xml.startsWith('/>', j);
    i = j + (selfClosing ? 2 : 1);
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root === null) root = el;
    else throw new Error(`offset ${i}: a second root element <${el.name}>`);
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  if (root === null) throw new Error('no root element');
  return root;
}

/** All descendants (and self) named `name`, depth-first. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = el.name === name ? [el] : [];
  for (const c of el.children) out.push(...findAll(c, name));
  return out;
}
