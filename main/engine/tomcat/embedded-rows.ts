import type { FilePort } from '../ports/index.js';

/** One SQL string literal of HSQLDB's script format: quotes doubled, \uXXXX escapes. */
function literal(text: string, at: number): { value: string; end: number } | null {
  if (text[at] !== "'") return null;
  let out = '';
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      return { value: out.replace(/\\u([0-9a-fA-F]{4})/g, (_w, h: string) => String.fromCharCode(parseInt(h, 16))), end: i + 1 };
    }
    out += c;
  }
  return null;
}

/**
 * fine_conf_entity rows of an embedded HSQLDB FineDB read from its text files (db.script, then the
 * db.log of changes since the last checkpoint), without starting a JVM: for diagnosis only, where
 * nothing may be started or changed. Null when the database files are absent or unreadable.
 */
export async function readEmbeddedRows(fs: FilePort, dbPath: string): Promise<Map<string, string> | null> {
  const script = await fs.readText(`${dbPath}.script`, { maxBytes: 64 * 1024 * 1024 }).catch(() => null);
  if (script === null) return null;
  const log = await fs.readText(`${dbPath}.log`, { maxBytes: 64 * 1024 * 1024 }).catch(() => '');
  const rows = new Map<string, string>();
  for (const line of `${script}\n${log}`.split(/\r?\n/)) {
    const insert = /^INSERT INTO (?:PUBLIC\.)?"?FINE_CONF_ENTITY"? VALUES\(/i.exec(line);
    if (insert !== null) {
      const id = literal(line, insert[0].length);
      const value = id === null ? null : line[id.end] === ',' ? literal(line, id.end + 1) : null;
      if (id !== null && value !== null) rows.set(id.value, value.value);
      continue;
    }
    const del = /^DELETE FROM (?:PUBLIC\.)?"?FINE_CONF_ENTITY"? WHERE ID=/i.exec(line);
    if (del !== null) {
      const id = literal(line, del[0].length);
      if (id !== null) rows.delete(id.value);
    }
  }
  return rows;
}
