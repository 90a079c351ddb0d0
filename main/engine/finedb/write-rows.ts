import { isSecretRef, type FineDbRowChange, type SecretRef } from '../../../shared/contract/plan.js';
import { EngineError } from '../common/engine-error.js';
import type { FineConfRow } from '../fine/index.js';
import type { FineDbStore, WriteChange } from './store.js';

/** Secret values by reference name (e.g. keystorePassword, databasePassword), resolved by the caller; never stored. */
export type FineDbSecrets = Readonly<Record<string, string | undefined>>;

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

function resolveValue(value: string | SecretRef, id: string, secrets: FineDbSecrets): string {
  if (!isSecretRef(value)) return value;
  const secret = secrets[value.secretRef];
  if (secret === undefined) throw new EngineError('FINEDB_SECRET_MISSING', { id, name: value.secretRef }, { id, name: value.secretRef });
  return secret;
}

/**
 * One write from a plan's row changes: rows whose new value is null are deleted first (the reset
 * before a certificate is replaced), then the others are upserted, in plan order; a row deleted
 * and written again ends up written. Secret references are resolved from `secrets`.
 */
export function writeChangeOf(rows: readonly FineDbRowChange[], secrets: FineDbSecrets): WriteChange {
  const del: string[] = [];
  const upsert = new Map<string, string>();
  for (const row of rows) {
    if (row.after === null) {
      if (!del.includes(row.id)) del.push(row.id);
      upsert.delete(row.id);
    } else upsert.set(row.id, resolveValue(row.after, row.id, secrets));
  }
  return { delete: del, upsert: [...upsert].map(([id, value]) => ({ id, value })) };
}

/**
 * Rows whose value is no longer what the plan read (its `before`, first change of each id):
 * someone changed FineDB since the plan was made. A secret `before` only says "a row was there".
 */
export function changedSincePlan(rows: readonly FineDbRowChange[], current: readonly FineConfRow[]): string[] {
  const seen = new Set<string>();
  const changed: string[] = [];
  for (const row of rows) {
    if (seen.has(row.id)) continue;
    seen.add(row.id);
    if (row.before === undefined) continue;
    const now = current.filter((r) => r.id === row.id);
    const same = row.before === null ? now.length === 0 : isSecretRef(row.before) ? now.length === 1 : now.length === 1 && now[0]!.value === row.before;
    if (!same) changed.push(row.id);
  }
  return changed;
}

export interface RowsWritten {
  /** Rows that existed and were deleted first (the reset; they may be written again). */
  readonly deleted: readonly string[];
  /** Rows written, with their values (secrets included: callers mask them). */
  readonly written: readonly FineConfRow[];
}

/**
 * Writes a plan's row changes through an open store: checks the rows still hold what the plan
 * read, one transaction (deletes, upserts, read back before commit), then reads back again.
 */
export async function writeChangesWith(store: FineDbStore, rows: readonly FineDbRowChange[], secrets: FineDbSecrets): Promise<RowsWritten> {
  const ids = [...new Set(rows.map((r) => r.id))];
  const current = await store.readIds(ids);
  const changed = changedSincePlan(rows, current);
  if (changed.length > 0) throw new EngineError('FINEDB_CHANGED_SINCE_PLAN', { rows: changed.join(', ') }, { ids: changed });
  const change = writeChangeOf(rows, secrets);
  await store.write(change);
  const after = await store.readIds(ids);
  const bad = readBackDiffers(after, change.delete, change.upsert);
  if (bad.length > 0) throw new EngineError('FINEDB_READBACK_MISMATCH', { detail: bad.join(', '), url: '', driver: store.info.driver.className }, { ids: bad });
  return { deleted: change.delete.filter((id) => current.some((r) => r.id === id)), written: change.upsert };
}
