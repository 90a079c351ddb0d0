import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execPath } from 'node:process';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY } from '../../main/engine/fine/index.js';
import { readFineDbRows } from '../../main/engine/finedb/index.js';
import { realPorts } from '../../main/engine/ports/index.js';
import { localCaPaths } from '../../main/engine/certs/local-ca.js';
import { runOperation } from '../../main/engine/run-operation.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { main } from '../../main/hosts/cli/main.js';
import { DEFAULT_TIMING, portAnswers, realClock, realProcessPort, startService, stopService, type ServiceDeps, type ServiceTarget } from '../../main/engine/services/index.js';
import { createFineInstall } from '../harness/finereport.js';
import { freePorts, waitForPort } from '../harness/ports.js';
import { makeBase, makeKeystore } from '../harness/tomcat-base.js';
import { CATALINA_HOME, TOMCAT_EXAMPLES, tomcatAvailable } from '../harness/tomcat.js';
import { tempDir } from '../harness/temp.js';
import { httpGet, httpsGet } from '../harness/http-get.js';
import { wssEcho } from '../harness/ws-echo.js';

/**
 * Method one through the real transactional apply: plan tomcat-ssl on a temp Tomcat 10 base, then
 * `apply` fills server.xml's secret placeholders from the run's secrets (never journaled), stops and
 * starts Tomcat through its catalina scripts; the https page and the wss echo answer with host-name
 * verification against the local CA; `rollback` puts server.xml back sha256-identical with its mode
 * and owner, and Tomcat answers on plain HTTP again.
 */
const dir = tempDir('wss-setup-tomcat-apply-');
const PASSWORD = 'm1-apply-Keystore&pw';
const FR_PASSWORD = 'fr&1234';
const FIXTURES = new URL('../fixtures/tomcat/', import.meta.url).pathname;
const TSX_LOADER = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).pathname;
const previous = { data: process.env.WSS_SETUP_DATA_DIR, java: process.env.JAVA_HOME };
const deps: ServiceDeps = { process: realProcessPort, clock: realClock };
const timing = { ...DEFAULT_TIMING, stopTimeoutMs: 30_000, startTimeoutMs: 60_000 };
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(() => {
  if (!tomcatAvailable()) throw new Error('Debian tomcat10 + tomcat10-examples are required (apt-get install tomcat10 tomcat10-examples)');
  process.env.WSS_SETUP_DATA_DIR = join(dir.path, 'data');
  process.env.JAVA_HOME ??= '/usr/lib/jvm/default-java';
});
afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
  if (previous.data === undefined) delete process.env.WSS_SETUP_DATA_DIR;
  else process.env.WSS_SETUP_DATA_DIR = previous.data;
  if (previous.java === undefined) delete process.env.JAVA_HOME;
  dir.cleanup();
});

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { lang: 'en', stdout: (t) => void (out += t), stderr: (t) => void (err += t), interactive: false, env: { ...process.env, ...env } };
  const code = await main(args, io);
  return { code, out, err };
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const fileState = (path: string) => {
  const st = statSync(path);
  return { sha256: sha(readFileSync(path)), mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
};

/** Every file under `folder` (the journal, its WAL, lock and backups) holding `needle`. */
function filesHolding(folder: string, needle: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && readFileSync(p).includes(Buffer.from(needle))) out.push(p);
    }
  };
  walk(folder);
  return out;
}

