import type { ApplyOutput, ApplyRequest, ApplyStep, CheckReport, StepReport } from '../../../shared/contract/apply.js';
import { parsePlan, type Plan, type ServiceRef } from '../../../shared/contract/plan.js';
import { t } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { acquireApplyLock, Journal, pruneBackups, scrub } from '../journal/index.js';
import { issuedPaths, issueForPlan } from '../certs/index.js';
import { checksOf, runChecksWithWarmup } from './checks.js';
import { backupFiles, makeFolders, writeFiles } from './files.js';
import { preflight } from './preflight.js';
import { progressItem, progressRow } from './progress.js';
import { restoreRun } from './restore.js';
import { resolveSecrets } from './secrets.js';
import { startServices, stopServices } from './service-steps.js';
import type { ApplyDeps } from './types.js';
import { describeError, iso, newRunId } from './util.js';

export function parsePlanOrThrow(text: string): Plan {
  const parsed = parsePlan(text);
  if (!parsed.ok) throw new EngineError(parsed.error.code, parsed.error.params as Record<string, string | number>, { ...parsed.error.params });
  return parsed.plan;
}

const fileReports = (plan: Plan) => plan.files.map((f) => ({ path: f.path, action: f.action, beforeSha256: f.beforeSha256, afterSha256: f.afterSha256 }));

/** Runs one step: journaled before and after, reported as progress, timed; the boundary hook runs around it. */
class Steps {
  readonly reports: StepReport[] = [];
  current: ApplyStep | null = null;
  constructor(
    private readonly runId: string,
    private readonly ctx: OpContext,
    private readonly deps: ApplyDeps,
    private readonly journal: Journal,
    private readonly operation: string,
  ) {}

  async run<T>(name: ApplyStep, fn: () => Promise<T>, detail: (r: T) => unknown = () => undefined): Promise<T> {
    this.current = name;
    await this.deps.boundary?.(name, 'before');
    const clock = this.ctx.ports.clock;
    this.journal.step(this.runId, name, 'started', iso(clock));
    const index = this.reports.length + 1;
    this.ctx.onProgress({ operation: this.operation, step: `progress.apply.${name}`, message: t(this.ctx.lang, `progress.apply.${name}`), current: index, total: 9 });
    const t0 = clock.now().getTime();
    try {
      const result = await fn();
      const ms = clock.now().getTime() - t0;
      this.journal.step(this.runId, name, 'done', iso(clock), detail(result), ms);
      this.reports.push({ name, status: 'done', ms });
      await this.deps.boundary?.(name, 'after');
      return result;
    } catch (error) {
      const ms = clock.now().getTime() - t0;
      this.journal.step(this.runId, name, 'failed', iso(clock), { code: error instanceof EngineError ? error.code : 'INTERNAL_ERROR', evidence: error instanceof EngineError ? error.evidence : undefined }, ms);
      this.reports.push({ name, status: 'failed', ms });
      throw error;
    }
  }

  skip(name: ApplyStep): void {
    this.journal.step(this.runId, name, 'skipped', iso(this.ctx.ports.clock));
    this.reports.push({ name, status: 'skipped', ms: 0 });
  }
}

/**
 * Applies a plan as a transaction: preflight (nothing touched) → back up files → stop services
 * (confirmed) → back up FineDB (while its server is stopped) → write files atomically →
 * certificates → FineDB rows → start services (confirmed ready) → checks with a warm-up window.
 * Any failure, a failing check included, rolls back to the state before (restoreRun). One apply at
 * a time per machine (the lock); an unfinished run must be recovered first.
 */
