import { basename } from 'node:path';
import type { ServiceAdapter, ServiceDeps, ServiceRef } from './types.js';
import { envOf, requireOk, toolsOf } from './tools.js';
import { runAsFor } from '../common/run-as.js';

type SysvRef = Extract<ServiceRef, { kind: 'sysv' }>;

/**
 * A SysV init script: `service <name> stop|start|status` when the script lives in /etc/init.d,
 * else the script itself. `status` exits 0 while running and 3 when stopped (LSB); anything else
 * counts as "not sure", which is treated as running so the ports decide.
 */
export function sysvAdapter(ref: SysvRef, deps: ServiceDeps): ServiceAdapter {
  const viaService = ref.script.startsWith('/etc/init.d/');
  const command = viaService ? toolsOf(deps).service : ref.script;
  const argsFor = (verb: string) => (viaService ? [basename(ref.script), verb] : [verb]);
  const describe = `init script ${ref.script}`;
  // An init script another account can change runs as that account, never as root (issue 9).
  const runAs = () => runAsFor({ program: command, loads: [ref.script] });
  return {
    describe,
    async status() {
      const r = await deps.process.run({ command, args: argsFor('status'), env: envOf(deps), timeoutMs: 30_000, ...(await runAs()) });
      // LSB: 0 running, 1-3 not running, 4 unknown (the ports decide then).
      return { running: r.code === 0 || r.code === 4 || r.code === null, pids: [] };
    },
    async stop() {
      const args = argsFor('stop');
      requireOk(await deps.process.run({ command, args, env: envOf(deps), timeoutMs: 120_000, ...(await runAs()) }), command, args, describe);
    },
    async start() {
      const args = argsFor('start');
      requireOk(await deps.process.run({ command, args, env: envOf(deps), timeoutMs: 120_000, ...(await runAs()) }), command, args, describe);
    },
  };
}
