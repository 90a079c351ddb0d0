import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';

/**
 * The real path of a file a plan writes (symlinks resolved; for a file still to be created, its
 * nearest existing folder resolved), or null when that lies outside `root`: a planner never edits
 * a file outside the configuration tree it was given, whatever links inside the tree say.
 */
export function realPathInside(root: string, path: string): { readonly real: string; readonly inside: boolean } {
  const realRoot = realpathSync(root);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    let dir = dirname(path);
    const rest = [basename(path)];
    while (!existsSync(dir)) {
      rest.unshift(basename(dir));
      dir = dirname(dir);
    }
    real = join(realpathSync(dir), ...rest);
  }
  return { real, inside: real.startsWith(realRoot + sep) };
}
