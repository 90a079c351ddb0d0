import { resolve } from 'node:path';
import { parsePlan } from '../../../../shared/contract/plan.js';
import { EngineError } from '../../../engine/common/engine-error.js';
import { realFilePort } from '../../../engine/ports/index.js';
import { toOpError } from '../../../engine/run-operation.js';
import { parseCommandArgs } from '../args.js';
import { formatPlan } from '../format-plan.js';
import { printHelp } from '../help.js';
import { EXIT_OK, reportError, usageError, type CliIO } from '../io.js';

export const OPTIONS = { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;
/** A plan file is JSON text of at most this many bytes. */
const MAX_PLAN_BYTES = 64 * 1024 * 1024;

/** `wss-setup plan show <plan.json>`: validates a saved plan and prints it in the chosen language. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  if (parsed.values.help === true) return printHelp(io, 'plan.show', OPTIONS);
  const file = parsed.positionals[0];
  if (file === undefined) return usageError(io, json, 'INVALID_INPUT', 'cli.planShow.missing');
  const path = resolve(file);
  let text: string;
  try {
    text = await realFilePort.readText(path, { maxBytes: MAX_PLAN_BYTES });
  } catch (error) {
    return reportError(io, json, toOpError(error, io.lang), ['FILE_UNREADABLE', 'FILE_NOT_REGULAR', 'FILE_TOO_LARGE', 'FILE_IS_SYMLINK']);
  }
  const read = parsePlan(text);
  if (!read.ok) return reportError(io, json, toOpError(new EngineError(read.error.code, read.error.params, { path }), io.lang), [read.error.code]);
  if (json) io.stdout(`${JSON.stringify({ ok: true, plan: read.plan }, null, 2)}\n`);
  else io.stdout(formatPlan(read.plan, io.lang));
  return EXIT_OK;
}
