import { EngineError } from '../../common/engine-error.js';
import type { Ports } from '../../ports/index.js';
import { loadTree, type NginxTree } from '../load.js';
import { findNginxBinary, nginxTestTree } from '../validate.js';

/**
 * The edited tree parses again and passes the real `nginx -t` (on a temporary copy). When it
 * does not, the unedited tree is tested too, so a configuration that was already broken is
 * named as such instead of blamed on the plan.
 */
export async function checkEdits(tree: NginxTree, overrides: ReadonlyMap<string, string>, nginxBinOption: string | undefined, pendingCerts: ReadonlySet<string>, ports: Pick<Ports, 'fs' | 'process'>): Promise<{ validation: { tool: 'nginx -t'; ok: true; output: string }; nginxBin: string }> {
  // Only the edited files are parsed again; every other file is the one already read.
  const reread = await loadTree(tree.mainPath, { overrides, parsed: tree.files, fs: ports.fs });
  if (!reread.ok) throw new Error(`edited configuration does not parse: ${JSON.stringify(reread.problem)}`);
  const nginxBin = findNginxBinary(nginxBinOption);
  if (nginxBin === null) throw new EngineError('NGINX_BINARY_NOT_FOUND', { path: nginxBinOption ?? 'nginx' }, {});
  const edited = new Set(overrides.keys());
  const result = await nginxTestTree(reread.tree, { nginxBin, pendingCerts, edited, process: ports.process });
  // nginx that did not run judged nothing: never blame the configuration for it.
  if (result.notRun !== undefined) throw new EngineError('NGINX_TEST_NOT_RUN', { path: nginxBin, reason: result.notRun }, { path: nginxBin, reason: result.notRun });
  if (!result.ok) {
    const baseline = await nginxTestTree(tree, { nginxBin, pendingCerts, process: ports.process });
    if (baseline.notRun !== undefined) throw new EngineError('NGINX_TEST_NOT_RUN', { path: nginxBin, reason: baseline.notRun }, { path: nginxBin, reason: baseline.notRun });
    if (!baseline.ok) throw new EngineError('NGINX_CONF_BROKEN', { output: baseline.output }, { output: baseline.output });
    throw new EngineError('NGINX_TEST_FAILED', { output: result.output }, { output: result.output });
  }
  return { validation: { tool: 'nginx -t', ok: true, output: result.output }, nginxBin };
}
