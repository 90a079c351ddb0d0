import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ApachePlanInput, ApachePlanOutput } from '../../shared/contract/apache.js';
import type { ApplyOutput } from '../../shared/contract/apply.js';
import type { CheckOutput } from '../../shared/contract/check.js';
import type { Plan } from '../../shared/contract/plan.js';
import { portAnswers } from '../../main/engine/services/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { APACHE_BIN, APACHE_FIXTURES, apacheAvailable, apacheEnv, copyApacheFixture, runApache, snapshotTree, type ApacheInstance } from '../harness/apache.js';
import { writeCertPair } from '../harness/fixtures.js';
import { freePorts } from '../harness/ports.js';
import { startEchoServer, startPageServer, startSocketIo, type Running } from '../harness/servers.js';
import { tempDir } from '../harness/temp.js';
import { failingFs } from '../harness/faulty-ports.js';
import { realPorts } from '../../main/engine/ports/index.js';

/**
 * Real Apache (Debian's apache2) as a plain process in a temp ServerRoot: Debian's own tree,
 * moved to free loopback ports, planned, applied by the real transactional apply (links made, files
 * written, Apache stopped and started from its private ServerRoot), rolled back, and checked over wss — a WebSocket echo stands for OMK, the socket.io service
 * for FineReport's push service.
 */
const dir = tempDir('wss-setup-apache-e2e-');
let caFile: string;
let certPath: string;
let keyPath: string;
const running: (Running | ApacheInstance)[] = [];

const previousDataDir = process.env.WSS_SETUP_DATA_DIR;
beforeAll(() => {
  if (!apacheAvailable()) throw new Error('apache2 is required for these tests (apt-get install apache2)');
  process.env.WSS_SETUP_DATA_DIR = join(dir.path, 'data');
  ({ caFile, certPath, keyPath } = writeCertPair(dir.path, ['localhost', '127.0.0.1']));
});
afterEach(async () => {
  for (const r of running.splice(0).reverse()) {
    if ('close' in r) await r.close();
    else await r.stop();
  }
});
afterAll(() => {
  if (previousDataDir === undefined) delete process.env.WSS_SETUP_DATA_DIR;
  else process.env.WSS_SETUP_DATA_DIR = previousDataDir;
  dir.cleanup();
});

/** Debian's tree on free ports: Listen 80 / 443 (ports.conf) and the default vhost moved to loopback ports. */
function debianOnPorts(http: number, https: number): { root: string; main: string; env: Record<string, string> } {
  const { root, main } = copyApacheFixture(dir.path, 'debian');
  const ports = join(root, 'ports.conf');
  writeFileSync(ports, readFileSync(ports, 'utf8').replace('Listen 80', `Listen 127.0.0.1:${http}`).replace(/Listen 443/g, `Listen 127.0.0.1:${https}`));
  const site = join(root, 'sites-available', '000-default.conf');
  writeFileSync(site, readFileSync(site, 'utf8').replace('<VirtualHost *:80>', `<VirtualHost *:${http}>`));
  const env = apacheEnv(join(root, '..', `run-${Math.random().toString(36).slice(2)}`));
  // The tree's envvars name the private run/lock/log folders: what apply's Apache adapter reads (as data) to stop and start this Apache.
  writeFileSync(join(root, 'envvars'), `${['APACHE_RUN_USER', 'APACHE_RUN_GROUP', 'APACHE_PID_FILE', 'APACHE_RUN_DIR', 'APACHE_LOCK_DIR', 'APACHE_LOG_DIR'].map((k) => `export ${k}=${env[k]}`).join('\n')}\nexport LANG=C\n`);
  return { root, main, env };
}

/** Stops an Apache that apply (or its rollback) started as a daemon in this tree, whatever state the test ended in. */
function daemonStopper(root: string, main: string, env: Record<string, string>): Running {
  return { close: async () => void spawnSync(APACHE_BIN, ['-d', root, '-f', main, '-k', 'stop'], { env, encoding: 'utf8' }) } as unknown as Running;
}

