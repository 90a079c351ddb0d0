import type { SecretRef } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import { isSecretKey, MANAGED_KEYS, type FineConfRow } from '../fine/index.js';
import { resolveFineDb } from './connection.js';
import { readRows } from './get.js';
import { SECRET_REFS } from './plan.js';
import type { FineDbConnectionOptions } from './steps.js';
import type { FineDbSecrets } from './write-rows.js';

/**
 * The WebSocketConfig rows of an install with their real values (secrets included: for callers
 * that must act on them, such as the practice sandbox's WebSocket service; never put them in a
 * plan, output or log). `ids` adds rows outside the WebSocketConfig prefix. An embedded database
 * is read from a private copy.
 */
export async function readFineDbRows(install: string, ctx: Pick<OpContext, 'ports'>, options: { readonly ids?: readonly string[]; readonly connection?: FineDbConnectionOptions; readonly secrets?: FineDbSecrets } = {}): Promise<FineConfRow[]> {
  const password = options.secrets?.databasePassword;
  const { resolved } = await resolveFineDb({ ...(options.connection ?? {}), install, ...(password !== undefined ? { password } : {}) }, ctx);
  return (await readRows(resolved, ctx, 'WebSocketConfig', options.ids ?? [])).rows;
}

/**
 * The WebSocketConfig rows of an install as a plan's `before` values: the value, null when there
 * is no row, a secret as a reference (its value never leaves this module). An embedded database is
 * read from a private copy, so this works while the report server runs.
 */
export async function readPlanValues(install: string, ctx: Pick<OpContext, 'ports'>, options: { readonly connection?: FineDbConnectionOptions; readonly secrets?: FineDbSecrets } = {}): Promise<Readonly<Record<string, string | null | SecretRef>>> {
  const password = options.secrets?.databasePassword;
  const { resolved } = await resolveFineDb({ ...(options.connection ?? {}), install, ...(password !== undefined ? { password } : {}) }, ctx);
  const { rows } = await readRows(resolved, ctx, 'WebSocketConfig.', MANAGED_KEYS);
  const out: Record<string, string | null | SecretRef> = Object.fromEntries(MANAGED_KEYS.map((id) => [id, null]));
  for (const row of rows) if (row.id.startsWith('WebSocketConfig.')) out[row.id] = isSecretKey(row.id) ? { secretRef: SECRET_REFS.previousValue } : row.value;
  return out;
}
