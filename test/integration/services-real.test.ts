import { execPath } from 'node:process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, portAnswers, realClock, realProcessPort, serviceStatus, startService, stopService, type ServiceDeps, type ServiceTarget } from '../../main/engine/services/index.js';
import { EngineError } from '../../main/engine/common/engine-error.js';
import { catalinaBase, nginxDaemonConf } from '../harness/apply-services.js';
import { NGINX_BIN, nginxAvailable } from '../harness/nginx.js';
import { freePorts } from '../harness/ports.js';
import { tempDir } from '../harness/temp.js';
import { CATALINA_HOME, httpConnector, tomcatAvailable } from '../harness/tomcat.js';

/** Stop/start for real: nginx from its binary, Tomcat through its catalina scripts, a plain process. */
const dir = tempDir('wss-setup-services-');
const deps: ServiceDeps = { process: realProcessPort, clock: realClock, env: { JAVA_HOME: process.env.JAVA_HOME ?? '/usr/lib/jvm/default-java' } };
const timing = { ...DEFAULT_TIMING, stopTimeoutMs: 30_000, startTimeoutMs: 60_000 };
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
  dir.cleanup();
});

async function errorOf(p: Promise<unknown>): Promise<EngineError> {
  try {
    await p;
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}

describe('nginx run from its binary', () => {
  it.each([['daemon on', true], ['daemon off', false]] as const)('%s: start waits for the port, stop (-s quit) waits for the master to exit and the port to close', async (_name, daemon) => {
    if (!nginxAvailable()) throw new Error('nginx is required (apt-get install nginx)');
    const [port] = await freePorts(1);
    const prefix = join(dir.path, `nginx-${daemon}`);
    mkdirSync(prefix, { recursive: true });
    const conf = nginxDaemonConf(prefix, `server { listen 127.0.0.1:${port}; return 204; }`, daemon);
    const target: ServiceTarget = { ref: { kind: 'nginx', binary: NGINX_BIN, prefix, conf }, ready: [{ host: '127.0.0.1', port: port!, url: `http://127.0.0.1:${port}/` }] };
    cleanups.push(() => stopService(target, deps, timing));
    expect((await serviceStatus(target, deps)).running).toBe(false);
    await startService(target, deps, timing);
    const up = await serviceStatus(target, deps);
    expect(up.running).toBe(true);
    expect(up.pids).toHaveLength(1);
    expect(up.open).toHaveLength(1);
    const stopped = await stopService(target, deps, timing);
    expect(stopped).toEqual({ wasRunning: true, dependents: [], forced: false });
    expect(await portAnswers('127.0.0.1', port!)).toBe(false);
    const down = await serviceStatus(target, deps);
    expect(down.running).toBe(false);
    // the old master is gone
    expect(() => process.kill(up.pids[0]!, 0)).toThrow();
    // stopping a stopped service is not an error
    expect((await stopService(target, deps, timing)).wasRunning).toBe(false);
  });

  it('a start that fails at once (port taken) is reported with nginx\'s own words, not after the wait', async () => {
    const [port, other] = await freePorts(2);
    const holder = join(dir.path, 'holder');
    mkdirSync(holder, { recursive: true });
    const holderConf = nginxDaemonConf(holder, `server { listen 127.0.0.1:${port}; return 204; }`);
    const holderTarget: ServiceTarget = { ref: { kind: 'nginx', binary: NGINX_BIN, prefix: holder, conf: holderConf }, ready: [{ host: '127.0.0.1', port: port! }] };
    await startService(holderTarget, deps, timing);
    cleanups.push(() => stopService(holderTarget, deps, timing));
    const prefix = join(dir.path, 'clash');
    mkdirSync(prefix, { recursive: true });
    const conf = nginxDaemonConf(prefix, `server { listen 127.0.0.1:${port}; listen 127.0.0.1:${other}; return 204; }`);
    const started = Date.now();
    const error = await errorOf(startService({ ref: { kind: 'nginx', binary: NGINX_BIN, prefix, conf }, ready: [{ host: '127.0.0.1', port: other! }] }, deps, timing));
    expect(error.code).toBe('SERVICE_COMMAND_FAILED');
    expect(String(error.params.output)).toMatch(/Address already in use/);
    expect(Date.now() - started).toBeLessThan(timing.startTimeoutMs);
    await stopService(holderTarget, deps, timing);
  });
});

describe('a plain process by pid', () => {
  it('stops with SIGTERM, confirms its port closed, starts again with the same argv', async () => {
    const [port] = await freePorts(1);
    const script = join(dir.path, 'app server.cjs');
    writeFileSync(script, `require('node:http').createServer((q, s) => s.end('ok')).listen(${port}, '127.0.0.1');\n`);
    const first = realProcessPort.start({ command: execPath, args: [script], detached: true });
    const target: ServiceTarget = { ref: { kind: 'process', pid: first.pid!, argv: [execPath, script], cwd: dir.path }, ready: [{ host: '127.0.0.1', port: port! }] };
    cleanups.push(() => stopService(target, deps, timing));
    for (let i = 0; i < 100 && !(await portAnswers('127.0.0.1', port!)); i++) await realClock.sleep(50);
    expect(await stopService(target, deps, timing)).toMatchObject({ wasRunning: true });
    expect(await portAnswers('127.0.0.1', port!)).toBe(false);
    const restarted = await startService(target, deps, timing);
    expect(restarted).toMatchObject({ kind: 'process', argv: [execPath, script] });
    expect(restarted).not.toEqual(target.ref);
    expect(await portAnswers('127.0.0.1', port!)).toBe(true);
    const again: ServiceTarget = { ...target, ref: restarted };
    cleanups.push(() => stopService(again, deps, timing));
    expect(await stopService(again, deps, timing)).toMatchObject({ wasRunning: true });
    expect(await portAnswers('127.0.0.1', port!)).toBe(false);
  });
});

describe('Tomcat through its catalina scripts', () => {
  it('startup.sh then shutdown.sh on a temp CATALINA_BASE; with the shutdown port disabled, SIGTERM', async () => {
    if (!tomcatAvailable()) throw new Error('Tomcat 10 is required (apt-get install tomcat10 tomcat10-examples)');
    const [http, shutdown, http2] = await freePorts(3);
    const base = catalinaBase(join(dir.path, 'tomcat'), { connectors: [httpConnector(http!)], shutdownPort: shutdown! });
    mkdirSync(join(base, 'webapps', 'ROOT'), { recursive: true });
    writeFileSync(join(base, 'webapps', 'ROOT', 'index.html'), 'ready');
    const target: ServiceTarget = { ref: { kind: 'catalina', home: CATALINA_HOME, base }, ready: [{ host: '127.0.0.1', port: http!, url: `http://127.0.0.1:${http}/` }] };
    cleanups.push(() => stopService(target, deps, timing));
    await startService(target, deps, timing);
    const up = await serviceStatus(target, deps);
    expect(up.pids).toHaveLength(1);
    expect(await stopService(target, deps, timing)).toEqual({ wasRunning: true, dependents: [], forced: false });
    expect(() => process.kill(up.pids[0]!, 0)).toThrow();

    const base2 = catalinaBase(join(dir.path, 'tomcat-noport'), { connectors: [httpConnector(http2!)], shutdownPort: -1 });
    const target2: ServiceTarget = { ref: { kind: 'catalina', home: CATALINA_HOME, base: base2 }, ready: [{ host: '127.0.0.1', port: http2! }] };
    cleanups.push(() => stopService(target2, deps, timing));
    await startService(target2, deps, timing);
    expect(await stopService(target2, deps, timing)).toMatchObject({ wasRunning: true, forced: false });
    expect(await portAnswers('127.0.0.1', http2!)).toBe(false);
  });
});
