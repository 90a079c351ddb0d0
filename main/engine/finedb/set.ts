import type { FineDbNote, FineDbSetOutput, FineDbSetRequest } from '../../../shared/contract/finedb.js';
import type { RequestOf } from '../../../shared/contract/index.js';
import type { Plan } from '../../../shared/contract/plan.js';
import { t } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { inspectInstall, MANAGED_KEYS, replacesCertificate, SSL_KEYS, type FineInstall } from '../fine/index.js';
import { installOut, resolveFineDb, type ResolvedFineDb } from './connection.js';
import { readRows } from './get.js';
import { refuseIfLocked } from './guard.js';
import { installNotes } from './inspect.js';
import { maskRows } from './mask.js';
import { bothMethods, fineDbPlan, planNotes, planRows, rowChanges, type RowPlan } from './plan.js';
import { backupFineDb, restoreFineDb, writeFineDbRows, type FineDbConnectionOptions } from './steps.js';
import type { DatabaseInfo } from './store.js';
import type { FineDbSecrets } from './write-rows.js';

export interface FineDbSetPlanning {
  readonly plan: Plan;
  readonly install: FineInstall;
  readonly resolved: ResolvedFineDb;
  readonly info: DatabaseInfo;
  readonly rowPlan: RowPlan;
  /** Rows the reset removes (those present now). */
  readonly deleted: readonly string[];
  readonly notes: FineDbNote[];
}

/**
 * The planner of `finedb set`: validates the request against the install, reads the WebSocket
 * rows as they are now (an embedded database from a private copy, so this works while the server
 * runs and changes nothing), and returns the shared plan (method finedb-set) whose fineDbRows hold
 * each row's value now (`before`) and its new value (`after`), secrets as references.
 */
export async function planFineDbSet(input: FineDbSetRequest, ctx: OpContext, options: { readonly refuseHeld?: boolean } = {}): Promise<FineDbSetPlanning> {
  const found = await inspectInstall(input.install, ctx.ports.fs);
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
  const { resolved } = await resolveFineDb(input, ctx, install);
  // A write is refused at once when the server holds the database (before reading a copy of it).
  if (options.refuseHeld) refuseIfLocked(resolved);
  const { info, rows } = await readRows(resolved, ctx, 'WebSocketConfig', MANAGED_KEYS);
  const current = rows.filter((r) => MANAGED_KEYS.includes(r.id));
  const replace = input.reset || replacesCertificate(current, rowPlan.upsert);
  const deleted = replace ? SSL_KEYS.filter((id) => current.some((r) => r.id === id)) : [];
  const both = bothMethods(current, rowPlan.upsert, deleted);
  if (both) notes.push({ code: 'finedb.note.bothMethods', message: t(ctx.lang, 'finedb.note.bothMethods'), evidence: {} });
  const plan = fineDbPlan({
    install,
    ...(resolved.kind !== 'external' ? { database: resolved.path } : {}),
    ...(input.java !== undefined ? { java: input.java } : {}),
    ...(input.ssl ? { keystore: { path: input.ssl.keyStore, format: input.ssl.keyStoreFormat } } : {}),
    rows: rowChanges(install, rowPlan.upsert, current, replace),
    notes: planNotes(install, rowPlan, both),
    now: ctx.ports.clock.now(),
  });
  return { plan, install, resolved, info, rowPlan, deleted, notes };
}

const connectionOf = (input: FineDbSetRequest): FineDbConnectionOptions => ({
  ...(input.jdbcUrl !== undefined ? { jdbcUrl: input.jdbcUrl } : {}),
  ...(input.driverJars !== undefined ? { driverJars: input.driverJars } : {}),
  ...(input.driverClass !== undefined ? { driverClass: input.driverClass } : {}),
  ...(input.user !== undefined ? { user: input.user } : {}),
  ...(input.java !== undefined ? { java: input.java } : {}),
  ...(input.installJava !== undefined ? { installJava: input.installJava } : {}),
});

/**
 * `finedb set`: the plan, then the same steps apply runs — back up (files before the database is
 * opened, or the old row values), write the plan's rows (one transaction, read back), and on an
 * embedded or SQLite database put the backed-up files back on any failure, so a failed run leaves
 * them byte-identical with their owner and mode. It stops and starts nothing: the report server
 * must be stopped (an embedded database held open is refused) and started again by the admin.
 */
export async function finedbSet(input: RequestOf<'finedbSet'>, ctx: OpContext): Promise<FineDbSetOutput> {
  const planning = await planFineDbSet(input, ctx, { refuseHeld: !input.dryRun });
  const { plan, install, rowPlan } = planning;
  const base = { install: installOut(install), plan, skipped: maskRows(rowPlan.skipped), notes: planning.notes };
  if (input.dryRun) return { ...base, dryRun: true, info: planning.info, deleted: planning.deleted, written: maskRows(rowPlan.upsert), verified: false };

  const secrets: FineDbSecrets = { keystorePassword: input.ssl?.keyStorePassword, databasePassword: input.password };
  const connection = connectionOf(input);
  const backup = await backupFineDb(install.dir, ctx, { connection, secrets });
  try {
    const [done] = await writeFineDbRows(plan.fineDbRows, secrets, ctx, connection);
    return { ...base, dryRun: false, info: done!.info, deleted: done!.deleted, written: done!.written, backup, verified: true };
  } catch (error) {
    if (backup.kind === 'files') {
      await restoreFineDb(backup.path, ctx, { install: install.dir, connection, secrets });
      if (error instanceof EngineError) throw new EngineError(error.code, error.params, { ...error.evidence, restoredFrom: backup.id });
    }
    throw error;
  }
}
