import type { FineDbRowChange } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import { backupFineDb, restoreFineDb, writeFineDbRows } from './steps.js';
import type { FineDbSecrets } from './write-rows.js';

/**
 * The three FineDB steps in the shape apply's transaction calls them (main/engine/apply: the
 * FineDbSteps it journals): back up an install's FineDB, write a plan's rows, put a backup back.
 * Connection details come from each install's db.properties; the database password, when needed,
 * is `secrets.databasePassword`.
 */
export const fineDbApplySteps = {
  backup: (install: string, ctx: OpContext, secrets: FineDbSecrets) => backupFineDb(install, ctx, { secrets }),
  write: (rows: readonly FineDbRowChange[], secrets: FineDbSecrets, ctx: OpContext) => writeFineDbRows(rows, secrets, ctx),
  restore: (backupId: string, install: string, ctx: OpContext, secrets: FineDbSecrets) => restoreFineDb(backupId, ctx, { install, secrets }),
} as const;