describe('method one through the real apply on Tomcat 10', () => {
  it('apply fills the keystore password, restarts Tomcat with TLS (https + wss echo, host name verified); rollback restores server.xml sha256/mode/owner and HTTP answers again', async () => {
    const [httpPort, httpsPort] = (await freePorts(2)) as [number, number];
    const base = makeBase(
      join(dir.path, 'tomcat'),
      `<?xml version="1.0" encoding="UTF-8"?>\n<!-- practice base for method one through apply -->\n<Server port="-1" shutdown="SHUTDOWN">\n  <Service name="Catalina">\n    <Connector port="${httpPort}" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000" />\n    <Engine name="Catalina" defaultHost="localhost">\n      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />\n    </Engine>\n  </Service>\n</Server>\n`,
    );
    symlinkSync(TOMCAT_EXAMPLES, join(base, 'webapps', 'examples'));
    const serverXml = join(base, 'conf', 'server.xml');
    const webXml = join(base, 'conf', 'web.xml');
    chmodSync(serverXml, 0o640);

    // The certificate from the local CA, issued beforehand (apply takes it as an existing keystore).
    const ca = await runOperation('certCa', { ifExists: 'reuse' });
    if (!ca.ok) throw new Error(JSON.stringify(ca.error));
    const keystoreDir = join(base, 'conf', 'wss-setup');
    mkdirSync(keystoreDir, { recursive: true });
    const issued = await runOperation('certServer', { names: ['localhost'], outDir: keystoreDir, baseName: 'server', formats: ['pkcs12'], keystorePassword: PASSWORD, overwrite: true });
    if (!issued.ok) throw new Error(JSON.stringify(issued.error));
    const keystore = join(keystoreDir, 'server.p12');

    // Tomcat running on plain HTTP through its catalina scripts, as an admin would have it.
    const before: ServiceTarget = { ref: { kind: 'catalina', home: CATALINA_HOME, base }, ready: [{ host: '127.0.0.1', port: httpPort, url: `http://127.0.0.1:${httpPort}/examples/` }] };
    cleanups.push(() => stopService(before, deps, timing));
    await startService(before, deps, timing);
    expect((await httpGet(`http://localhost:${httpPort}/examples/`)).status).toBe(200);

    const planned = await runOperation('planTomcatSsl', { catalinaBase: base, catalinaHome: CATALINA_HOME, httpsPort, address: '127.0.0.1', serverNames: ['localhost'], keystore, keystorePassword: PASSWORD, redirectHttp: true, wsPath: '/examples/websocket/echoAnnotation' });
    if (!planned.ok) throw new Error(JSON.stringify(planned.error));
    // The keystore was issued beforehand by the local CA, which this machine's store does not trust:
    // the planner sees the issuer and has the check trust the local CA.
    const plan = planned.value.plan;
    expect(plan.checks.map((c) => c.ca)).toEqual([localCaPaths().cert]);
    expect(plan.files.map((f) => f.kind)).toEqual(['server-xml', 'web-xml']);
    expect(plan.services.map((s) => s.service)).toEqual([{ kind: 'catalina', home: CATALINA_HOME, base }]);
    // Up: the HTTPS connector and its page, and the HTTP connector; stopped: both closed.
    expect(plan.services[0]!.ready).toEqual([{ host: '127.0.0.1', port: httpsPort, url: `https://localhost:${httpsPort}/` }, { host: '127.0.0.1', port: httpPort }]);
    expect(plan.checks.map((c) => c.url)).toEqual([`wss://localhost:${httpsPort}/examples/websocket/echoAnnotation`]);
    const planText = JSON.stringify(plan);
    expect(planText).not.toContain(PASSWORD);
    const serverBefore = fileState(serverXml);
    const webBefore = fileState(webXml);

    // The keystore password as an admin gives it: from a file of its own (read by the host).
    const secretFile = join(dir.path, 'keystore.pw');
    writeFileSync(secretFile, PASSWORD, { mode: 0o600 });
    const missing = await runOperation('apply', { planText, warmupMs: 20_000 }, { lang: 'en' });
    expect(missing.ok ? missing.value.outcome : missing.error.code).toBe('APPLY_SECRET_MISSING');
    expect(fileState(serverXml)).toEqual(serverBefore);

    // The CLI asks for the server.xml's secret by name, and takes it from an environment variable.
    const planFile = join(dir.path, 'tomcat-plan.json');
    writeFileSync(planFile, planText);
    const dryMissing = await cli(['apply', planFile, '--dry-run', '--json']);
    expect(dryMissing.code).not.toBe(0);
    expect(dryMissing.out + dryMissing.err).toContain('APPLY_SECRET_MISSING');
    expect(dryMissing.out + dryMissing.err).toContain('keystorePassword');
    const dry = await cli(['apply', planFile, '--dry-run', '--json', '--secret-env', 'keystorePassword=M1_KEYSTORE_PW'], { M1_KEYSTORE_PW: PASSWORD });
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ outcome: 'dry-run' });
    expect(dry.out + dry.err).not.toContain(PASSWORD);
    expect(fileState(serverXml)).toEqual(serverBefore);

    // Tomcat's configtest runs again in apply's preflight with the secrets given: a wrong keystore
    // password is refused before anything is stopped or written (and is not echoed back).
    const wrong = await runOperation('apply', { planText, warmupMs: 20_000, secrets: { keystorePassword: 'not-the-keystore-pw' } }, { lang: 'en' });
    expect(wrong.ok ? wrong.value.outcome : wrong.error.code).toBe('APPLY_VALIDATION_FAILED');
    expect(JSON.stringify(wrong)).not.toContain('not-the-keystore-pw');
    expect(fileState(serverXml)).toEqual(serverBefore);

    const applied = await runOperation('apply', { planText, warmupMs: 20_000, secrets: { keystorePassword: readFileSync(secretFile, 'utf8') } }, { lang: 'en' });
    if (!applied.ok) throw new Error(JSON.stringify(applied.error));
    expect(applied.value.failure).toBeUndefined();
    expect(applied.value.outcome).toBe('applied');
    expect(applied.value.steps.map((s) => `${s.name}:${s.status}`)).toEqual(['preflight:done', 'backup-files:done', 'stop-services:done', 'backup-finedb:skipped', 'write-files:done', 'certificates:skipped', 'finedb-rows:skipped', 'start-services:done', 'checks:done']);
    // apply's own check opened the JSR-356 echo over wss on the HTTPS port (--ws-path).
    expect(applied.value.checks.map((c) => [c.url, c.ok])).toEqual([[`wss://localhost:${httpsPort}/examples/websocket/echoAnnotation`, true]]);
    const written = readFileSync(serverXml, 'utf8');
    expect(written).toContain(`certificateKeystorePassword="${PASSWORD.replace('&', '&amp;')}"`);
    expect(written).not.toContain("@@wss-setup-secret:");
    expect(fileState(serverXml)).toMatchObject({ mode: serverBefore.mode, uid: serverBefore.uid, gid: serverBefore.gid });

    const caPem = readFileSync(localCaPaths().cert);
    expect((await httpsGet(`https://localhost:${httpsPort}/examples/`, caPem)).status).toBe(200);
    await expect(httpsGet(`https://localhost:${httpsPort}/examples/`, Buffer.from(''))).rejects.toThrow();
    expect((await httpGet(`http://localhost:${httpPort}/examples/`)).status).toBe(302);
    expect(await wssEcho(`wss://localhost:${httpsPort}/examples/websocket/echoAnnotation`, caPem, 'hello through apply')).toBe('hello through apply');
    // Host-name verification is on: the same CA does not vouch for 127.0.0.1.
    await expect(wssEcho(`wss://127.0.0.1:${httpsPort}/examples/websocket/echoAnnotation`, caPem, 'x')).rejects.toThrow();

    // No secret in the journal, history, show, the output or the backups.
    const history = await runOperation('applyHistory', {}, { lang: 'en' });
    const shown = await runOperation('applyShow', { run: applied.value.runId! }, { lang: 'en' });
    if (!history.ok || !shown.ok) throw new Error('history/show failed');
    expect(history.value.runs[0]).toMatchObject({ id: applied.value.runId, state: 'applied', method: 'tomcat-ssl' });
    for (const text of [JSON.stringify(applied.value), JSON.stringify(history.value), JSON.stringify(shown.value)]) expect(text).not.toContain(PASSWORD);
    expect(filesHolding(join(dir.path, 'data'), PASSWORD)).toEqual([]);

    const rolled = await runOperation('applyRollback', { run: applied.value.runId!, secrets: { keystorePassword: PASSWORD } }, { lang: 'en' });
    if (!rolled.ok) throw new Error(JSON.stringify(rolled.error));
    expect(rolled.value.outcome).toBe('reverted');
    expect(rolled.value.restore?.manual).toEqual([]);
    expect(fileState(serverXml)).toEqual(serverBefore);
    expect(fileState(webXml)).toEqual(webBefore);
    // The restart after the rollback is confirmed on the ports that answered before (HTTP).
    await waitForPort(httpPort, 60_000);
    expect((await httpGet(`http://localhost:${httpPort}/examples/`)).status).toBe(200);
    expect(await portAnswers('127.0.0.1', httpsPort)).toBe(false);
    expect(filesHolding(join(dir.path, 'data'), PASSWORD)).toEqual([]);
  });
});

