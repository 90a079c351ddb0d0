import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Lang } from '../../../shared/contract/common.js';
import { EngineError } from '../common/engine-error.js';
import { describeErrno, errnoOf } from '../common/errno.js';
import type { FilePort, Ports, WriteReceipt } from '../ports/index.js';
import { holdsCertificateMaterial } from './material-kind.js';
import { ownerOnlyAclCommand } from './owner-only-acl.js';

export interface PlannedFile {
  /** Absolute path. */
  readonly path: string;
  readonly content: string | Uint8Array;
  /** Private keys and keystores: never readable by other accounts (0600 for a new file; owner-only ACL on Windows). */
  readonly secret: boolean;
}

export interface WriteOptions {
  readonly overwrite: boolean;
  readonly lang: Lang;
  /** Default: the platform the engine runs on (tests pass 'win32' to see the ACL step). */
  readonly platform?: NodeJS.Platform;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Windows only: puts the content into the (empty, already owner-only) placed file in place, so
   * that the ACL restricted before the key went in is kept. The FilePort's temp-and-rename would
   * give the key the folder's inherited ACL.
   */
  readonly fillInPlace?: (path: string, content: Uint8Array) => Promise<void>;
}

/** The real in-place fill (Windows key files only; see WriteOptions.fillInPlace). */
async function fillExisting(path: string, content: Uint8Array): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(0);
    await handle.write(content, 0, content.length, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** What an existing file may be replaced with `overwrite`; more is never read to decide. */
const MAX_MATERIAL_BYTES = 4 * 1024 * 1024;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Fails before anything is written when a folder is missing or a file exists (and overwrite is
 * off). With overwrite, only a regular file that holds a certificate, request, key or keystore may
 * be replaced: never a symlink, never another kind of file. Returns what is there now.
 */
export async function checkTargets(paths: readonly string[], overwrite: boolean, fs: FilePort): Promise<Map<string, Stats>> {
  for (const dir of new Set(paths.map((p) => dirname(p)))) {
    const stat = await fs.lstat(dir);
    if (stat === null || !stat.isDirectory()) throw new EngineError('CERT_DIR_MISSING', { path: dir }, { path: dir });
  }
  const existing = new Map<string, Stats>();
  for (const path of paths) {
    const stat = await fs.lstat(path);
    if (stat === null) continue;
    if (stat.isDirectory()) throw new EngineError('CERT_FILE_EXISTS', { path }, { path, directory: true });
    if (!overwrite) throw new EngineError('CERT_FILE_EXISTS', { path }, { path });
    if (stat.isSymbolicLink()) throw new EngineError('FILE_IS_SYMLINK', { path }, { path });
    if (!stat.isFile()) throw new EngineError('FILE_NOT_REGULAR', { path }, { path });
    const bytes = stat.size > MAX_MATERIAL_BYTES ? null : await fs.readFile(path, { maxBytes: MAX_MATERIAL_BYTES });
    if (bytes === null || !holdsCertificateMaterial(bytes)) throw new EngineError('CERT_FILE_NOT_MATERIAL', { path }, { path, size: stat.size });
    existing.set(path, stat);
  }
  return existing;
}

/**
 * Mode of a written file. New: 0600 for secrets, 0644 otherwise. Replaced: the old file's mode
 * (its owner is kept by the FilePort), except that a secret never stays readable by others.
 */
function modeFor(file: PlannedFile, before: Stats | undefined): number {
  if (before === undefined) return file.secret ? 0o600 : 0o644;
  const mode = before.mode & 0o7777;
  return file.secret ? mode & ~0o007 : mode;
}

/**
 * After the rename the name must hold what we wrote. In a folder another account can write to, a
 * racing process can swap our temp file for a symlink just before the rename; the link is then
 * removed (never followed) and the write refused.
 */
async function verifyPlaced(fs: FilePort, receipt: WriteReceipt): Promise<void> {
  const { path } = receipt;
  const stat = await fs.lstat(path);
  const intact = stat !== null && stat.isFile() && sha256(await fs.readFile(path, { maxBytes: MAX_MATERIAL_BYTES * 64 }).catch(() => Buffer.alloc(0))) === receipt.afterSha256;
  if (intact) return;
  if (stat !== null && !stat.isDirectory()) await fs.remove(path).catch(() => undefined);
  throw new EngineError('CERT_WRITE_INTERFERED', { path, dir: dirname(path) }, { path });
}

function mapWriteError(error: unknown, path: string, lang: Lang): unknown {
  if (!(error instanceof EngineError)) return new EngineError('CERT_WRITE_FAILED', { path, reason: describeErrno(errnoOf(error), lang) }, { path, errno: errnoOf(error) });
  switch (error.code) {
    case 'FILE_EXISTS':
      return new EngineError('CERT_FILE_EXISTS', { path }, { path });
    case 'FILE_WRITE_FAILED': {
      const errno = String((error.evidence as { errno?: unknown }).errno ?? error.params.reason ?? 'EIO');
      return new EngineError('CERT_WRITE_FAILED', { path, reason: describeErrno(errno, lang) }, { path, errno });
    }
    default:
      return error;
  }
}

/**
 * Writes a set of files as one unit through the FilePort's atomic writer (temp file created
 * exclusively, mode and owner set on the handle, renamed into place). Without `overwrite` an
 * existing file is never replaced. On any failure every file already placed is put back as it
 * was (the receipts' undo) and the writer leaves no temp file: either every file is written or
 * none changed.
 */
export async function writeFilesAtomically(files: readonly PlannedFile[], options: WriteOptions, ports: Pick<Ports, 'fs' | 'process'>): Promise<void> {
  const { fs } = ports;
  const platform = options.platform ?? process.platform;
  const existing = await checkTargets(
    files.map((f) => f.path),
    options.overwrite,
    fs,
  );
  const placed: { undo(): Promise<void> }[] = [];
  let current = files[0]?.path ?? '';
  try {
    for (const file of files) {
      current = file.path;
      const bytes = typeof file.content === 'string' ? Buffer.from(file.content, 'utf8') : Buffer.from(file.content);
      const writeOptions = { mode: modeFor(file, existing.get(file.path)), exclusive: !options.overwrite };
      if (file.secret && platform === 'win32') {
        // Windows: the ACL is restricted while the placed file is still empty, then the content goes in.
        const receipt = await fs.writeAtomic(file.path, Buffer.alloc(0), writeOptions);
        const { before } = receipt;
        // Undone by hand: the receipt would refuse, the file no longer holding what it wrote (nothing).
        placed.push({ undo: async () => void (before === null ? await fs.remove(file.path) : await fs.writeAtomic(file.path, before.bytes, { mode: before.mode, owner: { uid: before.uid, gid: before.gid } })) });
        const acl = ownerOnlyAclCommand(file.path, options.env ?? process.env);
        const result = await ports.process.run({ command: acl.command, args: acl.args });
        if (result.code !== 0) throw new EngineError('FILE_WRITE_FAILED', { path: file.path, reason: 'EACCES' }, { path: file.path, errno: 'EACCES' });
        await (options.fillInPlace ?? fillExisting)(file.path, bytes);
        continue;
      }
      const receipt = await fs.writeAtomic(file.path, bytes, writeOptions);
      placed.push(receipt);
      await verifyPlaced(fs, receipt);
    }
  } catch (error) {
    for (const entry of placed.reverse()) await entry.undo().catch(() => undefined);
    throw mapWriteError(error, current, options.lang);
  }
}
