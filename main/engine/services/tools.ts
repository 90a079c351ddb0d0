import { minimalEnv, type RunResult } from '../ports/index.js';
import { EngineError } from '../common/engine-error.js';
import type { ServiceDeps, Tools } from './types.js';

export function toolsOf(deps: ServiceDeps): Tools {
  const win = (deps.platform ?? process.platform) === 'win32';
  const sys32 = 'C:\\Windows\\System32';
  return {
    systemctl: deps.tools?.systemctl ?? '/usr/bin/systemctl',
    service: deps.tools?.service ?? '/usr/sbin/service',
    sc: deps.tools?.sc ?? `${sys32}\\sc.exe`,
    kill: deps.tools?.kill ?? (win ? `${sys32}\\taskkill.exe` : '/bin/kill'),
    tasklist: deps.tools?.tasklist ?? `${sys32}\\tasklist.exe`,
  };
}

export function envOf(deps: ServiceDeps, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return minimalEnv({ ...(deps.env ?? {}), ...extra });
}

/** Last lines of a command's output for evidence and messages. */
export function tail(result: RunResult, lines = 6): string {
  return `${result.stdout}\n${result.stderr}`.trim().split(/\r?\n/).slice(-lines).join('\n');
}

/** Throws SERVICE_COMMAND_FAILED unless the command ran and exited with one of `okCodes`. */
export function requireOk(result: RunResult, command: string, args: readonly string[], service: string, okCodes: readonly number[] = [0]): RunResult {
  if (result.spawnError !== undefined || result.timedOut || result.code === null || !okCodes.includes(result.code)) {
    const reason = result.spawnError ?? (result.timedOut ? 'timeout' : result.code === null ? `signal ${result.signal ?? '?'}` : `exit ${result.code}`);
    throw new EngineError('SERVICE_COMMAND_FAILED', { service, command: [command, ...args].join(' '), reason, output: tail(result) }, { command, args, code: result.code, spawnError: result.spawnError ?? null, output: tail(result, 20) });
  }
  return result;
}

/** Whether a process id is alive, asked through the runner (kill -0 / tasklist). */
export async function pidAlive(deps: ServiceDeps, pid: number): Promise<boolean> {
  const tools = toolsOf(deps);
  if ((deps.platform ?? process.platform) === 'win32') {
    const r = await deps.process.run({ command: tools.tasklist, args: ['/FI', `PID eq ${pid}`, '/NH', '/FO', 'CSV'], timeoutMs: 15_000 });
    return r.code === 0 && r.stdout.includes(`"${pid}"`);
  }
  const r = await deps.process.run({ command: tools.kill, args: ['-0', String(pid)], timeoutMs: 15_000 });
  return r.code === 0;
}

/** Sends a signal through the runner (kill -TERM pid / taskkill /PID n /F). */
export async function signalPid(deps: ServiceDeps, pid: number, signal: 'TERM' | 'KILL' | 'QUIT'): Promise<RunResult> {
  const tools = toolsOf(deps);
  if ((deps.platform ?? process.platform) === 'win32') {
    return deps.process.run({ command: tools.kill, args: ['/PID', String(pid), ...(signal === 'KILL' ? ['/F'] : [])], timeoutMs: 15_000 });
  }
  return deps.process.run({ command: tools.kill, args: [`-${signal}`, String(pid)], timeoutMs: 15_000 });
}

/** Splits a command line the way a POSIX shell would split words (quotes, backslashes); no expansion. */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let has = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else current += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) current += line[++i];
      else current += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      has = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      has = true;
    } else if (/\s/.test(ch)) {
      if (has || current !== '') out.push(current);
      current = '';
      has = false;
    } else current += ch;
  }
  if (has || current !== '') out.push(current);
  return out;
}
