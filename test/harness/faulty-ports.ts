import { EngineError } from '../../main/engine/common/engine-error.js';
import { realPorts, type FilePort, type Ports, type ProcessPort, type RunRequest } from '../../main/engine/ports/index.js';

/**
 * Ports that fail on purpose, for fault injection: the Nth write (or every write from the Nth on)
 * fails as a full disk would, after its temp file was created; the Nth process run fails to start
 * or exits non-zero. Everything else goes to the real ports, so the test sees real behaviour up
 * to the fault.
 */
export interface FaultLog {
  readonly writes: string[];
  readonly runs: string[];
}

export function failingFs(options: { readonly failAtWrite: number; readonly errno?: string; readonly base?: FilePort }, log: FaultLog = { writes: [], runs: [] }): FilePort {
  const base = options.base ?? realPorts.fs;
  let count = 0;
  return {
    ...base,
    async writeAtomic(path, data, opts) {
      count += 1;
      log.writes.push(path);
      if (count >= options.failAtWrite) {
        // What the real writer reports when the disk fills up mid-write (the temp file is removed by it).
        throw new EngineError('FILE_WRITE_FAILED', { path, reason: options.errno ?? 'ENOSPC' }, { path, errno: options.errno ?? 'ENOSPC', injected: true });
      }
      return base.writeAtomic(path, data, opts);
    },
    // A link is a write too (Debian's mods-enabled): it fails the same way at its turn.
    async symlink(target, path) {
      count += 1;
      log.writes.push(path);
      if (count >= options.failAtWrite) throw new EngineError('FILE_WRITE_FAILED', { path, reason: options.errno ?? 'ENOSPC' }, { path, errno: options.errno ?? 'ENOSPC', injected: true });
      return base.symlink(target, path);
    },
  };
}

export function failingRunner(options: { readonly failAtRun: number; readonly mode?: 'spawn-error' | 'exit-1' | 'timeout'; readonly match?: (request: RunRequest) => boolean; readonly base?: ProcessPort }, log: FaultLog = { writes: [], runs: [] }): ProcessPort {
  const base = options.base ?? realPorts.process;
  let count = 0;
  const hit = (request: RunRequest): boolean => {
    if (options.match !== undefined && !options.match(request)) return false;
    count += 1;
    log.runs.push([request.command, ...request.args].join(' '));
    return count >= options.failAtRun;
  };
  return {
    async run(request) {
      if (!hit(request)) return base.run(request);
      switch (options.mode ?? 'spawn-error') {
        case 'spawn-error':
          return { code: null, signal: null, stdout: '', stderr: '', spawnError: 'EIO', timedOut: false };
        case 'timeout':
          return { code: null, signal: 'SIGKILL', stdout: '', stderr: '', timedOut: true };
        case 'exit-1':
          return { code: 1, signal: null, stdout: '', stderr: 'injected failure', timedOut: false };
      }
    },
    start(request) {
      if (!hit(request)) return base.start(request);
      const failed = { code: null, signal: null, spawnError: 'EIO' } as const;
      return { pid: undefined, stdin: null, stdout: null, stderr: null, wait: async () => failed, kill: () => undefined };
    },
  };
}

export function portsWith(overrides: Partial<Ports>): Ports {
  return { ...realPorts, ...overrides };
}
