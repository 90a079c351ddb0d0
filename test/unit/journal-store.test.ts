import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireApplyLock, applyBackupDir, forgetSecrets, Journal, journalPath, lockPath, pruneBackups, registerSecret } from '../../main/engine/journal/index.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir('wss-setup-journal-');
afterAll(() => dir.cleanup());
let n = 0;
const fresh = () => join(dir.path, `data-${++n}`);
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

describe('journal', () => {
  it('records a run with steps before and after, backups, FineDB old values, checks and the outcome; file 0600 in WAL mode', () => {
    const data = fresh();
    const j = Journal.open(data);
    j.beginRun({ id: 'r1', kind: 'apply', method: 'nginx-proxy', profile: 'finereport', planSha256: 'a'.repeat(64), plan: { planVersion: 2 }, startedAt: at(1) });
    j.step('r1', 'backup', 'started', at(2));
    j.recordBackup('r1', { path: '/etc/nginx/nginx.conf', existed: true, sha256: 'b'.repeat(64), size: 10, mode: 0o644, uid: 0, gid: 0, selinux: null, storedAt: '/x/1' });
    j.step('r1', 'backup', 'done', at(3), { files: 1 }, 12);
    j.recordFineDb('r1', { install: '/opt/fr', kind: 'files', backupId: 'b1', backupPath: '/x/b1', rows: [{ id: 'WebSocketConfig.port', existed: false, value: null }] });
    j.recordCheck('r1', { phase: 'after', url: 'wss://localhost/', ok: true, codes: [], at: at(4) });
    expect(j.unfinished().map((r) => r.id)).toEqual(['r1']);
    j.finishRun('r1', 'applied', at(5), { ok: true });
    expect(j.unfinished()).toEqual([]);
    const run = j.run('r1')!;
    expect(run).toMatchObject({ state: 'applied', kind: 'apply', method: 'nginx-proxy', pid: process.pid, plan: { planVersion: 2 }, outcome: { ok: true } });
    expect(run.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['backup:started', 'backup:done']);
    expect(run.backups[0]).toMatchObject({ path: '/etc/nginx/nginx.conf', mode: 0o644, restored: false });
    expect(run.finedb[0]!.rows).toEqual([{ id: 'WebSocketConfig.port', existed: false, value: null }]);
    expect(run.checks).toEqual([{ phase: 'after', url: 'wss://localhost/', ok: true, codes: [], at: at(4) }]);
    j.close();
    expect(statSync(journalPath(data)).mode & 0o777).toBe(0o600);
    expect(statSync(data).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(data).filter((f) => f.startsWith('journal.sqlite'))) expect(statSync(join(data, f)).mode & 0o077).toBe(0);
    // Reopened by another process (serve mode, the desktop app): the same history.
    const again = Journal.open(data);
    expect(again.runs().map((r) => r.id)).toEqual(['r1']);
    again.close();
  });

  it('never stores a secret the process knows: scrubbed from every text on the way in', () => {
    const data = fresh();
    const secret = 'Tr0ub4dor&3-keystore';
    registerSecret(secret);
    const j = Journal.open(data);
    j.beginRun({ id: 'r1', kind: 'apply', method: 'tomcat-ssl', profile: 'finereport', planSha256: 'a'.repeat(64), plan: { note: `password ${secret}` }, startedAt: at(1) });
    j.step('r1', 'certificates', 'failed', at(2), { message: `keytool said ${secret} was wrong` });
    j.finishRun('r1', 'rolled-back', at(3), { error: { message: `bad ${secret}` } }, 'certificates');
    j.close();
    forgetSecrets();
    for (const f of readdirSync(data, { recursive: true }) as string[]) if (statSync(join(data, f)).isFile()) expect(readFileSync(join(data, f)).includes(secret), f).toBe(false);
    const reopened = Journal.open(data);
    expect(JSON.stringify(reopened.run('r1'))).toContain('••••');
    reopened.close();
  });

  it('retention deletes the backup copies of all but the newest runs, never of a running one', () => {
    const data = fresh();
    const j = Journal.open(data);
    for (let i = 1; i <= 4; i++) {
      j.beginRun({ id: `r${i}`, kind: 'apply', method: 'nginx-proxy', profile: 'generic', planSha256: 'a'.repeat(64), plan: {}, startedAt: at(i) });
      mkdirSync(applyBackupDir(data, `r${i}`), { recursive: true });
      writeFileSync(join(applyBackupDir(data, `r${i}`), '1'), 'x');
      if (i !== 1) j.finishRun(`r${i}`, 'applied', at(i), {});
    }
    expect(pruneBackups(j, 2)).toEqual(['r2']);
    expect(existsSync(applyBackupDir(data, 'r1'))).toBe(true);
    expect(existsSync(applyBackupDir(data, 'r2'))).toBe(false);
    expect(existsSync(applyBackupDir(data, 'r4'))).toBe(true);
    j.close();
  });
});

describe('one apply at a time', () => {
  it('a second acquire is refused and names the holder; release frees it', () => {
    const data = fresh();
    const first = acquireApplyLock('r1', data);
    expect(first.ok).toBe(true);
    const second = acquireApplyLock('r2', data);
    expect(second).toEqual({ ok: false, holder: { pid: process.pid, host: hostname(), since: expect.any(String), runId: 'r1' } });
    if (first.ok) first.lock.release();
    const third = acquireApplyLock('r3', data);
    expect(third.ok).toBe(true);
    if (third.ok) third.lock.release();
    expect(existsSync(lockPath(data))).toBe(false);
  });

  it('is shared between processes, and the lock of a killed process is taken over', async () => {
    const data = fresh();
    const code = `import('${new URL('../../main/engine/journal/lock.ts', import.meta.url).pathname}').then((m) => { const r = m.acquireApplyLock('child', process.argv[1]); process.stdout.write(r.ok ? 'held\\n' : 'refused\\n'); setInterval(() => {}, 1000); })`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', code, data], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const refused = acquireApplyLock('parent', data);
    expect(refused).toMatchObject({ ok: false, holder: { pid: child.pid, runId: 'child' } });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const taken = acquireApplyLock('parent', data);
    expect(taken.ok).toBe(true);
    if (taken.ok) taken.lock.release();
  });

  it('a lock file that is a symlink is never followed', () => {
    const data = fresh();
    mkdirSync(data, { recursive: true });
    const target = join(dir.path, 'victim');
    writeFileSync(target, 'do not touch');
    spawnSync('ln', ['-s', target, lockPath(data)]);
    const r = acquireApplyLock('r1', data);
    // unreadable holder: the link itself is removed and replaced; the victim is untouched
    expect(readFileSync(target, 'utf8')).toBe('do not touch');
    if (r.ok) r.lock.release();
  });
});
