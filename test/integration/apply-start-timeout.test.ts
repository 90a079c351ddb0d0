import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyPlan, defaultDeps } from '../../main/engine/apply/index.js';
import { realPorts } from '../../main/engine/ports/index.js';
import type { Sandbox } from '../harness/apply-sandbox.js';
import { sandboxPerFile } from '../harness/apply-sandbox-file.js';
import { freePort } from '../harness/ports.js';

/**
 * A product that runs as a plain process is started again by apply with a new pid. When that start
 * never becomes ready (here: the plan waits for a port the application never opens), the rollback
 * must stop the process apply started — not the old, already stopped pid — and bring the old one
 * back: one application process afterwards, answering, and the run rolled back (not
 * rollback-incomplete). On the old engine the started process was unknown to the rollback.
 */

let sb: Sandbox;
const dir = sandboxPerFile('wss-setup-apply-start-timeout-', { localCa: false }, (made) => (sb = made));

/** Pids of processes running the sandbox application's command line. */
function appProcesses(argv: readonly string[]): number[] {
  const want = argv.join('\0');
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '') === want;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('apply: a restarted process that never becomes ready', () => {
  it('is stopped by the rollback, and the old application answers again', async () => {
    const plan = await sb.plan();
    const never = await freePort();
    const waitsForever = { ...plan, services: plan.services.map((s) => (s.id === 'finereport' ? { ...s, ready: [...s.ready, { host: '127.0.0.1', port: never }] } : s)) };
    const before = sb.snapshot();
    const pidBefore = sb.appPid();
    expect(appProcesses(sb.appArgv)).toEqual([pidBefore]);
    const deps = { ...defaultDeps(), dataDir: join(dir.path, 'data'), timing: { stopTimeoutMs: 20_000, startTimeoutMs: 4_000, pollMs: 50 } };
    const out = await applyPlan({ planText: JSON.stringify(waitsForever), secrets: {} } as never, { lang: 'en', onProgress: () => undefined, ports: realPorts }, deps);
    expect(out.outcome).toBe('rolled-back');
    expect(sb.snapshot()).toEqual(before);
    expect(await sb.answering()).toBe(true);
    // Exactly one application: the one the rollback started (the one apply started was stopped).
    const now = appProcesses(sb.appArgv);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(pidBefore);
  });
});
