import type { Plan, ServiceAction, ServiceRef } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import type { Journal } from '../journal/index.js';
import { portAnswers, serviceStatus, startService, stopService, type Endpoint } from '../services/index.js';
import { serviceDepsOf } from './preflight.js';
import type { ApplyDeps } from './types.js';
import { progressItem, progressReady } from './progress.js';
import { iso } from './util.js';

/** What the journal keeps per service at its stop (before it runs): enough to start it again after a crash. */
export interface StopRecord {
  readonly wasRunning: boolean;
  readonly portsBefore: readonly Endpoint[];
}

/**
 * Stops the plan's services in order, each journaled before (was it running, which ports answered)
 * and after (stopped, its dependents). Then the ports that must be free are checked closed.
 */
export async function stopServices(plan: Plan, runId: string, ctx: OpContext, deps: ApplyDeps, journal: Journal): Promise<{ stopped: string[] }> {
  const sdeps = serviceDepsOf(ctx);
  const stopped: string[] = [];
  for (const s of plan.services) {
    const target = { ref: s.service, ready: s.ready };
    const status = await serviceStatus(target, sdeps);
    const record: StopRecord = { wasRunning: status.running || status.open.length > 0, portsBefore: status.open.map((e) => ({ host: e.host, port: e.port })) };
    journal.step(runId, `stop:${s.id}`, 'started', iso(ctx.ports.clock), record);
    progressItem(ctx, 'stopping', { service: s.id, how: s.service.kind });
    const out = await stopService(target, sdeps, deps.timing);
    progressItem(ctx, 'stopped', { service: s.id });
    journal.step(runId, `stop:${s.id}`, 'done', iso(ctx.ports.clock), { ...record, dependents: out.dependents, forced: out.forced });
    stopped.push(s.id);
  }
  for (const s of plan.services) {
    for (const p of s.mustBeFree) {
      if (await portAnswers(p.host, p.port, 500)) throw new EngineError('APPLY_PORT_IN_USE', { port: `${p.host}:${p.port}`, service: s.id }, { host: p.host, port: p.port });
    }
  }
  return { stopped };
}

/** Starts the plan's services in reverse order and confirms each ready; the reference each runs under is journaled. */
export async function startServices(plan: Plan, runId: string, ctx: OpContext, deps: ApplyDeps, journal: Journal, dependents: ReadonlyMap<string, readonly ServiceRef[]>): Promise<{ started: string[] }> {
  const sdeps = serviceDepsOf(ctx);
  const started: string[] = [];
  for (const s of [...plan.services].reverse()) {
    journal.step(runId, `start:${s.id}`, 'started', iso(ctx.ports.clock));
    progressItem(ctx, 'starting', { service: s.id, how: s.service.kind });
    // The new process (if the start makes one) is journaled before the wait for ready, so a rollback
    // after a start that never became ready stops that process (restore.ts reads `start:<id>:spawned`).
    const ref = await startService({ ref: s.service, ready: s.ready }, sdeps, deps.timing, dependents.get(s.id) ?? [], (spawned) =>
      journal.step(runId, `start:${s.id}:spawned`, 'done', iso(ctx.ports.clock), { ref: spawned }),
    );
    progressReady(ctx, s.id, s.ready);
    journal.step(runId, `start:${s.id}`, 'done', iso(ctx.ports.clock), { ref });
    started.push(s.id);
  }
  return { started };
}

export const targetOf = (s: ServiceAction, ref?: ServiceRef) => ({ ref: ref ?? s.service, ready: s.ready });
