import { readdirSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { EngineError } from '../common/engine-error.js';
import { realFilePort, type FilePort } from '../ports/index.js';
import { errnoOf } from '../common/errno.js';
import { dbKindOf, parseDbProperties } from './db-properties.js';
import type { FineInstall } from './install-types.js';
import type { FineProduct } from './rows.js';
import { readJarManifest } from './jar-reader.js';

/**
 * How wss-setup reads a FineReport / FineBI / FineDataLink install (documented rule, also used by
 * the practice sandbox in test/harness/finereport.ts):
 *
 * - WEB-INF is `<dir>/webapps/webroot/WEB-INF` (a Tomcat or product home), or `<dir>/WEB-INF`
 *   (the webroot), or `<dir>` itself when it is named WEB-INF.
 * - The product JARs are `WEB-INF/lib/fine-*.jar`. A `fine-bi-*.jar` means FineBI, a
 *   `fine-dp-*.jar` / `fine-datalink-*.jar` FineDataLink, otherwise FineReport.
 * - Version and JAR date come from the MANIFEST of `fine-core-*.jar` (else of the other
 *   fine-*.jar): `Implementation-Version` gives the version; `Build-Date`, `Build-Time`,
 *   `Implementation-Build-Date` or `Built-Date` (YYYY-MM-DD or YYYYMMDD at the start) give the
 *   JAR date; without such an attribute, the date of the MANIFEST entry inside the JAR is used.
 * - FineDB: `WEB-INF/config/db.properties` when it names a JDBC URL (external database, or an
 *   HSQLDB/SQLite file URL, where `${ENV_HOME}` is WEB-INF); otherwise the embedded HSQLDB at
 *   `WEB-INF/embed/finedb/db`.
 * - Container WebSocket: FineReport 11.0.2 or later.
 */
export async function inspectInstall(dir: string, fs: FilePort = realFilePort): Promise<FineInstall> {
  const home = resolve(dir);
  const webInf = findWebInf(home);
  if (webInf === null) throw new EngineError('FINE_INSTALL_NOT_FOUND', { dir: home }, { dir: home });
  const libDir = join(webInf, 'lib');
  const jars = listJars(libDir);
  const fineJars = jars.filter((name) => /^fine-.*\.jar$/i.test(name));
  if (fineJars.length === 0) throw new EngineError('FINE_JARS_MISSING', { dir: libDir }, { dir: libDir });
  const product = productOf(fineJars);
  const { version, jarDate } = await versionOf(libDir, fineJars);
  const finedb = await locateFineDb(webInf, fs);
  return {
    dir: home,
    product,
    webInf,
    ...(version !== undefined ? { version } : {}),
    ...(jarDate !== undefined ? { jarDate } : {}),
    containerWebSocket: product === 'finereport' && version !== undefined && compareVersions(version, '11.0.2') >= 0,
    finedb,
  };
}

export function findWebInf(home: string): string | null {
  const candidates = [join(home, 'webapps', 'webroot', 'WEB-INF'), join(home, 'WEB-INF')];
  if (basename(home) === 'WEB-INF') candidates.unshift(home);
  return candidates.find((c) => isDir(c)) ?? null;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function listJars(libDir: string): string[] {
  try {
    return readdirSync(libDir)
      .filter((n) => n.toLowerCase().endsWith('.jar'))
      .sort();
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return [];
    throw new EngineError('FINEDB_FILE_UNREADABLE', { path: libDir, reason: errnoOf(error) }, { path: libDir, errno: errnoOf(error) });
  }
}

export function productOf(fineJars: readonly string[]): FineProduct {
  if (fineJars.some((n) => /^fine-bi[-.]/i.test(n))) return 'finebi';
  if (fineJars.some((n) => /^fine-(dp|datalink|fdl)[-.]/i.test(n))) return 'finedatalink';
  return 'finereport';
}

/** MANIFEST.MF main attributes (continuation lines joined). */
export function parseManifest(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') {
      if (last !== null) break; // end of the main section
      continue;
    }
    if (line.startsWith(' ') && last !== null) {
      out[last] += line.slice(1);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim();
    out[last] = line.slice(colon + 1).trim();
  }
  return out;
}

const DATE_ATTRIBUTES = ['Build-Date', 'Build-Time', 'Implementation-Build-Date', 'Built-Date'];

export function dateFromText(text: string): string | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  return `${y}-${mo}-${d}`;
}

