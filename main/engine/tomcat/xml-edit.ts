import { escapeAttribute, type XmlDocument, type XmlElement } from './xml-document.js';

/**
 * Edits collected against one parsed document and applied as splices of its text, so only
 * the bytes of the touched elements change. Ranges of one edit session must not overlap
 * (each change targets a different attribute or a gap between elements).
 */
export interface Splice {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export class XmlEditor {
  private readonly splices: Splice[] = [];
  constructor(readonly doc: XmlDocument) {}

  /** Sets an attribute: the value is replaced inside its quotes, or the attribute is added after the last one. */
  setAttribute(el: XmlElement, name: string, value: string): void {
    const existing = el.attributes.find((a) => a.name === name);
    if (existing !== undefined) {
      if (existing.value === value) return;
      this.splices.push({ start: existing.valueStart, end: existing.valueEnd, text: escapeAttribute(value, existing.quote) });
      return;
    }
    const quote = el.attributes[0]?.quote ?? '"';
    const last = el.attributes[el.attributes.length - 1];
    const at = last !== undefined ? last.end : el.start + 1 + el.name.length;
    this.splices.push({ start: at, end: at, text: `${this.attributeGap(el)}${name}=${quote}${escapeAttribute(value, quote)}${quote}` });
  }

  /** Removes an attribute and the white space before it. */
  removeAttribute(el: XmlElement, name: string): void {
    const a = el.attributes.find((x) => x.name === name);
    if (a === undefined) return;
    let from = a.start;
    while (from > 0 && /[ \t\r\n]/.test(this.doc.text[from - 1]!)) from--;
    this.splices.push({ start: from, end: a.end, text: '' });
  }

  /** Inserts markup as a new child line of `parent`, after `after` (or as its first child), indented like its siblings. */
  insertChild(parent: XmlElement, markup: string, after: XmlElement | null): void {
    const indent = this.childIndent(parent);
    const eol = this.doc.eol;
    const body = markup
      .split('\n')
      .map((line, k) => (k === 0 || line === '' ? line : indent + line))
      .join(eol);
    if (after !== null) {
      this.splices.push({ start: after.end, end: after.end, text: `${eol}${indent}${body}` });
      return;
    }
    if (parent.selfClosing) {
      // <X a="1" /> becomes <X a="1"> … </X>: only the closing "/>" (and blanks before it) is replaced.
      let from = parent.startTagEnd - 2;
      while (from > parent.start && /[ \t\r\n]/.test(this.doc.text[from - 1]!)) from--;
      const own = this.indentOf(parent.start);
      const childIndent = own + (own.includes('\t') ? '\t' : '  ');
      const childBody = markup
        .split('\n')
        .map((line, k) => (k === 0 || line === '' ? line : childIndent + line))
        .join(eol);
      this.splices.push({ start: from, end: parent.startTagEnd, text: `>${eol}${childIndent}${childBody}${eol}${own}</${parent.name}>` });
      return;
    }
    this.splices.push({ start: parent.startTagEnd, end: parent.startTagEnd, text: `${eol}${indent}${body}` });
  }

  /** Replaces a whole element (start tag to end tag) by new markup, indented like it. */
  replaceElement(el: XmlElement, markup: string): void {
    const indent = this.indentOf(el.start);
    const body = markup
      .split('\n')
      .map((line, k) => (k === 0 || line === '' ? line : indent + line))
      .join(this.doc.eol);
    this.splices.push({ start: el.start, end: el.end, text: body });
  }

  /** Replaces the content between an element's start and end tags. */
  replaceContent(el: XmlElement, content: string): void {
    if (el.selfClosing) throw new Error('cannot replace the content of a self-closing element');
    this.splices.push({ start: el.startTagEnd, end: el.endTagStart, text: content });
  }

  get changed(): boolean {
    return this.splices.length > 0;
  }

  /** The edited text (the original when nothing was changed). */
  result(): string {
    const sorted = [...this.splices].sort((a, b) => b.start - a.start || b.end - a.end);
    let text = this.doc.text;
    let limit = Infinity;
    for (const s of sorted) {
      if (s.end > limit) throw new Error('overlapping edits');
      text = text.slice(0, s.start) + s.text + text.slice(s.end);
      limit = s.start;
    }
    return text;
  }

  /** White space of the line holding `index`, up to the first non-blank character. */
  indentOf(index: number): string {
    const lineStart = this.doc.text.lastIndexOf('\n', index - 1) + 1;
    const m = /^[ \t]*/.exec(this.doc.text.slice(lineStart, index));
    return m?.[0] ?? '';
  }

  /** Indentation of children of `parent`: that of its first child, else its own plus two spaces. */
  childIndent(parent: XmlElement): string {
    const first = parent.children[0];
    if (first !== undefined) return this.indentOf(first.start);
    const own = this.indentOf(parent.start);
    return own + (own.includes('\t') ? '\t' : '  ');
  }

  /** The separator written before a new attribute: like the one before the last attribute. */
  private attributeGap(el: XmlElement): string {
    const last = el.attributes[el.attributes.length - 1];
    if (last === undefined) return ' ';
    const before = el.attributes.length > 1 ? el.attributes[el.attributes.length - 2]!.end : el.start + 1 + el.name.length;
    const gap = this.doc.text.slice(before, last.start);
    return gap.includes('\n') ? gap : ' ';
  }
}
