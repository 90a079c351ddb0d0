/**
 * bench:check — the cost of a full diagnosis against the bare minimum, measured in one run
 * against local nginx wss endpoints (TLS, proxy to three WebSocket backends: a text echo, a
 * binary echo — Node's `ws` sending back the Buffer it got — and one that never echoes):
 *   1. in process: runOperation('check') vs a bare `ws` open + echo (open only where nothing echoes), ≤ 1.5x each;
 *   2. whole processes: `wss-setup check` vs a bare Node client process doing the same, ≤ 1.5x each;
 *   3. a dead endpoint (accepts TCP, never answers TLS) gives its verdict within its timeout;
 *   4. 100 endpoints in one check vs the slowest single one (≤ 1.5x): on loopback, and through a
 *      relay adding a network round trip (a cluster's nodes are not on loopback).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
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
const RELAY = join(ROOT, 'bench', 'latency-relay.mjs');
const IN_PROCESS_RUNS = Number(process.env.BENCH_RUNS ?? 40);
const PROCESS_RUNS = Number(process.env.BENCH_PROCESS_RUNS ?? 12);
const MANY_RUNS = Number(process.env.BENCH_MANY_RUNS ?? 5);
const ONE_WAY_DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 25);

type Mode = 'echo' | 'open';

function bareClient(url: string, ca: string, mode: Mode): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ca, perMessageDeflate: false });
    ws.on('open', () => {
      if (mode === 'open') {
        ws.terminate();
        resolve();
      } else ws.send('ping');
    });
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

async function checkOk(urls: readonly string[], caFile: string, expectEcho: 'ok' | 'no-echo' | null): Promise<number> {
  const t0 = performance.now();
  const result = await runOperation('check', { urls: [...urls], caFile, timeoutMs: 20_000 });
  const elapsed = performance.now() - t0;
  if (!result.ok) throw new Error(`check failed: ${JSON.stringify(result.error).slice(0, 2000)}`);
  if (!result.value.ok) {
    // Name the endpoints that were not ok, with their findings (a long report would hide them).
    const bad = result.value.endpoints.filter((e) => !e.ok).map((e) => ({ url: e.url, timings: e.timings, findings: e.findings.map((f) => `${f.code}: ${f.message}`) }));
    throw new Error(`check did not report ok for ${bad.length} of ${urls.length}: ${JSON.stringify(bad.slice(0, 5))}`);
  }
  if (expectEcho !== null && result.value.endpoints.some((e) => e.echo !== expectEcho)) throw new Error(`expected echo ${expectEcho}: ${JSON.stringify(result.value.endpoints.map((e) => e.echo))}`);
  return elapsed;
}

async function wsBackend(port: number, onMessage: ((ws: WebSocket, data: Buffer) => void) | null): Promise<{ close: () => Promise<void> }> {
  const server: Server = createHttpServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => {
    if (onMessage !== null) ws.on('message', (data) => onMessage(ws, data as Buffer));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    close: () =>
      new Promise((resolve) => {
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function startRelay(delayMs: number, target: string, ports: readonly number[]): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RELAY, String(delayMs), target, ...ports.map(String)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`latency relay exited ${code}`)));
  });
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.error('bench:check needs the built CLI: run "npm run build" first.');
    process.exit(2);
  }
  const dir = tempDir('wss-setup-bench-');
  const [tlsPort, echoPort, binaryPort, silentPort, ...relayPorts] = await freePorts(4 + 20);
  const ca = makeCa('bench CA');
  const leaf = makeLeaf(ca, { names: ['localhost', '127.0.0.1'] });
  const caFile = join(dir.path, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  const echo = await startEchoServer(echoPort!);
  const binary = await wsBackend(binaryPort!, (ws, data) => ws.send(data)); // a Buffer goes back as a binary frame
  const silent = await wsBackend(silentPort!, null); // never answers a message (answers pings, as every server does)
  const proxy = (port: number) => `proxy_pass http://127.0.0.1:${port}; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";`;
  const nginx = await startNginx({
    ports: [tlsPort!],
    files: { 'cert.pem': leaf.cert, 'key.pem': leaf.key },
    httpBlock: `server { listen 127.0.0.1:${tlsPort} ssl; server_name localhost; ssl_certificate cert.pem; ssl_certificate_key key.pem; ssl_protocols TLSv1.2 TLSv1.3;
      location /binary/ { ${proxy(binaryPort!)} }
      location /silent/ { ${proxy(silentPort!)} }
      location / { ${proxy(echoPort!)} } }`,
  });
  const base = `wss://localhost:${tlsPort}`;
  const scenarios: { name: string; url: string; mode: Mode; echo: 'ok' | 'no-echo' }[] = [
    { name: 'text echo', url: `${base}/`, mode: 'echo', echo: 'ok' },
    { name: 'binary echo', url: `${base}/binary/`, mode: 'echo', echo: 'ok' },
    { name: 'never echoes', url: `${base}/silent/`, mode: 'open', echo: 'no-echo' },
  ];
  let relay: ChildProcess | undefined;
  const summary: string[] = [];
  try {
    console.log(`bench:check against nginx ${base} (TLS → text echo, binary echo, no echo), ${IN_PROCESS_RUNS} in-process runs and ${PROCESS_RUNS} process runs each\n`);

    // 1. In process, alternating so that drift hits both equally.
    console.log('in process                                  median        p90');
    for (const s of scenarios) {
      const bare: number[] = [];
      const full: number[] = [];
      for (let i = 0; i < 5; i++) {
        await bareClient(s.url, ca.cert, s.mode);
        await checkOk([s.url], caFile, s.echo);
      }
      for (let i = 0; i < IN_PROCESS_RUNS; i++) {
        const t0 = performance.now();
        await bareClient(s.url, ca.cert, s.mode);
        bare.push(performance.now() - t0);
        full.push(await checkOk([s.url], caFile, s.echo));
      }
      const ratio = median(full) / median(bare);
      console.log(`  ${s.name.padEnd(13)} bare ${s.mode === 'open' ? 'open       ' : 'open + echo'} ${ms(median(bare))} ${ms(percentile(bare, 90))}`);
      console.log(`  ${s.name.padEnd(13)} check            ${ms(median(full))} ${ms(percentile(full, 90))}`);
      // Where nothing echoes, the check waits a ping round trip plus a short grace (health/echo.ts) that a
      // bare open does not: in process that is most of the time, so the target is on whole processes (2.).
      const judged = s.mode === 'echo' ? `target ≤ 1.5x: ${verdict(ratio <= 1.5)}` : 'information; target on whole processes';
      console.log(`  ${s.name.padEnd(13)} ratio check/bare ${ratio.toFixed(2).padStart(9)}x    (${judged})`);
      summary.push(`in process, ${s.name}: ${ratio.toFixed(2)}x`);
    }
    console.log('');

    // 2. Whole processes.
    console.log('whole processes                             median        p90');
    const nodeProc: number[] = [];
    for (const s of scenarios) {
      const bareArgs = [BARE, s.url, caFile, ...(s.mode === 'open' ? ['open'] : [])];
      const cliArgs = [CLI, 'check', s.url, '--ca', caFile, '--json'];
      const bareProc: number[] = [];
      const cliProc: number[] = [];
      await runProcess(bareArgs);
      await runProcess(cliArgs);
      for (let i = 0; i < PROCESS_RUNS; i++) {
        if (nodeProc.length < PROCESS_RUNS) nodeProc.push(await runProcess(['-e', '0']));
        bareProc.push(await runProcess(bareArgs));
        cliProc.push(await runProcess(cliArgs));
      }
      const ratio = median(cliProc) / median(bareProc);
      console.log(`  ${s.name.padEnd(13)} bare client      ${ms(median(bareProc))} ${ms(percentile(bareProc, 90))}`);
      console.log(`  ${s.name.padEnd(13)} wss-setup check  ${ms(median(cliProc))} ${ms(percentile(cliProc, 90))}`);
      console.log(`  ${s.name.padEnd(13)} ratio cli/bare   ${ratio.toFixed(2).padStart(9)}x    (target ≤ 1.5x: ${verdict(ratio <= 1.5)})`);
      summary.push(`whole process, ${s.name}: ${ratio.toFixed(2)}x`);
    }
    console.log(`  node -e 0 (start-up floor)     ${ms(median(nodeProc))} ${ms(percentile(nodeProc, 90))}\n`);

    // 3. Dead endpoint: verdict within the timeout.
    const silentTcp = createServer(() => undefined);
    await new Promise<void>((r) => silentTcp.listen(0, '127.0.0.1', r));
    const deadUrl = `wss://127.0.0.1:${(silentTcp.address() as { port: number }).port}/`;
    const timeoutMs = 1000;
    const dead: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      const result = await runOperation('check', { urls: [deadUrl], timeoutMs });
      dead.push(performance.now() - t0);
      if (!result.ok || result.value.endpoints[0]!.findings[0]?.code !== 'TIMEOUT') throw new Error('dead endpoint not reported as TIMEOUT');
    }
    silentTcp.close();
    const worst = Math.max(...dead);
    console.log(`dead endpoint (timeout ${timeoutMs} ms)`);
    console.log(`  verdict TIMEOUT after     ${ms(worst)} (worst of 3; target ≤ timeout + 5%: ${verdict(worst <= timeoutMs * 1.05)})\n`);

    // 4. 100 endpoints in one check vs the slowest single one, on loopback and across a relay
    // adding a round trip (20 "nodes", 5 URLs each: text echo, binary echo, no echo, two paths).
    relay = await startRelay(ONE_WAY_DELAY_MS, `127.0.0.1:${tlsPort}`, relayPorts);
    const paths = ['/', '/binary/', '/silent/', '/a/', '/binary/b'];
    const sets = [
      { name: 'loopback', urls: Array.from({ length: 100 }, (_, i) => `${base}${paths[i % paths.length]}?n=${i}`) },
      { name: `relay, RTT ${2 * ONE_WAY_DELAY_MS} ms`, urls: Array.from({ length: 100 }, (_, i) => `wss://localhost:${relayPorts[i % relayPorts.length]}${paths[Math.floor(i / relayPorts.length) % paths.length]}?n=${i}`) },
    ];
    console.log(`100 endpoints in one check vs the slowest single endpoint (medians of ${MANY_RUNS} runs)`);
    for (const set of sets) {
      await checkOk(set.urls, caFile, null);
      // The slowest single: each distinct kind of endpoint of the set, checked alone.
      const kinds = [...new Map(set.urls.map((u) => [new URL(u).pathname, u])).values()];
      const singles: number[] = [];
      for (const url of kinds) {
        const runs: number[] = [];
        for (let i = 0; i < MANY_RUNS; i++) runs.push(await checkOk([url], caFile, null));
        singles.push(median(runs));
      }
      const slowest = Math.max(...singles);
      const all: number[] = [];
      for (let i = 0; i < MANY_RUNS; i++) all.push(await checkOk(set.urls, caFile, null));
      const ratio = median(all) / slowest;
      // The floor this machine sets: a bare client opening the same 100 at once vs its slowest single open.
      const bareSingles: number[] = [];
      for (const url of kinds) {
        const runs: number[] = [];
        for (let i = 0; i < MANY_RUNS; i++) {
          const t0 = performance.now();
          await bareClient(url, ca.cert, 'open');
          runs.push(performance.now() - t0);
        }
        bareSingles.push(median(runs));
      }
      const bareAll: number[] = [];
      for (let i = 0; i < MANY_RUNS; i++) {
        const t0 = performance.now();
        await Promise.all(set.urls.map((url) => bareClient(url, ca.cert, 'open')));
        bareAll.push(performance.now() - t0);
      }
      const bareRatio = median(bareAll) / Math.max(...bareSingles);
      console.log(`  ${set.name.padEnd(18)} check: slowest single ${ms(slowest)}   100 at once ${ms(median(all))}   ratio ${ratio.toFixed(2)}x (target ≤ 1.5x: ${verdict(ratio <= 1.5)})`);
      console.log(`  ${''.padEnd(18)} bare opens (floor): slowest single ${ms(Math.max(...bareSingles))}   100 at once ${ms(median(bareAll))}   ratio ${bareRatio.toFixed(2)}x`);
      console.log(`  ${''.padEnd(18)} 100 at once, check / bare opens: ${(median(all) / median(bareAll)).toFixed(2)}x`);
      summary.push(`100 endpoints, ${set.name}: ${ratio.toFixed(2)}x (bare-client floor ${bareRatio.toFixed(2)}x)`);
    }
    console.log(`\nsummary: ${summary.join('; ')}`);
  } finally {
    relay?.kill();
    await nginx.stop();
    await Promise.allSettled([echo.close(), binary.close(), silent.close()]);
    dir.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:check failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
