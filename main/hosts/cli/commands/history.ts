import { operations } from '../../../../shared/contract/index.js';
import { t } from '../../../../shared/i18n/index.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs, parseInteger } from '../args.js';
import { EXIT_OK, reportError, usageError, type CliIO } from '../io.js';
import { formatHistory, formatShow } from './apply-format.js';

/** `wss-setup history [--limit n] [--json]` */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, { limit: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } });
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  if (parsed.values.help === true) {
    io.stdout(`${t(io.lang, 'cli.usage')}: ${t(io.lang, 'apply.cli.historyUsage')}`);
    return EXIT_OK;
  }
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
  const parsed = parseCommandArgs(argv, { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } });
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  if (parsed.values.help === true || parsed.positionals.length !== 1) {
    if (parsed.values.help !== true) return usageError(io, json, 'INVALID_INPUT', 'apply.cli.runMissing');
    io.stdout(`${t(io.lang, 'cli.usage')}: ${t(io.lang, 'apply.cli.showUsage')}`);
    return EXIT_OK;
  }
  const result = await runOperation('applyShow', { run: parsed.positionals[0]! }, { lang: io.lang });
  if (!result.ok) return reportError(io, json, result.error, operations.applyShow.inputErrors);
  io.stdout(json ? `${JSON.stringify(result.value, null, 2)}\n` : formatShow(result.value, io.lang));
  return EXIT_OK;
}
