import { spawn } from 'node:child_process';

export interface CommandResult {
  /** Exit code, or null when the process could not start or was killed. */
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** errno of a failed start (ENOENT when the program does not exist). */
  readonly spawnError?: string;
}

export interface RunCommandOptions {
  /** Extra environment variables (e.g. passwords handed to keytool by variable name, never by argv). */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/**
 * Runs one program without a shell. Every external command of the certs module (keytool,
 * update-ca-certificates, update-ca-trust, certutil, icacls) goes through this interface so
 * tests can record what would run.
 */
export type CommandRunner = (command: string, args: readonly string[], options?: RunCommandOptions) => Promise<CommandResult>;

const MAX_OUTPUT = 64 * 1024;

export const runCommand: CommandRunner = (command, args, options = {}) =>
  new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    const child = spawn(command, [...args], {
      shell: false,
      windowsHide: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-MAX_OUTPUT)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-MAX_OUTPUT)));
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, stdout, stderr, spawnError: error.code ?? 'EIO' });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });

/** A command line for messages and evidence (arguments never hold secrets in this module). */
export function formatCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
