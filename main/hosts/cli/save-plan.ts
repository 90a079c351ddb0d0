import { resolve } from 'node:path';
import type { Plan } from '../../../shared/contract/plan.js';
import { t } from '../../../shared/i18n/index.js';
import { describeErrno, errnoOf } from '../../engine/common/errno.js';
import { realFilePort } from '../../engine/ports/index.js';
import { formatPlan } from './format-plan.js';
import { EXIT_FINDINGS, EXIT_OK, reportError, type CliIO } from './io.js';

/**
 * `--out plan.json` of every planner: the plan saved through the one atomic writer (exclusive temp
 * file, fsync, never through a link; a new file 0600). Returns null when saved, else the exit code
 * of the reported error.
 */
export async function savePlan(outArg: string, plan: Plan, io: CliIO, json: boolean): Promise<number | null> {
  const out = resolve(outArg);
  try {
    await realFilePort.writeAtomic(out, `${JSON.stringify(plan, null, 2)}\n`);
  } catch (error) {
    const errno = (error as { evidence?: { errno?: unknown } }).evidence?.errno;
    const code = typeof errno === 'string' ? errno : errnoOf(error);
    return reportError(io, json, { code: 'OUT_UNWRITABLE', message: t(io.lang, 'cli.plan.outUnwritable', { path: out, reason: describeErrno(code, io.lang) }), evidence: { path: out, errno: code } }, []);
  }
  if (!json) io.stderr(`${t(io.lang, 'cli.plan.saved', { path: out })}\n`);
  return null;
}

/**
 * The end of every `plan …` command: save the plan when `--out` is given, print it (or the JSON
 * document), and exit 1 when a note is an error, else 0.
 */
export async function finishPlan(out: unknown, output: { readonly plan: Plan; readonly changed: boolean }, io: CliIO, json: boolean): Promise<number> {
  if (typeof out === 'string') {
    const failed = await savePlan(out, output.plan, io, json);
    if (failed !== null) return failed;
  }
  if (json) io.stdout(`${JSON.stringify({ ok: true, ...output }, null, 2)}\n`);
  else io.stdout(formatPlan(output.plan, io.lang, { changed: output.changed }));
  return output.plan.notes.some((n) => n.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}
