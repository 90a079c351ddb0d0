import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realPorts } from '../../main/engine/ports/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { diagnoseTomcat, loadServerXmlForDiagnosis } from '../../main/engine/tomcat/index.js';
import { jdbcUrlForDisplay } from '../../main/engine/tomcat/finedb-rows.js';
import { compileBridge, createFineInstall, MARIADB_JAR } from '../harness/finereport.js';
import { createFineDb, mariadbAvailable, startMariaDb, type MariaDbInstance } from '../harness/mariadb.js';
import { makeBase } from '../harness/tomcat-base.js';
import { tempDir } from '../harness/temp.js';

/**
 * check --server-xml on a FineReport install whose FineDB is an external database (a real MariaDB
 * on a free loopback port, read through the JDBC bridge): the keystore row is compared with
 * server.xml as for the embedded FineDB, and the database password never shows.
 */
const skip = mariadbAvailable();
if (skip) console.warn(`tomcat-diagnose-external tests skipped: ${skip}`);

const FIXTURES = new URL('../fixtures/tomcat/', import.meta.url).pathname;
const tmp = tempDir('wss-setup-tomcat-diagnose-ext-');
const DB_PASSWORD = 'Diag-Db;P4ss=word';
const WSS = 'wss://reports.example.com:38888/socket.io/?EIO=3&transport=websocket';
const previous = { data: process.env.WSS_SETUP_DATA_DIR, bridge: process.env.WSS_SETUP_BRIDGE_JAR };
let db: MariaDbInstance;

function install(name: string, database: string, password = DB_PASSWORD): string {
  const dir = join(tmp.path, name);
  createFineInstall(dir, {
    version: '10.0.20',
    finedb: { external: { url: `jdbc:mysql://127.0.0.1:${db.port}/${database}?useUnicode=true&characterEncoding=UTF-8`, driverClassName: 'org.mariadb.jdbc.Driver', username: 'frdiag', password, driverJar: MARIADB_JAR } },
  });
  makeBase(dir, readFileSync(join(FIXTURES, 'server-finereport-legacy.xml')));
  return join(dir, 'conf', 'server.xml');
}

async function findings(serverXml: string, url = WSS) {
  return diagnoseTomcat(serverXml, new URL(url), 'en', await loadServerXmlForDiagnosis(serverXml, realPorts.fs, realPorts));
}

describe('jdbcUrlForDisplay', () => {
  it('shows the database without user or password', () => {
    expect(jdbcUrlForDisplay('jdbc:mysql://fr:secret@db.example.com:3306/finedb?user=fr&password=secret')).toBe('jdbc:mysql://db.example.com:3306/finedb');
    expect(jdbcUrlForDisplay('jdbc:sqlserver://db:1433;databaseName=finedb;password=secret')).toBe('jdbc:sqlserver://db:1433');
    expect(jdbcUrlForDisplay('jdbc:oracle:thin:scott/secret@db:1521:orcl')).toBe('jdbc:oracle:thin:@db:1521:orcl');
    expect(jdbcUrlForDisplay('jdbc:postgresql://db/finedb')).toBe('jdbc:postgresql://db/finedb');
  });
});

describe.skipIf(skip !== null)("FineDB's keystore row in an external database (MariaDB)", () => {
  beforeAll(async () => {
    process.env.WSS_SETUP_BRIDGE_JAR = compileBridge();
    process.env.WSS_SETUP_DATA_DIR = join(tmp.path, 'data');
    db = await startMariaDb();
    createFineDb(db, { database: 'frother', user: 'frdiag', password: DB_PASSWORD, rows: [{ id: 'WebSocketConfig.protocol', value: 'SSL' }, { id: 'WebSocketConfig.keyStore', value: '/etc/ssl/other.jks' }] });
    db.sql("CREATE DATABASE frrelative CHARACTER SET utf8mb4 COLLATE utf8mb4_bin; GRANT ALL ON frrelative.* TO 'frdiag'@'127.0.0.1'; GRANT ALL ON frrelative.* TO 'frdiag'@'localhost'");
    db.sql('CREATE TABLE fine_conf_entity (id VARCHAR(255) NOT NULL, value LONGTEXT, PRIMARY KEY (id)) ENGINE=InnoDB', 'frrelative');
    db.sql("INSERT INTO fine_conf_entity (id, value) VALUES ('WebSocketConfig.protocol', 'SSL'), ('WebSocketConfig.keyStore', 'conf/fr.keystore')", 'frrelative');
  });
  afterAll(async () => {
    await db?.stop();
    if (previous.data === undefined) delete process.env.WSS_SETUP_DATA_DIR;
    else process.env.WSS_SETUP_DATA_DIR = previous.data;
    if (previous.bridge === undefined) delete process.env.WSS_SETUP_BRIDGE_JAR;
    else process.env.WSS_SETUP_BRIDGE_JAR = previous.bridge;
    tmp.cleanup();
  });

  it('names a keystore row pointing at another keystore, or a relative one, with the server.xml line; Tomcat ports do not read the database', async () => {
    const other = install('other', 'frother');
    const f = await findings(other);
    expect(f.map((x) => [x.code, x.evidence.line, x.evidence.value])).toEqual([['TOMCAT_FINEDB_KEYSTORE_MISMATCH', 25, '/etc/ssl/other.jks']]);
    expect(JSON.stringify(f)).not.toContain(DB_PASSWORD);
    const relative = await findings(install('relative', 'frrelative'));
    expect(relative.map((x) => [x.code, x.evidence.line])).toEqual([['TOMCAT_FINEDB_KEYSTORE_RELATIVE', 25]]);
    // A URL on Tomcat's own HTTPS connector is judged from server.xml alone.
    expect((await findings(other, 'wss://reports.example.com:8443/webroot/decision')).map((x) => x.code)).not.toContain('TOMCAT_FINEDB_KEYSTORE_MISMATCH');
  });

  it('check --server-xml reports it live, in both languages, without the database password', async () => {
    const serverXml = install('live', 'frother');
    for (const lang of ['en', 'zh-CN'] as const) {
      const result = await runOperation('check', { urls: [WSS.replace('reports.example.com', '127.0.0.1')], serverXml, timeoutMs: 2000 }, { lang });
      if (!result.ok) throw new Error(JSON.stringify(result.error));
      expect(result.value.endpoints[0]!.findings.map((x) => x.code)).toContain('TOMCAT_FINEDB_KEYSTORE_MISMATCH');
      expect(JSON.stringify(result)).not.toContain(DB_PASSWORD);
    }
  });

  it('a database that refuses the account is said (code and database, no password), not a failure', async () => {
    const f = await findings(install('refused', 'frother', 'not-the-Db-password'));
    expect(f.map((x) => [x.code, x.evidence.code])).toEqual([['TOMCAT_FINEDB_NOT_READ', 'FINEDB_AUTH_FAILED']]);
    expect(f[0]!.message).toContain(`jdbc:mysql://127.0.0.1:${db.port}/frother`);
    expect(JSON.stringify(f)).not.toContain('not-the-Db-password');
  });
});
