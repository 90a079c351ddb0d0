import { rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileEdit, Plan } from '../../../shared/contract/plan.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { applyBackupDir, type BackupRow, type Journal } from '../journal/index.js';
import { sha256Hex } from '../ports/index.js';
import { serverXmlApplyBytes, serverXmlSecretRefs } from '../tomcat/index.js';
import { plannedBytes } from './bytes.js';
import { progressItem } from './progress.js';
import { putLabel } from './selinux.js';
import type { FileBefore } from './preflight.js';

/**
 * Byte copies of every file the plan touches, in <data>/backups/apply/<run>/ (folder 0700, copies
 * 0600), each read back and compared by sha256, and journaled (path, sha256, size, mode, owner,
 * where stored) before anything is written. A file the plan creates is journaled as absent.
 */
export async function backupFiles(runId: string, files: readonly FileBefore[], ctx: OpContext, journal: Journal): Promise<{ files: number; bytes: number }> {
  const dir = applyBackupDir(journal.dir, runId);
  await ctx.ports.fs.mkdir(dir, { mode: 0o700 });
  let bytes = 0;
  for (const [i, f] of files.entries()) {
    if (!f.exists || f.bytes === null) {
      progressItem(ctx, 'backupAbsent', { path: f.path });
      journal.recordBackup(runId, { path: f.path, existed: false, sha256: null, size: null, mode: null, uid: null, gid: null, selinux: null, storedAt: null });
      continue;
    }
    progressItem(ctx, 'backup', { path: f.path });
    const copy = join(dir, `${String(i + 1).padStart(3, '0')}.bak`);
    await ctx.ports.fs.writeAtomic(copy, f.bytes, { mode: 0o600, exclusive: true });
    const back = await ctx.ports.fs.readFile(copy, { maxBytes: 64 * 1024 * 1024 });
    const sha = sha256Hex(f.bytes);
    if (sha256Hex(back) !== sha) throw new EngineError('APPLY_BACKUP_MISSING', { path: f.path, stored: copy }, { path: f.path });
    journal.recordBackup(runId, { path: f.path, existed: true, sha256: sha, size: f.bytes.length, mode: f.mode, uid: f.uid, gid: f.gid, selinux: f.selinux, storedAt: copy });
    bytes += f.bytes.length;
  }
  return { files: files.length, bytes };
}

/** The folders a write will create (deepest last), so a rollback can remove them again when empty. */
async function missingDirs(path: string, ctx: OpContext): Promise<string[]> {
  const out: string[] = [];
  let dir = dirname(path);
  while ((await ctx.ports.fs.lstat(dir)) === null && dirname(dir) !== dir) {
    out.unshift(dir);
    dir = dirname(dir);
  }
  return out;
}

/** Creates the missing folders of these paths (journaled first, so a rollback removes them when empty). */
export async function makeFolders(paths: readonly string[], ctx: OpContext, journalDirs: (dirs: string[]) => void): Promise<void> {
  for (const dir of new Set(paths.map((p) => dirname(p)))) {
    const missing = await missingDirs(join(dir, 'x'), ctx);
    if (missing.length === 0) continue;
    journalDirs(missing);
    await ctx.ports.fs.mkdir(dir, { mode: 0o755 });
  }
}

/**
 * The bytes apply writes for one planned file: its content, except a server.xml, whose template's
 * secret placeholders are filled (`keep:<n>` from the file as it is, the others from this run's
 * secrets). `current` is the file as preflight read it (checked against beforeSha256).
 */
export function bytesToWrite(edit: FileEdit, current: Buffer | null, secrets: Readonly<Record<string, string>>): Buffer {
  if (edit.kind !== 'server-xml') return plannedBytes(edit);
  const bytes = serverXmlApplyBytes(edit, current ?? Buffer.alloc(0), secrets);
  if (bytes === null) throw new EngineError('APPLY_SECRET_MISSING', { names: serverXmlSecretRefs(edit.content).join(', ') }, { path: edit.path });
  return bytes;
}

/**
 * Writes every planned file atomically through the FilePort (modified files keep mode and owner).
 * Returns the sha256 of the bytes actually written per path (a server.xml with its secrets filled
 * differs from the plan's afterSha256): what "changed since apply" compares against. A hash, never
 * the bytes, so no secret reaches the journal.
 */
