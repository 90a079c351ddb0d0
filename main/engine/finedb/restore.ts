import type { FineDbRestoreOutput } from '../../../shared/contract/finedb.js';
import type { RequestOf } from '../../../shared/contract/index.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { loadBackup, restoreFiles } from './backup.js';
import { locationOf, openStore, resolveFineDb } from './connection.js';
import { refuseIfLocked } from './guard.js';
import { readBackDiffers } from './set.js';

/** Restores a backup onto the same database it was taken from (checked), then verifies it. */
export async function finedbRestore(input: RequestOf<'finedbRestore'>, _ctx: OpContext): Promise<FineDbRestoreOutput> {
  const backup = loadBackup(input.backup);
  const { resolved } = await resolveFineDb(input);
  const here = locationOf(resolved);
  if (backup.manifest.location.kind !== here.kind || backup.manifest.location.where !== here.where) {
    throw new EngineError('FINEDB_BACKUP_MISMATCH', { backup: backup.id, from: backup.manifest.location.where, to: here.where }, { from: backup.manifest.location, to: here });
  }
  if (resolved.kind !== 'external') {
    if (backup.manifest.kind !== 'files') throw new EngineError('FINEDB_BACKUP_MISMATCH', { backup: backup.id, from: backup.manifest.kind, to: here.kind }, {});
    refuseIfLocked(resolved);
    const restored = restoreFiles(backup, resolved.path, resolved.kind);
    return { backup: backup.id, kind: 'files', restored, verified: true };
  }
  const rows = backup.rows ?? [];
  const upsert = rows.filter((r) => r.present).map((r) => ({ id: r.id, value: r.value! }));
  const remove = rows.filter((r) => !r.present).map((r) => r.id);
  const store = await openStore(resolved);
  try {
    await store.write({ delete: remove, upsert });
    const after = await store.readIds(rows.map((r) => r.id));
    const bad = readBackDiffers(after, remove, upsert);
    if (bad.length > 0) throw new EngineError('FINEDB_READBACK_MISMATCH', { detail: bad.join(', '), url: '', driver: store.info.driver.className }, { ids: bad });
    return { backup: backup.id, kind: 'rows', restored: rows.map((r) => r.id), verified: true };
  } finally {
    await store.close();
  }
}
