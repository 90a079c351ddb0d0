import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Lang } from '../../../shared/contract/common.js';
import { EngineError } from '../common/engine-error.js';
import { describeErrno, errnoOf } from '../common/errno.js';
import { ownerOnlyAclCommand } from './owner-only-acl.js';
import { runCommand, type CommandRunner } from './runner.js';

export interface PlannedFile {
  /** Absolute path. */
  readonly path: string;
  readonly content: string | Uint8Array;
  /** Private keys and keystores: mode 0600 on Linux, owner-only ACL on Windows. */
  readonly secret: boolean;
}

/** The file-system calls the writer makes; tests wrap the real ones to inject failures. */
export interface FsPort {
  readonly lstat: (path: string) => Promise<{ isDirectory(): boolean }>;
  readonly writeNew: (path: string, content: string | Uint8Array, mode: number) => Promise<void>;
  /** Replaces the content of an existing file (keeps its ACL). */
  readonly fill: (path: string, content: string | Uint8Array) => Promise<void>;
  readonly chmod: (path: string, mode: number) => Promise<void>;
  readonly link: (from: string, to: string) => Promise<void>;
  readonly rename: (from: string, to: string) => Promise<void>;
  readonly unlink: (path: string) => Promise<void>;
}

export const nodeFs: FsPort = {
  lstat: (p) => fsp.lstat(p),
  writeNew: async (p, content, mode) => {
    const handle = await fsp.open(p, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  fill: async (p, content) => {
    const handle = await fsp.open(p, 'r+');
    try {
      await handle.truncate(0);
      await handle.write(typeof content === 'string' ? Buffer.from(content) : content, 0, undefined, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  chmod: (p, mode) => fsp.chmod(p, mode),
  link: (a, b) => fsp.link(a, b),
  rename: (a, b) => fsp.rename(a, b),
  unlink: (p) => fsp.unlink(p),
};

export interface WriteOptions {
  readonly overwrite: boolean;
  readonly lang: Lang;
  readonly fs?: FsPort;
  readonly platform?: NodeJS.Platform;
  readonly runner?: CommandRunner;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const exists = async (fs: FsPort, path: string) => {
  try {
    return await fs.lstat(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
};

const sideName = (path: string, suffix: string) => join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.${suffix}`);

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS', 'EMLINK']);

/** link() refuses an existing name atomically; file systems without hard links fall back to check + rename. */
async function placeWithoutReplacing(fs: FsPort, temp: string, path: string): Promise<void> {
  try {
    await fs.link(temp, path);
    await fs.unlink(temp).catch(() => undefined);
    return;
  } catch (error) {
    if (!NO_HARD_LINKS.has(errnoOf(error))) throw error;
  }
  if ((await exists(fs, path)) !== null) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
  await fs.rename(temp, path);
}

/** Fails before anything is written when a folder is missing or a file exists (and overwrite is off). */
export async function checkTargets(paths: readonly string[], overwrite: boolean, fs: FsPort = nodeFs): Promise<void> {
  for (const dir of new Set(paths.map((p) => dirname(p)))) {
    const stat = await exists(fs, dir);
    if (stat === null || !stat.isDirectory()) throw new EngineError('CERT_DIR_MISSING', { path: dir }, { path: dir });
  }
  for (const path of paths) {
    const stat = await exists(fs, path);
    if (stat === null) continue;
    if (stat.isDirectory()) throw new EngineError('CERT_FILE_EXISTS', { path }, { path, directory: true });
    if (!overwrite) throw new EngineError('CERT_FILE_EXISTS', { path }, { path });
  }
}

/**
 * Writes a set of files as one unit: each goes to a temp file in its own folder (owner-only
 * before it has any content when secret), then all are moved into place. Without `overwrite`
 * an existing file is never replaced (link() fails atomically on a name that appeared
 * meanwhile). On any failure the files already placed are removed or restored from their
 * side copies and no temp file is left: either every file is written or none changed.
 */
export async function writeFilesAtomically(files: readonly PlannedFile[], options: WriteOptions): Promise<void> {
  const fs = options.fs ?? nodeFs;
  const platform = options.platform ?? process.platform;
  const runner = options.runner ?? runCommand;
  const { lang } = options;
  await checkTargets(files.map((f) => f.path), options.overwrite, fs);

  const temps: string[] = [];
  const placed: { path: string; backup: string | null }[] = [];
  const backups: string[] = [];
  let current = files[0]?.path ?? '';
  const cleanupTemps = async () => {
    for (const temp of temps) await fs.unlink(temp).catch(() => undefined);
  };
  try {
    // Stage.
    const staged: { file: PlannedFile; temp: string }[] = [];
    for (const file of files) {
      current = file.path;
      const temp = sideName(file.path, 'tmp');
      const mode = file.secret ? 0o600 : 0o644;
      const ownerOnlyAcl = file.secret && platform === 'win32';
      // On Windows the ACL is restricted while the file is still empty, then the content goes in.
      await fs.writeNew(temp, ownerOnlyAcl ? '' : file.content, mode);
      temps.push(temp);
      if (ownerOnlyAcl) {
        const acl = ownerOnlyAclCommand(temp, options.env ?? process.env);
        const result = await runner(acl.command, acl.args);
        if (result.code !== 0) throw Object.assign(new Error('icacls failed'), { code: 'EACCES' });
        await fs.fill(temp, file.content);
      }
      if (platform !== 'win32') await fs.chmod(temp, mode);
      staged.push({ file, temp });
    }
    // Commit.
    for (const { file, temp } of staged) {
      current = file.path;
      if (!options.overwrite) {
        await placeWithoutReplacing(fs, temp, file.path);
        placed.push({ path: file.path, backup: null });
        temps.splice(temps.indexOf(temp), 1);
      } else {
        const old = await exists(fs, file.path);
        let backup: string | null = null;
        if (old !== null) {
          backup = sideName(file.path, 'bak');
          await fs.rename(file.path, backup);
          backups.push(backup);
        }
        try {
          await fs.rename(temp, file.path);
        } catch (error) {
          if (backup !== null) {
            await fs.rename(backup, file.path).catch(() => undefined);
            backups.pop();
          }
          throw error;
        }
        placed.push({ path: file.path, backup });
        temps.splice(temps.indexOf(temp), 1);
      }
    }
  } catch (error) {
    for (const entry of placed.reverse()) {
      await fs.unlink(entry.path).catch(() => undefined);
      if (entry.backup !== null) await fs.rename(entry.backup, entry.path).catch(() => undefined);
    }
    await cleanupTemps();
    if (error instanceof EngineError) throw error;
    const errno = errnoOf(error);
    if (errno === 'EEXIST') throw new EngineError('CERT_FILE_EXISTS', { path: current }, { path: current });
    throw new EngineError('CERT_WRITE_FAILED', { path: current, reason: describeErrno(errno, lang) }, { path: current, errno });
  }
  for (const backup of backups) await fs.unlink(backup).catch(() => undefined);
}
