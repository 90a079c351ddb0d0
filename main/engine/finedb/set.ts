import type { FineDbBackupOutput, FineDbNote, FineDbPlanStep, FineDbSetOutput } from '../../../shared/contract/finedb.js';
import type { RequestOf } from '../../../shared/contract/index.js';
import { t } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { backupFiles, backupRows, loadBackup, restoreFiles } from './backup.js';
import { installOut, openStore, resolveFineDb } from './connection.js';
import { readRows } from './get.js';
import { refuseIfLocked } from './guard.js';
import { installNotes } from './inspect.js';
import type { FineInstall } from '../fine/index.js';
import { maskRows } from './mask.js';
import { inspectInstall, MANAGED_KEYS, replacesCertificate, SSL_KEYS } from '../fine/index.js';
import { certificateReplacementPlan, planRows, writePlan } from './plan.js';
import type { FineConfRow } from '../fine/index.js';
import type { FineDbStore } from './store.js';

/** Compares what the database holds after the commit with what was meant to be written. */
export function readBackDiffers(after: readonly FineConfRow[], deleted: readonly string[], upsert: readonly FineConfRow[]): string[] {
  const bad: string[] = [];
  for (const id of deleted) if (!upsert.some((r) => r.id === id) && after.some((r) => r.id === id)) bad.push(id);
  for (const row of upsert) {
    const found = after.filter((r) => r.id === row.id);
    if (found.length !== 1 || found[0]!.value !== row.value) bad.push(row.id);
  }
  return bad;
}

/**
 * Writes the WebSocketConfig rows: validate → refuse a running embedded database → back up
 * (files before opening, or old row values) → delete (reset) + upsert in one transaction, read
 * back before commit → read back again after commit. On an embedded database any failure puts
 * the backed-up files back, so a failed run leaves the files byte-identical.
 */
export async function finedbSet(input: RequestOf<'finedbSet'>, ctx: OpContext): Promise<FineDbSetOutput> {
  const found = await inspectInstall(input.install);
  const install: FineInstall = {
    ...found,
    ...(input.jarDate !== undefined ? { jarDate: input.jarDate } : {}),
    containerWebSocket: input.containerWebSocket ?? found.containerWebSocket,
  };
  const rowPlan = planRows(install, input);
  const notes: FineDbNote[] = installNotes(install, ctx.lang);
  if (rowPlan.skipped.length > 0) {
    notes.push({ code: 'finedb.note.portRowsSkipped', message: t(ctx.lang, 'finedb.note.portRowsSkipped', { rows: rowPlan.skipped.map((r) => r.id).join(', ') }), evidence: { rows: rowPlan.skipped.map((r) => r.id) } });
  }
  if (rowPlan.upsert.length === 0 && !input.reset) {
    throw new EngineError('FINEDB_NOTHING_TO_WRITE', { skipped: rowPlan.skipped.map((r) => r.id).join(', ') }, { skipped: rowPlan.skipped.map((r) => r.id) });
  }
  const { resolved } = await resolveFineDb(input, install);
  const touchedIds = [...new Set([...SSL_KEYS, ...rowPlan.upsert.map((r) => r.id)])];

  if (input.dryRun) {
    const { info, rows } = await readRows(resolved, 'WebSocketConfig', MANAGED_KEYS);
    const replace = input.reset || replacesCertificate(rows, rowPlan.upsert);
    return {
      install: installOut(install),
      dryRun: true,
      info,
      plan: planFor(ctx, replace, rowPlan.upsert),
      deleted: replace ? SSL_KEYS.filter((id) => rows.some((r) => r.id === id)) : [],
      written: maskRows(rowPlan.upsert),
      skipped: maskRows(rowPlan.skipped),
      verified: false,
      notes,
    };
  }

  refuseIfLocked(resolved);
  let backup: FineDbBackupOutput | undefined = resolved.kind === 'external' ? undefined : backupFiles(resolved);
  let store: FineDbStore | undefined;
  try {
    store = await openStore(resolved);
    const current = await store.readIds(MANAGED_KEYS);
    if (resolved.kind === 'external') backup = backupRows(resolved, touchedIds, current);
    const replace = input.reset || replacesCertificate(current, rowPlan.upsert);
    const deleteIds = replace ? [...SSL_KEYS] : [];
    await store.write({ delete: deleteIds, upsert: rowPlan.upsert });
    const after = await store.readIds(touchedIds);
    const info = store.info;
    const s = store;
    store = undefined;
    await s.close();
    const bad = readBackDiffers(after, deleteIds, rowPlan.upsert);
    if (bad.length > 0) throw new EngineError('FINEDB_READBACK_MISMATCH', { detail: bad.join(', '), url: '', driver: info.driver.className }, { ids: bad });
    return {
      install: installOut(install),
      dryRun: false,
      info,
      plan: planFor(ctx, replace, rowPlan.upsert),
      deleted: deleteIds.filter((id) => current.some((r) => r.id === id)),
      written: maskRows(rowPlan.upsert),
      skipped: maskRows(rowPlan.skipped),
      ...(backup ? { backup } : {}),
      verified: true,
      notes,
    };
  } catch (error) {
    if (store) await store.close().catch(() => undefined);
    if (backup?.kind === 'files' && resolved.kind !== 'external') {
      restoreFiles(loadBackup(backup.path), resolved.path, resolved.kind);
      if (error instanceof EngineError) throw new EngineError(error.code, error.params, { ...error.evidence, restoredFrom: backup.id });
    }
    throw error;
  }
}

function planFor(ctx: OpContext, replace: boolean, rows: readonly FineConfRow[]): FineDbPlanStep[] {
  return replace ? certificateReplacementPlan(ctx.lang, rows) : writePlan(ctx.lang, rows, false);
}