async function versionOf(libDir: string, fineJars: readonly string[]): Promise<{ version?: string; jarDate?: string }> {
  const ordered = [...fineJars].sort((a, b) => Number(/^fine-core/i.test(b)) - Number(/^fine-core/i.test(a)));
  let version: string | undefined;
  let jarDate: string | undefined;
  let entryDate: string | undefined;
  for (const name of ordered) {
    let manifest;
    try {
      manifest = await readJarManifest(join(libDir, name));
    } catch {
      continue;
    }
    if (!manifest) continue;
    const attributes = parseManifest(manifest.text);
    const v = attributes['Implementation-Version'];
    if (version === undefined && v !== undefined) version = /\d+(\.\d+)+/.exec(v)?.[0];
    for (const key of DATE_ATTRIBUTES) {
      const raw = attributes[key];
      if (jarDate === undefined && raw !== undefined) jarDate = dateFromText(raw);
    }
    entryDate ??= manifest.date;
    if (version !== undefined && jarDate !== undefined) break;
  }
  const date = jarDate ?? entryDate;
  return { ...(version !== undefined ? { version } : {}), ...(date !== undefined ? { jarDate: date } : {}) };
}

/** Numeric comparison of dotted versions ("11.0.10" > "11.0.2"). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

export function dbPropertiesPath(webInf: string): string {
  return join(webInf, 'config', 'db.properties');
}

function embeddedDbPath(webInf: string): string {
  return join(webInf, 'embed', 'finedb', 'db');
}

/** Turns the path part of an HSQLDB/SQLite file URL into an absolute path (${ENV_HOME} = WEB-INF). */
export function fileUrlPath(rest: string, webInf: string): string {
  let path = rest.split(';')[0]!.replace(/\$\{ENV_HOME\}/g, webInf);
  while (path.startsWith('//') && (path.slice(2).startsWith('/') || /^[A-Za-z]:/.test(path.slice(2)))) path = path.slice(2);
  if (path.startsWith('file:')) path = path.slice(5);
  return isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path) ? path : resolve(webInf, path);
}

/** db.properties is a few hundred bytes; anything past 1 MiB is not one (a device, a planted file). */
export const DB_PROPERTIES_MAX = 1024 * 1024;

export async function locateFineDb(webInf: string, fs: FilePort = realFilePort): Promise<FineInstall['finedb']> {
  const propsPath = dbPropertiesPath(webInf);
  if ((await fs.lstat(propsPath)) !== null) {
    let text: string;
    try {
      text = await fs.readText(propsPath, { maxBytes: DB_PROPERTIES_MAX, encoding: 'latin1' });
    } catch (error) {
      const reason = error instanceof EngineError ? error.code : errnoOf(error);
      throw new EngineError('FINEDB_FILE_UNREADABLE', { path: propsPath, reason }, { path: propsPath, reason });
    }
    const props = parseDbProperties(text);
    if (props.url !== undefined && props.url !== '') {
      const kind = dbKindOf(props.url);
      if (kind === 'hsqldb' && /^jdbc:hsqldb:file:/i.test(props.url)) {
        return { kind: 'embedded-hsqldb', path: fileUrlPath(props.url.slice('jdbc:hsqldb:file:'.length), webInf) };
      }
      if (kind === 'sqlite') return { kind: 'sqlite', path: fileUrlPath(props.url.slice('jdbc:sqlite:'.length), webInf) };
      return {
        kind: 'external',
        jdbcUrl: props.url,
        driver: props.driverClassName ?? '',
        user: props.username ?? '',
        passwordEncrypted: props.passwordEncrypted,
      };
    }
  }
  return { kind: 'embedded-hsqldb', path: embeddedDbPath(webInf) };
}
