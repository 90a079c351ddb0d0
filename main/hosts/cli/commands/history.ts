import { operations } from '../../../../shared/contract/index.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs, parseInteger } from '../args.js';
import { printHelp, type HelpTables } from '../help.js';
import { EXIT_OK, reportError, usageError, type CliIO } from '../io.js';
import { formatHistory, formatShow } from './apply-format.js';

const OPTIONS = { limit: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;
const SHOW_OPTIONS = { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;

/** The option tables `history` and `show` parse with; their help is generated from them. */
export const HELP: HelpTables = { history: OPTIONS };
export const SHOW_HELP: HelpTables = { show: SHOW_OPTIONS };

/** `wss-setup history [--limit n] [--json]` */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  if (parsed.values.help === true) return printHelp(io, 'history', OPTIONS);
  let limit: number | undefined;
  if (typeof parsed.values.limit === 'string') {
    const n = parseInteger(parsed.values.limit);
    if (n === null) return usageError(io, json, 'INVALID_INPUT', 'cli.notANumber', { name: '--limit', value: parsed.values.limit });
    limit = n;
  }
  const result = await runOperation('applyHistory', limit !== undefined ? { limit } : {}, { lang: io.lang });
  if (!result.ok) return reportError(io, json, result.error, operations.applyHistory.inputErrors);
  io.stdout(json ? `${JSON.stringify(result.value, null, 2)}\n` : formatHistory(result.value, io.lang));
  return EXIT_OK;
}

/** `wss-setup show <run> [--json]` */
export async function runShow(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, SHOW_OPTIONS);
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  if (parsed.values.help === true || parsed.positionals.length !== 1) {
    if (parsed.values.help !== true) return usageError(io, json, 'INVALID_INPUT', 'apply.cli.runMissing');
    return printHelp(io, 'show', SHOW_OPTIONS);
  }
  const result = await runOperation('applyShow', { run: parsed.positionals[0]! }, { lang: io.lang });
  if (!result.ok) return reportError(io, json, result.error, operations.applyShow.inputErrors);
  io.stdout(json ? `${JSON.stringify(result.value, null, 2)}\n` : formatShow(result.value, io.lang));
  return EXIT_OK;
}
