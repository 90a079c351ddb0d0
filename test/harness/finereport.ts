import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { crc32 } from 'node:zlib';
import Database from 'better-sqlite3';
import { stringify } from 'dot-properties';
import type { FineConfRow, FineProduct } from '../../main/engine/fine/index.js';

/**
 * The FineReport-shaped sandbox: `<dir>/webapps/webroot/WEB-INF/{lib,embed/finedb,config}` laid
 * out the way the product ships it, following the rule documented in
 * main/engine/fine/install.ts (fine-*.jar MANIFEST with Implementation-Version and Build-Date).
 * The embedded FineDB is a real HSQLDB file database written the way a fresh install ships it
 * (db.properties + db.script only) with FINE_CONF_ENTITY(ID VARCHAR(255) PRIMARY KEY, VALUE LONGVARCHAR);
 * Debian's hsqldb.jar (org.hsqldb.jdbc.JDBCDriver) stands in for the product's repackaged
 * com.fr.third.org.hsqldb.jdbcDriver and is copied into WEB-INF/lib.
 */
export const HSQLDB_JAR = process.env.HSQLDB_JAR ?? '/usr/share/java/hsqldb.jar';
export const HSQLDB18_JAR = '/usr/share/java/hsqldb1.8.0.jar';
export const MARIADB_JAR = process.env.MARIADB_JAR ?? '/usr/share/java/mariadb-java-client.jar';
export const BRIDGE_SRC = new URL('../../resources/jdbc-bridge/src/', import.meta.url).pathname;
export const BRIDGE_MAIN = 'wsssetup.jdbcbridge.Main';

export type SandboxFineDb =
  | 'embedded'
  | 'sqlite'
  | 'none'
  | { readonly external: { readonly url: string; readonly driverClassName: string; readonly username: string; readonly password: string; readonly driverJar: string } };

export interface FineInstallOptions {
  readonly product?: FineProduct;
  readonly version?: string;
  readonly jarDate?: string;
  /** true picks version 11.0.3 when no version is given; false picks 10.0.20. */
  readonly containerWebSocket?: boolean;
  readonly finedb?: SandboxFineDb;
  /** Rows already present in fine_conf_entity (the sandbox adds a few non-WebSocket rows of its own). */
  readonly rows?: readonly FineConfRow[];
  /** Leave the fine_conf_entity table out (for the "missing table" case). */
  readonly withoutTable?: boolean;
  /** Write the db.properties of an embedded install explicitly (jdbc:hsqldb:file://${ENV_HOME}/embed/finedb/db). */
  readonly embeddedDbProperties?: boolean;
}

export interface SandboxInstall {
  readonly dir: string;
  readonly webInf: string;
  /** HSQLDB database path (…/embed/finedb/db) or SQLite file. */
  readonly dbPath: string;
  readonly product: FineProduct;
  readonly version: string;
  readonly jarDate: string;
}

/** Rows every sandbox FineDB holds besides the ones asked for: they must never be touched. */
export const BASE_ROWS: readonly FineConfRow[] = [
  { id: 'SystemConfig.serverName', value: 'practice' },
  { id: 'FSConfig.loginTitle', value: "wss-setup's practice install" },
  { id: 'WebSocketConfigExtra.note', value: 'not a WebSocketConfig key' },
];

const ENGINE_JAR: Record<FineProduct, string> = {
  finereport: 'fine-report-engine',
  finebi: 'fine-bi-engine',
  finedatalink: 'fine-dp-engine',
};

