import { lstat, realpath } from 'node:fs/promises';
import { isAbsolute, join, parse, resolve, sep } from 'node:path';
import { EngineError } from '../common/engine-error.js';
import { foreignWriter } from '../ports/index.js';

const octal = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

function unsafe(path: string, uid: number, mode: number, reason: string): never {
  throw new EngineError('CERT_DATA_DIR_UNSAFE', { path, uid, mode: octal(mode), me: process.getuid?.() ?? '-' }, { path, uid, mode: octal(mode), reason });
}

/**
 * Refuses a folder that another account could change: the folder itself and every folder above
 * it must belong to root or to the running account and must not be writable by others (a sticky
 * folder such as /tmp excepted). A symlink on the way is followed only from a folder already
 * found safe, and what it points to is checked the same way. Parts that do not exist yet are
 * fine: they will be created by this account under a safe folder. POSIX modes only: on Windows
 * ACLs are not checked (see README).
 */
export async function assertTrustedFolder(path: string, depth = 0): Promise<void> {
  if (process.platform === 'win32' || depth > 16) return;
  const absolute = isAbsolute(path) ? path : resolve(path);
  const { root } = parse(absolute);
  let current = root;
  const parts = absolute.slice(root.length).split(sep).filter((p) => p !== '');
  const checkFolder = async (folder: string) => {
    const who = await foreignWriter(folder);
    if (who !== null) {
      const st = await lstat(folder);
      unsafe(folder, st.uid, st.mode, who.reason);
    }
  };
  await checkFolder(current);
  for (const part of parts) {
    const next = join(current, part);
    const st = await lstat(next).catch(() => null);
    if (st === null) return;
    if (st.isSymbolicLink()) {
      const target = await realpath(next);
      await assertTrustedFolder(target, depth + 1);
      current = target;
      continue;
    }
    if (!st.isDirectory()) unsafe(next, st.uid, st.mode, 'not-a-folder');
    await checkFolder(next);
    current = next;
  }
}

/** A file of the local CA: a regular file (never a symlink) of root or this account that no other account can write. */
export async function assertOwnFile(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const st = await lstat(path);
  const me = process.getuid?.();
  const trustedOwner = st.uid === 0 || st.uid === me;
  if (st.isSymbolicLink() || !st.isFile()) unsafe(path, st.uid, st.mode, 'not-a-file');
  if (!trustedOwner) unsafe(path, st.uid, st.mode, 'owner');
  if ((st.mode & 0o022) !== 0) unsafe(path, st.uid, st.mode, 'writable');
}
