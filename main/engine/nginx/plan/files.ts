import { EngineError } from '../../common/engine-error.js';
import { ownedFileText, ownedState } from '../../common/owned-file.js';
import { realPathInside } from '../../common/inside-tree.js';
import { unifiedDiff } from '../../common/unified-diff.js';
import type { Node } from '../ast.js';
import { appendLines, MARKER } from '../edit.js';
import { MAX_CONF_BYTES, type NginxTree } from '../load.js';
import { sha256Hex as sha256, type FilePort } from '../../ports/index.js';
import { fileBytes, printFile } from '../print.js';
import type { Located } from '../query.js';
import type { FileEdit } from '../../../../shared/contract/plan.js';
import { text, type Draft } from './draft.js';

/**
 * The owned include file (<confdir>/wss-setup/<name>.conf) with the profile's body, and the one
 * include line for it inside http { } when the configuration has none yet. Refuses to overwrite
 * an owned file the admin edited. Returns the edit (null when the file already says this) and
 * the text nginx -t must read for it.
 */
export async function ownedFile(draft: Draft, tree: NginxTree, http: Located, profile: string, ownedPath: string, ownedRef: string, fs: Pick<FilePort, 'lstat' | 'readText'>): Promise<{ edit: FileEdit | null; text: string } | null> {
  if (draft.owned === null) return null;
  const content = ownedFileText(profile, `${draft.owned.join('\n')}\n`);
  // Our own file: never through a link, only a regular file (the port refuses anything else).
  const before = (await fs.lstat(ownedPath)) === null ? null : await fs.readText(ownedPath, { maxBytes: MAX_CONF_BYTES });
  if (before !== null) {
    const state = ownedState(before);
    if (state !== 'ours') throw new EngineError('NGINX_OWNED_FILE_EDITED', { path: ownedPath }, { path: ownedPath, state });
  }
  const hasInclude = [...draft.work.files.values()].some((file) => hasIncludeOf(file.nodes, [ownedRef, ownedPath]));
  if (!hasInclude) {
    appendLines(draft.work.files.get(http.file)!, http.directive, http.directive.block!, [`include ${ownedRef}; ${MARKER}`]);
    draft.touched.set(http.file, text('plan.reason.include', { file: ownedRef }));
  }
  if (before === content) return { edit: null, text: content };
  return {
    text: content,
    edit: {
      path: insideTree(tree, ownedPath),
      action: before === null ? 'create' : 'modify',
      kind: 'nginx',
      beforeSha256: before === null ? null : sha256(before),
      afterSha256: sha256(content),
      content,
      encoding: 'utf8',
      lineEnding: 'lf',
      diff: unifiedDiff(before ?? '', content, before === null ? '/dev/null' : `a${ownedPath}`, `b${ownedPath}`),
      owned: true,
      // nginx (its master runs as root) reads it; the admin may read it too. Never a secret inside.
      mode: 0o644,
      reason: text('plan.reason.owned', { profile }),
    },
  };
}

/**
 * The admin's files edited in place: only files inside the configuration tree, only when they
 * changed. Each edit names the real file; `texts` holds the new text by the path nginx opens.
 */
export function touchedFiles(draft: Draft, tree: NginxTree): { edits: FileEdit[]; texts: Map<string, string> } {
  const edits: FileEdit[] = [];
  const texts = new Map<string, string>();
  for (const [path, reason] of draft.touched) {
    const original = tree.files.get(path)!;
    const edited = draft.work.files.get(path)!;
    const before = printFile(original);
    const after = printFile(edited);
    if (before === after) continue;
    const real = insideTree(tree, path);
    texts.set(path, after);
    edits.push({
      path: real,
      action: 'modify',
      kind: 'nginx',
      beforeSha256: sha256(fileBytes(original)),
      afterSha256: sha256(fileBytes(edited)),
      content: after,
      encoding: edited.encoding,
      lineEnding: lineEndingOf(before),
      diff: unifiedDiff(before, after, `a${real}`, `b${real}`),
      owned: false,
      reason,
    });
  }
  return { edits, texts };
}

/** Is there an include of one of `targets` anywhere in these nodes? */
function hasIncludeOf(nodes: readonly Node[], targets: readonly string[]): boolean {
  return nodes.some((n) => n.kind === 'directive' && ((n.name === 'include' && n.block === null && targets.includes(n.args[0]?.value ?? '')) || (n.block !== null && n.opaque === null && hasIncludeOf(n.block, targets))));
}

/** The real path of a file the plan edits; refuses any file outside the configuration tree. */
function insideTree(tree: NginxTree, path: string): string {
  const { real, inside } = realPathInside(tree.confDir, path);
  if (!inside) throw new EngineError('NGINX_EDIT_OUTSIDE_TREE', { path, real, confDir: tree.confDir }, { path, real, confDir: tree.confDir });
  return real;
}

/** The line endings a file has: new lines follow them. */
function lineEndingOf(content: string): FileEdit['lineEnding'] {
  const crlf = content.split('\r\n').length - 1;
  const lf = content.split('\n').length - 1;
  return crlf === 0 ? 'lf' : crlf === lf ? 'crlf' : 'mixed';
}
