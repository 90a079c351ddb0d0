import { randomBytes } from 'node:crypto';
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file atomically: a temp file in the same folder (so rename stays on one file system),
 * the mode set before the data is visible, then rename over the target. On failure the temp file
 * is removed and the target is untouched, so a reader never sees a half-written file.
 */
export function writeFileAtomicSync(path: string, data: string | Buffer, mode = 0o600): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, data, { mode });
    chmodSync(temp, mode);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
