import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Journal } from './journal.js';

/** Where apply keeps byte copies of the files a run touched: <data>/backups/apply/<run>/ (0700, files 0600). */
export const applyBackupDir = (dataDir: string, runId: string): string => join(dataDir, 'backups', 'apply', runId);

export const DEFAULT_RETENTION = 20;

/**
 * Retention: the backup copies of all but the newest `keep` finished runs are deleted (the runs
 * stay in the journal with their hashes; `rollback` of such a run then says its backups are gone).
 * A running (unfinished) run is never pruned.
 */
export function pruneBackups(journal: Journal, keep: number = DEFAULT_RETENTION): string[] {
  const pruned = journal.prunable(Math.max(1, keep));
  for (const id of pruned) {
    rmSync(applyBackupDir(journal.dir, id), { recursive: true, force: true });
    journal.forgetBackups(id);
  }
  return pruned;
}
