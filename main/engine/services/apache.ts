import { readFileSync } from 'node:fs';
import type { ServiceAdapter, ServiceDeps, ServiceRef } from './types.js';
import { envOf, pidAlive, requireOk, signalPid } from './tools.js';
import { runAsFor } from '../common/run-as.js';

type ApacheRef = Extract<ServiceRef, { kind: 'apache' }>;

/**
 * Apache httpd through apachectl: `-k stop` then `-k start` (never graceful/restart, which reload).
 * The parent process comes from the PidFile that `apachectl -t -D DUMP_RUN_CFG` names.
 */
export function apacheAdapter(ref: ApacheRef, deps: ServiceDeps): ServiceAdapter {
  const conf = ref.conf !== undefined ? ['-f', ref.conf] : [];
  // apachectl and a configuration (which may load modules) another account can change never run as root (issue 9).
  const run = async (args: string[]) => deps.process.run({ command: ref.apachectl, args, env: envOf(deps), timeoutMs: 120_000, ...(await runAsFor({ program: ref.apachectl, loads: ref.conf !== undefined ? [ref.conf] : [] })) });
  const describe = `Apache httpd (${ref.conf ?? ref.apachectl})`;
  async function pid(): Promise<number | null> {
    const r = await run([...conf, '-t', '-D', 'DUMP_RUN_CFG']);
    const m = /^PidFile:\s*"?([^"\r\n]+)"?/m.exec(`${r.stdout}\n${r.stderr}`);
    if (!m) return null;
    try {
      const n = Number.parseInt(readFileSync(m[1]!.trim(), 'latin1').trim(), 10);
      return Number.isInteger(n) && n > 1 ? n : null;
    } catch {
      return null;
    }
  }
  return {
    describe,
    async status() {
      const p = await pid();
      const running = p !== null && (await pidAlive(deps, p));
      return { running, pids: running && p !== null ? [p] : [] };
    },
    async stop() {
      const args = [...conf, '-k', 'stop'];
      requireOk(await run(args), ref.apachectl, args, describe);
    },
    async start() {
      const args = [...conf, '-k', 'start'];
      requireOk(await run(args), ref.apachectl, args, describe);
    },
    async forceStop(pids) {
      for (const p of pids) await signalPid(deps, p, 'TERM');
    },
  };
}
