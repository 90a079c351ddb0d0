import { SaxesParser } from 'saxes';

/**
 * A position-carrying view of an XML document, for editing by splicing the original text.
 * saxes checks well-formedness and reports where every tag ends (a plain index into the
 * string); the attribute ranges are read from the tag's own text. Nothing is re-serialised,
 * so comments, entity references, quoting, attribute order, white space and line endings
 * stay exactly as written.
 */
export interface XmlAttribute {
  readonly name: string;
  /** Value with entity and character references replaced (what Tomcat sees). */
  readonly value: string;
  /** Value as written between the quotes. */
  readonly raw: string;
  readonly quote: '"' | "'";
  /** Start of the attribute name. */
  readonly start: number;
  /** First character after the value's first quote. */
  readonly valueStart: number;
  /** Index of the value's closing quote. */
  readonly valueEnd: number;
  /** One past the closing quote. */
  readonly end: number;
  /** 1-based line of the attribute name. */
  readonly line: number;
}

export interface XmlElement {
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: XmlElement[];
  readonly parent: XmlElement | null;
  /** Index of "<" of the start tag. */
  readonly start: number;
  /** One past ">" of the start tag. */
  readonly startTagEnd: number;
  /** Index of "<" of the end tag (= startTagEnd for a self-closing element). */
  endTagStart: number;
  /** One past the last ">" of the element. */
  end: number;
  readonly selfClosing: boolean;
  /** 1-based line of the start tag. */
  readonly line: number;
}

export interface XmlDocument {
  readonly text: string;
  readonly root: XmlElement;
  /** Line ending used by most lines; new lines are written with it. */
  readonly eol: '\n' | '\r\n';
  readonly lineEnding: 'lf' | 'crlf' | 'mixed';
  /** Names of entities declared in the internal DOCTYPE subset. */
  readonly entities: readonly string[];
}

export interface XmlSyntaxError {
  readonly line: number;
  readonly column: number;
  /** saxes' message without its position prefix. */
  readonly detail: string;
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Entities declared in a DOCTYPE's internal subset: internal ones with their text, external ones as empty. */
function declaredEntities(doctype: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!ENTITY\s+(%\s+)?([^\s%]+)\s+(?:(["'])([\s\S]*?)\3|(?:SYSTEM|PUBLIC)\b[^>]*)\s*>/g;
  for (let m = re.exec(doctype); m !== null; m = re.exec(doctype)) {
    if (m[1] !== undefined) continue;
    out.set(m[2]!, m[4] ?? '');
  }
  return out;
}

/** A function giving the 1-based line of an index of `text` (line starts computed once). */
export function lineIndex(text: string): (index: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

export function parseXml(text: string): { ok: true; doc: XmlDocument } | { ok: false; error: XmlSyntaxError } {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const lineAt = lineIndex(text);
  let error: XmlSyntaxError | null = null;
  const entities = new Map<string, string>();
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  parser.on('error', (e) => {
    error ??= { line: parser.line, column: parser.column, detail: e.message.replace(/^\d+:\d+: /, '') };
  });
  parser.on('doctype', (doctype) => {
    for (const [name, value] of declaredEntities(doctype)) {
      entities.set(name, value);
      parser.ENTITIES[name] = value;
    }
  });
  parser.on('opentag', (tag) => {
    if (error !== null) return;
    const tagEnd = parser.position;
    const start = text.lastIndexOf('<', tagEnd - 1);
    const parent = stack[stack.length - 1] ?? null;
    const element: XmlElement = {
      name: tag.name,
      attributes: readAttributes(text, start + 1 + tag.name.length, tagEnd, entities, lineAt),
      children: [],
      parent,
      start,
      startTagEnd: tagEnd,
      endTagStart: tagEnd,
      end: tagEnd,
      selfClosing: tag.isSelfClosing,
      line: lineAt(start),
    };
    if (parent === null) root = element;
    else parent.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    if (error !== null) return;
    const element = stack.pop();
    if (element === undefined) return;
    if (!element.selfClosing) {
      element.end = parser.position;
      element.endTagStart = text.lastIndexOf('</', element.end - 1);
    }
  });
  try {
    parser.write(text).close();
  } catch (e) {
    error ??= { line: parser.line, column: parser.column, detail: (e as Error).message.replace(/^\d+:\d+: /, '') };
  }
  if (error !== null) return { ok: false, error };
  if (root === null) return { ok: false, error: { line: parser.line, column: parser.column, detail: 'document must contain a root element.' } };
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1 - crlf;
  const lineEnding = crlf > 0 && lf > 0 ? 'mixed' : crlf > 0 ? 'crlf' : 'lf';
  return { ok: true, doc: { text, root, eol: crlf > lf ? '\r\n' : '\n', lineEnding, entities: [...entities.keys()] } };
}

/** Attributes of a start tag (already checked well-formed by saxes), with their exact ranges. */
function readAttributes(text: string, from: number, tagEnd: number, entities: ReadonlyMap<string, string>, lineAt: (index: number) => number): XmlAttribute[] {
  const out: XmlAttribute[] = [];
  let i = from;
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  for (;;) {
    while (i < tagEnd && isSpace(text[i]!)) i++;
    const c = text[i];
    if (c === undefined || c === '>' || c === '/' || i >= tagEnd) break;
    const start = i;
    while (i < tagEnd && text[i] !== '=' && !isSpace(text[i]!)) i++;
    const name = text.slice(start, i);
    while (text[i] !== '"' && text[i] !== "'") i++;
    const quote = text[i] as '"' | "'";
    const valueStart = i + 1;
    const valueEnd = text.indexOf(quote, valueStart);
    const raw = text.slice(valueStart, valueEnd);
    out.push({ name, value: unescapeXml(raw, entities), raw, quote, start, valueStart, valueEnd, end: valueEnd + 1, line: lineAt(start) });
    i = valueEnd + 1;
  }
  return out;
}

/** An attribute value as the parser sees it: references replaced, white space normalised to spaces. */
export function unescapeXml(raw: string, entities: ReadonlyMap<string, string> = new Map(), depth = 0): string {
  return raw
    .replace(/\r\n|[\r\n\t]/g, ' ')
    .replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[^;\s&]+);/g, (whole, ref: string) => {
      if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
      if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
      const declared = entities.get(ref);
      // An entity's replacement text is parsed again where it is used (bounded: no entity bombs).
      if (declared !== undefined) return depth < 8 ? unescapeXml(declared, entities, depth + 1) : whole;
      return PREDEFINED[ref] ?? whole;
    });
}

/** A value written into an attribute quoted with `quote`. */
export function escapeAttribute(value: string, quote: '"' | "'" = '"'): string {
  let out = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
  out = quote === '"' ? out.replace(/"/g, '&quot;') : out.replace(/'/g, '&apos;');
  return out;
}

export const attr = (el: XmlElement, name: string): XmlAttribute | undefined => el.attributes.find((a) => a.name === name);

/** Every element named `name` under `el` (depth first, document order). */
export function descendants(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const child of e.children) {
      if (child.name === name) out.push(child);
      walk(child);
    }
  };
  walk(el);
  return out;
}
