import type { Lang } from '../../../../shared/contract/common.js';
import { t } from '../../../../shared/i18n/index.js';
import { EngineError } from '../../common/engine-error.js';
import { describeErrno } from '../../common/errno.js';
import type { FilePort } from '../../ports/index.js';
import { loadTree, type NginxTree } from '../load.js';

/** Reads the whole configuration tree, or refuses with the file and line nginx would name. */
export async function readTree(path: string, lang: Lang, fs: Pick<FilePort, 'readFile'>): Promise<NginxTree> {
  const loaded = await loadTree(path, { fs });
  if (loaded.ok) return loaded.tree;
  const p = loaded.problem;
  if (p.reason === 'file-unreadable') throw new EngineError('NGINX_CONF_UNREADABLE', { path: p.file, reason: describeErrno(p.detail, lang) }, { path: p.file, errno: p.detail });
  // An include that cannot be read says why in words: "<path> (<errno>)".
  const unreadable = p.reason === 'include-unreadable' ? /^(.*) \((\w+)\)$/.exec(p.detail) : null;
  const detail = unreadable !== null ? `${unreadable[1]} (${describeErrno(unreadable[2]!, lang)})` : p.detail;
  const reason = t(lang, `nginx.parse.${p.reason}`, { detail });
  throw new EngineError('NGINX_CONF_INVALID', { file: p.file, line: p.line, reason }, { file: p.file, line: p.line, reason: p.reason, detail: p.detail });
}
