/**
 * The finedb module's face: FineDB's fine_conf_entity rows (embedded HSQLDB, external databases
 * through the JDBC bridge, SQLite). Apply runs a plan's FineDB rows through these steps, and
 * `finedb set` runs through the same ones:
 *
 *   const backup = await backupFineDb(install, ctx, { connection, secrets });
 *   try { await writeFineDbRows(plan.fineDbRows, secrets, ctx, connection); }
 *   catch { await restoreFineDb(backup.id, ctx, { install, connection, secrets }); }
 *
 * Secrets (keystorePassword, databasePassword) are passed by reference name in `secrets`, never
 * read from the plan. Planners that add FineDB rows read today's values with
 * {@link readPlanValues} and build changes with {@link rowChanges}.
 */
export { backupFineDb, restoreFineDb, writeFineDbRows, type FineDbConnectionOptions, type FineDbWriteResult } from './steps.js';
export { planFineDbSet, type FineDbSetPlanning } from './set.js';
export { rowChanges, SECRET_REFS } from './plan.js';
export { readFineDbRows, readPlanValues } from './plan-values.js';
export type { FineDbSecrets } from './write-rows.js';
export { changedSincePlan, writeChangeOf } from './write-rows.js';
export { fineDbApplySteps } from './apply-steps.js';
