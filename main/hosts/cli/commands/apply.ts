import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { operations } from '../../../../shared/contract/index.js';
import { parsePlan } from '../../../../shared/contract/plan.js';
import { applyStepOf } from '../../../../shared/contract/apply.js';
import { t } from '../../../../shared/i18n/index.js';
import { describeErrno } from '../../../engine/common/errno.js';
import { secretRefsOf } from '../../../engine/apply/index.js';
import { realFilePort } from '../../../engine/ports/index.js';
import { runOperation, toOpError } from '../../../engine/run-operation.js';
import { parseCommandArgs, parseInteger } from '../args.js';
import { formatPlan } from '../format-plan.js';
import { printHelp, type HelpTables } from '../help.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, reportError, usageError, type CliIO } from '../io.js';
import { formatApply, readSecrets } from './apply-format.js';
import { promptHidden } from './cert/prompt.js';

/** A plan file is JSON text of at most this many bytes. */
const MAX_PLAN_BYTES = 64 * 1024 * 1024;

const OPTIONS = {
  yes: { type: 'boolean', short: 'y', default: false },
  'dry-run': { type: 'boolean', default: false },
  'secret-file': { type: 'string', multiple: true },
  'secret-env': { type: 'string', multiple: true },
  'warmup': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** The option table `apply` parses with; its help is generated from it. */
export const HELP: HelpTables = { apply: OPTIONS };

/** `wss-setup apply <plan.json> [--yes] [--dry-run] [--json]`: shows the plan, asks, applies as a transaction. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  const { values, positionals } = parsed;
  if (values.help === true) return printHelp(io, 'apply', OPTIONS);
  if (positionals.length !== 1) return usageError(io, json, 'INVALID_INPUT', 'apply.cli.planMissing');
  const path = resolve(positionals[0]!);
  let planText: string;
  try {
    // A plan is JSON text: a regular file (never a FIFO or device), capped, never through a link.
    planText = await realFilePort.readText(path, { maxBytes: MAX_PLAN_BYTES });
  } catch (error) {
    const errno = (error as { evidence?: { errno?: unknown } }).evidence?.errno;
    const reason = typeof errno === 'string' ? describeErrno(errno, io.lang) : toOpError(error, io.lang).message;
    return usageError(io, json, 'INVALID_INPUT', 'apply.cli.planUnreadable', { path, reason });
  }
  const secrets = await readSecrets(io, values['secret-file'], values['secret-env']);
  if (!secrets.ok) return usageError(io, json, 'INVALID_INPUT', secrets.key, secrets.params);
  // Secrets the plan names and the options did not give are asked for on a terminal, without echo.
  const read = parsePlan(planText);
  if (read.ok && !json && io.interactive && values['dry-run'] !== true) {
    for (const ref of secretRefsOf(read.plan)) {
      if (secrets.secrets[ref] !== undefined && secrets.secrets[ref] !== '') continue;
      const value = await promptHidden(t(io.lang, 'apply.cli.secretPrompt', { name: ref }), io);
      if (value === null) break;
      secrets.secrets[ref] = value;
    }
  }
  let warmupMs: number | undefined;
  if (typeof values.warmup === 'string') {
    const n = parseInteger(values.warmup);
    if (n === null) return usageError(io, json, 'INVALID_INPUT', 'cli.notANumber', { name: '--warmup', value: values.warmup });
    warmupMs = n;
  }
  const dryRun = values['dry-run'] === true;
  if (!dryRun && values.yes !== true) {
    const plan = parsePlan(planText);
    if (!plan.ok) {
      const result = await runOperation('apply', { planText, dryRun: true }, { lang: io.lang });
      if (!result.ok) return reportError(io, json, result.error, operations.apply.inputErrors);
    } else if (!json) io.stdout(formatPlan(plan.plan, io.lang));
    if (json || !io.interactive || process.stdin.isTTY !== true) return usageError(io, json, 'INVALID_INPUT', 'apply.cli.needYes');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(t(io.lang, 'apply.cli.confirm'));
    rl.close();
    if (!/^(y|yes|是)$/i.test(answer.trim())) {
      io.stderr(`${t(io.lang, 'apply.cli.cancelled')}\n`);
      return EXIT_USAGE;
    }
  }
  const result = await runOperation('apply', { planText, secrets: secrets.secrets, dryRun, ...(warmupMs !== undefined ? { warmupMs } : {}) }, {
    lang: io.lang,
    onProgress: (event) => {
      // A step on its own line, the finer lines (a service, a file, a row…) indented under it.
      if (io.interactive && !json) io.stderr(`${applyStepOf(event.step) === null && event.step !== 'progress.apply.rollback' ? '  ' : ''}${event.message}\n`);
    },
  });
  if (!result.ok) return reportError(io, json, result.error, operations.apply.inputErrors);
  if (json) io.stdout(`${JSON.stringify(result.value, null, 2)}\n`);
  else io.stdout(formatApply(result.value, io.lang));
  return result.value.outcome === 'applied' || result.value.outcome === 'dry-run' ? EXIT_OK : EXIT_FINDINGS;
}
