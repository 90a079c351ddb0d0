import type { RequestOf } from '../../../shared/contract/index.js';
import type { ApplyStep } from '../../../shared/contract/apply.js';
import type { OpContext } from '../common/context.js';
import { dataDir } from '../common/paths.js';
import { check } from '../health/index.js';
import { DEFAULT_RETENTION } from '../journal/index.js';
import { DEFAULT_TIMING } from '../services/index.js';
import { nginxPlanValidator } from './validate.js';
import { apachePlanValidator } from '../apache/index.js';
import { tomcatPlanValidator } from '../tomcat/index.js';
import { recoverRuns, rollbackRun, history, showRun } from './history.js';
import { applyPlan } from './run.js';
import type { ApplyDeps, BoundaryHook } from './types.js';
import { fineDbSteps } from './finedb-steps.js';

/**
 * Test hook for the crash tests (kill -9 of the apply process at a step boundary), active only when
 * WSS_SETUP_TEST_KILL_AT=<step>:<before|after> is set in the environment of the process.
 */
function killHook(): BoundaryHook | undefined {
  const at = process.env.WSS_SETUP_TEST_KILL_AT;
  if (at === undefined || at === '') return undefined;
  const [step, when] = at.split(':') as [ApplyStep, 'before' | 'after'];
  return (s, w) => {
    if (s === step && w === when) process.kill(process.pid, 'SIGKILL');
  };
}

/** The real dependencies: the data folder, the finedb module, nginx -t on a temp copy, the health check. */
export function defaultDeps(): ApplyDeps {
  const boundary = killHook();
  return {
    dataDir: dataDir(),
    finedb: fineDbSteps(),
    validators: [nginxPlanValidator, apachePlanValidator, tomcatPlanValidator],
    check,
    timing: DEFAULT_TIMING,
    retention: Number(process.env.WSS_SETUP_RETENTION ?? '') || DEFAULT_RETENTION,
    ...(boundary !== undefined ? { boundary } : {}),
  };
}

export const applyOperation = (input: RequestOf<'apply'>, ctx: OpContext) => applyPlan(input, ctx, defaultDeps());
export const historyOperation = (input: RequestOf<'applyHistory'>, _ctx: OpContext) => history(input.limit, defaultDeps());
export const showOperation = (input: RequestOf<'applyShow'>, _ctx: OpContext) => showRun(input.run, defaultDeps());
export const rollbackOperation = (input: RequestOf<'applyRollback'>, ctx: OpContext) => rollbackRun(input.run, input.secrets, ctx, defaultDeps());
export const recoverOperation = (input: RequestOf<'applyRecover'>, ctx: OpContext) => recoverRuns(input.secrets, ctx, defaultDeps());
