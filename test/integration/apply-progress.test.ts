import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyStepOf } from '../../shared/contract/apply.js';
import type { ProgressEvent } from '../../shared/contract/operation.js';
import type { Plan } from '../../shared/contract/plan.js';
import { t, type MessageKey } from '../../shared/i18n/index.js';
import { EngineError } from '../../main/engine/common/engine-error.js';
import { realPorts, type FilePort } from '../../main/engine/ports/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { main } from '../../main/hosts/cli/main.js';
import type { Sandbox } from '../harness/apply-sandbox.js';
import { sandboxPerFile } from '../harness/apply-sandbox-file.js';

/**
 * The progress apply reports, on the method-two sandbox applied for real (nginx and the application
 * stopped and started, files backed up and written, the certificate issued by the local CA, FineDB
 * rows written): besides each step, a line per service, file, certificate and row, as an i18n code
 * with params inside the step it belongs to — and never the secret apply was given.
 */
const SECRET = 'Progress-secret-Pw9';

let sb: Sandbox;
const dir = sandboxPerFile('wss-setup-apply-progress-', { localCa: true }, (made) => (sb = made));

/** Each finer line as `item param=value …`, in the order reported, and the step it came under. */
function lines(events: readonly ProgressEvent[]): { step: string; line: string }[] {
  let step = '';
  const out: { step: string; line: string }[] = [];
  for (const e of events) {
    const s = applyStepOf(e.step);
    if (s !== null) step = s;
    else if (e.step.startsWith('progress.apply.item.')) out.push({ step, line: `${e.step.slice('progress.apply.item.'.length)} ${Object.entries(e.params ?? {}).map(([k, v]) => `${k}=${v}`).join(' ')}` });
  }
  return out;
}

