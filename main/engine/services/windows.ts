import type { ServiceAdapter, ServiceDeps, ServiceRef } from './types.js';
import { envOf, requireOk, toolsOf } from './tools.js';

type WindowsRef = Extract<ServiceRef, { kind: 'windows' }>;

/** One SERVICE_NAME block of `sc.exe query/queryex/enumdepend` output. */
export interface ScEntry {
  readonly name: string;
  /** 1 STOPPED, 2 START_PENDING, 3 STOP_PENDING, 4 RUNNING, 5-7 (PAUSE states). */
  readonly state: number;
  readonly pid: number;
}

/** Parses sc.exe's (English or localized) output: the keys are always the English upper-case names. */
export function parseSc(output: string): ScEntry[] {
  const entries: ScEntry[] = [];
  let current: { name: string; state: number; pid: number } | null = null;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trim();
    const name = /^SERVICE_NAME\s*:\s*(.+)$/.exec(line);
    if (name) {
      current = { name: name[1]!.trim(), state: 0, pid: 0 };
      entries.push(current);
      continue;
    }
    if (current === null) continue;
    const state = /^STATE\s*:\s*(\d+)/.exec(line);
    if (state) current.state = Number(state[1]);
    const pid = /^PID\s*:\s*(\d+)/.exec(line);
    if (pid) current.pid = Number(pid[1]);
  }
  return entries;
}

/**
 * A Windows service through sc.exe: `query`/`queryex` for the state and PID, `stop`/`start` (which
 * return at once with a *_PENDING state; the caller polls), `enumdepend` for running dependents,
 * which are stopped first and started again after. "Not started" (1062) on stop and "already
 * running" (1056) on start are not failures.
 */
export function windowsAdapter(ref: WindowsRef, deps: ServiceDeps): ServiceAdapter {
  const sc = toolsOf(deps).sc;
  const run = (args: string[]) => deps.process.run({ command: sc, args, env: envOf(deps), timeoutMs: 60_000 });
  const describe = `Windows service ${ref.name}`;
  return {
    describe,
    async status() {
      const r = await run(['queryex', ref.name]);
      requireOk(r, sc, ['queryex', ref.name], describe);
      const entry = parseSc(r.stdout)[0];
      const running = entry !== undefined && entry.state !== 1;
      return { running, pids: entry !== undefined && entry.pid > 0 ? [entry.pid] : [] };
    },
    async stop() {
      const r = await run(['stop', ref.name]);
      requireOk(r, sc, ['stop', ref.name], describe, [0, 1062]);
    },
    async start() {
      const r = await run(['start', ref.name]);
      requireOk(r, sc, ['start', ref.name], describe, [0, 1056]);
    },
    async dependents() {
      const r = await run(['enumdepend', ref.name]);
      requireOk(r, sc, ['enumdepend', ref.name], describe);
      return parseSc(r.stdout)
        .filter((e) => e.state !== 1)
        .map((e) => ({ kind: 'windows' as const, name: e.name }));
    },
  };
}
