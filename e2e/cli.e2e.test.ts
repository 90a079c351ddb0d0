import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../test/harness/ports.js';
import { startEchoServer, type Running } from '../test/harness/servers.js';
import { tempDir } from '../test/harness/temp.js';
import { CLI, requireBuilt } from './harness.js';

/** The installed command as an admin runs it: exit codes, one JSON document, no stack traces. */
let echo: Running;
let closedPort: number;
let busy: Server;
let busyPort: number;
const dir = tempDir();

/** Runs the CLI asynchronously (the servers it talks to live in this test process). */
function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; all: string }> {
  return cliWithEnv({ LANG: 'en_US.UTF-8' }, ...args);
}

function cliWithEnv(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; all: string }> {
  return new Promise((resolve) => {
    const base = { ...process.env };
    for (const name of ['WSS_SETUP_LANG', 'LC_ALL', 'LC_MESSAGES']) delete base[name];
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('close', (code) => resolve({ code, stdout, stderr, all: stdout + stderr }));
  });
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+\(.*:\d+:\d+\)|node:internal/);

beforeAll(async () => {
  requireBuilt();
  const [echoPort, closed] = await freePorts(2);
  closedPort = closed!;
  echo = await startEchoServer(echoPort!);
  busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as { port: number }).port;
});

afterAll(async () => {
  await echo?.close();
  busy?.close();
  dir.cleanup();
});

describe('wss-setup check (process)', () => {
  it('exit 0 and a readable report for a healthy endpoint', async () => {
    const r = await cli('check', `ws://127.0.0.1:${echo.port}/`);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('healthy');
    expect(r.stdout).toContain('1 of 1 endpoints healthy');
  });

  it('--json prints exactly one JSON document with the documented shape', async () => {
    const r = await cli('check', `ws://127.0.0.1:${echo.port}/`, `wss://127.0.0.1:${closedPort}/`, '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { ok: boolean; endpoints: Array<Record<string, unknown>> };
    expect(doc.ok).toBe(false);
    expect(doc.endpoints).toHaveLength(2);
    for (const e of doc.endpoints) for (const key of ['url', 'ok', 'timings', 'tls', 'http', 'findings']) expect(e).toHaveProperty(key);
    const refused = doc.endpoints[1] as { findings: Array<Record<string, unknown>> };
    expect(refused.findings[0]).toMatchObject({ code: 'CONNECTION_REFUSED', severity: 'error' });
    for (const key of ['message', 'fix', 'evidence']) expect(refused.findings[0]).toHaveProperty(key);
  });

  it('exit 1 with the cause and the fix for a failing endpoint', async () => {
    const r = await cli('check', `wss://127.0.0.1:${closedPort}/`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('CONNECTION_REFUSED');
    expect(r.stdout).toContain('fix:');
  });

  it.each([
    [['check'], 'Give at least one URL'],
    [['check', 'wss://reports.example.com:38889/%%%', 'not-a-url'], 'not a valid URL'],
    [['check', 'http://reports.example.com/'], 'is an http(s) URL'],
    [['check', 'wss://reports.example.com:70000/'], 'out of range'],
    [['check', 'wss://127.0.0.1:1/', '--ca', '/no/such/ca.pem'], 'cannot be read: no such file'],
    [['check', 'wss://127.0.0.1:1/', '--timeout', 'soon'], 'needs a number'],
    [['check', 'wss://127.0.0.1:1/', '--timeout', '5'], 'out of range'],
    [['check', 'wss://127.0.0.1:1/', '--origin', 'reports'], 'is not an http:// or https:// URL'],
    [['check', 'wss://127.0.0.1:1/', '--frobnicate'], 'Unknown option'],
    [['check', 'wss://127.0.0.1:1/', '--timeout'], 'needs a value'],
    [['launch'], 'Unknown command'],
    [['serve', '--port', '99999'], 'out of range'],
    [['--lang', 'fr', 'check', 'wss://x/'], 'not valid'],
  ])('bad input %j: exit 2, "%s", no stack trace', async (args, text) => {
    const r = await cli(...args);
    expect(r.code).toBe(2);
    expect(r.all).toContain(text);
    noStack(r.all);
  });

  it('a CA file without a certificate is explained (exit 2)', async () => {
    const file = join(dir.path, 'key-not-cert.pem');
    writeFileSync(file, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    const r = await cli('check', 'wss://127.0.0.1:1/', '--ca', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds no PEM certificate');
    expect(r.stderr).not.toContain('AAAA');
  });

  it('usage errors with --json are one JSON document too', async () => {
    const r = await cli('check', 'http://x/', '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('speaks Chinese with --lang zh-CN', async () => {
    const r = await cli('--lang', 'zh-CN', 'check', `wss://127.0.0.1:${closedPort}/`);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('连接被拒绝');
  });

  // The Chinese catalog is loaded only when wanted (issue 9): from LANG too, and for a usage error
  // raised before any command runs.
  it('speaks Chinese from LANG=zh_CN, usage errors included', async () => {
    const r = await cliWithEnv({ LANG: 'zh_CN.UTF-8' }, 'check', `wss://127.0.0.1:${closedPort}/`);
    expect(r.stdout).toContain('连接被拒绝');
    const usage = await cliWithEnv({ LANG: 'zh_CN.UTF-8' }, '--lang', 'fr');
    expect(usage.code).toBe(2);
    expect(usage.all).toMatch(/[\u4e00-\u9fff]/);
    const unknown = await cliWithEnv({ LANG: 'zh_CN.UTF-8' }, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.all).toMatch(/[\u4e00-\u9fff]/);
    noStack(usage.all + unknown.all);
  });

  it('serve on a port in use says so plainly', async () => {
    const r = await cli('serve', '--port', String(busyPort));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Port ${busyPort} on 127.0.0.1 is already in use`);
    noStack(r.all);
  });

  it('--help lists the commands', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('wss-setup check <url>...');
    expect(r.stdout).toContain('wss-setup serve');
  });
});