describe('apply progress', () => {
  it('reports each service, file, certificate and FineDB row inside its step, as codes with params, secrets masked', async () => {
    const planned = await sb.plan({ localCa: true });
    const issue = planned.certificates.find((c) => c.kind === 'issue');
    if (issue?.kind !== 'issue' || issue.outputs.pem === undefined) throw new Error(`expected an issue action: ${JSON.stringify(planned.certificates)}`);
    const rows = planned.fineDbRows;
    expect(rows.length).toBeGreaterThan(0);
    // A secret row as method one writes it (the keystore password): its value must never show.
    const plan: Plan = { ...planned, fineDbRows: [...rows, { ...rows[0]!, id: 'WebSocketConfig.keyStorePassword', before: null, after: { secretRef: 'keystorePassword' } }] };
    const events: ProgressEvent[] = [];
    const applied = await runOperation('apply', { planText: JSON.stringify(plan), secrets: { keystorePassword: SECRET }, warmupMs: 20_000 }, { lang: 'en', onProgress: (e) => events.push(e) });
    if (!applied.ok) throw new Error(JSON.stringify(applied.error));
    expect(applied.value.outcome, JSON.stringify(applied.value.failure)).toBe('applied');

    const got = lines(events);
    const where = (line: string) => got.findIndex((g) => g.line === line);
    const expected: { step: string; line: string }[] = [
      // A file the plan creates is absent before (a rollback removes it); one it modifies is copied.
      ...plan.files.map((f) => ({ step: 'backup-files', line: `${f.action === 'modify' ? 'backup' : 'backupAbsent'} path=${f.path}` })),
      { step: 'stop-services', line: 'stopping service=nginx how=nginx' },
      { step: 'stop-services', line: 'stopped service=nginx' },
      { step: 'stop-services', line: 'stopping service=finereport how=process' },
      { step: 'stop-services', line: 'stopped service=finereport' },
      { step: 'backup-finedb', line: `finedbBackup install=${sb.install.dir}` },
      ...plan.files.map((f) => ({ step: 'write-files', line: `write path=${f.path}` })),
      { step: 'certificates', line: `issue names=localhost files=${issue.outputs.pem.certPath}, ${issue.outputs.pem.keyPath}` },
      ...rows.map((r) => ({ step: 'finedb-rows', line: `finedbRow key=${r.id} value=${String(r.after)}` })),
      { step: 'finedb-rows', line: 'finedbRowSecret key=WebSocketConfig.keyStorePassword name=keystorePassword' },
      { step: 'start-services', line: 'starting service=finereport how=process' },
      { step: 'start-services', line: `ready service=finereport ports=127.0.0.1:${sb.ports.app}` },
      { step: 'start-services', line: 'starting service=nginx how=nginx' },
      ...plan.checks.map((c) => ({ step: 'checks', line: `checkOk url=${c.url} codes=` })),
    ];
    for (const e of expected) expect(got, e.line).toContainEqual(e);
    // In the order apply does them.
    const order = expected.map((e) => where(e.line));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(got.find((g) => g.line.startsWith('ready service=nginx'))?.step).toBe('start-services');

    // A code with params: the message is that code rendered, so a host can show it in its reader's language.
    for (const e of events.filter((x) => x.step.startsWith('progress.apply.item.'))) {
      expect(e.message).toBe(t('en', e.step as MessageKey, e.params ?? {}));
      expect(t('zh-CN', e.step as MessageKey, e.params ?? {})).not.toBe(e.message);
    }
    expect(events.find((e) => e.step === 'progress.apply.item.finedbRowSecret')?.message).toBe('Writing FineDB row WebSocketConfig.keyStorePassword = •••• (the secret keystorePassword)');
    expect(JSON.stringify(events)).not.toContain(SECRET);
    const rolled = await runOperation('applyRollback', { run: applied.value.runId!, secrets: { keystorePassword: SECRET } }, { lang: 'en' });
    expect(rolled.ok && rolled.value.outcome).toBe('reverted');
  });

  it('a failure rolls back with a line per service stopped and started again, and per file put back', async () => {
    const plan = await sb.plan({ nginxOnly: true, localCa: true });
    const before = sb.snapshot();
    // The first write of the main configuration fails as a full disk would (the owned include is already written).
    let fired = false;
    const fs: FilePort = {
      ...realPorts.fs,
      async writeAtomic(path, data, options) {
        if (!fired && path === sb.conf) {
          fired = true;
          throw new EngineError('FILE_WRITE_FAILED', { path, reason: 'ENOSPC' }, { path, errno: 'ENOSPC', injected: true });
        }
        return realPorts.fs.writeAtomic(path, data, options);
      },
    };
    const events: ProgressEvent[] = [];
    const result = await runOperation('apply', { planText: JSON.stringify(plan), warmupMs: 20_000 }, { lang: 'en', ports: { ...realPorts, fs }, onProgress: (e) => events.push(e) });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.outcome).toBe('rolled-back');
    expect(sb.snapshot()).toEqual(before);
    const got = lines(events).filter((g) => g.step === 'write-files').map((g) => g.line);
    const include = plan.files.find((f) => f.action === 'create')!.path;
    const rollback = events.findIndex((e) => e.step === 'progress.apply.rollback');
    expect(rollback).toBeGreaterThan(0);
    const after = got.slice(got.indexOf(`write path=${sb.conf}`) + 1);
    expect(after).toEqual(expect.arrayContaining(['stopping service=nginx how=nginx', 'stopped service=nginx', `restored path=${include}`, 'starting service=nginx how=nginx']));
    // Started again with the old configuration; none of the plan's new ports answered before, so none is waited for.
    expect(after.filter((l) => l.startsWith('ready service=nginx') || l === 'started service=nginx')).toHaveLength(1);
    expect(after.indexOf(`restored path=${include}`)).toBeLessThan(after.indexOf('starting service=nginx how=nginx'));
  });

  it('the CLI on a terminal prints each step and, indented under it, the finer lines in the reader\'s language', async () => {
    const planFile = join(dir.path, 'plan.json');
    writeFileSync(planFile, JSON.stringify(await sb.plan({ nginxOnly: true, localCa: true })));
    let out = '';
    let err = '';
    const io: CliIO = { lang: 'zh-CN', stdout: (x) => void (out += x), stderr: (x) => void (err += x), interactive: true, env: { ...process.env } };
    const code = await main(['apply', planFile, '--yes', '--warmup', '20000'], io);
    expect(code, `${out}\n${err}`).toBe(0);
    const lines = err.split('\n');
    const at = (line: string) => lines.indexOf(line);
    expect(at(t('zh-CN', 'progress.apply.stop-services'))).toBeGreaterThanOrEqual(0);
    expect(at(`  ${t('zh-CN', 'progress.apply.item.stopping', { service: 'nginx', how: 'nginx' })}`)).toBeGreaterThan(at(t('zh-CN', 'progress.apply.stop-services')));
    expect(at(`  ${t('zh-CN', 'progress.apply.item.write', { path: sb.conf })}`)).toBeGreaterThan(at(t('zh-CN', 'progress.apply.write-files')));
    expect(lines.some((l) => l.startsWith('  正在由本地 CA 为 localhost 签发证书'))).toBe(true);
  });
});
