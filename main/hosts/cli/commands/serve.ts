import { usageError, type CliIO } from '../io.js';

export async function run(argv: string[], io: CliIO): Promise<number> {
  return usageError(io, argv.includes('--json'), 'NOT_AVAILABLE', 'cli.notYet', { name: 'serve' });
}
