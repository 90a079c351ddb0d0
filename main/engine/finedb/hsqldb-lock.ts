import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** HSQLDB writes "HSQLLOCK" + the time of its last heartbeat (ms, big-endian) every 10 s while a database is open. */
const MAGIC = 'HSQLLOCK';
const HEARTBEAT_FRESH_MS = 15_000;

export interface LockHolder {
  readonly pid: number;
  /** Short process name from /proc/<pid>/comm (never the command line, which may hold secrets). */
  readonly command: string;
}

export interface LockState {
  readonly locked: boolean;
  /** Age of the lock file's heartbeat in ms, when a lock file exists. */
  readonly heartbeatAgeMs?: number;
  /** Processes holding the database files open (Linux); empty elsewhere or when none was found. */
  readonly holders: readonly LockHolder[];
  /** db.lck exists but is a link, pipe, device or folder: HSQLDB never makes one (someone planted it). */
  readonly strangeLockFile?: true;
}

/**
 * The heartbeat in a lock file, or null. The file sits in a folder the report server's account
 * owns: it is opened without following a link and without waiting on a FIFO, and read only when
 * it is a regular file.
 */
function readHeartbeat(lckPath: string): number | null {
  let fd: number;
  try {
    fd = openSync(lckPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    const buffer = Buffer.alloc(16);
    if (readSync(fd, buffer, 0, 16, 0) < 16 || buffer.toString('latin1', 0, 8) !== MAGIC) return null;
    return Number(buffer.readBigInt64BE(8));
  } finally {
    closeSync(fd);
  }
}

/** Processes that hold a file of the database (db.lck, db.log, db.data, …) open, found through /proc/<pid>/fd. */
function findHolders(dbPath: string, platform: NodeJS.Platform = process.platform): LockHolder[] {
  if (platform !== 'linux') return [];
  const folder = dirname(dbPath);
  const prefix = `${join(folder, basename(dbPath))}.`;
  const holders: LockHolder[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((n) => /^\d+$/.test(n));
  } catch {
    return [];
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith(prefix);
      } catch {
        return false;
      }
    });
    if (!holds) continue;
    let command = '?';
    try {
      command = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
    } catch {
      // the process ended meanwhile
    }
    holders.push({ pid: Number(pid), command });
  }
  return holders;
}

/** Whether an embedded HSQLDB is open in another process (a running report server). */
export function embeddedLockState(dbPath: string, now = Date.now()): LockState {
  const heartbeat = readHeartbeat(`${dbPath}.lck`);
  const holders = findHolders(dbPath);
  const age = heartbeat === null ? undefined : now - heartbeat;
  const fresh = age !== undefined && Math.abs(age) < HEARTBEAT_FRESH_MS;
  let strange = false;
  try {
    strange = !lstatSync(`${dbPath}.lck`).isFile();
  } catch {
    strange = false;
  }
  return { locked: fresh || holders.length > 0, ...(age !== undefined ? { heartbeatAgeMs: age } : {}), holders, ...(strange ? { strangeLockFile: true as const } : {}) };
}
