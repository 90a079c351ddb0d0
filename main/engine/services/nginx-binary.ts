import { dirname, isAbsolute, join } from 'node:path';
import { readFileSync } from 'node:fs';
import type { ServiceAdapter, ServiceDeps, ServiceRef } from './types.js';
import { envOf, pidAlive, requireOk, signalPid } from './tools.js';
import { EngineError } from '../common/engine-error.js';
import { runAsFor } from '../common/run-as.js';

type NginxRef = Extract<ServiceRef, { kind: 'nginx' }>;

/**
 * The pid file nginx writes for this configuration: the main file's `pid` directive (relative to
 * the prefix), else nginx's compiled default from `nginx -V`. Read without following includes:
 * `pid` is only valid in the main context.
 */
function mainText(conf: string): string {
  try {
    return readFileSync(conf, 'latin1').replace(/#[^\n]*/g, '');
  } catch {
    return '';
  }
}

function daemonizes(conf: string): boolean {
  return !/(?:^|[;}\s])daemon\s+off\s*;/.test(mainText(conf));
}

async function pidFile(ref: NginxRef, deps: ServiceDeps): Promise<string | null> {
  const noComments = mainText(ref.conf);
  const m = /(?:^|[;}\s])pid\s+("[^"]+"|'[^']+'|[^\s;]+)\s*;/.exec(noComments);
  if (m) {
    const raw = m[1]!.replace(/^["']|["']$/g, '');
    return isAbsolute(raw) ? raw : join(prefixOf(ref), raw);
  }
  const v = await deps.process.run({ command: ref.binary, args: ['-V'], env: envOf(deps), timeoutMs: 15_000, ...(await runAsFor({ program: ref.binary })) });
  const compiled = /--pid-path=(\S+)/.exec(`${v.stdout}${v.stderr}`);
  if (!compiled) return null;
  return isAbsolute(compiled[1]!) ? compiled[1]! : join(prefixOf(ref), compiled[1]!);
}

function readPid(path: string | null): number | null {
  if (path === null) return null;
  try {
    const pid = Number.parseInt(readFileSync(path, 'latin1').trim(), 10);
    return Number.isInteger(pid) && pid > 1 ? pid : null;
  } catch {
    return null;
  }
}

const baseArgs = (ref: NginxRef): string[] => [...(ref.prefix !== undefined ? ['-p', ref.prefix.endsWith('/') ? ref.prefix : `${ref.prefix}/`] : []), '-c', ref.conf];
const prefixOf = (ref: NginxRef): string => ref.prefix ?? dirname(ref.conf);
/** A binary or configuration (load_module) another account can change never runs as root (issue 9). */
const runAs = (ref: NginxRef) => runAsFor({ program: ref.binary, loads: [ref.conf, prefixOf(ref)] });

/**
 * nginx run from its binary: stop with `nginx -s quit` (graceful; open WebSockets are closed by
 * their clients' reconnect), start with the same -p/-c. Never `-s reload` (seed 000).
 */
export function nginxBinaryAdapter(ref: NginxRef, deps: ServiceDeps): ServiceAdapter {
  const describe = `nginx (${ref.conf})`;
  return {
    describe,
    async status() {
      const pid = readPid(await pidFile(ref, deps));
      const running = pid !== null && (await pidAlive(deps, pid));
      return { running, pids: running && pid !== null ? [pid] : [] };
    },
    async stop() {
      const args = [...baseArgs(ref), '-s', 'quit'];
      const r = await deps.process.run({ command: ref.binary, args, env: envOf(deps), timeoutMs: 30_000, ...(await runAs(ref)) });
      requireOk(r, ref.binary, args, describe);
    },
    async start() {
      const args = baseArgs(ref);
      if (daemonizes(ref.conf)) {
        // `daemon on` (the default): nginx binds (retrying ~2.5 s), forks and this process exits 0.
        const r = await deps.process.run({ command: ref.binary, args, env: envOf(deps), cwd: prefixOf(ref), timeoutMs: 60_000, ...(await runAs(ref)) });
        requireOk(r, ref.binary, args, describe);
        return;
      }
      // `daemon off`: nginx stays in the foreground; it is started detached, and an early exit is a failure.
      const child = deps.process.start({ command: ref.binary, args, env: envOf(deps), cwd: prefixOf(ref), detached: true, ...(await runAs(ref)) });
      const early = await Promise.race([child.wait(), deps.clock.sleep(300).then(() => null)]);
      if (early !== null) {
        const reason = early.spawnError ?? `exit ${early.code ?? early.signal ?? '?'}`;
        throw new EngineError('SERVICE_COMMAND_FAILED', { service: describe, command: [ref.binary, ...args].join(' '), reason, output: '' }, { reason });
      }
    },
    async forceStop(pids) {
      for (const pid of pids) await signalPid(deps, pid, 'TERM');
    },
  };
}
