/**
 * bench:check — the cost of a full diagnosis against the bare minimum, measured in one run
 * against the same local nginx wss endpoint (TLS, proxy to a WebSocket echo):
 *   1. in process: runOperation('check') vs a bare `ws` open + echo (target ≤ 1.5x);
 *   2. whole processes: `wss-setup check` vs a bare Node client process doing open + echo (≤ 1.5x);
 *   3. a dead endpoint (accepts TCP, never answers TLS) gives its verdict within its timeout.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { runOperation } from '../main/engine/run-operation.js';
import { makeCa, makeLeaf } from '../test/harness/certs.js';
import { startNginx } from '../test/harness/nginx.js';
import { freePorts } from '../test/harness/ports.js';
import { startEchoServer } from '../test/harness/servers.js';
import { tempDir } from '../test/harness/temp.js';
import { median, ms, percentile, verdict } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin', 'wss-setup.js');
const BARE = join(ROOT, 'bench', 'bare-client.mjs');
const IN_PROCESS_RUNS = Number(process.env.BENCH_RUNS ?? 60);
const PROCESS_RUNS = Number(process.env.BENCH_PROCESS_RUNS ?? 15);

function bareOpenEcho(url: string, ca: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ca, perMessageDeflate: false });
    ws.on('open', () => ws.send('ping'));
    ws.on('message', () => {
      ws.terminate();
      resolve();
    });
    ws.on('error', reject);
  });
}

function runProcess(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('close', (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`${args.join(' ')} exited ${code}: ${err}`))));
  });
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.error('bench:check needs the built CLI: run "npm run build" first.');
    process.exit(2);
  }
  const dir = tempDir('wss-setup-bench-');
  const [tlsPort, echoPort] = await freePorts(2);
  const ca = makeCa('bench CA');
  const leaf = makeLeaf(ca, { names: ['localhost', '127.0.0.1'] });
  const caFile = join(dir.path, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  const echo = await startEchoServer(echoPort!);
  const nginx = await startNginx({
    ports: [tlsPort!],
    files: { 'cert.pem': leaf.cert, 'key.pem': leaf.key },
    httpBlock: `server { listen 127.0.0.1:${tlsPort} ssl; server_name localhost; ssl_certificate cert.pem; ssl_certificate_key key.pem; ssl_protocols TLSv1.2 TLSv1.3;
      location / { proxy_pass http://127.0.0.1:${echoPort}; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; } }`,
  });
  const url = `wss://localhost:${tlsPort}/`;
  try {
    console.log(`bench:check against nginx ${url} (TLS → echo), ${IN_PROCESS_RUNS} in-process runs, ${PROCESS_RUNS} process runs\n`);

    // 1. In process, alternating so that drift hits both equally.
    const bare: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < 5; i++) {
      await bareOpenEcho(url, ca.cert);
      await runOperation('check', { urls: [url], caFile });
    }
    for (let i = 0; i < IN_PROCESS_RUNS; i++) {
      let t0 = performance.now();
      await bareOpenEcho(url, ca.cert);
      bare.push(performance.now() - t0);
      t0 = performance.now();
      const result = await runOperation('check', { urls: [url], caFile });
      full.push(performance.now() - t0);
      if (!result.ok || !result.value.ok) throw new Error(`check did not report ok: ${JSON.stringify(result)}`);
    }
    const ratio = median(full) / median(bare);
    console.log('in process                      median        p90');
    console.log(`  bare ws open + echo       ${ms(median(bare))} ${ms(percentile(bare, 90))}`);
    console.log(`  check (full diagnosis)    ${ms(median(full))} ${ms(percentile(full, 90))}`);
    console.log(`  ratio check / bare        ${ratio.toFixed(2)}x   (target ≤ 1.5x: ${verdict(ratio <= 1.5)})\n`);

    // 2. Whole processes.
    const bareProc: number[] = [];
    const cliProc: number[] = [];
    const nodeProc: number[] = [];
    await runProcess([BARE, url, caFile]);
    await runProcess([CLI, 'check', url, '--ca', caFile, '--json']);
    for (let i = 0; i < PROCESS_RUNS; i++) {
      nodeProc.push(await runProcess(['-e', '0']));
      bareProc.push(await runProcess([BARE, url, caFile]));
      cliProc.push(await runProcess([CLI, 'check', url, '--ca', caFile, '--json']));
    }
    const procRatio = median(cliProc) / median(bareProc);
    console.log('whole processes                 median        p90');
    console.log(`  node -e 0 (start-up floor)${ms(median(nodeProc))} ${ms(percentile(nodeProc, 90))}`);
    console.log(`  bare client process       ${ms(median(bareProc))} ${ms(percentile(bareProc, 90))}`);
    console.log(`  wss-setup check --json    ${ms(median(cliProc))} ${ms(percentile(cliProc, 90))}`);
    console.log(`  ratio cli / bare          ${procRatio.toFixed(2)}x   (target ≤ 1.5x: ${verdict(procRatio <= 1.5)})\n`);

    // 3. Dead endpoint: verdict within the timeout.
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const deadUrl = `wss://127.0.0.1:${(silent.address() as { port: number }).port}/`;
    const timeoutMs = 1000;
    const dead: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const result = await runOperation('check', { urls: [deadUrl], timeoutMs });
      dead.push(performance.now() - t0);
      if (!result.ok || result.value.endpoints[0]!.findings[0]?.code !== 'TIMEOUT') throw new Error('dead endpoint not reported as TIMEOUT');
    }
    silent.close();
    const worst = Math.max(...dead);
    console.log(`dead endpoint (timeout ${timeoutMs} ms)`);
    console.log(`  verdict TIMEOUT after     ${ms(worst)} (worst of 3; target ≤ timeout + 5%: ${verdict(worst <= timeoutMs * 1.05)})`);
  } finally {
    await nginx.stop();
    await echo.close();
    dir.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
