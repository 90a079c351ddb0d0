import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FineDbGetOutput, FineDbSetOutput } from '../../shared/contract/finedb.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { main } from '../../main/hosts/cli/main.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { compileBridge, createFineInstall, holdEmbeddedDb, snapshotFiles, BASE_ROWS } from '../harness/finereport.js';
import { tempDir } from '../harness/temp.js';

/** Real embedded HSQLDB (Debian libhsqldb-java) in a FineReport-shaped sandbox, through the real bridge. */
const tmp = tempDir('wss-setup-finedb-embedded-');
const secret = 'Kst0re-S3cret!';
let keystore: string;
let n = 0;
const fresh = (options: Parameters<typeof createFineInstall>[1] = {}) => createFineInstall(join(tmp.path, `fr${n++}`), options);
const dbFolder = (dbPath: string) => join(dbPath, '..');

beforeAll(() => {
  process.env.WSS_SETUP_BRIDGE_JAR = compileBridge();
  process.env.WSS_SETUP_DATA_DIR = join(tmp.path, 'data');
  keystore = join(tmp.path, 'server.p12');
  writeFileSync(keystore, 'not checked by finedb');
});
afterAll(() => tmp.cleanup());

function io(): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { lang: 'en', stdout: (t) => void (out += t), stderr: (t) => void (err += t), interactive: false, env: {}, out: () => out, err: () => err };
}

