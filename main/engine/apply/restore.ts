import type { CheckReport, RestoreReport } from '../../../shared/contract/apply.js';
import { PlanSchema, type Plan, type ServiceRef } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import type { Journal, RunDetail } from '../journal/index.js';
import { serviceStatus, startService, stopService } from '../services/index.js';
import { checksOf, runChecksWithWarmup } from './checks.js';
import { restoreFiles } from './files.js';
import { serviceDepsOf } from './preflight.js';
import { progressItem, progressReady } from './progress.js';
import type { StopRecord } from './service-steps.js';
import type { ApplyDeps } from './types.js';
import { iso } from './util.js';

type Manual = RestoreReport['manual'][number];

const started = (run: RunDetail, name: string) => run.steps.some((s) => s.name === name);
const detailOf = <T>(run: RunDetail, name: string, status: string): T | undefined => run.steps.find((s) => s.name === name && s.status === status)?.detail as T | undefined;

/**
 * Puts the state before a run back, from what the journal holds (after a failed step, a crash, or
 * on request): stop the plan's services (confirm stopped), restore every file byte-identical with
 * mode and owner, restore FineDB from its backup, start the services that were running before with
 * the old configuration (confirm the ports that answered before answer again), and re-run the
 * checks that passed before. What cannot be restored is listed with how to do it by hand.
 */
export async function restoreRun(run: RunDetail, ctx: OpContext, deps: ApplyDeps, journal: Journal, secrets: Readonly<Record<string, string>>, journalTo: string): Promise<RestoreReport> {
  const plan: Plan = PlanSchema.parse(run.plan);
  const sdeps = serviceDepsOf(ctx);
  const manual: Manual[] = [];
  const services: string[] = [];
  const touchedServices = run.steps.some((s) => s.name.startsWith('stop:') || s.name.startsWith('start:'));
  const note = (step: string, status: 'started' | 'done' | 'failed', detail?: unknown) => journal.step(journalTo, step, status, iso(ctx.ports.clock), detail);

  // 1. Every service of the plan stopped (the one started with the new configuration too).
  const runningNow = new Map<string, { running: boolean; open: { host: string; port: number }[] }>();
  if (touchedServices) {
    note('rollback:stop', 'started');
    for (const s of plan.services) {
      // The process the run started: journaled when the start finished, or when it was spawned (a start that never became ready).
      const ref = detailOf<{ ref: ServiceRef }>(run, `start:${s.id}`, 'done')?.ref ?? detailOf<{ ref: ServiceRef }>(run, `start:${s.id}:spawned`, 'done')?.ref ?? s.service;
      try {
        const st = await serviceStatus({ ref, ready: s.ready }, sdeps);
        runningNow.set(s.id, { running: st.running || st.open.length > 0, open: st.open.map((e) => ({ host: e.host, port: e.port })) });
        progressItem(ctx, 'stopping', { service: s.id, how: ref.kind });
        await stopService({ ref, ready: s.ready }, sdeps, deps.timing);
        progressItem(ctx, 'stopped', { service: s.id });
      } catch (error) {
        manual.push({ code: 'apply.manual.stop', params: { service: s.id, reason: reasonOf(error) } });
      }
    }
    note('rollback:stop', 'done');
  }

  // 2. Files.
  note('rollback:files', 'started');
  const dirs = run.steps.filter((s) => s.name === 'write-files:dirs').flatMap((s) => (s.detail as { dirs?: string[] } | null)?.dirs ?? []);
  const files = await restoreFiles(run.id, run.backups, dirs, ctx, journal);
  for (const path of files.restored) progressItem(ctx, 'restored', { path });
  for (const p of files.problems) manual.push({ code: 'apply.manual.file', params: { path: p.path, backup: p.backup ?? '-', reason: p.reason } });
  note('rollback:files', 'done', { restored: files.restored });

  // 3. FineDB (only if the write step began; the backup was taken while the server was stopped).
  const fineDb: string[] = [];
  if (started(run, 'finedb-rows') && deps.finedb !== null) {
    note('rollback:finedb', 'started');
    for (const f of run.finedb) {
      try {
        await deps.finedb.restore(f.backupId, f.install, ctx, secrets);
        progressItem(ctx, 'finedbRestored', { install: f.install });
        fineDb.push(f.install);
      } catch (error) {
        manual.push({ code: 'apply.manual.finedb', params: { install: f.install, backup: f.backupPath, reason: reasonOf(error) } });
      }
    }
    note('rollback:finedb', 'done');
  }

  // 4. Services that were running before the run, started with the old configuration.
  if (touchedServices) {
    note('rollback:start', 'started');
    for (const s of [...plan.services].reverse()) {
      const record = detailOf<StopRecord>(run, `stop:${s.id}`, 'started');
      const now = runningNow.get(s.id);
      const wasRunning = record?.wasRunning ?? now?.running ?? false;
      if (!wasRunning) continue;
      const deps2 = detailOf<{ dependents?: ServiceRef[] }>(run, `stop:${s.id}`, 'done')?.dependents ?? [];
      try {
        // Ready again when the ports that answered before answer (not the plan's new ones).
        const ready = record?.portsBefore ?? now?.open ?? [];
        progressItem(ctx, 'starting', { service: s.id, how: s.service.kind });
        await startService({ ref: s.service, ready }, sdeps, deps.timing, deps2);
        progressReady(ctx, s.id, ready);
        services.push(s.id);
      } catch (error) {
        manual.push({ code: 'apply.manual.start', params: { service: s.id, reason: reasonOf(error) } });
      }
    }
    note('rollback:start', 'done');
  }

  // 5. The checks that passed before the run pass again.
  const passedBefore = run.checks.filter((c) => c.phase === 'before' && c.ok).map((c) => c.url);
  let checks: CheckReport[] = [];
  if (passedBefore.length > 0) {
    checks = await runChecksWithWarmup(checksOf(plan).filter((c) => passedBefore.includes(c.url)), ctx, deps, 30_000);
    for (const c of checks) {
      journal.recordCheck(journalTo, { phase: 'after-rollback', url: c.url, ok: c.ok, codes: c.codes, at: iso(ctx.ports.clock) });
      if (!c.ok) manual.push({ code: 'apply.manual.check', params: { url: c.url, codes: c.codes.join(', ') } });
    }
  }
  return { files: files.restored, fineDb, services, checks, manual };
}

function reasonOf(error: unknown): string {
  if (error !== null && typeof error === 'object' && 'code' in error && typeof (error as { code: unknown }).code === 'string') return (error as { code: string }).code;
  return error instanceof Error ? error.message : String(error);
}
