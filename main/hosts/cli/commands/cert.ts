import { usageError, type CliIO } from '../io.js';

/** Placeholder until the cert module lands: a clear message, exit 2. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  return usageError(io, argv.includes('--json'), 'NOT_AVAILABLE', 'cli.notYet', { name: 'cert' });
}
