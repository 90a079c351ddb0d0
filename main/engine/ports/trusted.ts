import { lstatSync, realpathSync, type Stats } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { dirname, parse } from 'node:path';
import type { FilePort } from './fs.js';

/**
 * Whether root may run a program: the program (after resolving links) and every folder above it
 * belong to root or the running account and no other account may write to them. A program an
 * install's service account could replace (its bundled JRE, a binary in its tree) is never run.
 * Null when trusted, else why not (for the admin).
 */
export async function untrustedReason(fs: Pick<FilePort, 'lstat'>, path: string): Promise<string | null> {
  if (process.platform === 'win32') return null; // Windows ACLs are not checked (README: not yet supported)
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return 'missing';
  }
  const me = process.getuid?.();
  const chain: string[] = [real];
  for (let dir = dirname(real); ; dir = dirname(dir)) {
    chain.push(dir);
    if (dir === parse(dir).root) break;
  }
  for (const p of chain) {
    const why = componentReason(p, await fs.lstat(p), me);
    if (why !== null) return why;
  }
  return null;
}

/** The same rule, synchronously, on the real file system: for the process port's last check before a spawn. */
export function untrustedReasonSync(path: string): string | null {
  if (process.platform === 'win32') return null;
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return 'missing';
  }
  const me = process.getuid?.();
  for (let p = real; ; p = dirname(p)) {
    let st: Stats | null;
    try {
      st = lstatSync(p);
    } catch {
      st = null;
    }
    const why = componentReason(p, st, me);
    if (why !== null) return why;
    if (p === parse(p).root) return null;
  }
}

/** One component of the chain: owned by root or us, and writable by no one else (a sticky folder is fine). */
function componentReason(p: string, st: Stats | null, me: number | undefined): string | null {
  if (st === null) return 'missing';
  if (st.uid !== 0 && st.uid !== me) return `owner:${p}`;
  const sticky = (st.mode & 0o1000) !== 0;
  if ((st.mode & 0o002) !== 0 && !(st.isDirectory() && sticky)) return `world-writable:${p}`;
  if ((st.mode & 0o020) !== 0 && st.gid !== 0) return `group-writable:${p}`;
  return null;
}
