/**
 * bench:apply — the unavailability window of a method-two apply on the sandbox, measured by a
 * client polling the site through nginx every few milliseconds (from the first failed request to
 * the first successful one after it), against a bare `nginx -s quit` + start of the same
 * configuration in the same run (target ≤ 1.2×), and the apply's wall time by step.
 *
 * Two applies are measured: the nginx-only plan (nginx is the only service the plan restarts —
 * the like-for-like comparison with the bare restart), and the full sandbox plan (the application
 * holding its embedded FineDB is stopped too, FineDB rows are written while it is stopped), whose
 * window is dominated by the application's own stop and start and is printed for information.
 */
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runOperation } from '../main/engine/run-operation.js';
import type { ApplyOutput } from '../shared/contract/apply.js';
import { createSandbox, type Sandbox } from '../test/harness/apply-sandbox.js';
import { NGINX_BIN } from '../test/harness/nginx.js';
import { tempDir } from '../test/harness/temp.js';
import { median, ms, verdict } from './stats.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const POLL_MS = 3;

function get(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 500 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode === 200));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(false));
    req.end();
  });
}

/** Polls while `action` runs; the window is from the first failed request to the first success after the last failure. */
async function window(port: number, action: () => Promise<void>): Promise<{ windowMs: number; failures: number; actionMs: number }> {
  let running = true;
  let firstFail: number | null = null;
  let lastFail: number | null = null;
  let recovered: number | null = null;
  let failures = 0;
  const poller = (async () => {
    while (running || (lastFail !== null && recovered === null)) {
      const t = performance.now();
      const ok = await get(port);
      if (!ok) {
        failures += 1;
        firstFail ??= t;
        lastFail = t;
        recovered = null;
      } else if (lastFail !== null && recovered === null) recovered = performance.now();
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  })();
  const t0 = performance.now();
  await action();
  const actionMs = performance.now() - t0;
  running = false;
  await poller;
  return { windowMs: firstFail === null || recovered === null ? 0 : recovered - firstFail, failures, actionMs };
}

function bareRestart(sb: Sandbox): Promise<void> {
  const pid = Number(spawnSync('cat', [join(sb.root, 'run', 'nginx.pid')], { encoding: 'utf8' }).stdout.trim());
  spawnSync(NGINX_BIN, ['-c', sb.conf, '-s', 'quit']);
  return (async () => {
    for (;;) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    spawnSync(NGINX_BIN, ['-c', sb.conf]);
  })();
}

async function applyOnce(sb: Sandbox, nginxOnly: boolean): Promise<{ windowMs: number; out: ApplyOutput }> {
  const plan = await sb.plan({ nginxOnly });
  let out: ApplyOutput | null = null;
  const w = await window(sb.ports.http, async () => {
    const r = await runOperation('apply', { planText: JSON.stringify(plan), warmupMs: 20_000 }, { lang: 'en' });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    if (r.value.outcome !== 'applied') throw new Error(JSON.stringify(r.value.failure));
    out = r.value;
  });
  const back = await runOperation('applyRollback', { run: out!.runId! }, { lang: 'en' });
  if (!back.ok || back.value.outcome !== 'reverted') throw new Error(`rollback failed: ${JSON.stringify(back)}`);
  return { windowMs: w.windowMs, out: out! };
}

async function main(): Promise<void> {
  const dir = tempDir('wss-setup-bench-apply-');
  process.env.WSS_SETUP_DATA_DIR = join(dir.path, 'data');
  const sb = await createSandbox(join(dir.path, 'sandbox'));
  try {
    const bare: number[] = [];
    const nginxOnly: number[] = [];
    const full: number[] = [];
    const steps = new Map<string, number[]>();
    const fullSteps = new Map<string, number[]>();
    const wall: number[] = [];
    const fullWall: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      bare.push((await window(sb.ports.http, () => bareRestart(sb))).windowMs);
      const a = await applyOnce(sb, true);
      nginxOnly.push(a.windowMs);
      wall.push(a.out.steps.reduce((s, x) => s + x.ms, 0));
      for (const s of a.out.steps) steps.set(s.name, [...(steps.get(s.name) ?? []), s.ms]);
      const f = await applyOnce(sb, false);
      full.push(f.windowMs);
      fullWall.push(f.out.steps.reduce((s, x) => s + x.ms, 0));
      for (const s of f.out.steps) fullSteps.set(s.name, [...(fullSteps.get(s.name) ?? []), s.ms]);
    }
    const ratio = median(nginxOnly) / Math.max(median(bare), 0.001);
    const lines = [
      `bench:apply — unavailability window through nginx (polling every ${POLL_MS} ms), medians of ${RUNS} runs`,
      `  bare nginx -s quit + start (reference)   ${ms(median(bare))}`,
      `  apply, method two, nginx-only plan        ${ms(median(nginxOnly))}   ratio ${ratio.toFixed(2)}× (target ≤ 1.2×: ${verdict(ratio <= 1.2)})`,
      `  apply, full sandbox plan (app + FineDB)   ${ms(median(full))}   (the application's own stop/start and the FineDB write are inside the window)`,
      `apply wall time by step (nginx-only plan; total ${ms(median(wall))})`,
      ...[...steps].map(([name, v]) => `  ${name.padEnd(16)} ${ms(median(v))}`),
      `apply wall time by step (full sandbox plan; total ${ms(median(fullWall))})`,
      ...[...fullSteps].map(([name, v]) => `  ${name.padEnd(16)} ${ms(median(v))}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await sb.close();
    dir.cleanup();
  }
}

await main();
