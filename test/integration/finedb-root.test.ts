import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, lchownSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FineDbSetOutput } from '../../shared/contract/finedb.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { failingRunner, portsWith } from '../harness/faulty-ports.js';
import { compileBridge, createFineInstall, type SandboxInstall } from '../harness/finereport.js';
import { tempDir } from '../harness/temp.js';

/**
 * Issue 9, items 1, 2 and 4: wss-setup as root against a FineReport install owned by `nobody`,
 * whose account plants symlinks and executables. Everything happens inside this test's temp
 * folder; the "victim" is a root-only file the test creates there, never a system file.
 */
const NOBODY = 65534;
const NOGROUP = 65534;
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('finedb-root tests skipped: they need root (they run wss-setup as root against trees owned by nobody)');

const tmp = tempDir('wss-setup-finedb-root-');
const VICTIM_BYTES = 'root-only victim bytes: never to be overwritten\n';
let victim: string;
let markers: string;
let n = 0;

/** chown -R without following links (lchown on every entry). */
function giveTo(path: string, uid: number, gid: number): void {
  lchownSync(path, uid, gid);
  const st = lstatSync(path);
  if (st.isDirectory()) for (const name of readdirSync(path)) giveTo(join(path, name), uid, gid);
}

/** A symlink created as the install's owner would (owned by nobody). */
function plant(link: string, target: string): void {
  symlinkSync(target, link);
  lchownSync(link, NOBODY, NOGROUP);
}

function nobodyInstall(options: Parameters<typeof createFineInstall>[1] = {}): SandboxInstall {
  const s = createFineInstall(join(tmp.path, `fr${n++}`), options);
  giveTo(s.dir, NOBODY, NOGROUP);
  return s;
}

const dbFolder = (s: SandboxInstall) => join(s.dbPath, '..');

function victimUnchanged(): void {
  const st = lstatSync(victim);
  expect(st.isFile()).toBe(true);
  expect(readFileSync(victim, 'utf8')).toBe(VICTIM_BYTES);
  expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([0, 0, 0o600]);
}

/** Owner and mode of every regular file of the database folder. */
function owners(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(folder).sort()) {
    const st = lstatSync(join(folder, name));
    if (st.isFile()) out[name] = `${st.uid}:${st.gid} ${(st.mode & 0o7777).toString(8)}`;
  }
  return out;
}

