import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FineDbBackupsOutput, FineDbSetOutput } from '../../shared/contract/finedb.js';
import { parsePlan } from '../../shared/contract/plan.js';
import { main } from '../../main/hosts/cli/main.js';
import { engineContext } from '../../main/engine/common/context.js';
import { fineDbApplySteps, readFineDbRows } from '../../main/engine/finedb/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { compileBridge, createFineInstall, snapshotFiles } from '../harness/finereport.js';
import { tempDir } from '../harness/temp.js';

/** Issue 9, items 18 and 21: what `finedb set` says, relative keystore paths, `finedb backups`; the shared plan it produces. */
const tmp = tempDir('wss-setup-finedb-cli-');
const secret = 'Cli-Kst0re-S3cret';
let keystore: string;
let passwordFile: string;
let n = 0;
const fresh = (options: Parameters<typeof createFineInstall>[1] = {}) => createFineInstall(join(tmp.path, `fr${n++}`), options);

beforeAll(() => {
  process.env.WSS_SETUP_BRIDGE_JAR = compileBridge();
  process.env.WSS_SETUP_DATA_DIR = join(tmp.path, 'data');
  keystore = join(tmp.path, 'server.p12');
  writeFileSync(keystore, 'not checked by finedb');
  passwordFile = join(tmp.path, 'ks-pass');
  writeFileSync(passwordFile, `${secret}\n`);
});
afterAll(() => tmp.cleanup());

function io(lang: 'en' | 'zh-CN' = 'en'): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { lang, stdout: (t) => void (out += t), stderr: (t) => void (err += t), interactive: false, env: {}, out: () => out, err: () => err };
}

