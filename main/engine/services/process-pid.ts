import type { ServiceAdapter, ServiceDeps, ServiceRef } from './types.js';
import { envOf, pidAlive, signalPid, splitCommandLine } from './tools.js';
import { EngineError } from '../common/engine-error.js';

type ProcessRef = Extract<ServiceRef, { kind: 'process' }>;

/**
 * A plain process known by its pid and command line: stopped with SIGTERM (SIGKILL only after the
 * bounded wait), started again from the same command line (split into words, never a shell).
 * The pid of the new process is kept so the next stop finds it.
 */
export function processAdapter(ref: ProcessRef, deps: ServiceDeps): ServiceAdapter {
  let pid = ref.pid;
  const describe = `process ${ref.pid} (${ref.commandLine.slice(0, 80)})`;
  return {
    describe,
    async status() {
      const running = await pidAlive(deps, pid);
      return { running, pids: running ? [pid] : [] };
    },
    async stop() {
      if (await pidAlive(deps, pid)) await signalPid(deps, pid, 'TERM');
    },
    async start() {
      const [command, ...args] = splitCommandLine(ref.commandLine);
      if (command === undefined) throw new EngineError('SERVICE_COMMAND_FAILED', { service: describe, command: '', reason: 'empty command line', output: '' }, {});
      const child = deps.process.start({ command, args, env: envOf(deps), detached: true });
      if (child.pid === undefined) throw new EngineError('SERVICE_COMMAND_FAILED', { service: describe, command: ref.commandLine, reason: 'not started', output: '' }, {});
      pid = child.pid;
      return { ...ref, pid };
    },
    async forceStop(pids) {
      for (const p of pids) await signalPid(deps, p, 'KILL');
    },
  };
}
