import type { ServiceAdapter, ServiceDeps, ServiceRef } from './types.js';
import { envOf, requireOk, toolsOf } from './tools.js';

type SystemdRef = Extract<ServiceRef, { kind: 'systemd' }>;

/** A systemd unit: `systemctl stop|start <unit>`, state from `is-active`, the process from MainPID. */
export function systemdAdapter(ref: SystemdRef, deps: ServiceDeps): ServiceAdapter {
  const systemctl = toolsOf(deps).systemctl;
  const run = (args: string[], timeoutMs = 120_000) => deps.process.run({ command: systemctl, args, env: envOf(deps), timeoutMs });
  const describe = `systemd unit ${ref.unit}`;
  return {
    describe,
    async status() {
      const active = await run(['is-active', '--', ref.unit], 15_000);
      const state = active.stdout.trim();
      const main = await run(['show', '--property=MainPID', '--value', '--', ref.unit], 15_000);
      const pid = Number.parseInt(main.stdout.trim(), 10);
      // activating/deactivating/reloading count as running: the unit is not settled yet.
      const running = state === 'active' || state === 'activating' || state === 'deactivating' || state === 'reloading';
      return { running, pids: Number.isInteger(pid) && pid > 0 ? [pid] : [] };
    },
    async stop() {
      const args = ['stop', '--', ref.unit];
      requireOk(await run(args), systemctl, args, describe);
    },
    async start() {
      const args = ['start', '--', ref.unit];
      requireOk(await run(args), systemctl, args, describe);
    },
  };
}
