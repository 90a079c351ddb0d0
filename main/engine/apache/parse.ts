import type { CloseLine, ConfFile, Directive, FileEncoding, Node, ParseProblem, Section } from './ast.js';

export type ParseResult = { readonly ok: true; readonly file: ConfFile } | { readonly ok: false; readonly problem: ParseProblem };

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\f' || c === '\v';

/**
 * Splits a line into words the way httpd's ap_getword_conf does: whitespace separates words;
 * a word starting with " or ' runs to the matching quote (\" or \' and \\ unescaped inside);
 * outside quotes only \\ is unescaped. An unclosed quote takes the rest of the line.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  const n = line.length;
  for (;;) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) return words;
    const quote = line[i];
    let start: number;
    let end: number;
    let q = '';
    if (quote === '"' || quote === "'") {
      q = quote;
      start = i + 1;
      end = start;
      while (end < n && line[end] !== q) {
        if (line[end] === '\\' && (line[end + 1] === q || line[end + 1] === '\\')) end += 2;
        else end++;
      }
      i = end < n ? end + 1 : end;
    } else {
      start = i;
      end = i;
      while (end < n && !isSpace(line[end])) end++;
      i = end;
    }
    words.push(unescape(line.slice(start, end), q));
  }
}

function unescape(text: string, quote: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let k = 0; k < text.length; k++) {
    const c = text[k]!;
    const next = text[k + 1];
    if (c === '\\' && (next === '\\' || (quote !== '' && next === quote))) {
      out += next;
      k++;
    } else out += c;
  }
  return out;
}

/** The logical text httpd reads from a raw line: continuations joined, then trimmed. */
export function logicalText(raw: string): string {
  return raw.replace(/\\\r?\n/g, '').trim();
}

interface Frame {
  readonly section: Section | null;
  readonly nodes: Node[];
}

/**
 * Parses the text of one configuration file into a lossless tree, following httpd's reader
 * (ap_cfg_getline + ap_build_config): a backslash right before the line ending continues the
 * line (comments too), `#` starts a comment only as the first non-blank character, containers
 * open with `<Name args>` and close with `</Name>` (names compared without case). Never
 * throws: a broken file is returned as a problem with its file and line.
 */
export function parseText(text: string, path: string, encoding: FileEncoding = 'utf8'): ParseResult {
  const root: Node[] = [];
  const stack: Frame[] = [{ section: null, nodes: root }];
  const fail = (reason: ParseProblem['reason'], line: number, detail: string): ParseResult => ({ ok: false, problem: { file: path, line, reason, detail } });
  let pos = 0;
  let line = 1;
  const n = text.length;
  while (pos < n) {
    // One logical line: physical lines joined while a backslash precedes the line ending.
    const startLine = line;
    const start = pos;
    let contentEnd: number;
    let eol: string;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0) {
        contentEnd = n;
        eol = '';
        pos = n;
        break;
      }
      const beforeNl = nl > pos && text[nl - 1] === '\r' ? nl - 1 : nl;
      if (beforeNl > start && text[beforeNl - 1] === '\\' && nl + 1 < n) {
        pos = nl + 1;
        line++;
        continue;
      }
      contentEnd = beforeNl;
      eol = text.slice(beforeNl, nl + 1);
      pos = nl + 1;
      line++;
      break;
    }
    const raw = text.slice(start, contentEnd);
    const top = stack[stack.length - 1]!;
    const logical = logicalText(raw);
    if (logical === '') {
      top.nodes.push({ kind: 'blank', raw, eol, line: startLine });
      continue;
    }
    if (logical[0] === '#') {
      top.nodes.push({ kind: 'comment', raw, eol, line: startLine });
      continue;
    }
    if (logical.startsWith('</')) {
      const name = logical.slice(2).replace(/>$/, '').trim();
      if (top.section === null) return fail('unexpected-close', startLine, name);
      if (name.toLowerCase() !== top.section.name.toLowerCase()) return fail('section-mismatch', startLine, `${top.section.name}|${name}`);
      const close: CloseLine = { raw, eol, line: startLine };
      top.section.close = close;
      stack.pop();
      continue;
    }
    if (logical[0] === '<') {
      const parsed = sectionHead(logical);
      if (parsed === null) return fail('section-missing-gt', startLine, logical.split(/\s/)[0]!.slice(1));
      const section: Section = { kind: 'section', raw, eol, line: startLine, name: parsed.name, args: parsed.args, children: [], close: { raw: '', eol: '', line: 0 } };
      top.nodes.push(section);
      stack.push({ section, nodes: section.children });
      continue;
    }
    const words = splitWords(logical);
    const directive: Directive = { kind: 'directive', raw, eol, line: startLine, name: words[0]!, args: words.slice(1) };
    top.nodes.push(directive);
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1]!.section!;
    return fail('section-unclosed', open.line, open.name);
  }
  return { ok: true, file: { path, nodes: root, encoding } };
}

/** `<Name args>` → name and args; null when the closing `>` is missing. */
export function sectionHead(logical: string): { name: string; args: string[] } | null {
  if (!logical.endsWith('>')) return null;
  const inner = logical.slice(1, -1);
  const m = /^(\S*)([\s\S]*)$/.exec(inner)!;
  return { name: m[1]!, args: splitWords(m[2]!) };
}