describe('finedb CLI', () => {
  it('refuses a relative --keystore, showing the absolute path it may mean under the Tomcat base, and changes nothing', async () => {
    const s = fresh();
    const before = snapshotFiles(join(s.dbPath, '..'));
    for (const install of [s.dir, join(s.dir, 'webapps', 'webroot'), join(s.dir, 'webapps', 'webroot', 'WEB-INF')]) {
      const a = io();
      const code = await main(['finedb', 'set', '--install', install, '--keystore', 'conf/server.p12', '--keystore-format', 'PKCS12', '--keystore-password-file', passwordFile], a);
      expect(code).toBe(2);
      expect(a.err()).toContain(join(s.dir, 'conf', 'server.p12'));
      expect(a.err()).not.toContain(join(process.cwd(), 'conf', 'server.p12'));
    }
    const z = io('zh-CN');
    expect(await main(['finedb', 'set', '--install', s.dir, '--keystore', './conf/server.p12', '--keystore-format', 'PKCS12', '--keystore-password-file', passwordFile, '--json'], z)).toBe(2);
    expect(JSON.parse(z.out()).error.message).toContain(join(s.dir, 'conf', 'server.p12'));
    expect(snapshotFiles(join(s.dbPath, '..'))).toEqual(before);
  });

  it('set says what it wrote and that the server must be restarted, never that it stopped anything; method one and two together are warned', async () => {
    const s = fresh();
    const a = io();
    const code = await main(['finedb', 'set', '--install', s.dir, '--keystore', keystore, '--keystore-format', 'PKCS12', '--keystore-password-file', passwordFile, '--ws-port', '38888', '--request-port', '38889'], a);
    expect(code, a.err()).toBe(0);
    const text = a.out();
    expect(text).toContain('Written and read back');
    expect(text).toContain('Restart the report server');
    expect(text).not.toMatch(/Stop the report server|^Plan:/m);
    expect(text).toMatch(/^! .*method one.*method two/im);
    expect(text).not.toContain(secret);

    // Method two alone on a FineDB that already holds method one's rows: warned too.
    const b = io();
    expect(await main(['finedb', 'set', '--install', s.dir, '--ws-port', '38888', '--request-port', '38889', '--json'], b)).toBe(0);
    const doc = JSON.parse(b.out()) as FineDbSetOutput;
    expect(doc.notes.map((x) => x.code)).toContain('finedb.note.bothMethods');
    expect(doc.plan.notes.map((x) => x.code)).toContain('FINEDB_BOTH_METHODS');

    // Method two alone on a clean FineDB: no warning.
    const c = io();
    expect(await main(['finedb', 'set', '--install', fresh().dir, '--ws-port', '38888', '--request-port', '38889', '--json'], c)).toBe(0);
    expect((JSON.parse(c.out()) as FineDbSetOutput).notes.map((x) => x.code)).not.toContain('finedb.note.bothMethods');
  });

  it('a dry run shows each row as it is now and as it would be, from a plan that survives JSON and the schema with no secret in it', async () => {
    const s = fresh({ rows: [{ id: 'WebSocketConfig.port', value: '["38888"]' }, { id: 'WebSocketConfig.keyStorePassword', value: 'old-secret' }, { id: 'WebSocketConfig.keyStore', value: '/old.jks' }] });
    const before = snapshotFiles(join(s.dbPath, '..'));
    const a = io();
    expect(await main(['finedb', 'set', '--install', s.dir, '--keystore', keystore, '--keystore-format', 'JKS', '--keystore-password-file', passwordFile, '--dry-run'], a)).toBe(0);
    expect(a.out()).toContain(`WebSocketConfig.keyStore: /old.jks → ${keystore}`);
    expect(a.out()).not.toMatch(/old-secret|Cli-Kst0re/);
    const j = io();
    expect(await main(['finedb', 'set', '--install', s.dir, '--keystore', keystore, '--keystore-format', 'JKS', '--keystore-password-file', passwordFile, '--ws-port', '48888', '--request-port', '48889', '--dry-run', '--json'], j)).toBe(0);
    const doc = JSON.parse(j.out()) as FineDbSetOutput;
    const parsed = parsePlan(JSON.stringify(doc.plan));
    expect(parsed.ok, JSON.stringify(parsed)).toBe(true);
    expect(parsed.ok && parsed.plan).toEqual(doc.plan);
    expect(doc.plan.method).toBe('finedb-set');
    expect(doc.plan.fineDbRows.find((r) => r.id === 'WebSocketConfig.port')).toMatchObject({ before: '["38888"]', after: '["48888"]', phase: 'after-certificates' });
    expect(doc.plan.fineDbRows.find((r) => r.id === 'WebSocketConfig.requestPorts')).toMatchObject({ before: null, after: '48889' });
    expect(j.out()).not.toMatch(/old-secret|Cli-Kst0re/);

    // Saved for `wss-setup apply`, and read back by `plan show` in the other language.
    const file = join(tmp.path, 'finedb-plan.json');
    const o = io();
    expect(await main(['finedb', 'set', '--install', s.dir, '--ws-port', '48888', '--request-port', '48889', '--dry-run', '--out', file], o)).toBe(0);
    const saved = parsePlan(readFileSync(file, 'utf8'));
    expect(saved.ok && saved.plan.fineDbRows.map((r) => r.id)).toEqual(['WebSocketConfig.port', 'WebSocketConfig.requestPorts']);
    const shown = io('zh-CN');
    expect(await main(['plan', 'show', file], shown)).toBe(0);
    expect(shown.out()).toContain('WebSocketConfig.port: ["38888"] → ["48888"]');
    expect(shown.out()).toContain('FINEDB_RESTART_SERVER');
    const noDry = io();
    expect(await main(['finedb', 'set', '--install', s.dir, '--ws-port', '48888', '--request-port', '48889', '--out', file], noDry)).toBe(2);
    expect(snapshotFiles(join(s.dbPath, '..'))).toEqual(before);
  });

  it("apply's FineDB steps: a plan's rows are written after a backup, refused when FineDB changed since the plan, and the backup puts the old rows back", async () => {
    const s = fresh({ rows: [{ id: 'WebSocketConfig.port', value: '["38888"]' }] });
    const ctx = engineContext();
    const planned = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [48888], requestPorts: [48889] }, dryRun: true });
    expect(planned.ok, JSON.stringify(planned)).toBe(true);
    const plan = (planned as { value: FineDbSetOutput }).value.plan;
    const rowsNow = async () => (await readFineDbRows(s.dir, ctx)).filter((r) => r.id.startsWith('WebSocketConfig.'));

    // Someone changes FineDB after the plan was made: the plan's rows are refused, the rows stay.
    const other = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [39888], requestPorts: [39889] } });
    expect(other.ok, JSON.stringify(other)).toBe(true);
    const changed = await rowsNow();
    await expect(fineDbApplySteps.write(plan.fineDbRows, {}, ctx)).rejects.toMatchObject({ code: 'FINEDB_CHANGED_SINCE_PLAN' });
    expect(await rowsNow()).toEqual(changed);

    // Planned again: backup, write, restore.
    const again = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [48888], requestPorts: [48889] }, dryRun: true });
    const fresh_ = (again as { value: FineDbSetOutput }).value.plan;
    const backup = await fineDbApplySteps.backup(s.dir, ctx, {});
    const [written] = await fineDbApplySteps.write(fresh_.fineDbRows, {}, ctx);
    expect(written!.written).toEqual([{ id: 'WebSocketConfig.port', value: '["48888"]' }, { id: 'WebSocketConfig.requestPorts', value: '48889' }]);
    expect(await rowsNow()).toEqual([{ id: 'WebSocketConfig.port', value: '["48888"]' }, { id: 'WebSocketConfig.requestPorts', value: '48889' }]);
    await fineDbApplySteps.restore(backup.id, s.dir, ctx, {});
    expect(await rowsNow()).toEqual(changed);
  });

  it('finedb backups lists the backups, newest first, all or per install', async () => {
    const s = fresh();
    const t = fresh();
    const ids: string[] = [];
    for (const install of [s.dir, t.dir, s.dir]) {
      const a = io();
      expect(await main(['finedb', 'set', '--install', install, '--ws-port', '38888', '--request-port', '38889', '--json'], a)).toBe(0);
      ids.push((JSON.parse(a.out()) as FineDbSetOutput).backup!.id);
    }
    const mine = io();
    expect(await main(['finedb', 'backups', '--install', s.dir, '--json'], mine)).toBe(0);
    const listed = JSON.parse(mine.out()) as FineDbBackupsOutput;
    expect(listed.backups.map((b) => b.id)).toEqual([ids[2], ids[0]]);
    expect(listed.backups[0]).toMatchObject({ kind: 'files', location: { kind: 'embedded-hsqldb', where: s.dbPath }, install: s.dir, damaged: false });
    const all = io();
    expect(await main(['finedb', 'backups'], all)).toBe(0);
    for (const id of ids) expect(all.out()).toContain(id);
    expect(all.out()).toContain(join(tmp.path, 'data', 'backups', 'finedb'));
  });
});