async function apply(p: Plan): Promise<ApplyOutput> {
  // The test CA stands for one the admin's machine trusts.
  const result = await runOperation('apply', { planText: JSON.stringify({ ...p, checks: p.checks.map((c) => ({ ...c, ca: caFile })) }), warmupMs: 20_000 }, { lang: 'en' });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Every path below the tree with its mode and owner, and its bytes or link text (byte-identical = sha256-identical). */
function stateOf(root: string): Map<string, string> {
  const out = snapshotTree(root);
  for (const [path, value] of out) {
    const st = lstatSync(path);
    out.set(path, `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${value}`);
  }
  return out;
}

async function plan(input: ApachePlanInput): Promise<ApachePlanOutput> {
  const result = await runOperation('planApacheProxy', input, { lang: 'en' });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function check(urls: string[], apacheConf: string): Promise<CheckOutput> {
  const result = await runOperation('check', { urls, caFile, apacheConf, timeoutMs: 8000 }, { lang: 'en' });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

const codes = (out: CheckOutput) => out.endpoints.flatMap((e) => e.findings.filter((f) => f.severity !== 'info').map((f) => f.code));

describe('real Apache: plan, apply, start, check over wss', () => {
  it('opcharts: seed 001 broken (module not loaded, general ProxyPass first) is named, then planned, applied, and the events WebSocket works', async () => {
    const [http, https, omk] = await freePorts(3);
    const { root, main, env } = debianOnPorts(http!, https!);
    running.push(await startEchoServer(omk!));
    // Seed 001 as admins get it wrong. Variant 1: the rules in the right order, but only mod_proxy and mod_ssl enabled.
    const site = join(root, 'sites-available', 'omk-ssl.conf');
    const vhost = (rules: string) =>
      `<VirtualHost *:${https}>\n\tSSLEngine on\n\tServerName localhost\n\tSSLCertificateFile ${certPath}\n\tSSLCertificateKeyFile ${keyPath}\n\tProxyRequests off\n${rules}</VirtualHost>\n`;
    const wsRule = `\tProxyPass "/en/omk/opCharts/events/log" "ws://127.0.0.1:${omk}/en/omk/opCharts/events/log"\n`;
    const general = `\tProxyPass / http://127.0.0.1:${omk}/\n\tProxyPassReverse / http://127.0.0.1:${omk}/\n`;
    writeFileSync(site, vhost(wsRule + general));
    symlinkSync('../sites-available/omk-ssl.conf', join(root, 'sites-enabled', 'omk-ssl.conf'));
    for (const m of ['ssl', 'socache_shmcb', 'proxy']) symlinkSync(`../mods-available/${m}.load`, join(root, 'mods-enabled', `${m}.load`));
    symlinkSync('../mods-available/ssl.conf', join(root, 'mods-enabled', 'ssl.conf'));
    const url = `wss://localhost:${https}/en/omk/opCharts/events/log`;

    let apache = await runApache(root, main, env, [https!]);
    running.push(apache);
    const noModule = await check([url], main);
    expect(noModule.ok).toBe(false);
    expect(codes(noModule)).toEqual(expect.arrayContaining(['APACHE_WSTUNNEL_NOT_LOADED', 'APACHE_NO_FORWARDED_PROTO']));
    expect(noModule.endpoints[0]!.findings.find((f) => f.code === 'APACHE_WSTUNNEL_NOT_LOADED')!.evidence).toMatchObject({ line: 7 });
    await apache.stop();

    // Variant 2: the general ProxyPass first (the WebSocket rule is never reached).
    writeFileSync(site, vhost(general + wsRule));
    apache = await runApache(root, main, env, [https!]);
    running.push(apache);
    const broken = await check([url], main);
    expect(broken.ok).toBe(false);
    expect(codes(broken)).toEqual(expect.arrayContaining(['APACHE_PROXYPASS_SHADOWED', 'APACHE_NO_FORWARDED_PROTO']));
    const shadowed = broken.endpoints[0]!.findings.find((f) => f.code === 'APACHE_PROXYPASS_SHADOWED')!;
    expect(shadowed.evidence).toMatchObject({ file: join(root, 'sites-enabled', 'omk-ssl.conf'), line: 7 });

    const opCommon = join(root, '..', `opCommon-${Math.random().toString(36).slice(2)}.json`);
    const original = readFileSync(join(APACHE_FIXTURES, 'omk', 'opCommon.json'), 'utf8');
    writeFileSync(opCommon, original);
    const planned = await plan({ apacheConf: main, profile: 'opcharts', serverNames: ['localhost'], httpsPort: https!, certPath, keyPath, opCommon });
    expect(planned.plan.validations[0]).toMatchObject({ tool: 'apachectl -t', ok: true });
    const before = stateOf(root);
    // The running (broken) Apache is stopped and started by apply itself. omkd is a systemd unit in the
    // plan; this machine has no systemd and the echo server standing for OMK is no unit: left out here.
    expect(planned.plan.services.map((s) => `${s.id}:${s.service.kind}`)).toEqual(['apache:apache', 'omkd:systemd']);
    running.push(daemonStopper(root, main, env));
    const applied = await apply({ ...planned.plan, services: planned.plan.services.filter((s) => s.id !== 'omkd') });
    expect(applied.failure).toBeUndefined();
    expect(applied.outcome).toBe('applied');
    expect(applied.checks).toEqual([expect.objectContaining({ url, ok: true })]);
    // opCommon.json: only that one value changed (byte diff).
    const after = readFileSync(opCommon, 'utf8');
    expect(after).toBe(original.replace('"websocket_proxy_port": "8042"', `"websocket_proxy_port": "${https}"`));

    const fixed = await check([url], main);
    expect(codes(fixed)).toEqual([]);
    expect(fixed.ok).toBe(true);
    expect(fixed.endpoints[0]!.echo).toBe('ok');

    // Rolled back: the tree and opCommon.json as they were, the old (broken) Apache answering again.
    const rolled = await runOperation('applyRollback', { run: applied.runId! }, { lang: 'en' });
    if (!rolled.ok) throw new Error(`${rolled.error.code}: ${rolled.error.message}`);
    expect(rolled.value.outcome).toBe('reverted');
    expect(rolled.value.restore?.manual).toEqual([]);
    expect(stateOf(root)).toEqual(before);
    expect(readFileSync(opCommon, 'utf8')).toBe(original);
    expect(codes(await check([url], main))).toEqual(expect.arrayContaining(['APACHE_PROXYPASS_SHADOWED']));
  });

  it('generic: a WebSocket path and the site behind one TLS virtual host, redirect from HTTP — applied by apply (modules linked, Apache stopped and started), rolled back to the old tree and the old Apache', async () => {
    const [http, https, ws, app] = await freePorts(4);
    const { root, main, env } = debianOnPorts(http!, https!);
    running.push(await startEchoServer(ws!), await startPageServer(app!));
    // The admin's Apache as it runs today: plain HTTP on its port.
    running.push(daemonStopper(root, main, env), await runApache(root, main, env, [http!]));
    const answeredBefore = await fetchHead(`http://127.0.0.1:${http}/`, 'localhost');
    const before = stateOf(root);
    const planned = await plan({ apacheConf: main, profile: 'generic', serverNames: ['localhost'], httpsPort: https!, httpPort: http!, redirectHttp: true, path: '/websocket/', upstream: `127.0.0.1:${ws}`, app: `127.0.0.1:${app}`, certPath, keyPath });
    const links = planned.plan.files.filter((f) => f.action === 'link');
    expect(links.map((f) => f.path.slice(root.length + 1))).toEqual(expect.arrayContaining(['mods-enabled/ssl.load', 'mods-enabled/proxy.load', 'mods-enabled/proxy_http.load', 'mods-enabled/headers.load']));

    const applied = await apply(planned.plan);
    expect(applied.failure).toBeUndefined();
    expect(applied.outcome).toBe('applied');
    expect(applied.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['preflight:done', 'backup-files:done', 'stop-services:done', 'backup-finedb:skipped', 'write-files:done', 'certificates:skipped', 'finedb-rows:skipped', 'start-services:done', 'checks:done']);
    expect(applied.checks.map((c) => c.ok)).toEqual([true]);
    // Links as a2enmod makes them, files as planned.
    for (const f of links) expect(readlinkSync(f.path)).toBe(f.linkTarget);
    for (const f of planned.plan.files.filter((x) => x.action !== 'link')) expect(readFileSync(f.path, 'utf8')).toBe(f.content);
    // Stopped and started, never reloaded: a new parent process.
    const shown = await runOperation('applyShow', { run: applied.runId! }, { lang: 'en' });
    if (!shown.ok) throw new Error(shown.error.code);
    expect(shown.value.steps.filter((s) => /^(stop|start):apache$/.test(s.name) && s.status === 'done').map((s) => s.name)).toEqual(['stop:apache', 'start:apache']);
    const result = await check([`wss://localhost:${https}/websocket/`], main);
    expect(codes(result)).toEqual([]);
    expect(result.endpoints[0]!.echo).toBe('ok');
    expect(await fetchText(`https://localhost:${https}/`)).toContain('report page');
    const redirect = await fetchHead(`http://127.0.0.1:${http}/x`, 'localhost');
    expect(redirect).toEqual({ status: 301, location: `https://localhost:${https}/x` });

    // Rollback: every file byte-identical with mode and owner, the links gone, the old Apache answering as before.
    const rolled = await runOperation('applyRollback', { run: applied.runId! }, { lang: 'en' });
    if (!rolled.ok) throw new Error(`${rolled.error.code}: ${rolled.error.message}`);
    expect(rolled.value.outcome).toBe('reverted');
    expect(rolled.value.restore?.manual).toEqual([]);
    expect(rolled.value.restore?.services).toEqual(['apache']);
    for (const f of links) expect(lstatSync(f.path, { throwIfNoEntry: false })).toBeUndefined();
    expect(stateOf(root)).toEqual(before);
    expect(await fetchHead(`http://127.0.0.1:${http}/`, 'localhost')).toEqual(answeredBefore);
    expect(await portAnswers('127.0.0.1', https!)).toBe(false);
  });

  it('a write failing between two module links (disk full): rolled back — the links it made removed, the files as they were, the old Apache answering', async () => {
    const [http, https, ws] = await freePorts(3);
    const { root, main, env } = debianOnPorts(http!, https!);
    running.push(await startEchoServer(ws!));
    running.push(daemonStopper(root, main, env), await runApache(root, main, env, [http!]));
    const answeredBefore = await fetchHead(`http://127.0.0.1:${http}/`, 'localhost');
    const before = stateOf(root);
    const planned = await plan({ apacheConf: main, profile: 'generic', serverNames: ['localhost'], httpsPort: https!, path: '/websocket/', upstream: `127.0.0.1:${ws}`, certPath, keyPath });
    const order = planned.plan.files.map((f) => f.action);
    const secondLink = order.indexOf('link', order.indexOf('link') + 1);
    expect(secondLink).toBeGreaterThan(0);
    // Writes: one backup copy per existing file, then the plan's files in order; the second link's write fails.
    const backups = planned.plan.files.filter((f) => f.beforeSha256 !== null).length;
    const log = { writes: [] as string[], runs: [] as string[] };
    const ports = { ...realPorts, fs: failingFs({ failAtWrite: backups + secondLink + 1 }, log) };
    const result = await runOperation('apply', { planText: JSON.stringify({ ...planned.plan, checks: planned.plan.checks.map((c) => ({ ...c, ca: caFile })) }), warmupMs: 5000 }, { lang: 'en', ports });
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    expect(result.value.outcome).toBe('rolled-back');
    expect(result.value.failure).toMatchObject({ step: 'write-files', code: 'FILE_WRITE_FAILED' });
    expect(result.value.restore?.manual).toEqual([]);
    // The first link was made before the fault (it is in the log), and is gone again.
    expect(log.writes).toContain(planned.plan.files[order.indexOf('link')]!.path);
    expect(stateOf(root)).toEqual(before);
    expect(await fetchHead(`http://127.0.0.1:${http}/`, 'localhost')).toEqual(answeredBefore);
  });

  it('a module enabled by hand between plan and apply (its link now there): refused before anything is touched', async () => {
    const [http, https, ws] = await freePorts(3);
    const { root, main } = debianOnPorts(http!, https!);
    const planned = await plan({ apacheConf: main, profile: 'generic', serverNames: ['localhost'], httpsPort: https!, path: '/websocket/', upstream: `127.0.0.1:${ws}`, certPath, keyPath });
    const link = planned.plan.files.find((f) => f.action === 'link')!;
    symlinkSync(link.linkTarget!, link.path); // what a2enmod does
    const before = stateOf(root);
    const result = await runOperation('apply', { planText: JSON.stringify(planned.plan) }, { lang: 'en' });
    expect(result.ok ? result.value.outcome : result.error.code).toBe('APPLY_CHANGED_SINCE_PLANNED');
    if (!result.ok) expect(result.error.message).toContain(link.path);
    expect(stateOf(root)).toEqual(before);
  });

  it('finereport: the page over HTTPS and the socket.io push service on the forwarding port, through Apache — applied by apply, rolled back', async () => {
    const [http, https, forward, push, app] = await freePorts(5);
    const { root, main, env } = debianOnPorts(http!, https!);
    running.push(await startSocketIo(push!), await startPageServer(app!));
    running.push(daemonStopper(root, main, env), await runApache(root, main, env, [http!]));
    const answeredBefore = await fetchHead(`http://127.0.0.1:${http}/`, 'localhost');
    const before = stateOf(root);
    const planned = await plan({ apacheConf: main, profile: 'finereport', serverNames: ['localhost'], httpsPort: https!, forwardPort: forward!, websocketPort: push!, app: `127.0.0.1:${app}`, certPath, keyPath });
    expect(planned.plan.validations[0]).toMatchObject({ tool: 'apachectl -t', ok: true });
    expect(planned.plan.services.map((s) => s.id)).toEqual(['apache']);
    const links = planned.plan.files.filter((f) => f.action === 'link');
    expect(links.length).toBeGreaterThan(0);

    const applied = await apply(planned.plan);
    expect(applied.failure).toBeUndefined();
    expect(applied.outcome).toBe('applied');
    // apply's own check: the push service over wss on the forwarding port.
    expect(applied.checks).toEqual([expect.objectContaining({ url: `wss://localhost:${forward}/socket.io/?EIO=4&transport=websocket`, ok: true })]);
    for (const f of links) expect(readlinkSync(f.path)).toBe(f.linkTarget);
    const result = await check([`wss://localhost:${forward}/socket.io/?EIO=3&transport=websocket`], main);
    expect(codes(result)).toEqual([]);
    expect(result.ok).toBe(true);
    // The page answers over HTTPS through the same Apache.
    const page = await fetchText(`https://localhost:${https}/`);
    expect(page).toContain('report page');

    const rolled = await runOperation('applyRollback', { run: applied.runId! }, { lang: 'en' });
    if (!rolled.ok) throw new Error(`${rolled.error.code}: ${rolled.error.message}`);
    expect(rolled.value.outcome).toBe('reverted');
    expect(rolled.value.restore?.manual).toEqual([]);
    expect(stateOf(root)).toEqual(before);
    expect(await fetchHead(`http://127.0.0.1:${http}/`, 'localhost')).toEqual(answeredBefore);
    expect(await portAnswers('127.0.0.1', https!)).toBe(false);
    expect(await portAnswers('127.0.0.1', forward!)).toBe(false);
  });
});


async function fetchText(url: string): Promise<string> {
  const { request } = await import('node:https');
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: readFileSync(caFile) }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('error', reject);
    req.end();
  });
}

async function fetchHead(url: string, host: string): Promise<{ status: number; location: string | undefined }> {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}