export async function applyPlan(input: ApplyRequest, ctx: OpContext, deps: ApplyDeps): Promise<ApplyOutput> {
  const plan = parsePlanOrThrow(input.planText);
  const secrets = resolveSecrets(plan, input.secrets);
  const base = { method: plan.method, profile: plan.profile, files: fileReports(plan) };
  if (input.dryRun) {
    const pre = await preflight(plan, ctx, deps, secrets);
    return { runId: null, outcome: 'dry-run', ...base, steps: [{ name: 'preflight', status: 'done', ms: 0 }], checks: pre.checksBefore };
  }
  const runId = newRunId(ctx.ports.clock);
  const lock = acquireApplyLock(runId, deps.dataDir);
  if (!lock.ok) throw new EngineError('APPLY_LOCKED', { pid: lock.holder.pid, since: lock.holder.since, run: lock.holder.runId ?? '' }, { ...lock.holder });
  let journal: Journal | null = null;
  try {
    journal = Journal.open(deps.dataDir);
    const unfinished = journal.unfinished();
    if (unfinished.length > 0) throw new EngineError('APPLY_UNFINISHED_RUN', { run: unfinished[0]!.id }, { runs: unfinished.map((r) => r.id) });
    const j = journal;
    j.beginRun({ id: runId, kind: 'apply', method: plan.method, profile: plan.profile, planSha256: sha(input.planText), plan, startedAt: iso(ctx.ports.clock) });
    const steps = new Steps(runId, ctx, deps, j, 'apply');
    let pre;
    try {
      pre = await steps.run('preflight', () => preflight(plan, ctx, deps, secrets));
    } catch (error) {
      j.finishRun(runId, 'refused', iso(ctx.ports.clock), { error: describeError(error, 'en') }, 'preflight');
      throw error;
    }
    for (const c of pre.checksBefore) j.recordCheck(runId, { phase: 'before', url: c.url, ok: c.ok, codes: c.codes, at: iso(ctx.ports.clock) });
    let checks: CheckReport[] = [];
    try {
      await steps.run('backup-files', () => backupFiles(runId, pre.files, ctx, j), (r) => r);
      const dependents = new Map<string, readonly ServiceRef[]>();
      await steps.run('stop-services', () => stopServices(plan, runId, ctx, deps, j), (r) => r);
      for (const s of j.run(runId)!.steps) if (s.name.startsWith('stop:') && s.status === 'done') dependents.set(s.name.slice(5), ((s.detail as { dependents?: ServiceRef[] }).dependents ?? []));
      if (plan.fineDbRows.length > 0 && deps.finedb !== null) {
        const finedb = deps.finedb;
        await steps.run('backup-finedb', async () => {
          for (const install of [...new Set(plan.fineDbRows.map((r) => r.install))]) {
            progressItem(ctx, 'finedbBackup', { install });
            const b = await finedb.backup(install, ctx, secrets);
            const rows = plan.fineDbRows.filter((r) => r.install === install).map((r) => ({ id: r.id, existed: r.before !== null && r.before !== undefined, value: typeof r.before === 'string' ? r.before : r.before === null || r.before === undefined ? null : '(secret)' }));
            j.recordFineDb(runId, { install, kind: b.kind, backupId: b.id, backupPath: b.path, rows });
          }
        });
      } else steps.skip('backup-finedb');
      await steps.run('write-files', () => writeFiles(plan, ctx, (dirs) => j.step(runId, 'write-files:dirs', 'done', iso(ctx.ports.clock), { dirs }), new Map(pre.files.map((f) => [f.path, f.selinux])), secrets, new Map(pre.files.map((f) => [f.path, f.bytes]))), (r) => r);
      if (plan.certificates.some((c) => c.kind === 'issue')) {
        await steps.run('certificates', async () => {
          const written: string[] = [];
          for (const c of plan.certificates) {
            if (c.kind !== 'issue') continue;
            progressItem(ctx, 'issue', { names: c.names.join(', '), files: issuedPaths(c.outputs).join(', ') });
            await makeFolders(issuedPaths(c.outputs), ctx, (dirs) => j.step(runId, 'write-files:dirs', 'done', iso(ctx.ports.clock), { dirs }));
            written.push(...(await issueForPlan({ names: c.names, outputs: c.outputs, secrets }, ctx)));
          }
          return { written };
        }, (r) => r);
      } else steps.skip('certificates');
      if (plan.fineDbRows.length > 0 && deps.finedb !== null) {
        const finedb = deps.finedb;
        await steps.run('finedb-rows', () => {
          for (const row of plan.fineDbRows) progressRow(ctx, row);
          return finedb.write(plan.fineDbRows, secrets, ctx);
        });
      } else steps.skip('finedb-rows');
      await steps.run('start-services', () => startServices(plan, runId, ctx, deps, j, dependents), (r) => r);
      checks = await steps.run('checks', async () => {
        const reports = await runChecksWithWarmup(checksOf(plan), ctx, deps, input.warmupMs);
        for (const c of reports) j.recordCheck(runId, { phase: 'after', url: c.url, ok: c.ok, codes: c.codes, at: iso(ctx.ports.clock) });
        const failing = reports.filter((c) => !c.ok);
        if (failing.length > 0) throw new EngineError('APPLY_CHECK_FAILED', { urls: failing.map((c) => `${c.url} (${c.codes.join(', ')})`).join('; ') }, { checks: failing });
        return reports;
      });
      const out: ApplyOutput = { runId, outcome: 'applied', ...base, steps: steps.reports, checks };
      j.finishRun(runId, 'applied', iso(ctx.ports.clock), { outcome: 'applied', steps: steps.reports });
      pruneBackups(j, deps.retention);
      return out;
    } catch (error) {
      const failedStep = steps.current ?? 'preflight';
      const described = describeError(error, ctx.lang);
      // A command's output in an error message could hold a secret it was given: scrubbed like the journal.
      const failure = { step: failedStep, code: described.code, message: scrub(described.message), ...(described.fix !== undefined ? { fix: scrub(described.fix) } : {}) };
      ctx.onProgress({ operation: 'apply', step: 'progress.apply.rollback', message: t(ctx.lang, 'progress.apply.rollback') });
      const restore = await restoreRun(j.run(runId)!, ctx, deps, j, secrets, runId);
      const outcome = restore.manual.length === 0 ? 'rolled-back' : 'rollback-incomplete';
      j.finishRun(runId, outcome, iso(ctx.ports.clock), { outcome, failure: { step: failedStep, code: failure.code }, restore }, failedStep);
      return { runId, outcome, ...base, steps: steps.reports, checks, failure, restore };
    }
  } finally {
    journal?.close();
    lock.lock.release();
  }
}

import { createHash } from 'node:crypto';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
