import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';
import { startProcess, type Managed } from './process.js';
import { tempDir } from './temp.js';

/** A real MariaDB (Debian mariadb-server) as a plain process on a free loopback port, in a temp folder. */
export const MARIADBD = process.env.MARIADBD ?? '/usr/sbin/mariadbd';
export const MARIADB_CLIENT = process.env.MARIADB_CLIENT ?? '/usr/bin/mariadb';
export const MARIADB_INSTALL_DB = process.env.MARIADB_INSTALL_DB ?? '/usr/bin/mysql_install_db';

export interface MariaDbInstance {
  readonly port: number;
  readonly socket: string;
  readonly process: Managed;
  /** Runs SQL as root over the socket; returns stdout (tab-separated, no headers). */
  sql: (statement: string, database?: string) => string;
  stop: () => Promise<void>;
}

export function mariadbAvailable(): string | null {
  for (const path of [MARIADBD, MARIADB_CLIENT, MARIADB_INSTALL_DB]) if (!existsSync(path)) return `${path} is missing (install the Debian package mariadb-server)`;
  return null;
}

export async function startMariaDb(): Promise<MariaDbInstance> {
  const dir = tempDir('wss-setup-mariadb-');
  const data = join(dir.path, 'data');
  const socket = join(dir.path, 'mysqld.sock');
  const init = spawnSync(MARIADB_INSTALL_DB, ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`mysql_install_db failed: ${init.stderr}${init.stdout}`);
  const port = await freePort();
  const proc = startProcess(MARIADBD, [
    '--no-defaults',
    `--datadir=${data}`,
    `--socket=${socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--user=root',
    `--pid-file=${join(dir.path, 'mysqld.pid')}`,
    `--log-error=${join(dir.path, 'error.log')}`,
    '--skip-log-bin',
    '--innodb-buffer-pool-size=16M',
    '--skip-name-resolve',
  ]);
  await waitForPort(port, 60_000, proc.alive);
  const sql = (statement: string, database?: string): string => {
    const r = spawnSync(MARIADB_CLIENT, ['--no-defaults', `--socket=${socket}`, '-uroot', '--batch', '--skip-column-names', ...(database ? [database] : []), '-e', statement], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mariadb: ${r.stderr}`);
    return r.stdout;
  };
  return {
    port,
    socket,
    process: proc,
    sql,
    stop: async () => {
      await proc.stop();
      dir.cleanup();
    },
  };
}

/** A FineDB-like database: fine_conf_entity(id VARCHAR(255) PRIMARY KEY, value LONGTEXT) and a user with a password. */
export function createFineDb(db: MariaDbInstance, options: { database: string; user: string; password: string; withTable?: boolean; rows?: readonly { id: string; value: string }[] }): void {
  const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  db.sql(`CREATE DATABASE ${options.database} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  db.sql(`CREATE USER ${q(options.user)}@'127.0.0.1' IDENTIFIED BY ${q(options.password)}; CREATE USER ${q(options.user)}@'localhost' IDENTIFIED BY ${q(options.password)}`);
  db.sql(`GRANT ALL ON ${options.database}.* TO ${q(options.user)}@'127.0.0.1'; GRANT ALL ON ${options.database}.* TO ${q(options.user)}@'localhost'`);
  if (options.withTable !== false) {
    db.sql('CREATE TABLE fine_conf_entity (id VARCHAR(255) NOT NULL, value LONGTEXT, PRIMARY KEY (id)) ENGINE=InnoDB', options.database);
    for (const row of options.rows ?? []) db.sql(`INSERT INTO fine_conf_entity (id, value) VALUES (${q(row.id)}, ${q(row.value)})`, options.database);
  }
}