async function get(install: string): Promise<FineDbGetOutput> {
  const r = await runOperation('finedbGet', { install });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('embedded HSQLDB FineDB', () => {
  it('writes method one rows exactly as the product spells them, reads them back, and masks the password', async () => {
    const s = fresh();
    const before = snapshotFiles(dbFolder(s.dbPath));
    const r = await runOperation('finedbSet', { install: s.dir, ssl: { keyStore: keystore, keyStorePassword: secret, keyStoreFormat: ' pkcs12 ' } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const out = (r as { value: FineDbSetOutput }).value;
    expect(out.verified).toBe(true);
    expect(out.written.map((w) => w.id)).toEqual(['WebSocketConfig.protocol', 'WebSocketConfig.keyStore', 'WebSocketConfig.keyStorePassword', 'WebSocketConfig.keyStoreFormat']);
    expect(out.info?.database.product).toBe('HSQL Database Engine');
    expect(out.info?.driver.className).toBe('org.hsqldb.jdbc.JDBCDriver');
    expect(JSON.stringify(out)).not.toContain(secret);
    expect(out.backup?.kind).toBe('files');
    expect(snapshotFiles(dbFolder(s.dbPath))).not.toEqual(before);
    const rows = (await get(s.dir)).rows;
    expect(rows).toEqual([
      { id: 'WebSocketConfig.keyStore', value: keystore },
      { id: 'WebSocketConfig.keyStoreFormat', value: 'PKCS12' },
      { id: 'WebSocketConfig.keyStorePassword', value: '••••' },
      { id: 'WebSocketConfig.protocol', value: 'SSL' },
    ]);
    // The real value is in the database (and only there): the HSQLDB script holds it.
    expect(readFileSync(`${s.dbPath}.script`, 'utf8')).toContain(`'WebSocketConfig.keyStorePassword','${secret}'`);
    // Rows that are not WebSocket settings are untouched.
    for (const row of BASE_ROWS) expect(readFileSync(`${s.dbPath}.script`, 'utf8')).toContain(`'${row.id}'`);
  });

  it('writes method two rows, upserting over existing ones, and restores the backup byte-identical', async () => {
    const s = fresh({ rows: [{ id: 'WebSocketConfig.port', value: '["38888"]' }] });
    const before = snapshotFiles(dbFolder(s.dbPath));
    const r = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888, 39888], requestPorts: [38889] } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const out = (r as { value: FineDbSetOutput }).value;
    expect(out.written).toEqual([
      { id: 'WebSocketConfig.port', value: '["38888","39888"]' },
      { id: 'WebSocketConfig.requestPorts', value: '38889' },
    ]);
    expect((await get(s.dir)).rows).toEqual(out.written);
    const restored = await runOperation('finedbRestore', { install: s.dir, backup: out.backup!.id });
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    expect(snapshotFiles(dbFolder(s.dbPath))).toEqual(before);
    expect((await get(s.dir)).rows).toEqual([{ id: 'WebSocketConfig.port', value: '["38888"]' }]);
  });

  it('uses WebSocketConfig.requestPort for JARs dated 2019-09-27 or earlier', async () => {
    const s = fresh({ jarDate: '2019-09-27' });
    const r = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(r.ok && r.value.written).toEqual([
      { id: 'WebSocketConfig.port', value: '["38888"]' },
      { id: 'WebSocketConfig.requestPort', value: '38889' },
    ]);
    const two = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888], requestPorts: [38889, 38890] } });
    expect(!two.ok && two.error.code).toBe('FINEDB_LEGACY_ONE_PORT');
  });

  it('writes no port rows on an 11.0.2+ install that uses the container WebSocket, and says why', async () => {
    const s = fresh({ containerWebSocket: true });
    const before = snapshotFiles(dbFolder(s.dbPath));
    const r = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(!r.ok && r.error.code).toBe('FINEDB_NOTHING_TO_WRITE');
    expect(!r.ok && r.error.message).toMatch(/container/);
    expect(snapshotFiles(dbFolder(s.dbPath))).toEqual(before);
    const both = await runOperation('finedbSet', { install: s.dir, ssl: { keyStore: keystore, keyStorePassword: secret, keyStoreFormat: 'JKS' }, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(both.ok, JSON.stringify(both)).toBe(true);
    if (both.ok) {
      expect(both.value.skipped.map((x) => x.id)).toEqual(['WebSocketConfig.port', 'WebSocketConfig.requestPorts']);
      expect(both.value.notes.map((x) => x.code)).toContain('finedb.note.portRowsSkipped');
      expect(both.value.written.some((w) => w.id.includes('ort'))).toBe(false);
    }
  });

  it('resets the WebSocket settings before a new certificate is written (seed 000 order)', async () => {
    const s = fresh({ rows: [
      { id: 'WebSocketConfig.protocol', value: 'SSL' },
      { id: 'WebSocketConfig.keyStore', value: '/old/server.jks' },
      { id: 'WebSocketConfig.keyStorePassword', value: 'old-secret' },
      { id: 'WebSocketConfig.keyStoreFormat', value: 'JKS' },
    ] });
    const r = await runOperation('finedbSet', { install: s.dir, ssl: { keyStore: keystore, keyStorePassword: secret, keyStoreFormat: 'PKCS12' } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    // The shared plan: the reset happens before the certificate is replaced, the new rows after it.
    const steps = r.value.plan.fineDbRows.map((p) => `${p.after === null ? 'reset' : 'write'} ${p.id} ${p.phase}`);
    const ssl = ['WebSocketConfig.protocol', 'WebSocketConfig.keyStore', 'WebSocketConfig.keyStorePassword', 'WebSocketConfig.keyStoreFormat'];
    expect(steps).toEqual([...ssl.map((id) => `reset ${id} before-certificates`), ...ssl.map((id) => `write ${id} after-certificates`)]);
    expect(r.value.plan.certificates).toEqual([{ kind: 'use-existing', keystorePath: keystore, keystoreFormat: 'PKCS12' }]);
    expect(r.value.plan.fineDbRows.find((p) => p.id === 'WebSocketConfig.keyStore')).toMatchObject({ before: '/old/server.jks' });
    expect(r.value.plan.fineDbRows.find((p) => p.id === 'WebSocketConfig.keyStorePassword' && p.after !== null)).toMatchObject({ before: { secretRef: 'finedb.previousValue' }, after: { secretRef: 'keystorePassword' } });
    expect(r.value.deleted).toEqual(['WebSocketConfig.protocol', 'WebSocketConfig.keyStore', 'WebSocketConfig.keyStorePassword', 'WebSocketConfig.keyStoreFormat']);
    expect(JSON.stringify(r.value)).not.toContain('old-secret');
    expect((await get(s.dir)).rows.find((x) => x.id === 'WebSocketConfig.keyStore')?.value).toBe(keystore);
  });

  it('refuses a database held open by another process, names it, and changes nothing', async () => {
    const s = fresh();
    const held = await holdEmbeddedDb(s.dbPath);
    try {
      const before = snapshotFiles(dbFolder(s.dbPath));
      const r = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
      expect(!r.ok && r.error.code).toBe('FINEDB_LOCKED');
      expect(!r.ok && r.error.message).toContain(`pid ${held.pid}`);
      expect(!r.ok && r.error.message).toContain('java');
      expect(!r.ok && r.error.fix).toMatch(/Stop the report server/);
      expect(snapshotFiles(dbFolder(s.dbPath))).toEqual(before);
      // Reading still works, from a copy, and says the server holds the database.
      const g = await get(s.dir);
      expect(g.notes.map((x) => x.code)).toContain('finedb.note.serverRunning');
      expect(snapshotFiles(dbFolder(s.dbPath))).toEqual(before);
    } finally {
      await held.release();
    }
  });

  it('a missing table and a missing driver: clear messages, files byte-identical', async () => {
    const s = fresh({ withoutTable: true });
    const before = snapshotFiles(dbFolder(s.dbPath));
    const r = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(!r.ok && r.error.code).toBe('FINEDB_TABLE_MISSING');
    expect(snapshotFiles(dbFolder(s.dbPath))).toEqual(before);

    const d = fresh();
    const lib = join(d.webInf, 'lib', 'hsqldb.jar');
    writeFileSync(lib, 'not a jar');
    const beforeD = snapshotFiles(dbFolder(d.dbPath));
    const m = await runOperation('finedbSet', { install: d.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(!m.ok && m.error.code).toBe('FINEDB_DRIVER_NOT_FOUND');
    expect(!m.ok && m.error.fix).toMatch(/--driver-jar/);
    expect(snapshotFiles(dbFolder(d.dbPath))).toEqual(beforeD);
    const j = await runOperation('finedbGet', { install: d.dir, driverJars: [join(tmp.path, 'nope.jar')] });
    expect(!j.ok && j.error.code).toBe('FINEDB_DRIVER_JAR_MISSING');
  });

  it('validates values: ports 1025-65535, absolute existing keystore, PKCS12|JKS', async () => {
    const s = fresh();
    const bad = [
      { proxy: { websocketPorts: [80], requestPorts: [38889] } },
      { proxy: { websocketPorts: [38888], requestPorts: [70000] } },
      { proxy: { websocketPorts: [38888], requestPorts: [38888] } },
      { ssl: { keyStore: 'conf/server.p12', keyStorePassword: 'x', keyStoreFormat: 'PKCS12' } },
      { ssl: { keyStore: keystore, keyStorePassword: 'x', keyStoreFormat: 'PEM' } },
      { ssl: { keyStore: keystore, keyStorePassword: ' x', keyStoreFormat: 'JKS' } },
      {},
    ];
    for (const extra of bad) {
      const r = await runOperation('finedbSet', { install: s.dir, ...extra }, { lang: 'zh-CN' });
      expect(!r.ok && r.error.code, JSON.stringify(extra)).toBe('INVALID_INPUT');
    }
    const missing = await runOperation('finedbSet', { install: s.dir, ssl: { keyStore: join(tmp.path, 'missing.p12'), keyStorePassword: 'x', keyStoreFormat: 'JKS' } });
    expect(!missing.ok && missing.error.code).toBe('FINEDB_KEYSTORE_MISSING');
  });

  it('backup on demand copies the database files with mode 0600', async () => {
    const s = fresh();
    const r = await runOperation('finedbBackup', { install: s.dir });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.value.files?.map((f) => f.name)).toEqual(['db.properties', 'db.script']);
    for (const f of r.value.files ?? []) {
      expect(statSync(join(r.value.path, 'files', f.name)).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(r.value.path, 'files', f.name))).toEqual(readFileSync(join(dbFolder(s.dbPath), f.name)));
    }
    expect(existsSync(join(r.value.path, 'backup.json'))).toBe(true);
  });

  it('CLI: finedb set/get/restore in-process, JSON output never holds the keystore password', async () => {
    const s = fresh();
    const pw = join(tmp.path, 'ks-pass');
    writeFileSync(pw, `${secret}\n`);
    const a = io();
    const code = await main(['finedb', 'set', '--install', s.dir, '--keystore', keystore, '--keystore-format', 'JKS', '--keystore-password-file', pw, '--ws-port', '38888', '--request-port', '38889', '--json'], a);
    expect(code, a.err() + a.out()).toBe(0);
    const doc = JSON.parse(a.out()) as FineDbSetOutput;
    expect(doc.written.find((w) => w.id === 'WebSocketConfig.keyStorePassword')?.value).toBe('••••');
    expect(a.out() + a.err()).not.toContain(secret);
    const b = io();
    expect(await main(['finedb', 'get', '--install', s.dir], b)).toBe(0);
    expect(b.out()).toContain('WebSocketConfig.requestPorts = 38889');
    expect(b.out()).not.toContain(secret);
    const c = io();
    expect(await main(['finedb', 'restore', '--install', s.dir, '--backup', doc.backup!.id], c)).toBe(0);
    const d = io();
    expect(await main(['finedb', 'get', '--install', s.dir, '--json'], d)).toBe(0);
    expect((JSON.parse(d.out()) as FineDbGetOutput).rows).toEqual([]);
    const e = io();
    expect(await main(['finedb', 'set', '--install', s.dir, '--ws-port', '80', '--request-port', '38889'], e)).toBe(2);
    expect(e.err()).toContain('1025');
  });
});
