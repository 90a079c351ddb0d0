import type { ConfFile, Directive, Node } from './ast.js';
import type { NginxTree } from './load.js';
import { parseText, unescapeToken } from './parse.js';
import { printFile } from './print.js';

/** The comment that marks every line wss-setup wrote, so the admin can see what was ours. */
export const MARKER = '# managed by wss-setup';

/** A deep copy of a tree, so edits never touch the tree that was read. */
export function cloneTree(tree: NginxTree): NginxTree {
  const files = new Map<string, ConfFile>();
  for (const [path, file] of tree.files) files.set(path, cloneFile(file));
  return { mainPath: tree.mainPath, confDir: tree.confDir, files };
}

/** A deep copy of one file's nodes (written out: several times faster than structuredClone on large trees). */
export function cloneFile(file: ConfFile): ConfFile {
  return { path: file.path, nodes: cloneNodes(file.nodes), trailing: file.trailing, encoding: file.encoding };
}

function cloneNodes(nodes: readonly Node[]): Node[] {
  return nodes.map((n): Node => {
    if (n.kind === 'comment') return { kind: 'comment', ws: n.ws, text: n.text, line: n.line };
    const copy: Directive = {
      kind: 'directive',
      ws: n.ws,
      name: n.name,
      args: n.args.map((a) => ({ ws: a.ws, raw: a.raw, value: a.value })),
      endWs: n.endWs,
      block: n.block === null ? null : cloneNodes(n.block),
      closeWs: n.closeWs,
      opaque: n.opaque,
      line: n.line,
    };
    if (n.resolved !== undefined) copy.resolved = [...n.resolved];
    return copy;
  });
}

/** Parses text we generated; a failure is a bug in wss-setup, never the admin's input. */
function parseSnippet(text: string): Node[] {
  const parsed = parseText(text, '<generated>');
  if (!parsed.ok) throw new Error(`generated nginx text does not parse: ${parsed.problem.reason} at line ${parsed.problem.line}`);
  return parsed.file.nodes;
}

const lastLine = (ws: string): string => {
  const at = ws.lastIndexOf('\n');
  return at < 0 ? '' : ws.slice(at + 1);
};

/** The indentation of a block's own lines, guessed from its children or from its owner. */
export function childIndent(owner: Directive | null, siblings: readonly Node[]): string {
  for (const node of siblings) {
    if (node.ws.includes('\n')) return lastLine(node.ws);
  }
  const base = owner === null ? '' : lastLine(owner.ws);
  const unit = base.includes('\t') ? '\t' : '    ';
  return owner === null ? '' : base + unit;
}

/** Is the node at `index` marked as ours (a marker comment right after it on the same line, or first in its block)? */
function isMarked(nodes: readonly Node[], index: number): boolean {
  const node = nodes[index];
  if (node === undefined || node.kind !== 'directive') return false;
  if (node.block !== null && node.opaque === null) {
    const first = node.block[0];
    if (first?.kind === 'comment' && !first.ws.includes('\n') && first.text.includes(MARKER.slice(2))) return true;
  }
  const next = nodes[index + 1];
  return next?.kind === 'comment' && !next.ws.includes('\n') && next.text.includes(MARKER.slice(2));
}

/** The line ending a file mostly uses ("\r\n" for a CRLF file): lines we add follow it. */
export function eolOf(file: ConfFile): '\n' | '\r\n' {
  const text = printFile(file);
  const all = text.split('\n').length - 1;
  const crlf = text.split('\r\n').length - 1;
  return all > 0 && crlf * 2 > all ? '\r\n' : '\n';
}

/**
 * Appends generated lines (nginx text, one statement per line, nested blocks allowed)
 * to a block of `file` (or its top when `owner` is null), indented like their siblings and
 * ended like the file's other lines (CRLF in a CRLF file).
 */
export function appendLines(file: ConfFile, owner: Directive | null, nodes: Node[], lines: readonly string[]): void {
  const eol = eolOf(file);
  const indent = childIndent(owner, nodes);
  const unit = indent.includes('\t') ? '\t' : '    ';
  const text = lines.map((l) => indent + l.replace(/^(\s+)/, (m) => unit.repeat(Math.round(m.replace(/\t/g, '    ').length / 4)))).join(eol);
  const snippet = parseSnippet(text);
  if (snippet.length === 0) return;
  snippet[0]!.ws = `${eol}${indent}`;
  nodes.push(...snippet);
  if (owner !== null && !owner.closeWs.includes('\n')) owner.closeWs = `${eol}${lastLine(owner.ws)}`;
  if (owner === null && !file.trailing.includes('\n')) file.trailing = eol;
}

/** Replaces a directive's arguments (raw tokens we generated) and marks it, unless already marked. */
export function setArgs(nodes: Node[], index: number, rawArgs: readonly string[]): void {
  const directive = nodes[index] as Directive;
  directive.args = rawArgs.map((raw) => ({ ws: ' ', raw, value: unescapeToken(raw) }));
  directive.endWs = '';
  if (!isMarked(nodes, index)) nodes.splice(index + 1, 0, { kind: 'comment', ws: ' ', text: MARKER, line: directive.line });
}

export const sameValues = (d: Directive, rawArgs: readonly string[]): boolean =>
  d.args.length === rawArgs.length && d.args.every((a, k) => a.value === unescapeToken(rawArgs[k]!));
