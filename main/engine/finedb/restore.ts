import type { FineDbRestoreOutput } from '../../../shared/contract/finedb.js';
import type { RequestOf } from '../../../shared/contract/index.js';
import type { OpContext } from '../common/context.js';
import { restoreFineDb } from './steps.js';

/** `finedb restore`: a backup back onto the same database it was taken from (checked), then verified. */
export async function finedbRestore(input: RequestOf<'finedbRestore'>, ctx: OpContext): Promise<FineDbRestoreOutput> {
  const { install, backup, password, ...connection } = input;
  return restoreFineDb(backup, ctx, { install, connection, secrets: { databasePassword: password } });
}
