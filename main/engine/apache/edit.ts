import type { ApacheTree } from './load.js';
import type { ConfFile, Directive, Node, Section } from './ast.js';
import { parseText } from './parse.js';

/**
 * The comment that marks what wss-setup wrote. httpd has no comments after a directive, so the
 * marker is a line of its own right above each line wss-setup added or changed.
 */
export const MARKER = '# managed by wss-setup';

/** A deep copy of a tree, so edits never touch the tree that was read. */
export function cloneTree(tree: ApacheTree): ApacheTree {
  const files = new Map<string, ConfFile>();
  for (const [path, file] of tree.files) files.set(path, structuredClone(file));
  return { ...tree, files };
}

/** The line ending a file mostly uses (new lines follow it). */
export function eolOf(nodes: readonly Node[]): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  const count = (list: readonly Node[]) => {
    for (const n of list) {
      if (n.eol === '\r\n') crlf++;
      else if (n.eol === '\n') lf++;
      if (n.kind === 'section') {
        count(n.children);
        if (n.close.eol === '\r\n') crlf++;
        else if (n.close.eol === '\n') lf++;
      }
    }
  };
  count(nodes);
  return crlf > lf ? '\r\n' : '\n';
}

export function lineEndingOf(text: string): 'lf' | 'crlf' | 'mixed' {
  const crlf = (text.match(/\r\n/g) ?? []).length;
  const lf = (text.match(/\n/g) ?? []).length - crlf;
  return crlf > 0 && lf > 0 ? 'mixed' : crlf > 0 ? 'crlf' : 'lf';
}

const indentOf = (raw: string) => /^[ \t]*/.exec(raw)![0];

/** The indentation of a section's own lines: from its children, else its opener plus four spaces (or a tab). */
export function childIndent(section: Section | null, siblings: readonly Node[]): string {
  for (const node of siblings) if (node.kind !== 'blank') return indentOf(node.raw);
  if (section === null) return '';
  const base = indentOf(section.raw);
  return base + (base.includes('\t') ? '\t' : '    ');
}

/** Parses lines wss-setup generated; a failure is a bug in wss-setup, never the admin's input. */
export function snippet(lines: readonly string[], indent: string, eol: string): Node[] {
  const text = lines.map((l) => (l === '' ? '' : indent + l) + eol).join('');
  const parsed = parseText(text, '<generated>');
  if (!parsed.ok) throw new Error(`generated Apache text does not parse: ${parsed.problem.reason} at line ${parsed.problem.line}`);
  return parsed.file.nodes;
}

/** Inserts generated lines (each directive preceded by the marker line) at `index` of a node list. */
export function insertMarked(nodes: Node[], index: number, section: Section | null, lines: readonly string[], eol: string): void {
  const marked = lines.flatMap((l) => (l.startsWith('#') || l.startsWith('</') || l === '' ? [l] : [MARKER, l]));
  nodes.splice(index, 0, ...snippet(marked, childIndent(section, nodes), eol));
}

/** Appends generated lines at the end of a section (before its closing line) or of a file. */
export function appendMarked(nodes: Node[], section: Section | null, lines: readonly string[], eol: string): void {
  let index = nodes.length;
  while (index > 0 && nodes[index - 1]!.kind === 'blank' && section !== null) index--;
  // The last line of a file without a final newline gets one, so the new lines start on their own.
  const last = nodes[nodes.length - 1];
  if (section === null && last !== undefined && last.eol === '' && last.kind !== 'section') last.eol = eol;
  if (section === null && last?.kind === 'section' && last.close.eol === '') last.close.eol = eol;
  insertMarked(nodes, index, section, lines, eol);
}

/** Is the node at `index` marked as ours (the marker line right above it)? */
export function isMarked(nodes: readonly Node[], index: number): boolean {
  const above = nodes[index - 1];
  return above?.kind === 'comment' && above.raw.trim() === MARKER;
}

/** Rewrites a directive's line (keeping its indentation) and marks it, unless already marked. */
export function setDirective(nodes: Node[], index: number, text: string, eol: string): void {
  const node = nodes[index] as Directive;
  const [fresh] = snippet([text], indentOf(node.raw), node.eol === '' ? '' : node.eol);
  const d = fresh as Directive;
  node.raw = d.raw;
  node.name = d.name;
  node.args = d.args;
  delete node.expanded;
  if (!isMarked(nodes, index)) nodes.splice(index, 0, ...snippet([MARKER], indentOf(node.raw), eol));
}

/** Turns `#LoadModule x_module path` into `LoadModule x_module path` in place, marked. */
export function uncomment(nodes: Node[], index: number, eol: string): void {
  const node = nodes[index]!;
  const m = /^([ \t]*)#[ \t]*(.*)$/s.exec(node.raw)!;
  const [fresh] = snippet([m[2]!], m[1]!, node.eol);
  nodes[index] = fresh!;
  if (!isMarked(nodes, index)) nodes.splice(index, 0, ...snippet([MARKER], m[1]!, eol));
}

/** Apache quoting for a generated argument: plain when it has no space, quote, or backslash. */
export const quoteArg = (value: string): string => (/^[^\s"'\\<>]+$/.test(value) ? value : `"${value.replace(/["\\]/g, '\\$&')}"`);
