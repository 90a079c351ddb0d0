import type { ServiceAdapter, ServiceDeps, ServiceRef } from './types.js';
import { envOf, pidAlive, signalPid } from './tools.js';
import { EngineError } from '../common/engine-error.js';
import { runAsFor } from '../common/run-as.js';

/** Absolute paths an argv names (`/x`, `-cp /a:/b`, `-Dk=/x`): what the program may load code from. */
function pathsIn(argv: readonly string[]): string[] {
  return argv.flatMap((arg) => arg.split(/[=:]/)).filter((part) => part.startsWith('/'));
}

type ProcessRef = Extract<ServiceRef, { kind: 'process' }>;

/**
 * A plain process known by its pid and argv: stopped with SIGTERM (SIGKILL only after the
 * bounded wait), started again with the same argv (never a shell).
 * The pid of the new process is kept so the next stop finds it.
 */
export function processAdapter(ref: ProcessRef, deps: ServiceDeps): ServiceAdapter {
  let pid = ref.pid;
  const describe = `process ${ref.pid} (${ref.argv.join(' ').slice(0, 80)})`;
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
      const [command, ...args] = ref.argv;
      // A program, jar or folder on its command line that another account can change: run as that account, never root (issue 9).
      const runAs = await runAsFor({ program: command!, loads: [...pathsIn(args), ...(ref.cwd !== undefined ? [ref.cwd] : [])] });
      const child = deps.process.start({ command: command!, args, env: envOf(deps), detached: true, ...(ref.cwd !== undefined ? { cwd: ref.cwd } : {}), ...runAs });
      if (child.pid === undefined) throw new EngineError('SERVICE_COMMAND_FAILED', { service: describe, command: ref.argv.join(' '), reason: 'not started', output: '' }, {});
      pid = child.pid;
      return { ...ref, pid };
    },
    async forceStop(pids) {
      for (const p of pids) await signalPid(deps, p, 'KILL');
    },
  };
}
