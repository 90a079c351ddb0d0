import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Managed {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly alive: () => boolean;
  stop: () => Promise<void>;
}

/** Starts a long-running process, keeps its output for failure messages, stops it with SIGTERM then SIGKILL. */
export function startProcess(command: string, args: readonly string[], options: SpawnOptions = {}): Managed {
  const child = spawn(command, [...args], { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  let exited = false;
  child.stdout?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.stderr?.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-20_000)));
  child.once('exit', () => (exited = true));
  child.once('error', (error) => {
    exited = true;
    output += `\n${error.message}`;
  });
  return {
    child,
    output: () => output,
    alive: () => !exited,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
