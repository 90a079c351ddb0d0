/**
 * journal: the record of every apply (runs, steps before/after, backups, FineDB old values, checks,
 * outcome) in SQLite in the data folder, never a secret; the one-apply-at-a-time lock; retention.
 */
export { Journal, journalPath, type BackupRow, type CheckRow, type FineDbBackupRow, type RunDetail, type RunKind, type RunRow, type RunState, type StepRow, type StepStatus } from './journal.js';
export { acquireApplyLock, lockHolder, lockPath, type ApplyLock, type LockHolder } from './lock.js';
export { applyBackupDir, DEFAULT_RETENTION, pruneBackups } from './prune.js';
export { forgetSecrets, registerSecret, scrub } from './scrub.js';
