import { EngineError } from '../common/engine-error.js';
import type { ResolvedFineDb } from './connection.js';
import { embeddedLockState } from './hsqldb-lock.js';

/**
 * Refuses to touch an embedded HSQLDB that another process holds open (the report server is
 * running): names the process on Linux (pid and name from /proc), "another process" elsewhere.
 */
export function refuseIfLocked(resolved: ResolvedFineDb): void {
  if (resolved.kind !== 'embedded-hsqldb') return;
  const state = embeddedLockState(resolved.path);
  // HSQLDB would block on a planted FIFO (or follow a link) when it opens its lock file.
  if (state.strangeLockFile) throw new EngineError('FINEDB_LOCK_FILE_STRANGE', { path: `${resolved.path}.lck` }, { path: `${resolved.path}.lck` });
  if (!state.locked) return;
  const holders = state.holders.map((h) => `${h.command} (pid ${h.pid})`).join(', ');
  throw new EngineError(
    holders === '' ? 'FINEDB_LOCKED_UNKNOWN' : 'FINEDB_LOCKED',
    { holders, path: resolved.path, detail: '' },
    { path: resolved.path, pids: state.holders.map((h) => h.pid), heartbeatAgeMs: state.heartbeatAgeMs ?? null },
  );
}
