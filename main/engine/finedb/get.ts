import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { FineDbGetOutput, FineDbNote } from '../../../shared/contract/finedb.js';
import type { RequestOf } from '../../../shared/contract/index.js';
import { t } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { embeddedFiles } from './backup.js';
import { installOut, openStore, resolveFineDb, type ResolvedFineDb } from './connection.js';
import { embeddedLockState } from './hsqldb-lock.js';
import { installNotes } from './inspect.js';
import { maskRows } from './mask.js';
import { MANAGED_KEYS, misspelledKeys } from '../fine/index.js';
import type { FineConfRow } from '../fine/index.js';
import type { DatabaseInfo } from './store.js';

/**
 * Reads rows without changing anything. An embedded HSQLDB is read from a private copy of its
 * files (opening HSQLDB rewrites its files and takes its lock), so reading works even while the
 * server runs, and the live database stays byte-identical.
 */
export async function readRows(resolved: ResolvedFineDb, prefix: string, ids: readonly string[]): Promise<{ info: DatabaseInfo; rows: FineConfRow[] }> {
  let copy: string | null = null;
  let at: string | undefined;
  if (resolved.kind === 'embedded-hsqldb') {
    copy = mkdtempSync(join(tmpdir(), 'wss-setup-finedb-read-'));
    for (const name of embeddedFiles(resolved.path)) copyFileSync(join(dirname(resolved.path), name), join(copy, name));
    at = join(copy, basename(resolved.path));
  }
  try {
    const store = await openStore(resolved, at);
    try {
      const byPrefix = await store.readPrefix(prefix);
      const byId = await store.readIds(ids.filter((id) => !byPrefix.some((r) => r.id === id)));
      return { info: store.info, rows: [...byPrefix, ...byId].sort((a, b) => a.id.localeCompare(b.id)) };
    } finally {
      await store.close();
    }
  } finally {
    if (copy !== null) rmSync(copy, { recursive: true, force: true });
  }
}

export async function finedbGet(input: RequestOf<'finedbGet'>, ctx: OpContext): Promise<FineDbGetOutput> {
  const { install, resolved } = await resolveFineDb(input);
  const notes: FineDbNote[] = installNotes(install, ctx.lang);
  if (resolved.kind === 'embedded-hsqldb' && embeddedLockState(resolved.path).locked) {
    notes.push({ code: 'finedb.note.serverRunning', message: t(ctx.lang, 'finedb.note.serverRunning'), evidence: {} });
  }
  const { info, rows } = await readRows(resolved, 'WebSocketConfig', MANAGED_KEYS);
  for (const m of misspelledKeys(rows)) {
    notes.push({ code: 'finedb.note.misspelledKey', message: t(ctx.lang, 'finedb.note.misspelledKey', { id: JSON.stringify(m.id), expected: m.expected }), evidence: m });
  }
  return { install: installOut(install), info, rows: maskRows(rows.filter((r) => r.id.trim().toLowerCase().startsWith('websocketconfig.'))), notes };
}