export function createFineInstall(dir: string, options: FineInstallOptions = {}): SandboxInstall {
  const product = options.product ?? 'finereport';
  const version = options.version ?? (options.containerWebSocket === true ? '11.0.3' : '10.0.20');
  const jarDate = options.jarDate ?? '2023-06-01';
  const webInf = join(dir, 'webapps', 'webroot', 'WEB-INF');
  const lib = join(webInf, 'lib');
  for (const sub of ['lib', 'config', join('embed', 'finedb'), 'reportlets']) mkdirSync(join(webInf, sub), { recursive: true });
  const manifest = (title: string) =>
    `Manifest-Version: 1.0\r\nImplementation-Title: ${title}\r\nImplementation-Version: ${version}\r\nImplementation-Vendor: FanRuan (wss-setup sandbox)\r\nBuild-Date: ${jarDate}\r\n\r\n`;
  writeStoredZip(join(lib, `fine-core-${version}.jar`), { 'META-INF/MANIFEST.MF': manifest('fine-core'), 'com/fr/stable/.sandbox': 'sandbox\n' }, jarDate);
  const engine = ENGINE_JAR[product];
  writeStoredZip(join(lib, `${engine}-${version}.jar`), { 'META-INF/MANIFEST.MF': manifest(engine) }, jarDate);
  const rows = [...BASE_ROWS, ...(options.rows ?? [])];
  const finedb = options.finedb ?? 'embedded';
  let dbPath = join(webInf, 'embed', 'finedb', 'db');
  if (finedb === 'embedded') {
    copyFileSync(HSQLDB_JAR, join(lib, 'hsqldb.jar'));
    writeEmbeddedHsqldb(dbPath, rows, options.withoutTable === true);
    if (options.embeddedDbProperties === true) {
      writeFileSync(join(webInf, 'config', 'db.properties'), stringify({ dialectClass: 'com.fr.third.org.hibernate.dialect.HSQLDialect', driverClassName: 'org.hsqldb.jdbc.JDBCDriver', url: 'jdbc:hsqldb:file://${ENV_HOME}/embed/finedb/db', username: 'sa', password: '' }));
    }
  } else if (finedb === 'sqlite') {
    dbPath = join(webInf, 'embed', 'finedb', 'finedb.sqlite');
    const db = new Database(dbPath);
    if (options.withoutTable !== true) {
      db.exec('CREATE TABLE fine_conf_entity (id VARCHAR(255) NOT NULL PRIMARY KEY, value TEXT)');
      const insert = db.prepare('INSERT INTO fine_conf_entity (id, value) VALUES (?, ?)');
      for (const row of rows) insert.run(row.id, row.value);
    }
    db.close();
    writeFileSync(join(webInf, 'config', 'db.properties'), stringify({ url: 'jdbc:sqlite:${ENV_HOME}/embed/finedb/finedb.sqlite', username: '', password: '' }));
  } else if (finedb !== 'none') {
    const e = finedb.external;
    copyFileSync(e.driverJar, join(lib, basename(e.driverJar)));
    writeFileSync(
      join(webInf, 'config', 'db.properties'),
      stringify({ dialectClass: 'com.fr.third.org.hibernate.dialect.MySQL5Dialect', driverClassName: e.driverClassName, password: e.password, url: e.url, username: e.username }),
    );
  }
  return { dir, webInf, dbPath, product, version, jarDate };
}

/** A zip (JAR) with stored entries, written without the JDK; entry times set to `date` (YYYY-MM-DD). */
export function writeStoredZip(path: string, files: Readonly<Record<string, string | Buffer>>, date: string): void {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const dosDate = ((y - 1980) << 9) | (m << 5) | d;
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(10, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(10, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  writeFileSync(path, Buffer.concat([...locals, dir, end]));
}

/** A string literal in HSQLDB's script format: quotes doubled, non-ASCII as \uXXXX. */
function scriptString(value: string): string {
  let out = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === "'") out += "''";
    else if (code < 0x20 || code > 0x7e) out += toUnicodeEscapes(ch);
    else out += ch;
  }
  return `'${out}'`;
}

