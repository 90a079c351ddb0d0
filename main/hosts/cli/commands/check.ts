import { resolve } from 'node:path';
import { healthOperations } from '../../../../shared/contract/health.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs, parseInteger } from '../args.js';
import { formatCheckReport } from '../format-check.js';
import { printHelp, type HelpTables } from '../help.js';
import { EXIT_FINDINGS, EXIT_OK, reportError, usageError, type CliIO } from '../io.js';

const OPTIONS = {
  origin: { type: 'string' },
  ca: { type: 'string' },
  'nginx-conf': { type: 'string' },
  'server-xml': { type: 'string' },
  'apache-conf': { type: 'string' },
  timeout: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The option table `check` parses with; its help is generated from it. */
export const HELP: HelpTables = { check: OPTIONS };

export async function run(argv: string[], io: CliIO): Promise<number> {
  const parsed = parseCommandArgs(argv, OPTIONS);
  const json = argv.includes('--json');
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  const { values, positionals } = parsed;
  if (values.help === true) return printHelp(io, 'check', OPTIONS);
  if (positionals.length === 0) return usageError(io, json, 'INVALID_INPUT', 'input.urls.empty');
  let timeoutMs: number | undefined;
  if (typeof values.timeout === 'string') {
    const n = parseInteger(values.timeout);
    if (n === null) return usageError(io, json, 'INVALID_INPUT', 'cli.notANumber', { name: '--timeout', value: values.timeout });
    timeoutMs = n;
  }
  const caFile = typeof values.ca === 'string' ? resolve(values.ca) : undefined;
  const nginxConf = typeof values['nginx-conf'] === 'string' ? resolve(values['nginx-conf']) : undefined;
  const serverXml = typeof values['server-xml'] === 'string' ? resolve(values['server-xml']) : undefined;
  const apacheConf = typeof values['apache-conf'] === 'string' ? resolve(values['apache-conf']) : undefined;
  const input = {
    urls: positionals,
    ...(nginxConf !== undefined ? { nginxConf } : {}),
    ...(serverXml !== undefined ? { serverXml } : {}),
    ...(apacheConf !== undefined ? { apacheConf } : {}),
    ...(typeof values.origin === 'string' ? { origin: values.origin } : {}),
    ...(caFile !== undefined ? { caFile } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
  const result = await runOperation('check', input, {
    lang: io.lang,
    onProgress: (event) => {
      if (io.interactive && !json) io.stderr(`${event.message}\n`);
    },
  });
  if (!result.ok) return reportError(io, json, result.error, healthOperations.check.inputErrors);
  if (json) io.stdout(`${JSON.stringify(result.value, null, 2)}\n`);
  else io.stdout(formatCheckReport(result.value, io.lang));
  return result.value.ok ? EXIT_OK : EXIT_FINDINGS;
}
