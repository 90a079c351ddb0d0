/**
 * npm run bench:finedb — the JDBC bridge's time for a 6-row upsert on an embedded HSQLDB
 * against the same work done by HSQLDB's own SqlTool, measured in the same run (medians).
 *
 * Reference: Debian's hsqldb-utils 2.7 jar ships without SqlTool (org.hsqldb.cmdline is not in
 * it), so the reference is HSQLDB 1.8's SqlTool (Debian libhsqldb1.8.0-java, org.hsqldb.util.SqlTool)
 * and both sides run on an HSQLDB 1.8 database with the 1.8 driver (org.hsqldb.jdbcDriver — the
 * class name the product's repackaged com.fr.third.org.hsqldb.jdbcDriver comes from). The work on
 * both sides: open the file database, 6 × (UPDATE, then INSERT since no row was updated),
 * read the 6 rows back, COMMIT, SHUTDOWN. The JVM start dominates both.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeStore } from '../main/engine/finedb/bridge-client.js';
import { realPorts } from '../main/engine/ports/index.js';
import { benchJarReading } from './jar-read.js';
import { methodOneRows, methodTwoRows } from '../main/engine/fine/index.js';
import { compileBridge, createFineInstall, HSQLDB_JAR, HSQLDB18_JAR } from '../test/harness/finereport.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const ROWS = [
  ...methodOneRows({ keyStore: '/opt/FineReport/keys/server.p12', keyStorePassword: 'bench-secret', keyStoreFormat: 'PKCS12' }),
  ...methodTwoRows({ websocketPorts: [38888], requestPorts: [38889], legacyRequestPort: false }),
];

function run(command: string, args: readonly string[], input?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.resume();
    child.once('exit', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`${command} exited ${code}: ${err}`))));
    child.stdin.end(input ?? '');
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const sql = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function main(): Promise<void> {
  if (!existsSync(HSQLDB18_JAR)) {
    process.stdout.write(`bench:finedb skipped: ${HSQLDB18_JAR} is missing (apt-get install libhsqldb1.8.0-java); it holds the only SqlTool Debian ships.\n`);
    return;
  }
  const jar = compileBridge();
  const work = mkdtempSync(join(tmpdir(), 'wss-setup-bench-finedb-'));
  try {
    // A 1.8 FineDB made by SqlTool itself.
    const seed = join(work, 'seed18');
    const init = join(work, 'init.sql');
    writeFileSync(init, "CREATE MEMORY TABLE FINE_CONF_ENTITY(ID VARCHAR(255) NOT NULL PRIMARY KEY, VALUE LONGVARCHAR);\nINSERT INTO FINE_CONF_ENTITY VALUES('SystemConfig.serverName','bench');\nCOMMIT;\nSHUTDOWN;\n");
    await run('java', ['-cp', HSQLDB18_JAR, 'org.hsqldb.util.SqlTool', '--inlineRc', `URL=jdbc:hsqldb:file:${seed}/db,USER=sa,PASSWORD=`, init]);
    const script = join(work, 'upsert.sql');
    writeFileSync(
      script,
      [
        ...ROWS.flatMap((r) => [`UPDATE fine_conf_entity SET value = ${sql(r.value)} WHERE id = ${sql(r.id)};`, `INSERT INTO fine_conf_entity (id, value) VALUES (${sql(r.id)}, ${sql(r.value)});`]),
        ...ROWS.map((r) => `SELECT id, value FROM fine_conf_entity WHERE id = ${sql(r.id)};`),
        'COMMIT;',
        'SHUTDOWN;',
        '',
      ].join('\n'),
    );
    const fresh = (i: number, tag: string) => {
      const dir = join(work, `${tag}${i}`);
      cpSync(seed, dir, { recursive: true });
      return join(dir, 'db');
    };
    const bridgeOnce = async (db: string, driverJar: string, driverClass: string) => {
      const started = process.hrtime.bigint();
      const store = await BridgeStore.open({ java: 'java', bridgeJar: jar, driverJars: [driverJar], driverClass, url: `jdbc:hsqldb:file:${db}`, user: 'sa', password: '' }, realPorts);
      await store.write({ delete: [], upsert: ROWS });
      await store.close();
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const sqlToolOnce = (db: string) => run('java', ['-cp', HSQLDB18_JAR, 'org.hsqldb.util.SqlTool', '--inlineRc', `URL=jdbc:hsqldb:file:${db},USER=sa,PASSWORD=`, script]);

    // Warm the OS caches once each, then alternate so both see the same machine state.
    await bridgeOnce(fresh(0, 'wb'), HSQLDB18_JAR, 'org.hsqldb.jdbcDriver');
    await sqlToolOnce(fresh(0, 'ws'));
    const bridge: number[] = [];
    const tool: number[] = [];
    const bridge27: number[] = [];
    for (let i = 1; i <= RUNS; i++) {
      bridge.push(await bridgeOnce(fresh(i, 'b'), HSQLDB18_JAR, 'org.hsqldb.jdbcDriver'));
      tool.push(await sqlToolOnce(fresh(i, 's')));
      const install = createFineInstall(join(work, `fr${i}`));
      bridge27.push(await bridgeOnce(install.dbPath, HSQLDB_JAR, 'org.hsqldb.jdbc.JDBCDriver'));
    }
    const b = median(bridge);
    const s = median(tool);
    const ratio = b / s;
    const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');
    process.stdout.write(
      [
        `bench:finedb — 6-row upsert on an embedded HSQLDB, ${RUNS} runs each, same machine, same run`,
        `  bridge (JDBC bridge + HSQLDB 1.8 driver)   median ${b.toFixed(0)} ms   [${fmt(bridge)}]`,
        `  reference (HSQLDB 1.8 SqlTool, same SQL)   median ${s.toFixed(0)} ms   [${fmt(tool)}]`,
        `  ratio bridge / SqlTool: ${ratio.toFixed(2)}x (target ≤ 1.20x) ${ratio <= 1.2 ? 'OK' : 'OVER TARGET'}`,
        `  for information: bridge on HSQLDB 2.7 (Debian hsqldb.jar, sandbox FineDB)   median ${median(bridge27).toFixed(0)} ms (no 2.x SqlTool to compare with)`,
        ...(await benchJarReading()),
        '',
      ].join('\n'),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
