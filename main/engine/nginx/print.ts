import type { ConfFile, Node } from './ast.js';

/** Prints nodes exactly as they were read (plus whatever an edit changed). */
export function printNodes(nodes: readonly Node[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'comment') {
      out += node.ws + node.text;
      continue;
    }
    out += node.ws + node.name;
    for (const arg of node.args) out += arg.ws + arg.raw;
    out += node.endWs;
    if (node.block === null) out += ';';
    else if (node.opaque !== null) out += `{${node.opaque}}`;
    else out += `{${printNodes(node.block)}${node.closeWs}}`;
  }
  return out;
}

export function printFile(file: ConfFile): string {
  return printNodes(file.nodes) + file.trailing;
}

export function fileBytes(file: ConfFile): Buffer {
  return Buffer.from(printFile(file), file.encoding);
}
