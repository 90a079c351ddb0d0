import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { FineDbBackupOutput } from '../../../shared/contract/finedb.js';
import { writeFileAtomicSync } from '../common/atomic-write.js';
import { EngineError } from '../common/engine-error.js';
import { errnoOf } from '../common/errno.js';
import { dataDir } from '../common/paths.js';
import type { ResolvedFineDb } from './connection.js';
import { locationOf } from './connection.js';
import { maskRows } from './mask.js';
import type { FineConfRow } from '../fine/index.js';

/**
 * Backups live in <dataDir()>/backups/finedb/<timestamp>/ (folder 0700, files 0600: an old
 * WebSocketConfig.keyStorePassword is a secret). `backup.json` describes the backup; files/ holds
 * byte copies of an embedded or SQLite database; rows.json the old values of external rows.
 */
export interface BackupManifest {
  readonly version: 1;
  readonly createdAt: string;
  readonly kind: 'files' | 'rows';
  readonly location: { readonly kind: ResolvedFineDb['kind']; readonly where: string };
  readonly files?: readonly { readonly name: string; readonly size: number; readonly sha256: string }[];
}

export interface RowBackup {
  readonly id: string;
  readonly present: boolean;
  readonly value?: string;
}

export function backupsRoot(): string {
  return join(dataDir(), 'backups', 'finedb');
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

function newBackupDir(now = new Date()): { id: string; path: string } {
  const root = backupsRoot();
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  for (let i = 0; ; i++) {
    const id = i === 0 ? stamp : `${stamp}-${i}`;
    const path = join(root, id);
    try {
      mkdirSync(path, { mode: 0o700 });
      return { id, path };
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error;
    }
  }
}

/** The files of an HSQLDB database (db.properties, db.script, db.data, db.log, db.backup, db.lobs), never db.lck or db.tmp/. */
export function embeddedFiles(dbPath: string): string[] {
  const folder = dirname(dbPath);
  const prefix = `${basename(dbPath)}.`;
  return readdirSync(folder)
    .filter((n) => n.startsWith(prefix) && !n.endsWith('.lck') && statSync(join(folder, n)).isFile())
    .sort();
}

function sqliteFiles(path: string): string[] {
  const name = basename(path);
  return [name, `${name}-wal`, `${name}-shm`, `${name}-journal`].filter((n) => existsSync(join(dirname(path), n)));
}

/** Copies the database files (embedded HSQLDB or SQLite) into a new backup; verifies each copy by hash. */
export function backupFiles(resolved: Extract<ResolvedFineDb, { kind: 'embedded-hsqldb' | 'sqlite' }>): FineDbBackupOutput {
  const folder = dirname(resolved.path);
  const names = resolved.kind === 'sqlite' ? sqliteFiles(resolved.path) : embeddedFiles(resolved.path);
  const { id, path } = newBackupDir();
  try {
    mkdirSync(join(path, 'files'), { mode: 0o700 });
    const files = names.map((name) => {
      const from = join(folder, name);
      const to = join(path, 'files', name);
      copyFileSync(from, to);
      chmodSync(to, 0o600);
      const hash = sha256(to);
      if (hash !== sha256(from)) throw new Error(`copy of ${name} differs`);
      return { name, size: statSync(to).size, sha256: hash };
    });
    const manifest: BackupManifest = { version: 1, createdAt: new Date().toISOString(), kind: 'files', location: locationOf(resolved), files };
    writeFileAtomicSync(join(path, 'backup.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return { id, path, kind: 'files', files };
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    throw new EngineError('FINEDB_BACKUP_FAILED', { path, reason: error instanceof Error ? error.message : String(error) }, { path });
  }
}

/** Stores the old value (or absence) of every row about to be touched. */
export function backupRows(resolved: ResolvedFineDb, ids: readonly string[], current: readonly FineConfRow[]): FineDbBackupOutput {
  const { id, path } = newBackupDir();
  try {
    const rows: RowBackup[] = [...new Set(ids)].map((rowId) => {
      const row = current.find((r) => r.id === rowId);
      return row ? { id: rowId, present: true, value: row.value } : { id: rowId, present: false };
    });
    writeFileAtomicSync(join(path, 'rows.json'), `${JSON.stringify(rows, null, 2)}\n`);
    const manifest: BackupManifest = { version: 1, createdAt: new Date().toISOString(), kind: 'rows', location: locationOf(resolved) };
    writeFileAtomicSync(join(path, 'backup.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    return { id, path, kind: 'rows', rows: maskRows(rows.map((r) => ({ id: r.id, value: r.value ?? '', present: r.present }))) };
  } catch (error) {
    rmSync(path, { recursive: true, force: true });
    throw new EngineError('FINEDB_BACKUP_FAILED', { path, reason: error instanceof Error ? error.message : String(error) }, { path });
  }
}

export interface LoadedBackup {
  readonly id: string;
  readonly path: string;
  readonly manifest: BackupManifest;
  readonly rows?: readonly RowBackup[];
}

export function loadBackup(ref: string): LoadedBackup {
  const path = isAbsolute(ref) ? ref : join(backupsRoot(), ref);
  if (!isAbsolute(ref) && (ref.includes('/') || ref.includes('\\') || ref.startsWith('.'))) throw new EngineError('FINEDB_BACKUP_NOT_FOUND', { backup: ref, root: backupsRoot() }, {});
  const manifestPath = join(path, 'backup.json');
  if (!existsSync(manifestPath)) throw new EngineError('FINEDB_BACKUP_NOT_FOUND', { backup: ref, root: backupsRoot() }, { path });
  let manifest: BackupManifest;
  let rows: RowBackup[] | undefined;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as BackupManifest;
    if (manifest.version !== 1 || (manifest.kind !== 'files' && manifest.kind !== 'rows')) throw new Error('unknown manifest');
    if (manifest.kind === 'rows') {
      rows = JSON.parse(readFileSync(join(path, 'rows.json'), 'utf8')) as RowBackup[];
      if (!Array.isArray(rows) || rows.some((r) => typeof r.id !== 'string' || typeof r.present !== 'boolean' || (r.present && typeof r.value !== 'string'))) throw new Error('bad rows');
    } else {
      for (const f of manifest.files ?? []) {
        if (basename(f.name) !== f.name || sha256(join(path, 'files', f.name)) !== f.sha256) throw new Error(`file ${f.name} changed`);
      }
    }
  } catch (error) {
    throw new EngineError('FINEDB_BACKUP_CORRUPT', { path, reason: error instanceof Error ? error.message : String(error) }, { path });
  }
  return { id: basename(path), path, manifest, ...(rows ? { rows } : {}) };
}

/**
 * Puts backed-up files back byte-identical: each file is copied next to its target and renamed
 * over it; database files that were not in the backup (db.log, db.data written later) are removed.
 */
export function restoreFiles(backup: LoadedBackup, dbPath: string, kind: 'embedded-hsqldb' | 'sqlite'): string[] {
  const folder = dirname(dbPath);
  const files = backup.manifest.files ?? [];
  const wanted = new Set(files.map((f) => f.name));
  for (const f of files) {
    const target = join(folder, f.name);
    const temp = join(folder, `.${f.name}.${process.pid}.restore.tmp`);
    copyFileSync(join(backup.path, 'files', f.name), temp);
    renameSync(temp, target);
  }
  const current = kind === 'sqlite' ? sqliteFiles(dbPath) : embeddedFiles(dbPath);
  for (const name of current) if (!wanted.has(name)) rmSync(join(folder, name), { force: true });
  if (kind === 'embedded-hsqldb') {
    rmSync(`${dbPath}.lck`, { force: true });
    rmSync(`${dbPath}.tmp`, { recursive: true, force: true });
  }
  for (const f of files) {
    if (sha256(join(folder, f.name)) !== f.sha256) throw new EngineError('FINEDB_BACKUP_CORRUPT', { path: join(folder, f.name), reason: 'sha256' }, {});
  }
  return files.map((f) => f.name);
}
