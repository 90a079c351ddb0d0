import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { linkDestination, type Plan } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import { loadTree, parseEnvvars } from './load.js';
import { apacheTestTree, apacheVersion, findApacheBinary } from './validate.js';

/**
 * httpd -t again at apply time, on a temporary copy holding the planned files (the machine's
 * configuration is not touched): the tree may have changed around the planned files since the plan
 * was made. The shape of apply's PlanValidator; null for plans that are not Apache's.
 */
export async function apachePlanValidator(plan: Plan, ctx: OpContext): Promise<{ readonly tool: string; readonly ok: boolean; readonly output: string } | null> {
  const edits = plan.files.filter((f) => f.kind === 'apache');
  const mainConf = plan.target.paths.mainConf;
  if (plan.target.kind !== 'apache' || edits.length === 0 || mainConf === undefined) return null;
  const bin = findApacheBinary(undefined);
  if (bin === null) return { tool: 'apachectl -t', ok: false, output: 'apache2/httpd binary not found' };
  const root = plan.target.paths.serverRoot ?? dirname(mainConf);
  const envvars = join(root, 'envvars');
  const env = existsSync(envvars) ? parseEnvvars(readFileSync(envvars, 'utf8')) : {};
  // A planned link reads as the file it leads to (read without following any further link).
  const overrides = new Map<string, string>();
  for (const f of edits) overrides.set(f.path, f.action === 'link' ? await ctx.ports.fs.readText(linkDestination(f.path, f.linkTarget!)).catch(() => '') : f.content);
  const loaded = await loadTree(mainConf, { env, serverRoot: root, version: await apacheVersion(ctx.ports, bin), overrides });
  if (!loaded.ok) return { tool: 'apachectl -t', ok: false, output: `${loaded.problem.file}:${loaded.problem.line}: ${loaded.problem.reason} ${loaded.problem.detail}` };
  const pendingCerts = plan.certificates.flatMap((c) => (c.kind !== 'use-existing' && c.outputs.pem !== undefined ? [{ cert: c.outputs.pem.certPath, key: c.outputs.pem.keyPath }] : []));
  const result = await apacheTestTree(ctx.ports, loaded.tree, { bin, extraFiles: overrides, pendingCerts });
  return { tool: 'apachectl -t', ok: result.ok, output: result.output };
}