describe.skipIf(!isRoot)('FineDB as root against an install owned by nobody', () => {
  beforeAll(() => {
    chmodSync(tmp.path, 0o755); // nobody must reach the install inside our temp folder
    process.env.WSS_SETUP_BRIDGE_JAR = compileBridge();
    process.env.WSS_SETUP_DATA_DIR = join(tmp.path, 'data');
    const private_ = join(tmp.path, 'root-only');
    mkdirSync(private_, { mode: 0o700 });
    victim = join(private_, 'victim.txt');
    writeFileSync(victim, VICTIM_BYTES, { mode: 0o600 });
    markers = join(tmp.path, 'markers');
    mkdirSync(markers);
    chmodSync(markers, 0o777);
  });
  afterAll(() => tmp.cleanup());

  it("never runs the install's own java as root: a system JRE by default, the install's JRE only when asked and then as its owner, with a minimal environment", async () => {
    const s = nobodyInstall();
    const javaReal = realpathSync('/usr/bin/java');
    const marker = join(markers, `java-${n}`);
    const bin = join(s.dir, 'jre', 'bin');
    mkdirSync(bin, { recursive: true });
    // The install's "java": records who runs it and with which environment, then runs the real java.
    writeFileSync(join(bin, 'java'), `#!/bin/sh\nid -u >> '${marker}.uid'\nenv > '${marker}.env'\nexec '${javaReal}' "$@"\n`, { mode: 0o755 });
    giveTo(join(s.dir, 'jre'), NOBODY, NOGROUP);

    const got = await runOperation('finedbGet', { install: s.dir });
    expect(got.ok, JSON.stringify(got)).toBe(true);
    expect(existsSync(`${marker}.uid`)).toBe(false); // the install's java never ran

    // The bridge ran as nobody: what HSQLDB rewrites in the database folder belongs to nobody.
    const set = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(set.ok, JSON.stringify(set)).toBe(true);
    expect(existsSync(`${marker}.uid`)).toBe(false);
    for (const name of readdirSync(dbFolder(s))) expect(lstatSync(join(dbFolder(s), name)).uid, name).toBe(NOBODY);

    process.env.WSS_SETUP_LEAK_CHECK = 'must-not-reach-the-bridge';
    try {
      const asked = await runOperation('finedbGet', { install: s.dir, installJava: true });
      expect(asked.ok, JSON.stringify(asked)).toBe(true);
    } finally {
      delete process.env.WSS_SETUP_LEAK_CHECK;
    }
    const uids = readFileSync(`${marker}.uid`, 'utf8').trim().split('\n');
    expect(uids.length).toBeGreaterThan(0);
    expect(new Set(uids)).toEqual(new Set([String(NOBODY)]));
    const env = readFileSync(`${marker}.env`, 'utf8');
    expect(env).not.toContain('WSS_SETUP_LEAK_CHECK');
    expect(env).not.toContain('WSS_SETUP_DATA_DIR');
    expect(env).toMatch(/^PATH=\/usr\/local\/sbin:/m);
  });

  it('set, restore and a failed set never write through symlinks planted at temp names, refuse a symlinked database file, and keep the live database nobody:nogroup 0664', async () => {
    const s = nobodyInstall({ rows: [{ id: 'WebSocketConfig.port', value: '["38888"]' }] });
    const folder = dbFolder(s);
    for (const name of readdirSync(folder)) chmodSync(join(folder, name), 0o664);
    // Every temp name an older wss-setup used in the database folder, pointing at the victim.
    const names = ['db.properties', 'db.script', 'db.log', 'db.data', 'db.backup', 'db.lobs', 'db.lck'];
    const planted = names.map((name) => join(folder, `.${name}.${process.pid}.restore.tmp`));
    for (const link of planted) plant(link, victim);
    const before = owners(folder);
    expect(before['db.script']).toBe(`${NOBODY}:${NOGROUP} 664`);

    const set = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(set.ok, JSON.stringify(set)).toBe(true);
    const backup = (set as { value: FineDbSetOutput }).value.backup!;
    victimUnchanged();

    const restored = await runOperation('finedbRestore', { install: s.dir, backup: backup.id });
    expect(restored.ok, JSON.stringify(restored)).toBe(true);
    victimUnchanged();
    expect(owners(folder)).toEqual(before);
    for (const link of planted) expect(readlinkSync(link)).toBe(victim);

    // A set whose write fails (the bridge cannot start the second time: plan read, then write): the
    // backed-up files go back, with their owner and mode.
    const failing = portsWith({ process: failingRunner({ failAtRun: 2 }) });
    const failed = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [39888], requestPorts: [39889] } }, { ports: failing });
    expect(!failed.ok && failed.error.evidence).toMatchObject({ restoredFrom: expect.any(String) });
    victimUnchanged();
    expect(owners(folder)).toEqual(before);

    // A database file that is a symlink to a root-only file: refused, never copied or followed.
    plant(join(folder, 'db.log'), victim);
    const snapshot = owners(folder);
    const refused = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
    expect(!refused.ok && refused.error.code).toMatch(/^(FINEDB_BACKUP_FAILED|FILE_IS_SYMLINK)$/);
    victimUnchanged();
    expect(owners(folder)).toEqual(snapshot);
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (lstatSync(path).isFile()) expect(readFileSync(path, 'utf8'), name).not.toContain(VICTIM_BYTES);
    }
    for (const entry of readdirSync(join(tmp.path, 'data', 'backups', 'finedb'))) {
      const files = join(tmp.path, 'data', 'backups', 'finedb', entry, 'files');
      if (!existsSync(files)) continue;
      for (const name of readdirSync(files)) expect(readFileSync(join(files, name), 'utf8'), name).not.toContain(VICTIM_BYTES);
    }
    expect(statSync(victim).size).toBe(VICTIM_BYTES.length);
  });

  it("works when wss-setup sits in a folder only root can read: the bridge's jar is staged, readable by the install's account, and removed afterwards", async () => {
    const s = nobodyInstall();
    const hidden = join(tmp.path, 'root-only', 'package');
    mkdirSync(hidden, { recursive: true, mode: 0o700 });
    const saved = process.env.WSS_SETUP_BRIDGE_JAR!;
    copyFileSync(saved, join(hidden, 'jdbc-bridge.jar'));
    const staging = () => readdirSync(tmpdir()).filter((name) => name.startsWith('wss-setup-bridge-cp-')).sort();
    const before = staging();
    process.env.WSS_SETUP_BRIDGE_JAR = join(hidden, 'jdbc-bridge.jar');
    try {
      const set = await runOperation('finedbSet', { install: s.dir, proxy: { websocketPorts: [38888], requestPorts: [38889] } });
      expect(set.ok, JSON.stringify(set)).toBe(true);
      const got = await runOperation('finedbGet', { install: s.dir });
      expect(got.ok && got.value.rows.map((r) => r.id)).toEqual(['WebSocketConfig.port', 'WebSocketConfig.requestPorts']);
    } finally {
      process.env.WSS_SETUP_BRIDGE_JAR = saved;
    }
    for (const name of readdirSync(dbFolder(s))) expect(lstatSync(join(dbFolder(s), name)).uid, name).toBe(NOBODY);
    expect(staging()).toEqual(before);
  });

  it('a FIFO planted as db.lck blocks nothing: get reads from a copy, set refuses and names it (the built CLI, killed after 60 s if it hangs)', () => {
    const s = nobodyInstall();
    const lck = `${s.dbPath}.lck`;
    expect(spawnSync('mkfifo', [lck]).status).toBe(0);
    lchownSync(lck, NOBODY, NOGROUP);
    const bin = new URL('../../bin/wss-setup.js', import.meta.url).pathname;
    const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env } });
    const get = cli(['finedb', 'get', '--install', s.dir, '--json']);
    expect(get.signal, 'finedb get hung on the FIFO').toBeNull();
    expect(get.status, get.stdout + get.stderr).toBe(0);
    const set = cli(['finedb', 'set', '--install', s.dir, '--ws-port', '38888', '--request-port', '38889', '--json']);
    expect(set.signal, 'finedb set hung on the FIFO').toBeNull();
    expect((JSON.parse(set.stdout) as { error: { code: string } }).error.code).toBe('FINEDB_LOCK_FILE_STRANGE');
    expect(lstatSync(lck).isFIFO()).toBe(true);
  });
});
