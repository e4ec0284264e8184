/**
 * A small strict XML reader for the tests (no XML library is installed): it
 * refuses a document that is not well-formed (unclosed or mismatched tags, a
 * bare `&` or `<` in text, two roots, duplicate attributes) and returns the tree.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, where: number): string {
  return text.replace(/&([^;\s&<]*);?/g, (match, name: string) => {
    if (!match.endsWith(';')) throw new Error(`bare & at ${where}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    const value = ENTITIES[name];
    if (value === undefined) throw new Error(`unknown entity &${name}; at ${where}`);
    return value;
  });
}

const NAME = /^[A-Za-z_:][\w:.-]*/;

export function parseXml(source: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const skip = (pattern: RegExp) => {
    const m = pattern.exec(source.slice(i));
    if (m) i += m[0].length;
  };
  skip(/^\uFEFF?/);
  skip(/^<\?xml[^?]*\?>/);
  while (i < source.length) {
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end === -1) throw new Error('unclosed comment');
      i = end + 3;
      continue;
    }
    if (source.startsWith('<?', i)) throw new Error(`processing instruction at ${i}`);
    if (source.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_:][\w:.-]*)\s*>/.exec(source.slice(i));
      if (!m) throw new Error(`bad end tag at ${i}`);
      const open = stack.pop();
      if (!open || open.name !== m[1]) throw new Error(`</${m[1]}> closes <${open?.name ?? 'nothing'}> at ${i}`);
      i += m[0].length;
      continue;
    }
    if (source[i] === '<') {
      i++;
      const name = NAME.exec(source.slice(i))?.[0];
      if (!name) throw new Error(`bad tag at ${i}`);
      i += name.length;
      const element: XmlElement = { name, attributes: {}, children: [], text: '' };
      for (;;) {
        skip(/^\s+/);
        if (source.startsWith('/>', i) || source[i] === '>') break;
        const attribute = /^([A-Za-z_:][\w:.-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(source.slice(i));
        if (!attribute) throw new Error(`bad attribute in <${name}> at ${i}`);
        if (attribute[1]! in element.attributes) throw new Error(`duplicate attribute ${attribute[1]} in <${name}>`);
        element.attributes[attribute[1]!] = decode(attribute[3] ?? attribute[4] ?? '', i);
        i += attribute[0].length;
      }
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(element);
      else if (root) throw new Error('two root elements');
      else root = element;
      if (source.startsWith('/>', i)) {
        i += 2;
      } else {
        i += 1;
        stack.push(element);
      }
      continue;
    }
    const end = source.indexOf('<', i);
    const text = source.slice(i, end === -1 ? source.length : end);
    const parent = stack[stack.length - 1];
    if (!parent) {
      if (text.trim()) throw new Error(`text outside the root at ${i}`);
    } else {
      if (text.includes('>') && text.includes(']]>')) throw new Error(`]]> in text at ${i}`);
      parent.text += decode(text, i);
    }
    i = end === -1 ? source.length : end;
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (!root) throw new Error('no root element');
  return root;
}

export const childrenNamed = (element: XmlElement, name: string) => element.children.filter((c) => c.name === name);
export const childNamed = (element: XmlElement, name: string) => element.children.find((c) => c.name === name);
export const narrativeOf = (element: XmlElement | undefined) => (element ? (childNamed(element, 'narrative')?.text.trim() ?? '') : '');
