import { rm } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { FineDbBackupEntry, FineDbBackupOutput, FineDbLocation } from '../../../shared/contract/finedb.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { dataDir } from '../common/paths.js';
import type { FineConfRow } from '../fine/index.js';
import { sha256Hex, type FilePort } from '../ports/index.js';
import type { ResolvedFineDb } from './connection.js';
import { locationOf } from './connection.js';
import { maskRows } from './mask.js';

/**
 * FineDB backups: <dataDir()>/backups/finedb/<timestamp>/ (folder 0700, files 0600: an old
 * WebSocketConfig.keyStorePassword is a secret). `backup.json` describes the backup; files/ holds
 * byte copies of an embedded or SQLite database with each file's mode and owner; rows.json the
 * old values of external rows.
 *
 * Everything goes through the file-system port: the live files are read without following a
 * symlink and only when regular, and put back by its one atomic writer (an exclusive temp file
 * with a random name, owner and mode set on the handle, rename), with the owner and mode the file
 * had when it was backed up. Nothing here uses a predictable temp name in the database folder,
 * which the report server's account owns (issue 9, items 1 and 4).
 */
export interface BackupFile {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  /** Permission bits, owner and group of the live file when it was backed up (version 2). */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

export interface BackupManifest {
  readonly version: 1 | 2;
  readonly createdAt: string;
  readonly kind: 'files' | 'rows';
  readonly location: FineDbLocation;
  /** The install the database belongs to (version 2). */
  readonly install?: string;
  readonly files?: readonly BackupFile[];
}

export interface RowBackup {
  readonly id: string;
  readonly present: boolean;
  readonly value?: string;
}

/** The largest database file backed up (a FineDB embedded database is a few MB; its db.data can grow). */
export const BACKUP_FILE_MAX = 1024 * 1024 * 1024;
const MANIFEST_MAX = 4 * 1024 * 1024;

export function backupsRoot(): string {
  return join(dataDir(), 'backups', 'finedb');
}

type Ctx = Pick<OpContext, 'ports'>;

async function newBackupDir(ctx: Ctx): Promise<{ id: string; path: string }> {
  const fs = ctx.ports.fs;
  const root = backupsRoot();
  await fs.mkdir(root, { mode: 0o700 });
  const stamp = ctx.ports.clock.now().toISOString().replace(/[:.]/g, '-');
  for (let i = 0; ; i++) {
    const id = i === 0 ? stamp : `${stamp}-${i}`;
    const path = join(root, id);
    if ((await fs.lstat(path)) !== null) continue;
    await fs.mkdir(path, { mode: 0o700 });
    return { id, path };
  }
}

/** Removes a backup folder this run created (our own data folder, never the database's). */
async function discard(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true }).catch(() => undefined);
}

/** Names of the files of an HSQLDB database (db.properties, db.script, db.data, db.log, db.backup, db.lobs, …), never db.lck or the db.tmp folder. */
export async function embeddedFiles(dbPath: string, fs: FilePort): Promise<string[]> {
  const folder = dirname(dbPath);
  const prefix = `${basename(dbPath)}.`;
  const out: string[] = [];
  for (const name of await fs.readDir(folder)) {
    if (!name.startsWith(prefix) || name.endsWith('.lck')) continue;
    const st = await fs.lstat(join(folder, name));
    // A symlink is kept in the list so that reading it is refused (FILE_IS_SYMLINK), never followed.
    if (st !== null && !st.isDirectory()) out.push(name);
  }
  return out.sort();
}

async function sqliteFiles(path: string, fs: FilePort): Promise<string[]> {
  const name = basename(path);
  const out: string[] = [];
  for (const n of [name, `${name}-wal`, `${name}-shm`, `${name}-journal`]) if ((await fs.lstat(join(dirname(path), n))) !== null) out.push(n);
  return out;
}

async function databaseFiles(resolved: Extract<ResolvedFineDb, { kind: 'embedded-hsqldb' | 'sqlite' }>, fs: FilePort): Promise<string[]> {
  return resolved.kind === 'sqlite' ? sqliteFiles(resolved.path, fs) : embeddedFiles(resolved.path, fs);
}

const reasonOf = (error: unknown): string => (error instanceof EngineError ? `${error.code} ${String(error.params.path ?? '')}`.trim() : error instanceof Error ? error.message : String(error));

