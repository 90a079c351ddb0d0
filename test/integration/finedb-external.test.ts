import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FineDbBackupOutput, FineDbSetOutput } from '../../shared/contract/finedb.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { main } from '../../main/hosts/cli/main.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { freePort } from '../harness/ports.js';
import { compileBridge, createFineInstall, MARIADB_JAR } from '../harness/finereport.js';
import { createFineDb, mariadbAvailable, startMariaDb, type MariaDbInstance } from '../harness/mariadb.js';
import { tempDir } from '../harness/temp.js';

/** External FineDB on a real MariaDB (Debian mariadb-server) on a free loopback port, through the bridge and the MariaDB JDBC driver. */
const skip = mariadbAvailable();
if (skip) console.warn(`finedb-external tests skipped: ${skip}`);

const tmp = tempDir('wss-setup-finedb-external-');
const DB_PASSWORD = 'Db-P4ss;word=x';
const KS_PASSWORD = 'Ks-S3cret-value';
let db: MariaDbInstance;
let keystore: string;
let n = 0;

const rowsOf = (database: string) =>
  db
    .sql('SELECT id, value FROM fine_conf_entity ORDER BY id', database)
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));

function install(database: string, password = DB_PASSWORD, user = 'fr') {
  return createFineInstall(join(tmp.path, `ext${n++}`), {
    finedb: { external: { url: `jdbc:mysql://127.0.0.1:${db.port}/${database}?useUnicode=true&characterEncoding=UTF-8`, driverClassName: 'org.mariadb.jdbc.Driver', username: user, password, driverJar: MARIADB_JAR } },
  });
}

function io(): CliIO & { all: () => string } {
  let all = '';
  return { lang: 'en', stdout: (t) => void (all += t), stderr: (t) => void (all += t), interactive: false, env: { FINEDB_PW: DB_PASSWORD }, all: () => all };
}

