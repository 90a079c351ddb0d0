/**
 * apply: a plan run as a transaction (preflight, backup, stop, write, certificates, FineDB rows,
 * start, checks) with automatic rollback, crash recovery, history, show and rollback of a run.
 */
export { applyPlan, parsePlanOrThrow } from './run.js';
export { history, recoverRuns, rollbackRun, showRun, unfinishedRuns } from './history.js';
export { restoreRun } from './restore.js';
export { defaultDeps } from './operations.js';
export { nginxPlanValidator } from './validate.js';
export { secretRefsOf } from './secrets.js';
export type { ApplyDeps, BoundaryHook, FineDbSteps, HealthCheck, PlanValidator } from './types.js';
