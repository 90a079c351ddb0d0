import type { Plan } from '../../../shared/contract/plan.js';
import { findNginxBinary, loadTree, nginxTestTree } from '../nginx/index.js';
import type { PlanValidator } from './types.js';

/**
 * nginx -t again at apply time, on a temporary copy holding the planned files (the machine's
 * configuration is not touched): the tree may have changed around the planned files since the plan
 * (an include added, a certificate removed), which the hashes of the planned files alone miss.
 */
export const nginxPlanValidator: PlanValidator = async (plan: Plan, ctx) => {
  const edits = plan.files.filter((f) => f.kind === 'nginx');
  const mainConf = plan.target.paths.mainConf;
  if (plan.target.kind !== 'nginx' || edits.length === 0 || mainConf === undefined) return null;
  const service = plan.services.find((s) => s.service.kind === 'nginx')?.service;
  const nginxBin = service?.kind === 'nginx' ? service.binary : findNginxBinary(undefined);
  if (nginxBin === null) return { tool: 'nginx -t', ok: false, output: 'nginx binary not found' };
  const overrides = new Map(edits.map((f) => [f.path, f.content] as const));
  const tree = await loadTree(mainConf, { overrides, fs: ctx.ports.fs });
  if (!tree.ok) return { tool: 'nginx -t', ok: false, output: `${tree.problem.file}:${tree.problem.line}: ${tree.problem.reason}` };
  // Certificates the plan issues at apply time do not exist yet: nginx -t gets stand-ins for them.
  const pendingCerts = new Set(plan.certificates.flatMap((c) => (c.kind === 'issue' && c.outputs.pem ? [c.outputs.pem.certPath, c.outputs.pem.keyPath] : [])));
  const result = await nginxTestTree(tree.tree, { nginxBin, process: ctx.ports.process, edited: new Set(overrides.keys()), pendingCerts });
  return { tool: 'nginx -t', ok: result.ok, output: result.output };
};
