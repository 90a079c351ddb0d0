/**
 * The ports this module runs through. Until the lead's main/engine/ports lands, this file holds
 * the same names (CORE-API.md); afterwards it only re-exports them.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface RunRequest {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly stdin?: string | Buffer;
  readonly timeoutMs?: number;
  readonly secrets?: readonly string[];
  readonly user?: { readonly uid: number; readonly gid: number };
}
export interface RunResult {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly spawnError?: string;
  readonly timedOut: boolean;
}
export interface ChildHandle {
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly pid?: number;
  wait(): Promise<{ code: number | null; signal: string | null }>;
  kill(signal?: NodeJS.Signals): void;
}
export interface ProcessPort {
  run(req: RunRequest): Promise<RunResult>;
  start(req: RunRequest & { detached?: boolean }): ChildHandle;
}
export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

const MINIMAL_ENV = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' };
const MAX_OUTPUT = 256 * 1024;

function scrub(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const s of secrets) if (s !== '') out = out.split(s).join('••••');
  return out;
}

export const realProcessPort: ProcessPort = {
  run: (req) =>
    new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      const child = spawn(req.command, [...req.args], {
        shell: false,
        windowsHide: true,
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...(req.env ?? MINIMAL_ENV) },
        ...(req.cwd !== undefined ? { cwd: req.cwd } : {}),
        ...(req.user !== undefined ? { uid: req.user.uid, gid: req.user.gid } : {}),
      });
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, req.timeoutMs ?? 120_000);
      child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-MAX_OUTPUT)));
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-MAX_OUTPUT)));
      child.stdin.on('error', () => undefined);
      child.stdin.end(req.stdin ?? '');
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        resolve({ code: null, signal: null, stdout: scrub(stdout, req.secrets), stderr: scrub(stderr, req.secrets), spawnError: error.code ?? 'EIO', timedOut });
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout: scrub(stdout, req.secrets), stderr: scrub(stderr, req.secrets), timedOut });
      });
    }),
  start: (req) => {
    const child = spawn(req.command, [...req.args], {
      shell: false,
      windowsHide: true,
      detached: req.detached === true,
      stdio: req.detached === true ? ['ignore', 'ignore', 'pipe'] : ['pipe', 'pipe', 'pipe'],
      env: { ...(req.env ?? MINIMAL_ENV) },
      ...(req.cwd !== undefined ? { cwd: req.cwd } : {}),
      ...(req.user !== undefined ? { uid: req.user.uid, gid: req.user.gid } : {}),
    });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child.once('error', () => resolve({ code: null, signal: null }));
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    if (req.detached === true) child.unref();
    return {
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      ...(child.pid !== undefined ? { pid: child.pid } : {}),
      wait: () => exited,
      kill: (signal) => void child.kill(signal),
    };
  },
};

export const realClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve();
      });
    }),
};