function toUnicodeEscapes(ch: string): string {
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * Writes db.properties + db.script of a fresh HSQLDB 2.x file database (what a new product install
 * ships), holding FINE_CONF_ENTITY and the given rows. HSQLDB opens it like any other database.
 */
export function writeEmbeddedHsqldb(dbPath: string, rows: readonly FineConfRow[], withoutTable = false): void {
  mkdirSync(dirname(dbPath), { recursive: true });
  const table = withoutTable ? [] : ['CREATE MEMORY TABLE PUBLIC.FINE_CONF_ENTITY(ID VARCHAR(255) NOT NULL PRIMARY KEY,VALUE VARCHAR(16777216))'];
  const inserts = withoutTable ? [] : rows.map((r) => `INSERT INTO FINE_CONF_ENTITY VALUES(${scriptString(r.id)},${scriptString(r.value)})`);
  const script = [
    'SET DATABASE UNIQUE NAME HSQLDB8E1C2D3F4A',
    'SET DATABASE DEFAULT RESULT MEMORY ROWS 0',
    'SET DATABASE EVENT LOG LEVEL 0',
    'SET DATABASE TRANSACTION CONTROL LOCKS',
    'SET DATABASE DEFAULT ISOLATION LEVEL READ COMMITTED',
    'SET DATABASE TRANSACTION ROLLBACK ON CONFLICT TRUE',
    "SET DATABASE TEXT TABLE DEFAULTS ''",
    'SET DATABASE SQL NAMES FALSE',
    'SET DATABASE SQL RESTRICT EXEC FALSE',
    'SET DATABASE SQL REFERENCES FALSE',
    'SET DATABASE SQL SIZE TRUE',
    'SET DATABASE SQL TYPES FALSE',
    'SET DATABASE SQL TDC DELETE TRUE',
    'SET DATABASE SQL TDC UPDATE TRUE',
    'SET DATABASE SQL SYS INDEX NAMES TRUE',
    'SET DATABASE SQL CONCAT NULLS TRUE',
    'SET DATABASE SQL UNIQUE NULLS TRUE',
    'SET DATABASE SQL CONVERT TRUNCATE TRUE',
    'SET DATABASE SQL AVG SCALE 0',
    'SET DATABASE SQL DOUBLE NAN TRUE',
    'SET FILES WRITE DELAY 500 MILLIS',
    'SET FILES BACKUP INCREMENT TRUE',
    'SET FILES CACHE SIZE 10000',
    'SET FILES CACHE ROWS 50000',
    'SET FILES SCALE 32',
    'SET FILES LOB SCALE 32',
    'SET FILES DEFRAG 0',
    'SET FILES NIO TRUE',
    'SET FILES NIO SIZE 256',
    'SET FILES LOG TRUE',
    'SET FILES LOG SIZE 50',
    'SET FILES CHECK 10',
    'SET DATABASE COLLATION SQL_TEXT PAD SPACE',
    "CREATE USER SA PASSWORD DIGEST 'd41d8cd98f00b204e9800998ecf8427e'",
    'ALTER USER SA SET LOCAL TRUE',
    'CREATE SCHEMA PUBLIC AUTHORIZATION DBA',
    ...table,
    'ALTER SEQUENCE SYSTEM_LOBS.LOB_ID RESTART WITH 1',
    'SET DATABASE DEFAULT INITIAL SCHEMA PUBLIC',
    'GRANT USAGE ON DOMAIN INFORMATION_SCHEMA.CARDINAL_NUMBER TO PUBLIC',
    'GRANT USAGE ON DOMAIN INFORMATION_SCHEMA.YES_OR_NO TO PUBLIC',
    'GRANT USAGE ON DOMAIN INFORMATION_SCHEMA.CHARACTER_DATA TO PUBLIC',
    'GRANT USAGE ON DOMAIN INFORMATION_SCHEMA.SQL_IDENTIFIER TO PUBLIC',
    'GRANT USAGE ON DOMAIN INFORMATION_SCHEMA.TIME_STAMP TO PUBLIC',
    'GRANT DBA TO SA',
    'SET SCHEMA SYSTEM_LOBS',
    'INSERT INTO BLOCKS VALUES(0,2147483647,0)',
    'SET SCHEMA PUBLIC',
    ...inserts,
  ];
  writeFileSync(`${dbPath}.script`, `${script.join('\n')}\n`);
  writeFileSync(`${dbPath}.properties`, '#HSQL Database Engine 2.7.1\n#written by the wss-setup sandbox\ntx_timestamp=0\nmodified=no\nversion=2.7.1\n');
}

/** Bytes of every file of a database folder (for byte-identical comparisons). */
export function snapshotFiles(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(folder).sort()) {
    const path = join(folder, name);
    if (statSync(path).isFile()) out[name] = createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

let compiled: string | null = null;

/**
 * Compiles resources/jdbc-bridge/src with javac --release 8 into a jar in the OS temp folder
 * (cached by a hash of the sources), so tests never depend on a full build of dist/.
 */
export function compileBridge(): string {
  if (compiled !== null && existsSync(compiled)) return compiled;
  const sources = javaFiles(BRIDGE_SRC);
  const hash = createHash('sha256');
  for (const file of sources) hash.update(file).update(readFileSync(file));
  const folder = join(tmpdir(), `wss-setup-bridge-${hash.digest('hex').slice(0, 16)}`);
  const jar = join(folder, 'jdbc-bridge.jar');
  if (!existsSync(jar)) {
    const work = `${folder}.${process.pid}.${Date.now()}`;
    mkdirSync(join(work, 'classes'), { recursive: true });
    const javac = spawnSync('javac', ['--release', '8', '-nowarn', '-encoding', 'UTF-8', '-d', join(work, 'classes'), ...sources], { encoding: 'utf8' });
    if (javac.status !== 0) throw new Error(`javac failed: ${javac.stderr}`);
    const made = spawnSync('jar', ['--create', '--file', join(work, 'jdbc-bridge.jar'), '-C', join(work, 'classes'), '.'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`jar failed: ${made.stderr}`);
    mkdirSync(folder, { recursive: true });
    renameSync(join(work, 'jdbc-bridge.jar'), jar);
    rmSync(work, { recursive: true, force: true });
  }
  compiled = jar;
  return jar;
}

function javaFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? javaFiles(path) : path.endsWith('.java') ? [path] : [];
    });
}

