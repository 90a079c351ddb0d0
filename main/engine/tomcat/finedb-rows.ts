import { join } from 'node:path';
import { EngineError } from '../common/engine-error.js';
import { KEY, parseDbProperties } from '../fine/index.js';
import { readFineDbRows } from '../finedb/index.js';
import type { FilePort, Ports } from '../ports/index.js';
import { readEmbeddedRows } from './embedded-rows.js';

/** What diagnosis knows of the product's FineDB under a Tomcat base. */
export type FineRowsForDiagnosis =
  | { readonly kind: 'none' }
  | { readonly kind: 'rows'; readonly rows: ReadonlyMap<string, string> }
  /** An external database that could not be read: the error code and the database without credentials. */
  | { readonly kind: 'unread'; readonly code: string; readonly database: string };

/**
 * A JDBC URL as it may be shown: no user or password (//user:pass@host, Oracle's user/pass@,
 * ?user=…&password=…, ;password=…), at most 200 characters.
 */
export function jdbcUrlForDisplay(url: string): string {
  let u = url.trim().split(/[?;]/)[0]!;
  u = u.replace(/\/\/[^/@]*@/, '//').replace(/:[^:@/]+\/[^:@/]*@/, ':@');
  return u.length > 200 ? `${u.slice(0, 200)}…` : u;
}

const IDS = [KEY.protocol, KEY.keyStore];

/**
 * The WebSocketConfig rows diagnosis compares with server.xml, for the product installed in this
 * base: the embedded HSQLDB FineDB read from its files (no JVM), or an external FineDB (the
 * database named in WEB-INF/config/db.properties) read through the finedb module's JDBC bridge,
 * read only. The database password is used, never shown: a failure keeps only its error code.
 * Without `ports` (no process may be started) an external FineDB is not read.
 */
export async function fineRowsForDiagnosis(base: string, fs: FilePort, ports?: Ports): Promise<FineRowsForDiagnosis> {
  const webInf = join(base, 'webapps', 'webroot', 'WEB-INF');
  const text = await fs.readText(join(webInf, 'config', 'db.properties'), { maxBytes: 64 * 1024 }).catch(() => null);
  const url = text === null ? undefined : parseDbProperties(text).url;
  if (url === undefined || /^jdbc:hsqldb:file:/i.test(url)) {
    const rows = await readEmbeddedRows(fs, join(webInf, 'embed', 'finedb', 'db'));
    return rows === null ? { kind: 'none' } : { kind: 'rows', rows };
  }
  if (ports === undefined) return { kind: 'none' };
  try {
    const rows = await readFineDbRows(base, { ports }, { ids: IDS });
    return { kind: 'rows', rows: new Map(rows.filter((r) => IDS.includes(r.id as (typeof IDS)[number])).map((r) => [r.id, r.value])) };
  } catch (error) {
    return { kind: 'unread', code: error instanceof EngineError ? error.code : 'FINEDB_UNREADABLE', database: jdbcUrlForDisplay(url) };
  }
}
