import { spawn } from 'node:child_process';
import type { BridgeChild, BridgeProcessPort } from './bridge-client.js';

/** Stand-in for the engine's process port until it lands (main/engine/ports). */
export const interimProcessPort: BridgeProcessPort = {
  start(request): BridgeChild {
    const child = spawn(request.command, [...request.args], {
      shell: false,
      windowsHide: true,
      env: { ...request.env },
      ...(request.cwd !== undefined ? { cwd: request.cwd } : {}),
      ...(request.user !== undefined ? { uid: request.user.uid, gid: request.user.gid } : {}),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: string | null; spawnError?: string }>((resolve) => {
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, signal: null, spawnError: error.code ?? 'EIO' }));
      child.once('exit', (code, signal) => resolve({ code, signal: signal ?? null }));
    });
    return { pid: child.pid, stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, wait: () => exited, kill: (signal = 'SIGTERM') => void child.kill(signal) };
  },
};
