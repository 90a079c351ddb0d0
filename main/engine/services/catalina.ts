import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceAdapter, ServiceDeps, ServiceRef } from './types.js';
import { envOf, requireOk, signalPid } from './tools.js';
import { EngineError } from '../common/engine-error.js';
import { runAsFor, type RunAs } from '../common/run-as.js';

type CatalinaRef = Extract<ServiceRef, { kind: 'catalina' }>;

/** uid/gid of a local account from /etc/passwd (scripts of an install owned by another account run as it). */
function accountOf(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[0] === name);
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new EngineError('SERVICE_USER_UNKNOWN', { user: name }, { user: name });
  return { uid: Number(uid), gid: Number(gid) };
}

/**
 * Tomcat (and FineReport's bundled Tomcat) via its catalina scripts: shutdown.sh / startup.sh
 * (shutdown.bat / startup.bat on Windows) with CATALINA_HOME and CATALINA_BASE set. The process is
 * found by its -Dcatalina.base= argument; when shutdown.sh cannot reach the shutdown port (disabled,
 * port="-1"), the JVM gets SIGTERM, which runs Tomcat's own orderly shutdown hook.
 */
export function catalinaAdapter(ref: CatalinaRef, deps: ServiceDeps): ServiceAdapter {
  const win = (deps.platform ?? process.platform) === 'win32';
  const bin = join(ref.home, 'bin');
  const script = (name: 'startup' | 'shutdown') => (ref.script !== undefined && name === 'startup' ? ref.script : join(bin, `${name}.${win ? 'bat' : 'sh'}`));
  const env = envOf(deps, { CATALINA_HOME: ref.home, CATALINA_BASE: ref.base, CATALINA_PID: join(ref.base, 'temp', 'wss-setup-catalina.pid') });
  const named = ref.user !== undefined && !win && process.getuid?.() === 0 ? accountOf(ref.user) : undefined;
  // As root, the scripts run as root only when nothing they run or load is another account's:
  // else as the account that owns the install (issue 9: its scripts, setenv.sh, jars and webapps).
  const loads = [join(bin, 'catalina.sh'), join(bin, 'setenv.sh'), join(bin, 'bootstrap.jar'), join(bin, 'tomcat-juli.jar'), join(ref.home, 'lib'), join(ref.base, 'bin', 'setenv.sh'), join(ref.base, 'conf'), join(ref.base, 'lib'), join(ref.base, 'webapps')];
  const runAs = async (name: 'startup' | 'shutdown'): Promise<RunAs> => (win ? {} : runAsFor({ program: script(name), loads, ...(named !== undefined ? { account: named } : {}) }));
  const describe = `Tomcat (${ref.base})`;

  async function pids(): Promise<number[]> {
    if (win) return [];
    const r = await deps.process.run({ command: '/bin/ps', args: ['-eo', 'pid=,args='], env: envOf(deps), timeoutMs: 15_000 });
    if (r.code !== 0) return [];
    const marker = `-Dcatalina.base=${ref.base}`;
    return r.stdout
      .split('\n')
      .filter((l) => l.includes('org.apache.catalina.startup.Bootstrap') && l.split(/\s+/).some((w) => w === marker || w === `${marker}/`))
      .map((l) => Number.parseInt(l.trim(), 10))
      .filter((n) => Number.isInteger(n) && n > 1);
  }

  return {
    describe,
    async status() {
      const found = await pids();
      return { running: found.length > 0, pids: found };
    },
    async stop() {
      const before = await pids();
      const command = win ? 'C:\\Windows\\System32\\cmd.exe' : script('shutdown');
      const args = win ? ['/d', '/c', script('shutdown')] : [];
      const r = await deps.process.run({ command, args, env, cwd: ref.base, timeoutMs: 60_000, ...(await runAs('shutdown')) });
      if (r.code !== 0 && before.length > 0) {
        for (const pid of before) await signalPid(deps, pid, 'TERM');
        return;
      }
      if (before.length > 0 || r.code !== 0) requireOk(r, command, args, describe);
    },
    async start() {
      const command = win ? 'C:\\Windows\\System32\\cmd.exe' : script('startup');
      const args = win ? ['/d', '/c', script('startup')] : [];
      const r = await deps.process.run({ command, args, env, cwd: ref.base, timeoutMs: 60_000, ...(await runAs('startup')) });
      requireOk(r, command, args, describe);
    },
    async forceStop(found) {
      for (const pid of found) await signalPid(deps, pid, 'KILL');
    },
  };
}
