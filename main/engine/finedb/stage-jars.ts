import { chmod, mkdtemp, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, parse } from 'node:path';
import type { Account } from '../fine/index.js';
import type { FilePort } from '../ports/index.js';

/**
 * Jars on the bridge's class path that the account it runs as cannot read (wss-setup's own
 * jdbc-bridge.jar under /root, an admin's driver jar in a private folder) are copied into a fresh
 * folder of ours that the account can read but not change (root-owned 0755, files 0444), for the
 * bridge's lifetime. Jars it can read already (the install's own WEB-INF/lib) stay where they are.
 */
export interface StagedJars {
  readonly paths: readonly string[];
  cleanup(): Promise<void>;
}

const READ = 0o4;
const EXEC = 0o1;

function allows(st: { uid: number; gid: number; mode: number }, account: Account, bit: number): boolean {
  if (st.uid === account.uid) return (st.mode & (bit << 6)) !== 0;
  if (st.gid === account.gid) return (st.mode & (bit << 3)) !== 0;
  return (st.mode & bit) !== 0;
}

/** Whether the account can read the file (searchable folders on the way, read permission on it). Supplementary groups are not considered. */
async function readableBy(path: string, account: Account): Promise<boolean> {
  try {
    const real = await realpath(path);
    if (!allows(await stat(real), account, READ)) return false;
    for (let dir = dirname(real); ; dir = dirname(dir)) {
      if (!allows(await stat(dir), account, EXEC)) return false;
      if (dir === parse(dir).root) return true;
    }
  } catch {
    return false;
  }
}

const JAR_MAX = 512 * 1024 * 1024;

export async function stageJars(jars: readonly string[], account: Account | undefined, fs: FilePort): Promise<StagedJars> {
  if (account === undefined) return { paths: jars, cleanup: async () => undefined };
  const unreadable: string[] = [];
  for (const jar of jars) if (!(await readableBy(jar, account))) unreadable.push(jar);
  if (unreadable.length === 0) return { paths: jars, cleanup: async () => undefined };
  const folder = await mkdtemp(join(tmpdir(), 'wss-setup-bridge-cp-'));
  const cleanup = () => rm(folder, { recursive: true, force: true });
  try {
    await chmod(folder, 0o755); // our own fresh folder: readable by the bridge's account, writable by root only
    const paths: string[] = [];
    for (const [i, jar] of jars.entries()) {
      if (!unreadable.includes(jar)) {
        paths.push(jar);
        continue;
      }
      const to = join(folder, `${i}-${basename(jar)}`);
      await fs.writeAtomic(to, await fs.readFile(await realpath(jar), { maxBytes: JAR_MAX }), { mode: 0o444, exclusive: true });
      paths.push(to);
    }
    return { paths, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