async function writeManifest(path: string, manifest: BackupManifest, fs: FilePort): Promise<void> {
  await fs.writeAtomic(join(path, 'backup.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
}

/** Copies the database files (embedded HSQLDB or SQLite) into a new backup, with their mode and owner; verifies each copy by hash. */
export async function backupFiles(resolved: Extract<ResolvedFineDb, { kind: 'embedded-hsqldb' | 'sqlite' }>, install: string, ctx: Ctx): Promise<FineDbBackupOutput> {
  const fs = ctx.ports.fs;
  const folder = dirname(resolved.path);
  const { id, path } = await newBackupDir(ctx);
  try {
    const names = await databaseFiles(resolved, fs);
    await fs.mkdir(join(path, 'files'), { mode: 0o700 });
    const files: BackupFile[] = [];
    for (const name of names) {
      const from = join(folder, name);
      const st = await fs.lstat(from);
      const bytes = await fs.readFile(from, { maxBytes: BACKUP_FILE_MAX });
      const hash = sha256Hex(bytes);
      const to = join(path, 'files', name);
      await fs.writeAtomic(to, bytes, { mode: 0o600, exclusive: true });
      if (sha256Hex(await fs.readFile(to, { maxBytes: BACKUP_FILE_MAX })) !== hash) throw new Error(`copy of ${name} differs`);
      files.push({ name, size: bytes.length, sha256: hash, ...(st ? { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid } : {}) });
    }
    const manifest: BackupManifest = { version: 2, createdAt: ctx.ports.clock.now().toISOString(), kind: 'files', location: locationOf(resolved), install, files };
    await writeManifest(path, manifest, fs);
    return { id, path, kind: 'files', files: files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 })) };
  } catch (error) {
    await discard(path);
    throw new EngineError('FINEDB_BACKUP_FAILED', { path, reason: reasonOf(error) }, { path });
  }
}

/** Stores the old value (or absence) of every row about to be touched. */
export async function backupRows(resolved: ResolvedFineDb, install: string, ids: readonly string[], current: readonly FineConfRow[], ctx: Ctx): Promise<FineDbBackupOutput> {
  const fs = ctx.ports.fs;
  const { id, path } = await newBackupDir(ctx);
  try {
    const rows: RowBackup[] = [...new Set(ids)].map((rowId) => {
      const row = current.find((r) => r.id === rowId);
      return row ? { id: rowId, present: true, value: row.value } : { id: rowId, present: false };
    });
    await fs.writeAtomic(join(path, 'rows.json'), `${JSON.stringify(rows, null, 2)}\n`, { mode: 0o600, exclusive: true });
    await writeManifest(path, { version: 2, createdAt: ctx.ports.clock.now().toISOString(), kind: 'rows', location: locationOf(resolved), install }, fs);
    return { id, path, kind: 'rows', rows: maskRows(rows.map((r) => ({ id: r.id, value: r.value ?? '', present: r.present }))) };
  } catch (error) {
    await discard(path);
    throw new EngineError('FINEDB_BACKUP_FAILED', { path, reason: reasonOf(error) }, { path });
  }
}

export interface LoadedBackup {
  readonly id: string;
  readonly path: string;
  readonly manifest: BackupManifest;
  readonly rows?: readonly RowBackup[];
}

function pathOf(ref: string): string {
  if (isAbsolute(ref)) return ref;
  if (ref.includes('/') || ref.includes('\\') || ref.startsWith('.')) throw new EngineError('FINEDB_BACKUP_NOT_FOUND', { backup: ref, root: backupsRoot() }, {});
  return join(backupsRoot(), ref);
}

function checkManifest(value: unknown): BackupManifest {
  const m = value as BackupManifest;
  if (typeof m !== 'object' || m === null || (m.version !== 1 && m.version !== 2) || (m.kind !== 'files' && m.kind !== 'rows')) throw new Error('unknown manifest');
  if (typeof m.location?.where !== 'string' || !['embedded-hsqldb', 'external', 'sqlite'].includes(m.location.kind)) throw new Error('no location');
  for (const f of m.files ?? []) {
    if (typeof f.name !== 'string' || basename(f.name) !== f.name || f.name.startsWith('.') || typeof f.sha256 !== 'string') throw new Error('bad file entry');
    for (const k of ['mode', 'uid', 'gid'] as const) if (f[k] !== undefined && !Number.isInteger(f[k])) throw new Error('bad file entry');
  }
  return m;
}

/** Reads and checks a backup (every file's hash for a files backup). */
export async function loadBackup(ref: string, ctx: Ctx): Promise<LoadedBackup> {
  const fs = ctx.ports.fs;
  const path = pathOf(ref);
  const manifestPath = join(path, 'backup.json');
  if ((await fs.lstat(manifestPath)) === null) throw new EngineError('FINEDB_BACKUP_NOT_FOUND', { backup: ref, root: backupsRoot() }, { path });
  let manifest: BackupManifest;
  let rows: RowBackup[] | undefined;
  try {
    manifest = checkManifest(JSON.parse(await fs.readText(manifestPath, { maxBytes: MANIFEST_MAX })));
    if (manifest.kind === 'rows') {
      rows = JSON.parse(await fs.readText(join(path, 'rows.json'), { maxBytes: MANIFEST_MAX })) as RowBackup[];
      if (!Array.isArray(rows) || rows.some((r) => typeof r.id !== 'string' || typeof r.present !== 'boolean' || (r.present && typeof r.value !== 'string'))) throw new Error('bad rows');
    } else {
      for (const f of manifest.files ?? []) {
        if (sha256Hex(await fs.readFile(join(path, 'files', f.name), { maxBytes: BACKUP_FILE_MAX })) !== f.sha256) throw new Error(`file ${f.name} changed`);
      }
    }
  } catch (error) {
    throw new EngineError('FINEDB_BACKUP_CORRUPT', { path, reason: reasonOf(error) }, { path });
  }
  return { id: basename(path), path, manifest, ...(rows ? { rows } : {}) };
}

