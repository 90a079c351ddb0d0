import { operations } from '../../../../shared/contract/index.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs } from '../args.js';
import { printHelp, type HelpTables } from '../help.js';
import { EXIT_FINDINGS, EXIT_OK, reportError, usageError, type CliIO } from '../io.js';
import { formatApply, readSecrets } from './apply-format.js';

const OPTIONS = { 'secret-file': { type: 'string', multiple: true }, 'secret-env': { type: 'string', multiple: true }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;

/** The option table `rollback` and `recover` parse with; their help is generated from it. */
export const HELP: HelpTables = { rollback: OPTIONS };
export const RECOVER_HELP: HelpTables = { recover: OPTIONS };

/** `wss-setup rollback <run> [--json]` and (via runRecover) `wss-setup recover [--json]`. */
async function undo(argv: string[], io: CliIO, which: 'applyRollback' | 'applyRecover'): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  if (parsed.values.help === true) return printHelp(io, which === 'applyRollback' ? 'rollback' : 'recover', OPTIONS);
  if (which === 'applyRollback' && parsed.positionals.length !== 1) return usageError(io, json, 'INVALID_INPUT', 'apply.cli.runMissing');
  const secrets = await readSecrets(io, parsed.values['secret-file'], parsed.values['secret-env']);
  if (!secrets.ok) return usageError(io, json, 'INVALID_INPUT', secrets.key, secrets.params);
  const onProgress = (event: { message: string }) => {
    if (io.interactive && !json) io.stderr(`${event.message}\n`);
  };
  const result = which === 'applyRollback' ? await runOperation('applyRollback', { run: parsed.positionals[0]!, secrets: secrets.secrets }, { lang: io.lang, onProgress }) : await runOperation('applyRecover', { secrets: secrets.secrets }, { lang: io.lang, onProgress });
  if (!result.ok) return reportError(io, json, result.error, operations[which].inputErrors);
  io.stdout(json ? `${JSON.stringify(result.value, null, 2)}\n` : formatApply(result.value, io.lang));
  return result.value.outcome === 'reverted' ? EXIT_OK : EXIT_FINDINGS;
}

export const run = (argv: string[], io: CliIO) => undo(argv, io, 'applyRollback');
export const runRecover = (argv: string[], io: CliIO) => undo(argv, io, 'applyRecover');