export async function writeFiles(plan: Plan, ctx: OpContext, journalDirs: (dirs: string[]) => void, labels: ReadonlyMap<string, string | null> = new Map(), secrets: Readonly<Record<string, string>> = {}, current: ReadonlyMap<string, Buffer | null> = new Map()): Promise<{ written: string[]; sha256: Record<string, string> }> {
  const written: string[] = [];
  const sha256: Record<string, string> = {};
  for (const edit of plan.files) {
    const dirs = await missingDirs(edit.path, ctx);
    if (dirs.length > 0) {
      journalDirs(dirs);
      await ctx.ports.fs.mkdir(dirname(edit.path), { mode: 0o755 });
    }
    if (edit.action === 'link') {
      progressItem(ctx, 'link', { path: edit.path, target: edit.linkTarget! });
      // Exclusive and no-follow by nature (symlink(2) refuses an existing path); the backup row says "absent", so a rollback removes it.
      await ctx.ports.fs.symlink(edit.linkTarget!, edit.path);
      written.push(edit.path);
      continue;
    }
    progressItem(ctx, 'write', { path: edit.path });
    const bytes = bytesToWrite(edit, current.get(edit.path) ?? null, secrets);
    await ctx.ports.fs.writeAtomic(edit.path, bytes, edit.action === 'create' ? { mode: edit.mode ?? (edit.kind === 'pem' ? 0o600 : 0o644) } : {});
    const label = labels.get(edit.path);
    if (label !== undefined && label !== null) await putLabel(edit.path, label, ctx);
    written.push(edit.path);
    sha256[edit.path] = sha256Hex(bytes);
  }
  return { written, sha256 };
}

export interface FileRestore {
  readonly restored: string[];
  readonly problems: { path: string; reason: string; backup: string | null }[];
}

/**
 * Puts every journaled file back as it was: the backed-up bytes with their mode and owner (written
 * atomically, then read back and compared), a file the run created removed, and folders it created
 * removed when empty. A file already identical is left alone.
 */
export async function restoreFiles(runId: string, backups: readonly BackupRow[], createdDirs: readonly string[], ctx: OpContext, journal: Journal): Promise<FileRestore> {
  const restored: string[] = [];
  const problems: FileRestore['problems'] = [];
  for (const b of backups) {
    try {
      const st = await ctx.ports.fs.lstat(b.path);
      if (!b.existed) {
        if (st !== null) {
          await ctx.ports.fs.remove(b.path);
          restored.push(b.path);
        }
        journal.markRestored(runId, b.path);
        continue;
      }
      if (b.storedAt === null) throw new EngineError('APPLY_BACKUP_MISSING', { path: b.path, stored: '' }, {});
      const bytes = await ctx.ports.fs.readFile(b.storedAt, { maxBytes: 64 * 1024 * 1024 });
      if (sha256Hex(bytes) !== b.sha256) throw new EngineError('APPLY_BACKUP_MISSING', { path: b.path, stored: b.storedAt }, {});
      const current = st !== null && st.isFile() ? await ctx.ports.fs.readFile(b.path, { maxBytes: 64 * 1024 * 1024 }) : null;
      const same = current !== null && sha256Hex(current) === b.sha256 && (st!.mode & 0o7777) === b.mode && st!.uid === b.uid && st!.gid === b.gid;
      if (!same) {
        await ctx.ports.fs.writeAtomic(b.path, bytes, { mode: b.mode ?? 0o644, owner: { uid: b.uid ?? 0, gid: b.gid ?? 0 } });
        if (b.selinux !== null) await putLabel(b.path, b.selinux, ctx);
        const after = await ctx.ports.fs.readFile(b.path, { maxBytes: 64 * 1024 * 1024 });
        if (sha256Hex(after) !== b.sha256) throw new Error('read back differs');
        restored.push(b.path);
      }
      journal.markRestored(runId, b.path);
    } catch (error) {
      problems.push({ path: b.path, reason: error instanceof EngineError ? error.code : error instanceof Error ? error.message : String(error), backup: b.storedAt });
    }
  }
  for (const dir of [...createdDirs].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // not empty (someone else's file) or already gone: left alone
    }
  }
  return { restored, problems };
}
