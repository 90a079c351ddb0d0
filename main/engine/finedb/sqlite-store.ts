import Database from 'better-sqlite3';
import { EngineError } from '../common/engine-error.js';
import type { FineConfRow } from '../fine/index.js';
import type { DatabaseInfo, FineDbStore, WriteChange, WriteResult } from './store.js';

/** FineDB kept in SQLite (and the practice sandbox), through better-sqlite3; same rules as the bridge. */
export class SqliteStore implements FineDbStore {
  private constructor(
    private readonly db: Database.Database,
    readonly info: DatabaseInfo,
  ) {}

  static async open(path: string): Promise<SqliteStore> {
    let db: Database.Database;
    try {
      db = new Database(path, { fileMustExist: true, timeout: 5000 });
    } catch (error) {
      throw new EngineError('FINEDB_MISSING', { detail: (error as Error).message, url: path, driver: 'better-sqlite3' }, { path });
    }
    const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND lower(name) = 'fine_conf_entity'").get();
    if (table === undefined) {
      db.close();
      throw new EngineError('FINEDB_TABLE_MISSING', { detail: path, url: path, driver: 'better-sqlite3' }, { path });
    }
    const version = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    return new SqliteStore(db, { driver: { className: 'better-sqlite3', name: 'better-sqlite3', version: '' }, database: { product: 'SQLite', version } });
  }

  private wrap<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof EngineError) throw error;
      const code = (error as { code?: string }).code ?? '';
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw new EngineError('FINEDB_LOCKED', { detail: code, holders: '' }, { code });
      throw new EngineError('FINEDB_SQL_ERROR', { detail: (error as Error).message, url: '', driver: 'better-sqlite3' }, { code });
    }
  }

  async readIds(ids: readonly string[]): Promise<FineConfRow[]> {
    return this.wrap(() => {
      const select = this.db.prepare('SELECT id, value FROM fine_conf_entity WHERE id = ?');
      return ids.flatMap((id) => select.all(id) as FineConfRow[]);
    });
  }

  async readPrefix(prefix: string): Promise<FineConfRow[]> {
    return this.wrap(() => this.db.prepare('SELECT id, value FROM fine_conf_entity WHERE substr(id, 1, ?) = ?').all(prefix.length, prefix) as FineConfRow[]);
  }

  async write(change: WriteChange): Promise<WriteResult> {
    return this.wrap(() => {
      const del = this.db.prepare('DELETE FROM fine_conf_entity WHERE id = ?');
      const upd = this.db.prepare('UPDATE fine_conf_entity SET value = ? WHERE id = ?');
      const ins = this.db.prepare('INSERT INTO fine_conf_entity (id, value) VALUES (?, ?)');
      const sel = this.db.prepare('SELECT value FROM fine_conf_entity WHERE id = ?');
      return this.db.transaction((): WriteResult => {
        let updated = 0;
        let inserted = 0;
        let deleted = 0;
        for (const id of change.delete) deleted += del.run(id).changes;
        for (const row of change.upsert) {
          const n = upd.run(row.value, row.id).changes;
          if (n === 0) {
            ins.run(row.id, row.value);
            inserted++;
          } else updated += n;
        }
        const mismatched = [
          ...change.delete.filter((id) => !change.upsert.some((r) => r.id === id) && sel.get(id) !== undefined),
          ...change.upsert.filter((r) => (sel.get(r.id) as { value: string } | undefined)?.value !== r.value).map((r) => r.id),
        ];
        if (mismatched.length > 0) throw new EngineError('FINEDB_READBACK_MISMATCH', { detail: mismatched.join(', '), url: '', driver: 'better-sqlite3' }, { ids: mismatched });
        return { updated, inserted, deleted };
      })();
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
