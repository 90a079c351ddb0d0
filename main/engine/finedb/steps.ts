import type { FineDbBackupOutput, FineDbConnection, FineDbInfo, FineDbRestoreOutput } from '../../../shared/contract/finedb.js';
import type { FineDbRowChange } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { MANAGED_KEYS } from '../fine/index.js';
import { backupFiles, backupRows, loadBackup, restoreFiles } from './backup.js';
import { locationOf, openStore, resolveFineDb } from './connection.js';
import { refuseIfLocked } from './guard.js';
import { maskRows } from './mask.js';
import { readBackDiffers, writeChangesWith, type FineDbSecrets } from './write-rows.js';

/**
 * The steps apply runs for a plan's FineDB rows (and `finedb set` runs through the same ones):
 * back up, write, and restore on failure. Each resolves FineDB from the install (overrides in
 * `connection`), refuses an embedded database its server holds open, and runs the JDBC bridge as
 * the install's account. Secrets (keystorePassword, databasePassword) come in `secrets`, never from
 * the plan.
 */
type Ctx = Pick<OpContext, 'ports'>;

/** How to reach one install's FineDB besides the install itself (all optional; the password is a secret). */
export type FineDbConnectionOptions = Partial<Omit<FineDbConnection, 'install' | 'password'>>;

const requestOf = (install: string, connection: FineDbConnectionOptions | undefined, secrets: FineDbSecrets | undefined): FineDbConnection => ({
  ...(connection ?? {}),
  install,
  ...(secrets?.databasePassword !== undefined ? { password: secrets.databasePassword } : {}),
});

/**
 * Backs up an install's FineDB before rows are written: the database files (embedded HSQLDB,
 * SQLite; byte copies with their owner and mode) or the old values of every WebSocketConfig row
 * (external). Refuses an embedded database that a running server holds.
 */
export async function backupFineDb(install: string, ctx: Ctx, options: { readonly connection?: FineDbConnectionOptions; readonly secrets?: FineDbSecrets } = {}): Promise<FineDbBackupOutput> {
  const { install: inst, resolved } = await resolveFineDb(requestOf(install, options.connection, options.secrets), ctx);
  if (resolved.kind !== 'external') {
    refuseIfLocked(resolved);
    return backupFiles(resolved, inst.dir, ctx);
  }
  const store = await openStore(resolved, ctx);
  try {
    const rows = [...(await store.readPrefix('WebSocketConfig.')), ...(await store.readIds(MANAGED_KEYS))].filter((r) => r.id.startsWith('WebSocketConfig.'));
    const ids = [...new Set([...MANAGED_KEYS, ...rows.map((r) => r.id)])];
    return await backupRows(resolved, inst.dir, ids, rows, ctx);
  } finally {
    await store.close();
  }
}

export interface FineDbWriteResult {
  readonly install: string;
  readonly info: FineDbInfo;
  /** Rows that existed and were removed first (the reset). */
  readonly deleted: readonly string[];
  /** Rows written (secret values masked). */
  readonly written: readonly { readonly id: string; readonly value: string }[];
  readonly verified: true;
}

/**
 * Writes a plan's FineDB row changes, per install in plan order: refuses a database its server
 * holds open, checks each row still holds what the plan read (FINEDB_CHANGED_SINCE_PLAN), then
 * one transaction (resets, upserts, read back before commit) and a read-back after it. Secret
 * references in `after` are resolved from `secrets`. Nothing is backed up here: call
 * {@link backupFineDb} first.
 */
export async function writeFineDbRows(rows: readonly FineDbRowChange[], secrets: FineDbSecrets, ctx: Ctx, connection?: FineDbConnectionOptions): Promise<FineDbWriteResult[]> {
  const installs = [...new Set(rows.map((r) => r.install))];
  const results: FineDbWriteResult[] = [];
  for (const install of installs) {
    const { install: inst, resolved } = await resolveFineDb(requestOf(install, connection, secrets), ctx);
    refuseIfLocked(resolved);
    const store = await openStore(resolved, ctx);
    let open = true;
    try {
      const done = await writeChangesWith(store, rows.filter((r) => r.install === install), secrets);
      const info = store.info;
      open = false;
      await store.close();
      results.push({ install: inst.dir, info, deleted: done.deleted, written: maskRows(done.written), verified: true });
    } finally {
      if (open) await store.close().catch(() => undefined);
    }
  }
  return results;
}

/**
 * Puts a backup back onto the FineDB it was taken from (checked): the files byte-identical with
 * the owner and mode they had (embedded, SQLite; refused while the server holds the database), or
 * the old row values (external), then verifies them. `backup` is a backup id or folder.
 */
export async function restoreFineDb(backup: string, ctx: Ctx, options: { readonly install?: string; readonly connection?: FineDbConnectionOptions; readonly secrets?: FineDbSecrets } = {}): Promise<FineDbRestoreOutput> {
  const loaded = await loadBackup(backup, ctx);
  const install = options.install ?? loaded.manifest.install;
  if (install === undefined) throw new EngineError('FINEDB_BACKUP_MISMATCH', { backup: loaded.id, from: loaded.manifest.location.where, to: '?' }, { from: loaded.manifest.location });
  const { resolved } = await resolveFineDb(requestOf(install, options.connection, options.secrets), ctx);
  const here = locationOf(resolved);
  if (loaded.manifest.location.kind !== here.kind || loaded.manifest.location.where !== here.where) {
    throw new EngineError('FINEDB_BACKUP_MISMATCH', { backup: loaded.id, from: loaded.manifest.location.where, to: here.where }, { from: loaded.manifest.location, to: here });
  }
  if (resolved.kind !== 'external') {
    if (loaded.manifest.kind !== 'files') throw new EngineError('FINEDB_BACKUP_MISMATCH', { backup: loaded.id, from: loaded.manifest.kind, to: here.kind }, {});
    refuseIfLocked(resolved);
    const restored = await restoreFiles(loaded, resolved, ctx);
    return { backup: loaded.id, kind: 'files', restored, verified: true };
  }
  const rows = loaded.rows ?? [];
  const upsert = rows.filter((r) => r.present).map((r) => ({ id: r.id, value: r.value! }));
  const remove = rows.filter((r) => !r.present).map((r) => r.id);
  const store = await openStore(resolved, ctx);
  try {
    await store.write({ delete: remove, upsert });
    const after = await store.readIds(rows.map((r) => r.id));
    const bad = readBackDiffers(after, remove, upsert);
    if (bad.length > 0) throw new EngineError('FINEDB_READBACK_MISMATCH', { detail: bad.join(', '), url: '', driver: store.info.driver.className }, { ids: bad });
    return { backup: loaded.id, kind: 'rows', restored: rows.map((r) => r.id), verified: true };
  } finally {
    await store.close();
  }
}
