import type { ApplyOutput, HistoryOutput, RunShowOutput, RunSummary } from '../../../shared/contract/apply.js';
import { PlanSchema } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { existsSync } from 'node:fs';
import { dataDir as defaultDataDir } from '../common/paths.js';
import { acquireApplyLock, Journal, journalPath, type RunDetail, type RunRow } from '../journal/index.js';
import { sha256Hex } from '../ports/index.js';
import { restoreRun } from './restore.js';
import { resolveSecrets } from './secrets.js';
import type { ApplyDeps } from './types.js';
import { iso, newRunId } from './util.js';

const summary = (r: RunRow): RunSummary => ({ id: r.id, kind: r.kind, ofRun: r.ofRun, state: r.state, method: r.method, profile: r.profile, startedAt: r.startedAt, finishedAt: r.finishedAt, failedStep: r.failedStep });

function withJournal<T>(deps: ApplyDeps, fn: (j: Journal) => T): T {
  const j = Journal.open(deps.dataDir);
  try {
    return fn(j);
  } finally {
    j.close();
  }
}

export async function history(limit: number, deps: ApplyDeps): Promise<HistoryOutput> {
  return withJournal(deps, (j) => ({ runs: j.runs(limit).map(summary), unfinished: j.unfinished().map((r) => r.id) }));
}

export async function showRun(id: string, deps: ApplyDeps): Promise<RunShowOutput> {
  return withJournal(deps, (j) => {
    const run = j.run(id);
    if (run === null) throw new EngineError('APPLY_RUN_NOT_FOUND', { run: id }, {});
    return {
      ...summary(run),
      planSha256: run.planSha256,
      steps: run.steps.map((s) => ({ seq: s.seq, name: s.name, status: s.status, at: s.at, ms: s.ms })),
      backups: run.backups.map((b) => ({ path: b.path, existed: b.existed, sha256: b.sha256, mode: b.mode, uid: b.uid, gid: b.gid, stored: b.storedAt !== null, restored: b.restored })),
      fineDb: run.finedb.map((f) => ({ install: f.install, backupId: f.backupId, rows: f.rows })),
      checks: run.checks.map((c) => ({ phase: c.phase, url: c.url, ok: c.ok, codes: c.codes })),
      outcome: run.outcome,
    };
  });
}

/** Runs a restore of `target` under the lock as a run of its own (kind rollback or recover). */
async function undo(target: RunDetail, kind: 'rollback' | 'recover', ctx: OpContext, deps: ApplyDeps, journal: Journal, secrets: Readonly<Record<string, string>>): Promise<ApplyOutput> {
  const plan = PlanSchema.parse(target.plan);
  const id = newRunId(ctx.ports.clock);
  journal.beginRun({ id, kind, ofRun: target.id, method: target.method, profile: target.profile, planSha256: target.planSha256, plan, startedAt: iso(ctx.ports.clock) });
  const restore = await restoreRun(target, ctx, deps, journal, secrets, id);
  const ok = restore.manual.length === 0;
  journal.finishRun(id, ok ? 'applied' : 'rollback-incomplete', iso(ctx.ports.clock), { restore });
  if (kind === 'recover') journal.finishRun(target.id, ok ? 'rolled-back' : 'rollback-incomplete', iso(ctx.ports.clock), { recoveredBy: id, restore }, target.steps.filter((s) => s.status === 'started').at(-1)?.name);
  else if (ok) journal.markReverted(target.id);
  return {
    runId: id,
    outcome: ok ? 'reverted' : 'rollback-incomplete',
    method: target.method,
    profile: target.profile,
    steps: [],
    files: plan.files.map((f) => ({ path: f.path, action: f.action, beforeSha256: f.beforeSha256, afterSha256: f.afterSha256 })),
    checks: restore.checks,
    restore,
  };
}

function locked<T>(deps: ApplyDeps, id: string, fn: (j: Journal) => Promise<T>): Promise<T> {
  const lock = acquireApplyLock(id, deps.dataDir);
  if (!lock.ok) throw new EngineError('APPLY_LOCKED', { pid: lock.holder.pid, since: lock.holder.since, run: lock.holder.runId ?? '' }, { ...lock.holder });
  const j = Journal.open(deps.dataDir);
  return fn(j).finally(() => {
    j.close();
    lock.lock.release();
  });
}

/**
 * `rollback <run>`: puts the state before an applied run back, if its files still hold what the
 * run wrote (else refuses and lists what changed since) and its backups are still kept.
 */
export async function rollbackRun(id: string, secrets: Readonly<Record<string, string>>, ctx: OpContext, deps: ApplyDeps): Promise<ApplyOutput> {
  return locked(deps, `rollback-${id}`, async (j) => {
    const run = j.run(id);
    if (run === null) throw new EngineError('APPLY_RUN_NOT_FOUND', { run: id }, {});
    if (run.kind !== 'apply' || run.state !== 'applied') throw new EngineError('APPLY_ROLLBACK_STATE', { run: id, state: run.state }, { state: run.state });
    const plan = PlanSchema.parse(run.plan);
    resolveSecrets(plan, secrets);
    const changed: string[] = [];
    // What the run wrote (a server.xml with its secrets filled differs from the plan's afterSha256).
    const written = (run.steps.find((s) => s.name === 'write-files' && s.status === 'done')?.detail as { sha256?: Record<string, string> } | null | undefined)?.sha256 ?? {};
    for (const f of plan.files) {
      const st = await ctx.ports.fs.lstat(f.path);
      if (f.action === 'link') {
        // Still the link the run made (the same text), else someone changed it since.
        if (st === null || !st.isSymbolicLink() || (await ctx.ports.fs.readLink(f.path)) !== f.linkTarget) changed.push(f.path);
        continue;
      }
      const now = st === null ? null : sha256Hex(await ctx.ports.fs.readFile(f.path, { maxBytes: 64 * 1024 * 1024 }));
      if (now !== (written[f.path] ?? f.afterSha256)) changed.push(f.path);
    }
    if (changed.length > 0) throw new EngineError('APPLY_ROLLBACK_CHANGED', { run: id, paths: changed.join(', ') }, { paths: changed });
    const missing = run.backups.filter((b) => b.existed && b.storedAt === null).map((b) => b.path);
    if (missing.length > 0) throw new EngineError('APPLY_BACKUP_MISSING', { path: missing.join(', '), stored: '' }, { paths: missing });
    return undo(run, 'rollback', ctx, deps, j, secrets);
  });
}

/** `recover`: finds the unfinished run(s) a killed apply left and puts the state before each back. */
export async function recoverRuns(secrets: Readonly<Record<string, string>>, ctx: OpContext, deps: ApplyDeps): Promise<ApplyOutput> {
  return locked(deps, 'recover', async (j) => {
    const unfinished = j.unfinished();
    if (unfinished.length === 0) throw new EngineError('APPLY_NOTHING_TO_RECOVER', {}, {});
    let last: ApplyOutput | null = null;
    for (const r of unfinished.reverse()) last = await undo(j.run(r.id)!, 'recover', ctx, deps, j, secrets);
    return last!;
  });
}

/** Ids of runs that never finished (for the notice every command prints); [] when there is no journal yet. */
export function unfinishedRuns(dir?: string): string[] {
  const d = dir ?? defaultDataDir();
  if (!existsSync(journalPath(d))) return [];
  const j = Journal.open(d);
  try {
    return j.unfinished().map((r) => r.id);
  } finally {
    j.close();
  }
}
