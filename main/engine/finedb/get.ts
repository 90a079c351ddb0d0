import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { FineDbGetOutput, FineDbNote } from '../../../shared/contract/finedb.js';
import type { RequestOf } from '../../../shared/contract/index.js';
import { t } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { MANAGED_KEYS, misspelledKeys, type FineConfRow } from '../fine/index.js';
import { BACKUP_FILE_MAX, embeddedFiles } from './backup.js';
import { installOut, openStore, resolveFineDb, type ResolvedFineDb } from './connection.js';
import { embeddedLockState } from './hsqldb-lock.js';
import { installNotes } from './inspect.js';
import { maskRows } from './mask.js';
import type { DatabaseInfo } from './store.js';

/**
 * Reads rows without changing anything. An embedded HSQLDB is read from a private copy of its
 * files (opening HSQLDB rewrites its files and takes its lock), so reading works even while the
 * server runs, and the live database stays byte-identical. The live files are read without
 * following links; the copy sits in a fresh folder of ours, handed to the account the bridge runs
 * as (the bridge never runs as root on an install another account owns).
 */
export async function readRows(resolved: ResolvedFineDb, ctx: Pick<OpContext, 'ports'>, prefix: string, ids: readonly string[]): Promise<{ info: DatabaseInfo; rows: FineConfRow[] }> {
  const fs = ctx.ports.fs;
  let copy: string | null = null;
  let at: { path: string; runAs?: { uid: number; gid: number } } | undefined;
  try {
    if (resolved.kind === 'embedded-hsqldb') {
      copy = await mkdtemp(join(tmpdir(), 'wss-setup-finedb-read-'));
      const runAs = resolved.jdbc.runAs;
      for (const name of await embeddedFiles(resolved.path, fs)) {
        const bytes = await fs.readFile(join(dirname(resolved.path), name), { maxBytes: BACKUP_FILE_MAX });
        await fs.writeAtomic(join(copy, name), bytes, { mode: 0o600, exclusive: true, ...(runAs ? { owner: runAs } : {}) });
      }
      // Our own fresh folder (mkdtemp, 0700): handing it to the bridge's account by path is race-free.
      if (runAs) await chown(copy, runAs.uid, runAs.gid);
      at = { path: join(copy, basename(resolved.path)), ...(runAs ? { runAs } : {}) };
    }
    const store = await openStore(resolved, ctx, at);
    try {
      const byPrefix = await store.readPrefix(prefix);
      const byId = await store.readIds(ids.filter((id) => !byPrefix.some((r) => r.id === id)));
      return { info: store.info, rows: [...byPrefix, ...byId].sort((a, b) => a.id.localeCompare(b.id)) };
    } finally {
      await store.close();
    }
  } finally {
    if (copy !== null) await rm(copy, { recursive: true, force: true });
  }
}

export async function finedbGet(input: RequestOf<'finedbGet'>, ctx: OpContext): Promise<FineDbGetOutput> {
  const { install, resolved } = await resolveFineDb(input, ctx);
  const notes: FineDbNote[] = installNotes(install, ctx.lang);
  if (resolved.kind === 'embedded-hsqldb' && embeddedLockState(resolved.path).locked) {
    notes.push({ code: 'finedb.note.serverRunning', message: t(ctx.lang, 'finedb.note.serverRunning'), evidence: {} });
  }
  const { info, rows } = await readRows(resolved, ctx, 'WebSocketConfig', MANAGED_KEYS);
  for (const m of misspelledKeys(rows)) {
    notes.push({ code: 'finedb.note.misspelledKey', message: t(ctx.lang, 'finedb.note.misspelledKey', { id: JSON.stringify(m.id), expected: m.expected }), evidence: m });
  }
  return { install: installOut(install), info, rows: maskRows(rows.filter((r) => r.id.trim().toLowerCase().startsWith('websocketconfig.'))), notes };
}
