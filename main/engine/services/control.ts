import { EngineError } from '../common/engine-error.js';
import { adapterFor } from './adapter.js';
import { portAnswers, urlAnswers } from './probe.js';
import { pidAlive } from './tools.js';
import { DEFAULT_TIMING, type Endpoint, type ServiceAdapter, type ServiceDeps, type ServiceRef, type Timing } from './types.js';

export interface ServiceTarget {
  readonly ref: ServiceRef;
  /** The service's own ports: closed once stopped, answering once ready. */
  readonly ready: readonly Endpoint[];
}

export interface StopOutcome {
  /** False when it was already stopped (then start after apply is still wanted: the plan says so). */
  readonly wasRunning: boolean;
  /** Running dependents stopped first (Windows); started again after the service. */
  readonly dependents: readonly ServiceRef[];
  readonly forced: boolean;
}

async function openPorts(endpoints: readonly Endpoint[]): Promise<Endpoint[]> {
  const answers = await Promise.all(endpoints.map((e) => portAnswers(e.host, e.port, 500)));
  return endpoints.filter((_, i) => answers[i]);
}

async function livePids(deps: ServiceDeps, pids: readonly number[]): Promise<number[]> {
  const alive: number[] = [];
  for (const pid of pids) if (await pidAlive(deps, pid)) alive.push(pid);
  return alive;
}

/** Polls `probe` until it returns null (done) or the deadline passes; returns the last evidence. */
async function pollUntil<T>(deps: ServiceDeps, timeoutMs: number, pollMs: number, probe: () => Promise<T | null>): Promise<T | null> {
  const deadline = deps.clock.now().getTime() + timeoutMs;
  for (;;) {
    const left = await probe();
    if (left === null) return null;
    if (deps.clock.now().getTime() >= deadline) return left;
    await deps.clock.sleep(pollMs);
  }
}

/**
 * Stops a service and confirms it stopped: the manager says so, every process it had is gone and
 * none of its ports answers, within a bounded wait. Half-way through the wait the adapter's
 * last resort runs (SIGKILL of the known pids); after it, SERVICE_STOP_TIMEOUT.
 */
export async function stopService(target: ServiceTarget, deps: ServiceDeps, timing: Timing = DEFAULT_TIMING): Promise<StopOutcome> {
  const adapter = adapterFor(target.ref, deps);
  const dependents = adapter.dependents ? await adapter.dependents() : [];
  for (const dep of dependents) await stopService({ ref: dep, ready: [] }, deps, timing);
  const before = await adapter.status();
  const portsBefore = await openPorts(target.ready);
  if (!before.running && before.pids.length === 0 && portsBefore.length === 0) return { wasRunning: false, dependents, forced: false };
  await adapter.stop();
  const pids = before.pids;
  const probe = async () => {
    const status = await adapter.status();
    const alive = await livePids(deps, pids);
    const open = await openPorts(target.ready);
    return status.running || alive.length > 0 || open.length > 0 ? { running: status.running, alive: [...new Set([...alive, ...status.pids])], open } : null;
  };
  const firstWait = adapter.forceStop ? timing.stopTimeoutMs / 2 : timing.stopTimeoutMs;
  let left = await pollUntil(deps, firstWait, timing.pollMs, probe);
  let forced = false;
  if (left !== null && adapter.forceStop && left.alive.length > 0) {
    forced = true;
    await adapter.forceStop(left.alive);
    left = await pollUntil(deps, timing.stopTimeoutMs / 2, timing.pollMs, probe);
  }
  if (left !== null) throw stopTimeout(adapter, timing, left);
  return { wasRunning: true, dependents, forced };
}

function stopTimeout(adapter: ServiceAdapter, timing: Timing, left: { running: boolean; alive: number[]; open: Endpoint[] }): EngineError {
  return new EngineError(
    'SERVICE_STOP_TIMEOUT',
    { service: adapter.describe, seconds: Math.round(timing.stopTimeoutMs / 1000), pids: left.alive.join(', '), ports: left.open.map((e) => `${e.host}:${e.port}`).join(', ') },
    { running: left.running, pids: left.alive, ports: left.open.map((e) => `${e.host}:${e.port}`) },
  );
}

/**
 * Starts a service and confirms it is ready: every port answers and every readiness URL answers
 * (below 500), and the manager says it runs, within a bounded wait. Dependents stopped before are
 * started after it. Returns the reference to use from now on (a plain process gets a new pid).
 */
export async function startService(target: ServiceTarget, deps: ServiceDeps, timing: Timing = DEFAULT_TIMING, dependents: readonly ServiceRef[] = [], onStarted?: (ref: ServiceRef) => void): Promise<ServiceRef> {
  const first = adapterFor(target.ref, deps);
  const changed = await first.start();
  const ref = changed ?? target.ref;
  // A start that names a new process (a plain process gets a new pid) is said before waiting for it
  // to be ready: if it never is, whoever undoes the start must stop that process, not the old pid.
  if (changed) onStarted?.(ref);
  const adapter = changed ? adapterFor(ref, deps) : first;
  const left = await pollUntil(deps, timing.startTimeoutMs, timing.pollMs, async () => {
    // The manager must say it runs too: a port may answer for a moment while a start fails.
    if (!(await adapter.status()).running) return { closed: target.ready.map((e) => `${e.host}:${e.port}`), urls: [] as string[] };
    if (target.ready.length === 0) return null;
    const closed = target.ready;
    const answers = await Promise.all(closed.map((e) => portAnswers(e.host, e.port, 500)));
    const notOpen = closed.filter((_, i) => !answers[i]);
    if (notOpen.length > 0) return { closed: notOpen.map((e) => `${e.host}:${e.port}`), urls: [] };
    const urls = target.ready.flatMap((e) => (e.url !== undefined ? [e.url] : []));
    const ok = await Promise.all(urls.map((u) => urlAnswers(u)));
    const failing = urls.filter((_, i) => !ok[i]);
    return failing.length > 0 ? { closed: [], urls: failing } : null;
  });
  if (left !== null) {
    throw new EngineError(
      'SERVICE_START_TIMEOUT',
      { service: adapter.describe, seconds: Math.round(timing.startTimeoutMs / 1000), ports: left.closed.join(', '), urls: left.urls.join(', ') },
      { ports: left.closed, urls: left.urls },
    );
  }
  for (const dep of dependents) await startService({ ref: dep, ready: [] }, deps, timing);
  return ref;
}

/** What the manager says now, plus which of the service's ports answer. */
export async function serviceStatus(target: ServiceTarget, deps: ServiceDeps): Promise<{ running: boolean; pids: readonly number[]; open: readonly Endpoint[] }> {
  const status = await adapterFor(target.ref, deps).status();
  return { ...status, open: await openPorts(target.ready) };
}
