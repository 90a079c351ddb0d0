import { closeSync, constants, mkdirSync, openSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { errnoOf } from './errno.js';

/**
 * A run that is under way leaves an empty file `<data folder>/running/<run id>` beside the journal:
 * created before the run is journaled, removed once the journal says it ended. Every CLI command
 * asks whether an apply was killed mid-way (issue 10); with no marker the answer is one readdir,
 * so a `check` never loads SQLite, the journal and the apply engine just to learn "no". A marker is
 * only a hint: the journal confirms it, and a marker whose run has ended is removed then.
 */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const runningDir = (dataDir: string): string => join(dataDir, 'running');

/** Marks a run as under way (0600 in a 0700 folder, created exclusively, never through a symlink). */
export function markRunning(dataDir: string, runId: string): void {
  if (!RUN_ID.test(runId)) return;
  const dir = runningDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(join(dir, runId), constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0), 0o600));
  } catch (error) {
    if (errnoOf(error) !== 'EEXIST') throw error;
  }
}

/** Removes a run's marker; a missing one is fine. */
export function clearRunning(dataDir: string, runId: string): void {
  if (!RUN_ID.test(runId)) return;
  try {
    unlinkSync(join(runningDir(dataDir), runId));
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
}

/** Run ids with a marker ([] when there is no folder): a cheap hint that the journal may hold unfinished runs. */
export function runningMarkers(dataDir: string): string[] {
  try {
    return readdirSync(runningDir(dataDir)).filter((name) => RUN_ID.test(name));
  } catch {
    return [];
  }
}
