import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError } from '../common/engine-error.js';
import { jarEntryNames, listJars, type DbKind } from '../fine/index.js';

/** JDBC driver classes wss-setup knows, per kind of database, in order of preference. */
const KNOWN_DRIVERS: Readonly<Record<Exclude<DbKind, 'sqlite' | 'other'>, readonly string[]>> = {
  hsqldb: ['com.fr.third.org.hsqldb.jdbcDriver', 'com.fr.third.org.hsqldb.jdbc.JDBCDriver', 'org.hsqldb.jdbc.JDBCDriver', 'org.hsqldb.jdbcDriver'],
  mysql: ['com.mysql.cj.jdbc.Driver', 'com.mysql.jdbc.Driver', 'org.mariadb.jdbc.Driver'],
  mariadb: ['org.mariadb.jdbc.Driver', 'com.mysql.cj.jdbc.Driver'],
  postgresql: ['org.postgresql.Driver'],
  oracle: ['oracle.jdbc.OracleDriver', 'oracle.jdbc.driver.OracleDriver'],
  sqlserver: ['com.microsoft.sqlserver.jdbc.SQLServerDriver'],
};

const ALL_KNOWN = new Set(Object.values(KNOWN_DRIVERS).flat());

export interface FoundDriver {
  readonly jar: string;
  readonly className: string;
}

/** Driver classes found in the given jars (by scanning their entries, not by loading them). */
async function scanDriverJars(jars: readonly string[], extraClass?: string): Promise<FoundDriver[]> {
  const wanted = new Set(ALL_KNOWN);
  if (extraClass) wanted.add(extraClass);
  const found: FoundDriver[] = [];
  for (const jar of jars) {
    let names;
    try {
      names = await jarEntryNames(jar);
    } catch {
      continue;
    }
    for (const name of names ?? []) {
      if (!name.endsWith('.class')) continue;
      const className = name.slice(0, -'.class'.length).replace(/\//g, '.');
      if (wanted.has(className)) found.push({ jar, className });
    }
  }
  return found;
}

export interface DriverChoice {
  readonly className: string;
  /** Jars for the class path: the admin's jars first, then the install's jars that hold the driver. */
  readonly jars: readonly string[];
}

/**
 * Picks the driver class and jars: the class the admin names, else the one db.properties names,
 * else the first known class for the URL's kind found in the admin's jars or WEB-INF/lib.
 */
export async function chooseDriver(options: {
  readonly kind: DbKind;
  readonly webInf: string;
  readonly driverJars: readonly string[];
  readonly driverClass?: string;
  readonly declaredClass?: string;
}): Promise<DriverChoice> {
  for (const jar of options.driverJars) {
    if (!existsSync(jar)) throw new EngineError('FINEDB_DRIVER_JAR_MISSING', { path: jar }, { path: jar });
  }
  const libDir = join(options.webInf, 'lib');
  const libJars = listJars(libDir).map((n) => join(libDir, n));
  const preferred = options.driverClass ?? options.declaredClass;
  const found = [...(await scanDriverJars(options.driverJars, preferred)), ...(await scanDriverJars(libJars, preferred))];
  const known = options.kind === 'sqlite' || options.kind === 'other' ? [] : KNOWN_DRIVERS[options.kind];
  const candidates = [...(preferred ? [preferred] : []), ...known];
  for (const className of candidates) {
    const hit = found.find((f) => f.className === className);
    if (hit) {
      const jars = [...options.driverJars];
      if (!jars.includes(hit.jar)) jars.push(hit.jar);
      // The product's repackaged drivers may need their sibling fine-third jars.
      if (className.startsWith('com.fr.third.')) for (const j of libJars) if (/fine-third/i.test(j) && !jars.includes(j)) jars.push(j);
      return { className, jars };
    }
  }
  // The admin named a class we could not see in any jar (e.g. a driver with a service loader only): trust them.
  if (options.driverClass && options.driverJars.length > 0) return { className: options.driverClass, jars: [...options.driverJars] };
  throw new EngineError(
    'FINEDB_DRIVER_NOT_FOUND',
    { kind: options.kind, classes: candidates.join(', ') || '?', dir: libDir },
    { kind: options.kind, searched: [...options.driverJars, ...libJars].length },
  );
}
