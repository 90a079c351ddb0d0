import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APPLY_STEPS, type ApplyStep } from '../../shared/contract/apply.js';
import type { Plan } from '../../shared/contract/plan.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { realPorts, type FilePort, type Ports, type ProcessPort, type RunRequest, type StartRequest } from '../../main/engine/ports/index.js';
import { EngineError } from '../../main/engine/common/engine-error.js';
import { portAnswers } from '../../main/engine/services/index.js';
import { bytesLost, type Sandbox } from '../harness/apply-sandbox.js';
import { sandboxPerFile } from '../harness/apply-sandbox-file.js';
import { NGINX_BIN } from '../harness/nginx.js';
import { startSocketIo } from '../harness/servers.js';

/**
 * Fault injection at every step boundary of a method-two apply on the sandbox: a one-shot failure
 * through the ports (file system or process runner) inside each step, and kill -9 of the apply
 * process after each step followed by `recover`. For each cell the files (sha256, mode, owner)
 * must equal the pre-apply state and the old setup must answer. The table is printed; every cell
 * must read 0 bytes lost, and the FineDB rows the application reads must be the old ones. One
 * sandbox (nginx, the application holding its embedded HSQLDB, the push service) serves every cell.
 */
const repo = new URL('../../', import.meta.url).pathname;
let sb: Sandbox;
// The plan issues its certificate from the local CA at apply time, so the certificates step is in every run.
const dir = sandboxPerFile('wss-setup-apply-faults-', { localCa: true }, (made) => (sb = made));
const table = new Map<ApplyStep, { port: string; kill: string }>();

afterAll(() => {
  const rows = APPLY_STEPS.map((s) => `| ${s.padEnd(15)} | ${(table.get(s)?.port ?? '-').padEnd(44)} | ${(table.get(s)?.kill ?? '-').padEnd(30)} |`);
  console.log(['', 'bytes lost per step × fault (files sha256+mode+owner vs. before; old setup answering):', `| ${'step'.padEnd(15)} | ${'fault through the ports'.padEnd(44)} | ${'kill -9 after the step + recover'.padEnd(30)} |`, `|-${'-'.repeat(15)}-|-${'-'.repeat(44)}-|-${'-'.repeat(30)}-|`, ...rows, ''].join('\n'));
});

/** A file port whose first write matching `when` fails as a full disk would; every other write is real. */
function oneShotFs(when: (path: string) => boolean): FilePort {
  let fired = false;
  return {
    ...realPorts.fs,
    async writeAtomic(path, data, options) {
      if (!fired && when(path)) {
        fired = true;
        throw new EngineError('FILE_WRITE_FAILED', { path, reason: 'ENOSPC' }, { path, errno: 'ENOSPC', injected: true });
      }
      return realPorts.fs.writeAtomic(path, data, options);
    },
  };
}

/** A process port whose first run/start matching `when` fails to start (EIO); everything else runs for real. */
function oneShotRunner(when: (r: RunRequest | StartRequest) => boolean): ProcessPort {
  let fired = false;
  return {
    async run(request) {
      if (!fired && when(request)) {
        fired = true;
        return { code: null, signal: null, stdout: '', stderr: '', spawnError: 'EIO', timedOut: false };
      }
      return realPorts.process.run(request);
    },
    start(request) {
      if (!fired && when(request)) {
        fired = true;
        return { pid: undefined, stdin: null, stdout: null, stderr: null, wait: async () => ({ code: null, signal: null, spawnError: 'EIO' }), kill: () => undefined };
      }
      return realPorts.process.start(request);
    },
  };
}

const isNginx = (r: RunRequest | StartRequest) => r.command === NGINX_BIN;

type PortFault = { name: string; ports: (plan: Plan) => Ports; prepare?: () => Promise<() => Promise<void>> };

const PORT_FAULTS: Partial<Record<ApplyStep, PortFault>> = {
  preflight: { name: 'nginx -t cannot run (runner: EIO)', ports: () => ({ ...realPorts, process: oneShotRunner((r) => isNginx(r) && r.args.includes('-t')) }) },
  'backup-files': { name: 'backup copy write fails (fs: ENOSPC)', ports: () => ({ ...realPorts, fs: oneShotFs((p) => p.includes(`${join('backups', 'apply')}`)) }) },
  'stop-services': { name: 'nginx -s quit fails (runner: EIO)', ports: () => ({ ...realPorts, process: oneShotRunner((r) => isNginx(r) && r.args.includes('quit')) }) },
  'backup-finedb': { name: 'FineDB backup copy fails (fs: ENOSPC)', ports: () => ({ ...realPorts, fs: oneShotFs((p) => p.includes(join('backups', 'finedb'))) }) },
  certificates: { name: 'issued key write fails (fs: ENOSPC)', ports: () => ({ ...realPorts, fs: oneShotFs((p) => p.endsWith('.key') && p.includes(join('wss-setup', 'certs'))) }) },
  'finedb-rows': { name: 'JDBC bridge cannot start (runner: EIO)', ports: () => ({ ...realPorts, process: oneShotRunner((r) => r.args.includes('wsssetup.jdbcbridge.Main')) }) },
  'write-files': { name: 'last planned file write fails (fs: ENOSPC)', ports: (plan) => ({ ...realPorts, fs: oneShotFs((p) => p === plan.files.at(-1)!.path) }) },
  'start-services': { name: 'nginx start fails (runner: EIO)', ports: () => ({ ...realPorts, process: oneShotRunner((r) => isNginx(r) && !r.args.some((a) => a === '-s' || a === '-t' || a === '-V')) }) },
  checks: {
    name: 'push service down: wss check fails',
    ports: () => realPorts,
    prepare: async () => {
      await sb.push.close();
      return async () => {
        (sb as { push: unknown }).push = await startSocketIo(sb.ports.push);
      };
    },
  },
};