describe('method one through the real apply on the FineReport-shaped sandbox (seed 000)', () => {
  it('the four rows written with the absolute keystore path while the WebSocket service is stopped; it restarts with TLS from them: wss ok, ws:// fails; rollback puts the rows and plain ws back', async () => {
    const install = join(dir.path, 'finereport');
    createFineInstall(install, { version: '10.0.20' });
    makeBase(install, readFileSync(join(FIXTURES, 'server-finereport-legacy.xml')));
    const keystore = join(install, 'conf', 'fr.keystore');
    makeKeystore(keystore, FR_PASSWORD, 'JKS');
    const caPem = join(dir.path, 'fr-self-signed.pem');
    const exported = spawnSync('keytool', ['-exportcert', '-rfc', '-alias', 'tomcat', '-keystore', keystore, '-storepass:env', 'PW'], { env: { ...process.env, PW: FR_PASSWORD }, encoding: 'utf8' });
    writeFileSync(caPem, exported.stdout);
    const [wsPort] = (await freePorts(1)) as [number];

    // The sandbox's WebSocket service as a process of its own (it reads the rows at start, as the product does).
    const script = join(dir.path, 'sandbox-ws.mts');
    writeFileSync(script, `import { startSandboxWebSocket } from ${JSON.stringify(new URL('../harness/finereport.ts', import.meta.url).href)};\nprocess.on('SIGTERM', () => process.exit(0));\nawait startSandboxWebSocket(process.argv[2]!, Number(process.argv[3]));\n`);
    const argv = [execPath, '--import', pathToFileURL(TSX_LOADER).href, script, install, String(wsPort)];
    const plainTarget: ServiceTarget = { ref: { kind: 'process', pid: 1, argv }, ready: [{ host: '127.0.0.1', port: wsPort }] };
    const ref = await startService(plainTarget, deps, timing);
    cleanups.push(async () => {
      const pids = spawnSync('/bin/ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(script)).map((l) => Number.parseInt(l.trim(), 10));
      for (const pid of pids) process.kill(pid, 'SIGKILL');
    });
    const socketUrl = `wss://localhost:${wsPort}/socket.io/?EIO=3&transport=websocket`;
    const plainBefore = await runOperation('check', { urls: [socketUrl.replace('wss://', 'ws://')], timeoutMs: 5000 });
    expect(plainBefore.ok && plainBefore.value.ok).toBe(true);

    const planned = await runOperation('planTomcatSsl', { install, catalinaHome: CATALINA_HOME, keystorePassword: FR_PASSWORD });
    if (!planned.ok) throw new Error(JSON.stringify(planned.error));
    const fromPlanner = planned.value.plan;
    expect(fromPlanner.fineDbRows.map((r) => r.id).sort()).toEqual([KEY.keyStore, KEY.keyStoreFormat, KEY.keyStorePassword, KEY.protocol].sort());
    // The planner names the product's Tomcat and its push port 38888; the sandbox runs its push
    // service as a plain process on a free port, so the service entry is that process (as
    // detection would name it) and the check points at its port.
    const plan = {
      ...fromPlanner,
      services: [{ id: 'finereport', service: ref, action: 'stop-start' as const, ready: [{ host: '127.0.0.1', port: wsPort }], mustBeFree: [{ host: '127.0.0.1', port: wsPort }], reason: { code: 'tomcat.reason.restart', params: {} } }],
      checks: fromPlanner.checks.map((c) => ({ ...c, url: c.url.replace(':38888/', `:${wsPort}/`), ca: caPem })),
    };
    expect(plan.checks.map((c) => c.url)).toEqual([socketUrl]);
    const planText = JSON.stringify(plan);
    expect(planText).not.toContain(FR_PASSWORD);

    const frServerXml = join(install, 'conf', 'server.xml');
    const frBefore = fileState(frServerXml);
    const applied = await runOperation('apply', { planText, warmupMs: 20_000, secrets: { keystorePassword: FR_PASSWORD } }, { lang: 'en' });
    if (!applied.ok) throw new Error(JSON.stringify(applied.error));
    expect(applied.value.failure).toBeUndefined();
    expect(applied.value.outcome).toBe('applied');
    expect(applied.value.steps.filter((s) => ['stop-services', 'backup-finedb', 'finedb-rows', 'start-services', 'checks'].includes(s.name)).map((s) => `${s.name}:${s.status}`)).toEqual(['stop-services:done', 'backup-finedb:done', 'finedb-rows:done', 'start-services:done', 'checks:done']);
    // server.xml: the legacy connector's keystore moved to its Certificate (Tomcat 10), the password filled in, no placeholder left.
    expect(plan.files.map((f) => f.kind)).toContain('server-xml');
    const serverXmlNow = readFileSync(join(install, 'conf', 'server.xml'), 'utf8');
    expect(serverXmlNow).not.toContain('@@wss-setup-secret:');
    expect(serverXmlNow).toContain('certificateKeystorePassword="fr&amp;1234"');
    const rows = new Map((await readFineDbRows(install, { ports: realPorts })).map((r) => [r.id, r.value]));
    expect(rows.get(KEY.protocol)).toBe('SSL');
    expect(rows.get(KEY.keyStore)).toBe(keystore);
    expect(rows.get(KEY.keyStorePassword)).toBe(FR_PASSWORD);
    expect(rows.get(KEY.keyStoreFormat)).toBe('JKS');

    const wss = await runOperation('check', { urls: [socketUrl], caFile: caPem, timeoutMs: 5000 });
    expect(wss.ok && wss.value.ok).toBe(true);
    const ws = await runOperation('check', { urls: [socketUrl.replace('wss://', 'ws://')], timeoutMs: 5000 });
    expect(ws.ok && ws.value.ok).toBe(false);
    if (ws.ok) expect(ws.value.endpoints[0]!.findings.map((f) => f.code)).toContain('TLS_EXPECTED');

    const shown = await runOperation('applyShow', { run: applied.value.runId! }, { lang: 'en' });
    if (!shown.ok) throw new Error('show failed');
    for (const text of [JSON.stringify(applied.value), JSON.stringify(shown.value)]) expect(text).not.toContain(FR_PASSWORD);
    const journalFiles = readdirSync(join(dir.path, 'data')).filter((n) => n.startsWith('journal')).map((n) => join(dir.path, 'data', n));
    expect(journalFiles.length).toBeGreaterThan(0);
    for (const f of journalFiles) expect(readFileSync(f).includes(Buffer.from(FR_PASSWORD))).toBe(false);

    const rolled = await runOperation('applyRollback', { run: applied.value.runId!, secrets: { keystorePassword: FR_PASSWORD } }, { lang: 'en' });
    if (!rolled.ok) throw new Error(JSON.stringify(rolled.error));
    expect(rolled.value.outcome).toBe('reverted');
    expect(rolled.value.restore?.manual).toEqual([]);
    expect(fileState(frServerXml)).toEqual(frBefore);
    const rowsAfter = new Map((await readFineDbRows(install, { ports: realPorts })).map((r) => [r.id, r.value]));
    expect(rowsAfter.get(KEY.protocol)).toBeUndefined();
    const plainAgain = await runOperation('check', { urls: [socketUrl.replace('wss://', 'ws://')], timeoutMs: 5000 });
    expect(plainAgain.ok && plainAgain.value.ok).toBe(true);
  });
});
