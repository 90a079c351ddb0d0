import { fineDbApplySteps } from '../finedb/index.js';
import type { FineDbSteps } from './types.js';

/** The finedb module's apply steps (back up an install's FineDB, write a plan's rows, put a backup back). */
export function fineDbSteps(): FineDbSteps {
  return fineDbApplySteps;
}