describe.skipIf(skip !== null)('external FineDB on MariaDB', () => {
  beforeAll(async () => {
    process.env.WSS_SETUP_BRIDGE_JAR = compileBridge();
    process.env.WSS_SETUP_DATA_DIR = join(tmp.path, 'data');
    keystore = join(tmp.path, 'server.jks');
    writeFileSync(keystore, 'keystore');
    db = await startMariaDb();
    createFineDb(db, { database: 'finedb', user: 'fr', password: DB_PASSWORD, rows: [{ id: 'WebSocketConfig.port', value: '["38888"]' }, { id: 'SystemConfig.serverName', value: 'prod' }] });
    createFineDb(db, { database: 'notfine', user: 'fr2', password: DB_PASSWORD, withTable: false });
  });
  afterAll(async () => {
    await db?.stop();
    tmp.cleanup();
  });

  it('upserts through the bridge, reports driver and database, backs up old values 0600 and restores them value-identical', async () => {
    const s = install('finedb');
    const before = rowsOf('finedb');
    const r = await runOperation('finedbSet', { install: s.dir, ssl: { keyStore: keystore, keyStorePassword: KS_PASSWORD, keyStoreFormat: 'JKS' }, proxy: { websocketPorts: [38888, 39888], requestPorts: [38889] } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const out = (r as { value: FineDbSetOutput }).value;
    expect(out.info?.database.product).toMatch(/MariaDB|MySQL/);
    expect(out.info?.driver.name).toMatch(/MariaDB/i);
    expect(out.verified).toBe(true);
    expect(JSON.stringify(out)).not.toContain(DB_PASSWORD);
    expect(JSON.stringify(out)).not.toContain(KS_PASSWORD);
    expect(rowsOf('finedb')).toEqual([
      ['SystemConfig.serverName', 'prod'],
      ['WebSocketConfig.keyStore', keystore],
      ['WebSocketConfig.keyStoreFormat', 'JKS'],
      ['WebSocketConfig.keyStorePassword', KS_PASSWORD],
      ['WebSocketConfig.port', '["38888","39888"]'],
      ['WebSocketConfig.protocol', 'SSL'],
      ['WebSocketConfig.requestPorts', '38889'],
    ]);
    const backup = out.backup as FineDbBackupOutput;
    expect(backup.kind).toBe('rows');
    expect(statSync(join(backup.path, 'rows.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(backup.path, 'rows.json'), 'utf8'))).toContainEqual({ id: 'WebSocketConfig.port', present: true, value: '["38888"]' });

    const restored = await runOperation('finedbRestore', { install: s.dir, backup: backup.id });
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    expect(rowsOf('finedb')).toEqual(before);
  });

  it('a wrong JDBC password: clear message, never the password, nothing changed', async () => {
    const s = install('finedb', 'Wrong-Pa55word');
    const before = rowsOf('finedb');
    const r = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(!r.ok && r.error.code).toBe('FINEDB_AUTH_FAILED');
    expect(!r.ok && r.error.fix).toMatch(/--password-file/);
    expect(JSON.stringify(r)).not.toContain('Wrong-Pa55word');
    expect(rowsOf('finedb')).toEqual(before);
  });

  it('a missing table and an unreachable database: clear messages, nothing changed', async () => {
    const t = install('notfine', DB_PASSWORD, 'fr2');
    const r = await runOperation('finedbSet', { install: t.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(!r.ok && r.error.code).toBe('FINEDB_TABLE_MISSING');
    expect(db.sql("SHOW TABLES", 'notfine').trim()).toBe('');

    const s = install('finedb');
    const before = rowsOf('finedb');
    const closed = await freePort();
    const u = await runOperation('finedbSet', { install: s.dir, jdbcUrl: `jdbc:mysql://127.0.0.1:${closed}/finedb?connectTimeout=3000`, password: DB_PASSWORD, user: 'fr', proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(!u.ok && u.error.code).toBe('FINEDB_UNREACHABLE');
    expect(!u.ok && u.error.message).toContain(String(closed));
    expect(rowsOf('finedb')).toEqual(before);
  });

  it('an encrypted password in db.properties is asked for, never guessed; a missing driver jar is named', async () => {
    const s = install('finedb', '___0072002a00670066000a');
    const r = await runOperation('finedbGet', { install: s.dir });
    expect(!r.ok && r.error.code).toBe('FINEDB_PASSWORD_ENCRYPTED');
    const a = io();
    expect(await main(['finedb', 'get', '--install', s.dir, '--password-env', 'FINEDB_PW', '--json'], a)).toBe(0);
    expect(a.all()).toContain('WebSocketConfig.port');
    expect(a.all()).not.toContain(DB_PASSWORD);
    const b = io();
    expect(await main(['finedb', 'get', '--install', s.dir, '--password-env', 'NOT_SET'], b)).toBe(2);
    expect(b.all()).toContain('NOT_SET');

    const m = install('finedb');
    const u = await runOperation('finedbGet', { install: m.dir, driverJars: [join(tmp.path, 'mysql-connector.jar')] });
    expect(!u.ok && u.error.code).toBe('FINEDB_DRIVER_JAR_MISSING');
  });

  it('the bridge never echoes the JDBC password, even in driver errors that contain it', async () => {
    const s = install('finedb');
    // A URL the driver rejects while quoting it back, with the password inside the URL.
    const r = await runOperation('finedbGet', { install: s.dir, jdbcUrl: `jdbc:mysql://127.0.0.1:${db.port}/finedb?password=${DB_PASSWORD}&sslMode=bogus${DB_PASSWORD}`, user: 'fr', password: DB_PASSWORD });
    expect(JSON.stringify(r)).not.toContain(DB_PASSWORD);
    const a = io();
    await main(['finedb', 'backup', '--install', s.dir, '--json'], a);
    expect(a.all()).not.toContain(DB_PASSWORD);
    expect(a.all()).not.toContain(KS_PASSWORD);
  });
});
