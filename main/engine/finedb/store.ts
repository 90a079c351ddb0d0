import type { FineConfRow } from '../fine/index.js';

/** What the driver and database said about themselves. */
export interface DatabaseInfo {
  readonly driver: { readonly className: string; readonly name: string; readonly version: string };
  readonly database: { readonly product: string; readonly version: string };
}

export interface WriteChange {
  /** Rows removed first (the "reset to defaults" step). */
  readonly delete: readonly string[];
  /** Rows written: UPDATE, then INSERT when no row was updated. */
  readonly upsert: readonly FineConfRow[];
}

export interface WriteResult {
  readonly updated: number;
  readonly inserted: number;
  readonly deleted: number;
}

/** One open FineDB (JDBC bridge or SQLite). Every write is one transaction, read back before commit. */
export interface FineDbStore {
  readonly info: DatabaseInfo;
  readIds(ids: readonly string[]): Promise<FineConfRow[]>;
  /** Rows whose id starts with the prefix (databases with case-insensitive collation may return more; callers filter). */
  readPrefix(prefix: string): Promise<FineConfRow[]>;
  write(change: WriteChange): Promise<WriteResult>;
  close(): Promise<void>;
}
