import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOperation } from '../../main/engine/run-operation.js';
import { chooseJava } from '../../main/engine/fine/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BridgeStore } from '../../main/engine/finedb/bridge-client.js';
import { realPorts } from '../../main/engine/ports/index.js';
import { scrubText, maskRows } from '../../main/engine/finedb/mask.js';
import { keysFor, methodOneRows, misspelledKeys } from '../../main/engine/fine/index.js';
import { planRows, rowChanges } from '../../main/engine/finedb/plan.js';
import { changedSincePlan, writeChangeOf } from '../../main/engine/finedb/index.js';
import { embeddedLockState } from '../../main/engine/finedb/hsqldb-lock.js';
import { SqliteStore } from '../../main/engine/finedb/sqlite-store.js';
import { BRIDGE_MAIN, compileBridge, createFineInstall, HSQLDB_JAR } from '../harness/finereport.js';
import { tempDir } from '../harness/temp.js';

const tmp = tempDir('wss-setup-finedb-bridge-');
let jar: string;
beforeAll(() => {
  jar = compileBridge();
});
afterAll(() => tmp.cleanup());

/** Runs the bridge with the given request lines and returns its answers. */
function bridge(lines: readonly object[], cp = HSQLDB_JAR): Record<string, unknown>[] {
  const r = spawnSync('java', ['-cp', `${jar}:${cp}`, BRIDGE_MAIN], { input: lines.map((l) => JSON.stringify(l)).join('\n') + '\n', encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('JDBC bridge protocol', () => {
  it('answers ping, rejects bad JSON without echoing it, and needs an open database', () => {
    const [ping, bad, notOpen] = bridge([{ op: 'ping' }, { op: 'open', password: 'x' }, { op: 'read', ids: ['a'] }]);
    expect(ping).toEqual({ ok: true, op: 'ping' });
    expect(bad).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(notOpen).toMatchObject({ ok: false, code: 'NOT_OPEN' });
    const raw = spawnSync('java', ['-cp', jar, BRIDGE_MAIN], { input: '{"op":"open","password":"Leak3d-Secret"\n', encoding: 'utf8' });
    expect(raw.stdout).toContain('BAD_REQUEST');
    expect(raw.stdout + raw.stderr).not.toContain('Leak3d-Secret');
  });

  it('scrubs the password from every message, including ones the driver builds from the URL', () => {
    const secret = 'Sekr3t-Value';
    const answers = bridge([
      { op: 'open', driver: `com.example.${secret}`, url: 'jdbc:hsqldb:file:/nowhere/db', user: 'sa', password: secret },
      { op: 'open', driver: 'org.hsqldb.jdbc.JDBCDriver', url: `jdbc:hsqldb:file:${tmp.path}/${secret}/db`, user: 'sa', password: secret },
    ]);
    expect(answers[0]).toMatchObject({ ok: false, code: 'DRIVER_NOT_FOUND' });
    expect(answers[1]).toMatchObject({ ok: false, code: 'DB_MISSING' });
    expect(String(answers[1]!.detail)).toContain('••••');
    expect(JSON.stringify(answers)).not.toContain(secret);
  });

  it('round-trips quotes, backslashes, newlines and non-ASCII values through HSQLDB, in one transaction', async () => {
    const s = createFineInstall(join(tmp.path, 'rt'));
    const store = await BridgeStore.open({ java: 'java', bridgeJar: jar, driverJars: [HSQLDB_JAR], driverClass: 'org.hsqldb.jdbc.JDBCDriver', url: `jdbc:hsqldb:file:${s.dbPath}`, user: 'sa', password: '' }, realPorts);
    try {
      const value = 'a"b\\c\nd\t报表 ✓ \u2028';
      await store.write({ delete: [], upsert: [{ id: 'WebSocketConfig.keyStore', value }] });
      expect(await store.readIds(['WebSocketConfig.keyStore'])).toEqual([{ id: 'WebSocketConfig.keyStore', value }]);
      expect(store.info.driver.version).toMatch(/^2\./);
    } finally {
      await store.close();
    }
  });
});

describe('SQLite FineDB', () => {
  it('upserts in one transaction and refuses a database without fine_conf_entity', async () => {
    const s = createFineInstall(join(tmp.path, 'sq'), { finedb: 'sqlite', rows: [{ id: 'WebSocketConfig.port', value: '["38888"]' }] });
    const store = await SqliteStore.open(s.dbPath);
    const r = await store.write({ delete: [], upsert: [{ id: 'WebSocketConfig.port', value: '["48888"]' }, { id: 'WebSocketConfig.requestPorts', value: '48889' }] });
    expect(r).toEqual({ updated: 1, inserted: 1, deleted: 0 });
    expect(await store.readPrefix('WebSocketConfig.')).toEqual([
      { id: 'WebSocketConfig.port', value: '["48888"]' },
      { id: 'WebSocketConfig.requestPorts', value: '48889' },
    ]);
    await store.close();
    const empty = createFineInstall(join(tmp.path, 'sq2'), { finedb: 'sqlite', withoutTable: true });
    await expect(SqliteStore.open(empty.dbPath)).rejects.toMatchObject({ code: 'FINEDB_TABLE_MISSING' });
  });
});

describe('rows, plan and masking', () => {
  it('knows the keys per JAR date and the product default ports', () => {
    expect(keysFor({ jarDate: '2019-09-27' }).proxy).toEqual(['WebSocketConfig.port', 'WebSocketConfig.requestPort']);
    expect(keysFor({ jarDate: '2019-09-28' }).proxy).toEqual(['WebSocketConfig.port', 'WebSocketConfig.requestPorts']);
    expect(keysFor({}).proxy).toEqual(['WebSocketConfig.port', 'WebSocketConfig.requestPorts']);
  });

  it('flags keys the product would ignore (letter case, trailing space)', () => {
    expect(misspelledKeys([{ id: 'websocketconfig.port', value: '1' }, { id: 'WebSocketConfig.requestPorts ', value: '2' }, { id: 'WebSocketConfig.port', value: '3' }])).toEqual([
      { id: 'websocketconfig.port', expected: 'WebSocketConfig.port' },
      { id: 'WebSocketConfig.requestPorts ', expected: 'WebSocketConfig.requestPorts' },
    ]);
  });

  it('puts the reset before the certificate replacement', () => {
    const install = { dir: '/x', product: 'finereport', webInf: '/x/WEB-INF', containerWebSocket: false, finedb: { kind: 'embedded-hsqldb', path: '/x/db' } } as const;
    const current = [{ id: 'WebSocketConfig.keyStore', value: '/old.jks' }, { id: 'WebSocketConfig.keyStorePassword', value: 'old' }];
    const rows = methodOneRows({ keyStore: '/new.p12', keyStorePassword: 'new', keyStoreFormat: 'PKCS12' });
    const steps = rowChanges(install, rows, current, true).map((s) => `${s.after === null ? 'reset' : 'write'} ${s.phase}`);
    expect(steps.lastIndexOf('reset before-certificates')).toBeLessThan(steps.indexOf('write after-certificates'));
    expect(steps).toEqual(['reset before-certificates', 'reset before-certificates', ...rows.map(() => 'write after-certificates')]);
    expect(JSON.stringify(rowChanges(install, rows, current, true))).not.toMatch(/"old"|"new"/);
  });

  it('turns plan row changes into one write (resets first, secrets resolved) and notices rows changed since the plan', () => {
    const base = { install: '/x', product: 'finereport', reason: { code: 'finedb.reason.reset', params: {} } } as const;
    const rows = [
      { ...base, id: 'WebSocketConfig.keyStore', before: '/old.jks', after: null, phase: 'before-certificates' },
      { ...base, id: 'WebSocketConfig.keyStorePassword', before: { secretRef: 'finedb.previousValue' }, after: null, phase: 'before-certificates' },
      { ...base, id: 'WebSocketConfig.keyStore', before: '/old.jks', after: '/new.p12', phase: 'after-certificates' },
      { ...base, id: 'WebSocketConfig.keyStorePassword', before: { secretRef: 'finedb.previousValue' }, after: { secretRef: 'keystorePassword' }, phase: 'after-certificates' },
      { ...base, id: 'WebSocketConfig.requestPorts', before: null, after: '38889', phase: 'after-certificates' },
    ] as const;
    expect(writeChangeOf(rows, { keystorePassword: 'pw' })).toEqual({
      delete: ['WebSocketConfig.keyStore', 'WebSocketConfig.keyStorePassword'],
      upsert: [
        { id: 'WebSocketConfig.keyStore', value: '/new.p12' },
        { id: 'WebSocketConfig.keyStorePassword', value: 'pw' },
        { id: 'WebSocketConfig.requestPorts', value: '38889' },
      ],
    });
    expect(() => writeChangeOf(rows, {})).toThrow(expect.objectContaining({ code: 'FINEDB_SECRET_MISSING' }));
    const now = [{ id: 'WebSocketConfig.keyStore', value: '/old.jks' }, { id: 'WebSocketConfig.keyStorePassword', value: 'old' }];
    expect(changedSincePlan(rows, now)).toEqual([]);
    expect(changedSincePlan(rows, [{ id: 'WebSocketConfig.keyStore', value: '/other.jks' }])).toEqual(['WebSocketConfig.keyStore', 'WebSocketConfig.keyStorePassword']);
    expect(changedSincePlan(rows, [...now, { id: 'WebSocketConfig.requestPorts', value: '1' }])).toEqual(['WebSocketConfig.requestPorts']);
  });

  it('skips port rows on container-WebSocket installs', () => {
    const install = { dir: '/x', product: 'finereport', webInf: '/x/WEB-INF', containerWebSocket: true, finedb: { kind: 'embedded-hsqldb', path: '/x/db' } } as const;
    const plan = planRows(install, { proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(plan.upsert).toEqual([]);
    expect(plan.skipped.map((r) => r.id)).toEqual(['WebSocketConfig.port', 'WebSocketConfig.requestPorts']);
  });

  it('masks secret rows and scrubs secrets from text', () => {
    expect(maskRows([{ id: 'WebSocketConfig.keyStorePassword', value: 'x' }, { id: 'WebSocketConfig.port', value: '1' }])).toEqual([
      { id: 'WebSocketConfig.keyStorePassword', value: '••••' },
      { id: 'WebSocketConfig.port', value: '1' },
    ]);
    expect(scrubText('jdbc:mysql://h/db?user=a&password=hunter2 said hunter2', ['hunter2'])).toBe('jdbc:mysql://h/db?user=a&password=•••• said ••••');
  });

  it('sees no lock on a closed database, and a lock from a live heartbeat even when no process is visible', () => {
    const s = createFineInstall(join(tmp.path, 'lk'));
    expect(embeddedLockState(s.dbPath)).toEqual({ locked: false, holders: [] });
    const lck = Buffer.alloc(16);
    lck.write('HSQLLOCK', 0, 'latin1');
    lck.writeBigInt64BE(BigInt(Date.now() - 2000), 8);
    writeFileSync(`${s.dbPath}.lck`, lck);
    expect(embeddedLockState(s.dbPath)).toMatchObject({ locked: true, holders: [] });
    lck.writeBigInt64BE(BigInt(Date.now() - 120_000), 8);
    writeFileSync(`${s.dbPath}.lck`, lck);
    expect(embeddedLockState(s.dbPath).locked).toBe(false);
  });

  it("runs a root-owned system java by default, the install's own JRE only when asked (never its parent's), the admin's java when named", async () => {
    const dir = join(tmp.path, 'jre-install');
    mkdirSync(dir, { recursive: true });
    const system = await chooseJava({ installDir: dir });
    expect(system.source).toBe('system');
    expect(system.path).toBe(realpathSync('/usr/bin/java'));
    mkdirSync(join(dir, 'jre', 'bin'), { recursive: true });
    writeFileSync(join(dir, 'jre', 'bin', 'java'), '#!/bin/sh\n');
    chmodSync(join(dir, 'jre', 'bin', 'java'), 0o755);
    // The install ships a JRE: still the system one unless the admin asks for the install's.
    expect((await chooseJava({ installDir: dir })).path).toBe(system.path);
    expect(await chooseJava({ installDir: dir, useInstallJava: true })).toEqual({ path: join(dir, 'jre', 'bin', 'java'), source: 'install' });
    // A JRE next to the install (in its parent) is never searched.
    const inner = join(tmp.path, 'jre-parent', 'FineReport');
    mkdirSync(join(tmp.path, 'jre-parent', 'jre', 'bin'), { recursive: true });
    mkdirSync(inner, { recursive: true });
    writeFileSync(join(tmp.path, 'jre-parent', 'jre', 'bin', 'java'), '#!/bin/sh\n');
    await expect(chooseJava({ installDir: inner, useInstallJava: true })).rejects.toMatchObject({ code: 'FINEDB_INSTALL_JAVA_NOT_FOUND' });
    expect(await chooseJava({ installDir: dir, requested: '/usr/bin/java' })).toEqual({ path: system.path, source: 'admin' });
    await expect(chooseJava({ installDir: dir, requested: join(dir, 'nope', 'java') })).rejects.toMatchObject({ code: 'FINEDB_JAVA_NOT_FOUND' });
  });

  it('set and restore on a SQLite FineDB (practice sandbox): byte-identical restore', async () => {
    process.env.WSS_SETUP_DATA_DIR = join(tmp.path, 'data');
    const s = createFineInstall(join(tmp.path, 'sq3'), { finedb: 'sqlite', product: 'finebi' });
    const before = readFileSync(s.dbPath);
    const r = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [48888], requestPorts: [48889] } });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.value.info?.database.product).toBe('SQLite');
    expect(readFileSync(s.dbPath).equals(before)).toBe(false);
    const back = await runOperation('finedbRestore', { install: s.dir, backup: r.value.backup!.id });
    expect(back.ok, JSON.stringify(back)).toBe(true);
    expect(readFileSync(s.dbPath).equals(before)).toBe(true);
    const inspect = await runOperation('finedbInspect', { install: s.dir });
    expect(inspect.ok && inspect.value.defaultPorts).toEqual({ websocket: 48888, forward: 48889 });
  });
});
