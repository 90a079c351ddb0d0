import type { FineDbBackupOutput } from '../../../shared/contract/finedb.js';
import type { RequestOf } from '../../../shared/contract/index.js';
import type { OpContext } from '../common/context.js';
import { backupFiles, backupRows } from './backup.js';
import { openStore, resolveFineDb } from './connection.js';
import { refuseIfLocked } from './guard.js';
import { MANAGED_KEYS } from '../fine/index.js';

/** Backs up FineDB on demand: the database files (embedded, SQLite) or every WebSocketConfig row (external). */
export async function finedbBackup(input: RequestOf<'finedbBackup'>, _ctx: OpContext): Promise<FineDbBackupOutput> {
  const { resolved } = await resolveFineDb(input);
  if (resolved.kind !== 'external') {
    refuseIfLocked(resolved);
    return backupFiles(resolved);
  }
  const store = await openStore(resolved);
  try {
    const rows = [...(await store.readPrefix('WebSocketConfig.')), ...(await store.readIds(MANAGED_KEYS))].filter((r) => r.id.startsWith('WebSocketConfig.'));
    const ids = [...new Set([...MANAGED_KEYS, ...rows.map((r) => r.id)])];
    return backupRows(resolved, ids, rows);
  } finally {
    await store.close();
  }
}
