import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { untrustedReasonSync } from './trusted.js';

/**
 * The process port: every program the engine runs goes through it. argv only, never a shell;
 * the environment is explicit (nothing of the caller's is inherited unless passed); a timeout
 * kills the child; output is capped and secrets are scrubbed from it before anyone sees it.
 * Tests substitute a port that records or fails; a later SSH target implements the same shape.
 */
export interface RunRequest {
  /** The program: an absolute path, or a bare name looked up on the request's PATH (default: the minimal system PATH). */
  readonly command: string;
  readonly args: readonly string[];
  /** The complete environment of the child. Default: {@link minimalEnv}. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly stdin?: string | Buffer;
  /** Killed with SIGKILL after this many ms (default 120 s). */
  readonly timeoutMs?: number;
  /** Values scrubbed (replaced by ••••) from stdout, stderr and error texts. */
  readonly secrets?: readonly string[];
  /** Run as this account (only meaningful when running as root). */
  readonly user?: { readonly uid: number; readonly gid: number };
}

export interface RunResult {
  /** Exit code, or null when the process could not start, was killed or timed out. */
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** errno of a failed start (ENOENT when the program does not exist; EUNTRUSTED: refused as root, see spawnChild). */
  readonly spawnError?: string;
  readonly timedOut: boolean;
}

/** A long-lived child (the JDBC bridge, a service started in the foreground). */
export interface ChildHandle {
  readonly pid: number | undefined;
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Resolves when the child has exited (or failed to start). */
  wait(): Promise<{ readonly code: number | null; readonly signal: string | null; readonly spawnError?: string }>;
  kill(signal?: NodeJS.Signals): void;
}

export interface StartRequest extends Omit<RunRequest, 'stdin' | 'timeoutMs'> {
  /** Start in its own process group, not killed with us (a daemon). stdio is ignored then. */
  readonly detached?: boolean;
}

export interface ProcessPort {
  run(request: RunRequest): Promise<RunResult>;
  start(request: StartRequest): ChildHandle;
}

/** The PATH programs are looked up on unless a request says otherwise: system folders only. */
export const SYSTEM_PATH = process.platform === 'win32' ? `${process.env.SystemRoot ?? 'C:\\Windows'}\\System32` : '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The environment a child gets when the request names none: a PATH of system folders and a neutral locale. */
export function minimalEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const base: Record<string, string> = process.platform === 'win32'
    ? { PATH: SYSTEM_PATH, SystemRoot: process.env.SystemRoot ?? 'C:\\Windows', TEMP: process.env.TEMP ?? 'C:\\Windows\\Temp' }
    : { PATH: SYSTEM_PATH, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };
  return { ...base, ...extra };
}

/** Finds a bare program name on a PATH; absolute paths are returned unchanged. Null when not found. */
export function resolveProgram(command: string, path: string = SYSTEM_PATH): string | null {
  if (isAbsolute(command)) return command;
  if (command.includes('/') || command.includes('\\')) return null;
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', '.bat', ''] : [''];
  for (const dir of path.split(delimiter)) {
    if (!isAbsolute(dir)) continue;
    for (const ext of exts) {
      const candidate = join(dir, command + ext);
      if (existsSync(candidate)) return candidate;
    }
  }
  return null;
}

/** Replaces every secret in a text (longest first, so a secret containing another is scrubbed whole). */
export function scrubSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) out = out.split(secret).join('••••');
  return out;
}

const MAX_OUTPUT = 256 * 1024;

function appendCapped(current: string, chunk: Buffer): string {
  const next = current + chunk.toString('utf8');
  // Keep the head (what went wrong first) and the tail (the verdict), drop the middle.
  return next.length <= MAX_OUTPUT ? next : `${next.slice(0, MAX_OUTPUT / 2)}\n…\n${next.slice(-MAX_OUTPUT / 2)}`;
}

function spawnChild(request: RunRequest & { detached?: boolean }, stdio: 'pipe' | 'ignore'): ChildProcess | { error: string } {
  const env = request.env ?? minimalEnv();
  const program = resolveProgram(request.command, env.PATH ?? SYSTEM_PATH);
  if (program === null) return { error: 'ENOENT' };
  // The last line of defence (issue 9): as root, a program another account can change is never
  // started as root. Callers decide whom to run it as (common/run-as.ts) and say so in `user`.
  if (request.user === undefined && process.platform !== 'win32' && process.getuid?.() === 0) {
    const why = untrustedReasonSync(program);
    if (why !== null && why !== 'missing') return { error: 'EUNTRUSTED' };
  }
  try {
    return spawn(program, [...request.args], {
      shell: false,
      windowsHide: true,
      env,
      ...(request.cwd !== undefined ? { cwd: request.cwd } : {}),
      ...(request.user !== undefined ? { uid: request.user.uid, gid: request.user.gid } : {}),
      ...(request.detached ? { detached: true } : {}),
      stdio: stdio === 'ignore' ? 'ignore' : ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? 'EIO' };
  }
}

export const realProcessPort: ProcessPort = {
  run(request) {
    return new Promise((resolve) => {
      const secrets = request.secrets ?? [];
      const child = spawnChild(request, 'pipe');
      if ('error' in child) {
        resolve({ code: null, signal: null, stdout: '', stderr: '', spawnError: child.error, timedOut: false });
        return;
      }
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      let spawnError: string | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, request.timeoutMs ?? 120_000);
      child.stdout?.on('data', (d: Buffer) => (stdout = appendCapped(stdout, d)));
      child.stderr?.on('data', (d: Buffer) => (stderr = appendCapped(stderr, d)));
      child.stdin?.on('error', () => undefined); // a child that exits without reading its input is not our failure
      child.once('error', (error: NodeJS.ErrnoException) => {
        spawnError = error.code ?? 'EIO';
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        resolve({
          code: spawnError !== undefined || timedOut ? null : code,
          signal: signal ?? null,
          stdout: scrubSecrets(stdout, secrets),
          stderr: scrubSecrets(stderr, secrets),
          ...(spawnError !== undefined ? { spawnError } : {}),
          timedOut,
        });
      });
      if (request.stdin !== undefined) child.stdin?.end(request.stdin);
      else child.stdin?.end();
    });
  },

  start(request) {
    const child = spawnChild(request, request.detached ? 'ignore' : 'pipe');
    if ('error' in child) {
      const failed = { code: null, signal: null, spawnError: child.error } as const;
      return { pid: undefined, stdin: null, stdout: null, stderr: null, wait: async () => failed, kill: () => undefined };
    }
    let spawnError: string | undefined;
    const exited = new Promise<{ code: number | null; signal: string | null; spawnError?: string }>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => {
        spawnError = error.code ?? 'EIO';
        resolve({ code: null, signal: null, spawnError });
      });
      child.once('exit', (code, signal) => resolve({ code, signal: signal ?? null, ...(spawnError ? { spawnError } : {}) }));
    });
    if (request.detached) child.unref();
    return {
      pid: child.pid,
      stdin: child.stdin,
      stdout: child.stdout,
      stderr: child.stderr,
      wait: () => exited,
      kill: (signal = 'SIGTERM') => {
        child.kill(signal);
      },
    };
  },
};

/** A command line for messages and evidence (never pass secrets in argv; they are not scrubbed here). */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
