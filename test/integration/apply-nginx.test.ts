import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../shared/contract/plan.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { acquireApplyLock } from '../../main/engine/journal/index.js';
import { portAnswers } from '../../main/engine/services/index.js';
import type { Sandbox } from '../harness/apply-sandbox.js';
import { sandboxPerFile } from '../harness/apply-sandbox-file.js';

/**
 * Method two applied for real: nginx (daemonizing, stopped and started, never reloaded) in front of
 * an application process and a socket.io push service; the plan from the real planner; checks
 * over wss through the health check.
 */

let sb: Sandbox;
sandboxPerFile('wss-setup-apply-', { localCa: false }, (made) => (sb = made));

const planText = (p: Plan) => JSON.stringify(p);

describe('apply on the method-two sandbox', () => {
  it('applies (stop, write, start, checks ok over wss), history shows it, rollback returns every file sha256-identical and the old setup answers', async () => {
    const before = sb.snapshot();
    expect(await sb.answering()).toBe(true);
    const rowsBefore = await sb.fineRows();
    const plan = await sb.plan();
    expect(plan.files.length).toBeGreaterThan(0);
    expect(plan.fineDbRows.map((r) => r.id)).toEqual(['WebSocketConfig.port', 'WebSocketConfig.requestPorts']);
    const applied = await runOperation('apply', { planText: planText(plan), warmupMs: 20_000 }, { lang: 'en' });
    if (!applied.ok) throw new Error(JSON.stringify(applied.error));
    expect(applied.value.failure).toBeUndefined();
    expect(applied.value.outcome).toBe('applied');
    expect(applied.value.checks.map((c) => c.ok)).toEqual(plan.checks.map(() => true));
    expect(applied.value.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['preflight:done', 'backup-files:done', 'stop-services:done', 'backup-finedb:done', 'write-files:done', 'certificates:skipped', 'finedb-rows:done', 'start-services:done', 'checks:done']);
    expect(await portAnswers('127.0.0.1', sb.ports.https)).toBe(true);
    for (const f of plan.files) expect(readFileSync(f.path, f.encoding === 'latin1' ? 'latin1' : 'utf8')).toBe(f.content);
    // The restarted application reads the rows written while it was stopped.
    expect(await sb.fineRows()).toEqual(plan.fineDbRows.map((r) => ({ id: r.id, value: r.after })));

    const history = await runOperation('applyHistory', {}, { lang: 'en' });
    if (!history.ok) throw new Error(JSON.stringify(history.error));
    expect(history.value.runs[0]).toMatchObject({ id: applied.value.runId, kind: 'apply', state: 'applied', method: 'nginx-proxy' });
    const shown = await runOperation('applyShow', { run: applied.value.runId! }, { lang: 'en' });
    if (!shown.ok) throw new Error(JSON.stringify(shown.error));
    expect(shown.value.backups.map((b) => b.path).sort()).toEqual(plan.files.map((f) => f.path).sort());
    expect(shown.value.steps.filter((s) => s.name.startsWith('stop:')).map((s) => `${s.name}:${s.status}`)).toEqual(['stop:nginx:started', 'stop:nginx:done', 'stop:finereport:started', 'stop:finereport:done']);
    expect(shown.value.fineDb).toEqual([{ install: sb.install.dir, backupId: expect.any(String), rows: [{ id: 'WebSocketConfig.port', existed: false, value: null }, { id: 'WebSocketConfig.requestPorts', existed: false, value: null }] }]);

    const rolled = await runOperation('applyRollback', { run: applied.value.runId! }, { lang: 'en' });
    if (!rolled.ok) throw new Error(JSON.stringify(rolled.error));
    expect(rolled.value.outcome).toBe('reverted');
    expect(rolled.value.restore?.manual).toEqual([]);
    expect(sb.snapshot()).toEqual(before);
    expect(await sb.answering()).toBe(true);
    expect(await sb.fineRows()).toEqual(rowsBefore);
    expect(await portAnswers('127.0.0.1', sb.ports.https)).toBe(false);
    const again = await runOperation('applyRollback', { run: applied.value.runId! }, { lang: 'en' });
    expect(again.ok ? null : again.error.code).toBe('APPLY_ROLLBACK_STATE');
  });

  it('the planner names the running application as the product to restart: the process on the application port (no Tomcat in the install), its own ports only', async () => {
    const result = await runOperation('planNginxProxy', { nginxConf: sb.conf, profile: 'finereport', serverNames: ['localhost'], listenAddress: '127.0.0.1', httpsPort: sb.ports.https, forwardPort: sb.ports.forward, websocketPort: sb.ports.push, app: `127.0.0.1:${sb.ports.app}`, install: sb.install.dir }, { lang: 'en' });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    const plan = result.value.plan;
    // The push service runs apart (in this test's process): only the application's port proves its stop and start.
    const app = [{ host: '127.0.0.1', port: sb.ports.app }];
    expect(plan.services.find((s) => s.id === 'finereport')).toEqual({ id: 'finereport', service: { kind: 'process', pid: sb.appPid(), argv: sb.appArgv, cwd: process.cwd() }, action: 'stop-start', ready: app, mustBeFree: app, reason: { code: 'plan.reason.productRestart', params: { product: 'FineReport' } } });
    expect(plan.notes.find((n) => n.code === 'FINE_RUNS_AS_PROCESS')).toMatchObject({ severity: 'info', params: { pid: sb.appPid(), port: sb.ports.app } });
    expect(plan.notes.map((n) => n.code)).not.toContain('FINE_RESTART_BY_HAND');
    // Nothing listens on the port: no process to name, the install's Tomcat layout as before.
    const idle = await runOperation('planNginxProxy', { nginxConf: sb.conf, profile: 'finereport', serverNames: ['localhost'], listenAddress: '127.0.0.1', httpsPort: sb.ports.https, forwardPort: sb.ports.forward, websocketPort: sb.ports.push, app: '127.0.0.1:9', install: sb.install.dir }, { lang: 'en' });
    if (!idle.ok) throw new Error(JSON.stringify(idle.error));
    expect(idle.value.plan.services.find((s) => s.id === 'finereport')?.service).toEqual({ kind: 'catalina', home: sb.install.dir, base: sb.install.dir });
  });

  it('a file changed between plan and apply: refused, nothing touched', async () => {
    const plan = await sb.plan();
    const site = join(sb.root, 'conf.d', 'site.conf');
    const original = readFileSync(site);
    const modified = plan.files.find((f) => f.action === 'modify')!;
    const text = readFileSync(modified.path);
    writeFileSync(modified.path, Buffer.concat([text, Buffer.from('# edited by the admin after planning\n')]));
    const before = sb.snapshot();
    const pid = sb.appPid();
    const result = await runOperation('apply', { planText: planText(plan) }, { lang: 'en' });
    expect(result.ok ? result.value.outcome : result.error.code).toBe('APPLY_CHANGED_SINCE_PLANNED');
    expect(result.ok ? '' : result.error.message).toContain(modified.path);
    expect(sb.snapshot()).toEqual(before);
    expect(sb.appPid()).toBe(pid);
    expect(await sb.answering()).toBe(true);
    writeFileSync(modified.path, text);
    expect(readFileSync(site)).toEqual(original);
  });

  it('a check that fails after apply (the push service not listening) rolls back and the old configuration answers', async () => {
    const before = sb.snapshot();
    const plan = await sb.plan();
    await sb.push.close();
    try {
      const result = await runOperation('apply', { planText: planText(plan), warmupMs: 1500 }, { lang: 'en' });
      if (!result.ok) throw new Error(JSON.stringify(result.error));
      expect(result.value.outcome).toBe('rolled-back');
      expect(result.value.failure).toMatchObject({ step: 'checks', code: 'APPLY_CHECK_FAILED' });
      expect(result.value.restore?.manual).toEqual([]);
      expect(result.value.restore?.fineDb).toEqual([sb.install.dir]);
      expect(await sb.fineRows()).toEqual([]);
      expect(sb.snapshot()).toEqual(before);
      expect(await sb.answering()).toBe(true);
    } finally {
      await (sb as { push: { close(): Promise<void> } }).push.close().catch(() => undefined);
      (sb as { push: unknown }).push = await (await import('../harness/servers.js')).startSocketIo(sb.ports.push);
    }
  });

  it('a second concurrent apply is refused by the lock, nothing touched', async () => {
    const plan = await sb.plan();
    const held = acquireApplyLock('someone-else', process.env.WSS_SETUP_DATA_DIR);
    if (!held.ok) throw new Error('lock not free');
    try {
      const before = sb.snapshot();
      const result = await runOperation('apply', { planText: planText(plan) }, { lang: 'en' });
      expect(result.ok ? result.value.outcome : result.error.code).toBe('APPLY_LOCKED');
      expect(sb.snapshot()).toEqual(before);
    } finally {
      held.lock.release();
    }
  });

  it('rollback <run> refuses when a file changed after the run and names it; once it is back as the run left it, rollback goes through', async () => {
    const before = sb.snapshot();
    const rowsBefore = await sb.fineRows();
    const plan = await sb.plan();
    const applied = await runOperation('apply', { planText: planText(plan), warmupMs: 20_000 }, { lang: 'en' });
    if (!applied.ok || applied.value.outcome !== 'applied') throw new Error(JSON.stringify(applied));
    const edited = plan.files.find((f) => f.action === 'modify')!;
    const asApplied = readFileSync(edited.path);
    writeFileSync(edited.path, Buffer.concat([asApplied, Buffer.from('# a later edit by the admin\n')]));
    const refused = await runOperation('applyRollback', { run: applied.value.runId! }, { lang: 'en' });
    expect(refused.ok ? refused.value.outcome : refused.error.code).toBe('APPLY_ROLLBACK_CHANGED');
    expect(refused.ok ? [] : refused.error.evidence?.paths).toEqual([edited.path]);
    expect(await portAnswers('127.0.0.1', sb.ports.https)).toBe(true);
    writeFileSync(edited.path, asApplied);
    const rolled = await runOperation('applyRollback', { run: applied.value.runId! }, { lang: 'en' });
    if (!rolled.ok) throw new Error(JSON.stringify(rolled.error));
    expect(rolled.value.outcome).toBe('reverted');
    expect(sb.snapshot()).toEqual(before);
    expect(await sb.fineRows()).toEqual(rowsBefore);
    expect(await sb.answering()).toBe(true);
  });
});
