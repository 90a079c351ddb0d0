import type { ConfFile, Node } from './ast.js';

/** Prints nodes exactly as they were read (plus whatever an edit changed). */
export function printNodes(nodes: readonly Node[]): string {
  let out = '';
  for (const node of nodes) {
    out += node.raw + node.eol;
    if (node.kind === 'section') out += printNodes(node.children) + node.close.raw + node.close.eol;
  }
  return out;
}

export const printFile = (file: ConfFile): string => printNodes(file.nodes);

export const fileBytes = (file: ConfFile): Buffer => Buffer.from(printFile(file), file.encoding);