export interface HeldDatabase {
  readonly pid: number;
  release: () => Promise<void>;
}

/**
 * Holds an embedded HSQLDB open in another real java process (the bridge with an open session),
 * the way a running report server does: HSQLDB keeps db.lck with a live heartbeat.
 */
export async function holdEmbeddedDb(dbPath: string, driverJar = HSQLDB_JAR, driverClass = 'org.hsqldb.jdbc.JDBCDriver'): Promise<HeldDatabase> {
  const child = spawn('java', ['-cp', `${compileBridge()}:${driverJar}`, BRIDGE_MAIN], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const first = new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`holder exited (${code})`)));
  });
  child.stdin.write(`${JSON.stringify({ op: 'open', driver: driverClass, url: `jdbc:hsqldb:file:${dbPath}`, user: 'sa', password: '' })}\n`);
  const answer = JSON.parse(await first) as { ok: boolean };
  if (!answer.ok) throw new Error(`holder could not open the database: ${JSON.stringify(answer)}`);
  return {
    pid: child.pid!,
    release: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end(`${JSON.stringify({ op: 'close' })}\n`);
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

/**
 * The sandbox's WebSocket service, standing in for FineReport's push service: at start it reads
 * the WebSocketConfig rows of its FineDB (as the product does) and, with protocol SSL, serves TLS
 * from the keystore they name (PKCS12 directly; JKS converted with keytool), else plain ws.
 * `port` overrides the product's 38888 so tests can run side by side.
 */
export async function startSandboxWebSocket(installDir: string, port: number): Promise<{ port: number; tls: boolean; close: () => Promise<void> }> {
  const { readFineDbRows } = await import('../../main/engine/finedb/index.js');
  const { realPorts } = await import('../../main/engine/ports/index.js');
  const { createServer: createHttps } = await import('node:https');
  const { createServer: createHttp } = await import('node:http');
  const { Server: SocketIoServer } = await import('socket.io');
  const rows = new Map((await readFineDbRows(installDir, { ports: realPorts })).map((r) => [r.id, r.value]));
  const tls = rows.get('WebSocketConfig.protocol') === 'SSL';
  let server;
  if (tls) {
    const keyStore = rows.get('WebSocketConfig.keyStore') ?? '';
    const password = rows.get('WebSocketConfig.keyStorePassword') ?? '';
    const format = rows.get('WebSocketConfig.keyStoreFormat') ?? 'JKS';
    if (!keyStore.startsWith('/')) throw new Error(`WebSocketConfig.keyStore must be absolute, found "${keyStore}"`);
    let pfx = readFileSync(keyStore);
    if (format === 'JKS') {
      const dir = join(tmpdir(), `wss-setup-sandbox-${process.pid}-${Date.now()}`);
      mkdirSync(dir);
      const out = join(dir, 'ks.p12');
      const r = spawnSync('keytool', ['-importkeystore', '-srckeystore', keyStore, '-srcstoretype', 'JKS', '-srcstorepass:env', 'PW', '-destkeystore', out, '-deststoretype', 'PKCS12', '-deststorepass:env', 'PW'], { env: { ...process.env, PW: password }, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`keytool: ${r.stderr}`);
      pfx = readFileSync(out);
      rmSync(dir, { recursive: true, force: true });
    }
    server = createHttps({ pfx, passphrase: password }, (_req, res) => res.writeHead(404).end());
  } else {
    server = createHttp((_req, res) => res.writeHead(404).end());
  }
  const io = new SocketIoServer(server, { allowEIO3: true, transports: ['websocket', 'polling'], cors: { origin: false } });
  io.on('connection', (socket) => socket.on('echo', (msg: unknown, ack?: (m: unknown) => void) => ack?.(msg)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port,
    tls,
    close: () =>
      new Promise<void>((resolve) => {
        void io.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