/**
 * Puts backed-up files back byte-identical, each with the owner and mode it had when backed up
 * (through the atomic writer: never a predictable temp name, never through a symlink someone
 * planted under the file's name — such a link is removed, not followed). Database files that were
 * not in the backup (db.log, db.data written later) and the lock file are removed without
 * following links. Returns the restored names.
 */
export async function restoreFiles(backup: LoadedBackup, resolved: Extract<ResolvedFineDb, { kind: 'embedded-hsqldb' | 'sqlite' }>, ctx: Ctx): Promise<string[]> {
  const fs = ctx.ports.fs;
  const folder = dirname(resolved.path);
  const files = backup.manifest.files ?? [];
  const wanted = new Set(files.map((f) => f.name));
  const folderStat = await fs.lstat(folder);
  if (folderStat === null || !folderStat.isDirectory()) throw new EngineError('FINEDB_MISSING', { detail: folder, url: folder, driver: '' }, { path: folder });
  for (const f of files) {
    const bytes = await fs.readFile(join(backup.path, 'files', f.name), { maxBytes: BACKUP_FILE_MAX });
    if (sha256Hex(bytes) !== f.sha256) throw new EngineError('FINEDB_BACKUP_CORRUPT', { path: join(backup.path, 'files', f.name), reason: 'sha256' }, {});
    const target = join(folder, f.name);
    const now = await fs.lstat(target);
    if (now?.isSymbolicLink()) await fs.remove(target);
    const mode = f.mode ?? (now?.isFile() ? undefined : 0o644);
    const owner = f.uid !== undefined && f.gid !== undefined ? { uid: f.uid, gid: f.gid } : now?.isFile() ? undefined : { uid: folderStat.uid, gid: folderStat.gid };
    await fs.writeAtomic(target, bytes, { ...(mode !== undefined ? { mode } : {}), ...(owner ? { owner } : {}) });
  }
  for (const name of await databaseFiles(resolved, fs)) if (!wanted.has(name)) await fs.remove(join(folder, name));
  if (resolved.kind === 'embedded-hsqldb') await fs.remove(`${resolved.path}.lck`);
  for (const f of files) {
    const target = join(folder, f.name);
    if (sha256Hex(await fs.readFile(target, { maxBytes: BACKUP_FILE_MAX })) !== f.sha256) throw new EngineError('FINEDB_BACKUP_CORRUPT', { path: target, reason: 'sha256' }, {});
  }
  return files.map((f) => f.name);
}

/** Every backup under the backups folder, newest first (damaged ones listed as such); optionally only those of one FineDB. */
export async function listBackups(ctx: Ctx, filter?: { readonly location: FineDbLocation; readonly install: string }): Promise<FineDbBackupEntry[]> {
  const fs = ctx.ports.fs;
  const root = backupsRoot();
  const st = await fs.lstat(root);
  if (st === null || !st.isDirectory()) return [];
  const out: FineDbBackupEntry[] = [];
  for (const id of await fs.readDir(root)) {
    const path = join(root, id);
    const dir = await fs.lstat(path);
    if (dir === null || !dir.isDirectory()) continue;
    let manifest: BackupManifest;
    try {
      manifest = checkManifest(JSON.parse(await fs.readText(join(path, 'backup.json'), { maxBytes: MANIFEST_MAX })));
    } catch {
      if (filter === undefined) out.push({ id, path, damaged: true, items: 0, bytes: 0 });
      continue;
    }
    if (filter !== undefined) {
      const same = manifest.location.kind === filter.location.kind && manifest.location.where === filter.location.where;
      if (!same && manifest.install !== filter.install) continue;
    }
    let items = manifest.files?.length ?? 0;
    if (manifest.kind === 'rows') {
      try {
        const rows = JSON.parse(await fs.readText(join(path, 'rows.json'), { maxBytes: MANIFEST_MAX })) as unknown[];
        items = Array.isArray(rows) ? rows.length : 0;
      } catch {
        items = 0;
      }
    }
    out.push({
      id,
      path,
      createdAt: manifest.createdAt,
      kind: manifest.kind,
      location: manifest.location,
      ...(manifest.install !== undefined ? { install: manifest.install } : {}),
      items,
      bytes: (manifest.files ?? []).reduce((sum, f) => sum + f.size, 0),
      damaged: false,
    });
  }
  return out.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.id.localeCompare(a.id));
}
