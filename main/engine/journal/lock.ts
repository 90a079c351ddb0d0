import { closeSync, constants, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { dataDir } from '../common/paths.js';
import { errnoOf } from '../common/errno.js';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly since: string;
  readonly runId: string | null;
}

export interface ApplyLock {
  readonly path: string;
  release(): void;
}

export const lockPath = (dir: string = dataDir()): string => join(dir, 'apply.lock');

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? ''), runId: typeof parsed.runId === 'string' ? parsed.runId : null };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoOf(error) === 'EPERM';
  }
}

/**
 * One apply at a time on this machine: a lock file in the data folder created exclusively
 * (O_CREAT|O_EXCL), shared by the CLI, serve mode and the desktop app since all three use the same
 * data folder. A lock whose process is gone (killed, power lost) is stale and taken over; the
 * unfinished run it leaves is found in the journal. Returns the holder when someone else has it.
 */
export function acquireApplyLock(runId: string, dir: string = dataDir()): { ok: true; lock: ApplyLock } | { ok: false; holder: LockHolder } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = lockPath(dir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0), 0o600);
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString(), runId }));
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        ok: true,
        lock: {
          path,
          release: () => {
            if (released) return;
            released = true;
            const holder = readHolder(path);
            if (holder?.pid === process.pid) rmSync(path, { force: true });
          },
        },
      };
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder !== null && holder.host === hostname() && alive(holder.pid)) return { ok: false, holder };
      if (holder !== null && holder.host !== hostname()) return { ok: false, holder };
      // Stale (its process is gone) or unreadable: take it over.
      rmSync(path, { force: true });
    }
  }
  return { ok: false, holder: readHolder(path) ?? { pid: 0, host: hostname(), since: '', runId: null } };
}

/** Who holds the lock now (null: nobody, or a stale holder). */
export function lockHolder(dir: string = dataDir()): LockHolder | null {
  const holder = readHolder(lockPath(dir));
  return holder !== null && alive(holder.pid) ? holder : null;
}
