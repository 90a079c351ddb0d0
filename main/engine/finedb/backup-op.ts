import type { FineDbBackupOutput, FineDbBackupsOutput } from '../../../shared/contract/finedb.js';
import type { RequestOf } from '../../../shared/contract/index.js';
import type { OpContext } from '../common/context.js';
import { inspectInstall } from '../fine/index.js';
import { backupsRoot, listBackups } from './backup.js';
import { installOut } from './connection.js';
import { backupFineDb } from './steps.js';

/** `finedb backup`: the database files (embedded, SQLite) or every WebSocketConfig row (external), on demand. */
export async function finedbBackup(input: RequestOf<'finedbBackup'>, ctx: OpContext): Promise<FineDbBackupOutput> {
  const { install, password, ...connection } = input;
  return backupFineDb(install, ctx, { connection, secrets: { databasePassword: password } });
}

/** `finedb backups`: every backup (or those of one install's FineDB), newest first. */
export async function finedbBackups(input: RequestOf<'finedbBackups'>, ctx: OpContext): Promise<FineDbBackupsOutput> {
  let filter;
  if (input.install !== undefined) {
    const install = await inspectInstall(input.install, ctx.ports.fs);
    filter = { install: install.dir, location: installOut(install).finedb };
  }
  const all = await listBackups(ctx, filter && { install: filter.install, location: { kind: filter.location.kind, where: filter.location.where } });
  return { root: backupsRoot(), backups: all };
}