async function settle(before: Record<string, string>, rowsBefore: { id: string; value: string }[]): Promise<string> {
  const lost = bytesLost(before, sb.snapshot());
  const answering = await sb.answering();
  const rows = answering ? await sb.fineRows() : [];
  const rowsSame = JSON.stringify(rows) === JSON.stringify(rowsBefore);
  const newPortClosed = !(await portAnswers('127.0.0.1', sb.ports.https));
  return `${lost} bytes lost${answering ? '' : ', OLD SETUP NOT ANSWERING'}${newPortClosed ? '' : ', NEW CONFIG STILL LIVE'}${rowsSame ? '' : ', FINEDB ROWS DIFFER'}`;
}

describe('fault injection at every step boundary', () => {
  it.each(APPLY_STEPS.filter((s) => PORT_FAULTS[s] !== undefined))('%s: a fault through the ports rolls back to the state before', async (step) => {
    const fault = PORT_FAULTS[step]!;
    const before = sb.snapshot();
    const rowsBefore = await sb.fineRows();
    const plan = await sb.plan({ localCa: true });
    const restore = (await fault.prepare?.()) ?? (async () => undefined);
    let result;
    try {
      result = await runOperation('apply', { planText: JSON.stringify(plan), warmupMs: 1500 }, { lang: 'en', ports: fault.ports(plan) });
    } finally {
      await restore();
    }
    const cell = await settle(before, rowsBefore);
    table.set(step, { ...(table.get(step) ?? { kill: '-' }), port: `${fault.name}: ${cell.split(' bytes')[0]}` });
    if (step === 'preflight') expect(result.ok ? result.value.outcome : result.error.code).toBe('APPLY_VALIDATION_FAILED');
    else {
      if (!result.ok) throw new Error(JSON.stringify(result.error));
      expect(result.value.outcome).toBe('rolled-back');
      expect(result.value.failure?.step).toBe(step);
      expect(result.value.restore?.manual).toEqual([]);
    }
    expect(cell).toBe('0 bytes lost');
  });

  const NOT_IN_PLAN: readonly ApplyStep[] = [];
  it.each(APPLY_STEPS.filter((s) => !NOT_IN_PLAN.includes(s)).map((s) => [s] as const))('%s: kill -9 of the apply process after the step, then recover', async (step) => {
    const before = sb.snapshot();
    const rowsBefore = await sb.fineRows();
    const plan = await sb.plan({ localCa: true });
    const planFile = join(dir.path, `plan-${step}.json`);
    writeFileSync(planFile, JSON.stringify(plan));
    const script = `import { readFileSync } from 'node:fs';
const { runOperation } = await import(${JSON.stringify(join(repo, 'main/engine/run-operation.ts'))});
const r = await runOperation('apply', { planText: readFileSync(${JSON.stringify(planFile)}, 'utf8'), warmupMs: 20000 }, { lang: 'en' });
process.stdout.write(JSON.stringify(r.ok ? r.value.outcome : r.error.code));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, env: { ...process.env, WSS_SETUP_TEST_KILL_AT: `${step}:after` }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    expect(exit, out).toEqual({ code: null, signal: 'SIGKILL' });
    const history = await runOperation('applyHistory', {}, { lang: 'en' });
    expect(history.ok ? history.value.unfinished.length : -1).toBe(1);
    // Any other command now refuses to apply until the unfinished run is recovered.
    const refused = await runOperation('apply', { planText: JSON.stringify(plan) }, { lang: 'en' });
    expect(refused.ok ? refused.value.outcome : refused.error.code).toBe('APPLY_UNFINISHED_RUN');
    const recovered = await runOperation('applyRecover', {}, { lang: 'en' });
    if (!recovered.ok) throw new Error(JSON.stringify(recovered.error));
    expect(recovered.value.restore?.manual).toEqual([]);
    const cell = await settle(before, rowsBefore);
    table.set(step, { ...(table.get(step) ?? { port: '-' }), kill: cell });
    expect(cell).toBe('0 bytes lost');
  });

  it('every step of apply is in the plan the matrix runs (the certificate is issued at apply time)', () => {
    expect(NOT_IN_PLAN).toEqual([]);
    expect(APPLY_STEPS.every((s) => PORT_FAULTS[s] !== undefined)).toBe(true);
  });
});
