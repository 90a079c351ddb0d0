import type { FineDbSteps } from './types.js';

/**
 * The finedb module's apply steps (backupFineDb, writeFineDbRows, restoreFineDb). Wired once the
 * finedb face exposes them; until then a plan with FineDB rows is refused in preflight
 * (APPLY_UNSUPPORTED) instead of being half-applied.
 */
export function fineDbSteps(): FineDbSteps | null {
  return null;
}
