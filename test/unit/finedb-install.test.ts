import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compareVersions, fileUrlPath, inspectInstall, jarEntryNames, parseDbProperties, parseManifest, readJarManifest } from '../../main/engine/fine/index.js';
import { createFineInstall, HSQLDB_JAR, writeStoredZip } from '../harness/finereport.js';
import { tempDir } from '../harness/temp.js';

const tmp = tempDir('wss-setup-finedb-install-');
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = () => join(tmp.path, `i${n++}`);

describe('inspectInstall', () => {
  it('reads product, version, JAR date and the embedded FineDB of a FineReport sandbox', async () => {
    const dir = fresh();
    createFineInstall(dir, { version: '10.0.19', jarDate: '2021-03-04' });
    const install = await inspectInstall(dir);
    expect(install).toMatchObject({
      product: 'finereport',
      version: '10.0.19',
      jarDate: '2021-03-04',
      containerWebSocket: false,
      webInf: join(dir, 'webapps', 'webroot', 'WEB-INF'),
      finedb: { kind: 'embedded-hsqldb', path: join(dir, 'webapps', 'webroot', 'WEB-INF', 'embed', 'finedb', 'db') },
    });
  });

  it('marks FineReport 11.0.2+ as container-WebSocket capable, and tells FineBI / FineDataLink apart', async () => {
    const a = fresh();
    createFineInstall(a, { version: '11.0.10' });
    expect((await inspectInstall(a)).containerWebSocket).toBe(true);
    const b = fresh();
    createFineInstall(b, { version: '11.0.1' });
    expect((await inspectInstall(b)).containerWebSocket).toBe(false);
    const bi = fresh();
    createFineInstall(bi, { product: 'finebi', version: '6.0.5' });
    expect((await inspectInstall(bi)).product).toBe('finebi');
    const dl = fresh();
    createFineInstall(dl, { product: 'finedatalink', version: '4.1.0' });
    expect((await inspectInstall(dl)).product).toBe('finedatalink');
  });

  it('accepts the webroot or WEB-INF folder itself', async () => {
    const dir = fresh();
    createFineInstall(dir);
    expect((await inspectInstall(join(dir, 'webapps', 'webroot'))).webInf).toBe(join(dir, 'webapps', 'webroot', 'WEB-INF'));
    expect((await inspectInstall(join(dir, 'webapps', 'webroot', 'WEB-INF'))).webInf).toBe(join(dir, 'webapps', 'webroot', 'WEB-INF'));
  });

  it('falls back to the MANIFEST entry date when no build-date attribute exists', async () => {
    const dir = fresh();
    const lib = join(dir, 'WEB-INF', 'lib');
    mkdirSync(lib, { recursive: true });
    writeStoredZip(join(lib, 'fine-core-10.0.jar'), { 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\r\nImplementation-Version: 10.0\r\n\r\n' }, '2019-09-20');
    const install = await inspectInstall(dir);
    expect(install.jarDate).toBe('2019-09-20');
    expect(install.version).toBe('10.0');
  });

  it('reads an external FineDB from escaped db.properties and notices an encrypted password', async () => {
    const dir = fresh();
    createFineInstall(dir, { finedb: { external: { url: 'jdbc:mysql://db.example:3306/finedb?useUnicode=true', driverClassName: 'com.mysql.cj.jdbc.Driver', username: 'fr', password: '___0072002a00670066000a', driverJar: HSQLDB_JAR } } });
    const install = await inspectInstall(dir);
    expect(install.finedb).toEqual({ kind: 'external', jdbcUrl: 'jdbc:mysql://db.example:3306/finedb?useUnicode=true', driver: 'com.mysql.cj.jdbc.Driver', user: 'fr', passwordEncrypted: true });
  });

  it('resolves ${ENV_HOME} HSQLDB and SQLite URLs to files under WEB-INF', async () => {
    const dir = fresh();
    createFineInstall(dir, { embeddedDbProperties: true });
    const install = await inspectInstall(dir);
    expect(install.finedb).toEqual({ kind: 'embedded-hsqldb', path: join(install.webInf, 'embed', 'finedb', 'db') });
    const s = fresh();
    createFineInstall(s, { finedb: 'sqlite' });
    const sqlite = await inspectInstall(s);
    expect(sqlite.finedb).toEqual({ kind: 'sqlite', path: join(sqlite.webInf, 'embed', 'finedb', 'finedb.sqlite') });
    expect(fileUrlPath('//C:\\FR\\WEB-INF/embed/finedb/db;hsqldb.tx=mvcc', '/x')).toBe('C:\\FR\\WEB-INF/embed/finedb/db');
  });

  it('refuses a folder without WEB-INF or without fine-*.jar with a clear code', async () => {
    await expect(inspectInstall(join(tmp.path, 'nothing-here'))).rejects.toMatchObject({ code: 'FINE_INSTALL_NOT_FOUND' });
    const dir = fresh();
    mkdirSync(join(dir, 'WEB-INF', 'lib'), { recursive: true });
    await expect(inspectInstall(dir)).rejects.toMatchObject({ code: 'FINE_JARS_MISSING' });
  });
});

describe('parsers', () => {
  it('parseDbProperties unescapes values and keeps plain passwords', () => {
    const p = parseDbProperties('#c\nurl=jdbc\\:mysql\\://h\\:3306/finedb?a\\=b\nusername=root\npassword=pa\\:ss\ndriverClassName=com.mysql.jdbc.Driver\n');
    expect(p).toEqual({ url: 'jdbc:mysql://h:3306/finedb?a=b', username: 'root', password: 'pa:ss', driverClassName: 'com.mysql.jdbc.Driver', passwordEncrypted: false });
    expect(parseDbProperties('password=___00aa\n')).toEqual({ passwordEncrypted: true });
  });

  it('parseManifest joins continuation lines and stops at the main section', () => {
    expect(parseManifest('Manifest-Version: 1.0\r\nImplementation-Version: 11.0.\r\n 3\r\n\r\nName: x\r\nBuild-Date: 2020-01-01\r\n')).toEqual({ 'Manifest-Version': '1.0', 'Implementation-Version': '11.0.3' });
  });

  it('compareVersions compares numerically', () => {
    expect(compareVersions('11.0.10', '11.0.2')).toBe(1);
    expect(compareVersions('11.0', '11.0.0')).toBe(0);
    expect(compareVersions('10.0.20', '11.0.2')).toBe(-1);
  });

  it('reads a real deflated JAR (Debian hsqldb.jar) entry list and manifest', async () => {
    const entries = (await jarEntryNames(HSQLDB_JAR))!;
    const driver = entries.find((e) => e === 'org/hsqldb/jdbc/JDBCDriver.class');
    expect(driver).toBeDefined();
    expect(entries).toContain('META-INF/MANIFEST.MF');
    expect((await readJarManifest(HSQLDB_JAR))!.text).toMatch(/Manifest-Version/);
  });

  it('reads a Zip64 jar (more than 65,535 entries, as the product\'s shaded fine-third jars can be)', async () => {
    const f = join(tmp.path, 'zip64.jar');
    const py = spawnSync('python3', ['-c', 'import sys,zipfile\nwith zipfile.ZipFile(sys.argv[1],"w") as z:\n  z.writestr("META-INF/MANIFEST.MF","Manifest-Version: 1.0\\r\\nImplementation-Version: 11.0.7\\r\\n\\r\\n")\n  [z.writestr("c/%d.class"%i,"") for i in range(70000)]', f], { encoding: 'utf8' });
    if (py.status !== 0) return void console.warn(`Zip64 jar test skipped: python3 could not write the jar (${py.error?.message ?? py.stderr})`);
    const names = (await jarEntryNames(f))!;
    expect(names.length).toBe(70_001);
    expect(names.at(-1)).toBe('c/69999.class');
    expect((await readJarManifest(f))!.text).toContain('11.0.7');
  });

  it('refuses a FIFO or a folder planted as a jar instead of blocking on it', async () => {
    const dir = fresh();
    createFineInstall(dir);
    const lib = join(dir, 'webapps', 'webroot', 'WEB-INF', 'lib');
    expect(spawnSync('mkfifo', [join(lib, 'fine-aaa-fifo.jar')]).status).toBe(0);
    mkdirSync(join(lib, 'fine-aab-dir.jar'));
    expect(await jarEntryNames(join(lib, 'fine-aaa-fifo.jar'))).toBeNull();
    expect((await inspectInstall(dir)).version).toBe('10.0.20');
  });

  it('returns null for a file that is not a zip', async () => {
    const f = join(tmp.path, 'not.jar');
    writeFileSync(f, 'hello');
    expect(await jarEntryNames(f)).toBeNull();
  });
});
