import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING, realClock, realProcessPort, startService, stopService, type ServiceDeps, type ServiceTarget } from '../main/engine/services/index.js';
import { freePorts } from '../test/harness/ports.js';
import { makeBase } from '../test/harness/tomcat-base.js';
import { CATALINA_HOME, TOMCAT_EXAMPLES, tomcatAvailable } from '../test/harness/tomcat.js';
import { tempDir } from '../test/harness/temp.js';
import { axeProblems, openWizardBrowser, requireBuilt, ROOT, type ServeProcess, startServe } from './harness.js';
import { httpsGet } from '../test/harness/http-get.js';

/**
 * Method one through the wizard in serve mode on a real Tomcat 10 base run by its catalina scripts:
 * detect → method one → a new local CA, the PKCS#12 keystore chosen (issued at apply) → review
 * (server.xml diff, the keystore to issue)
 * → apply with live progress → verify → report saved → rollback from history puts server.xml and
 * web.xml back (sha256). Every step photographed in English and Chinese, axe on each.
 */
const dir = tempDir('wss-setup-wizard-tomcat-');
const artifacts = join(ROOT, 'artifacts', 'wizard');
const PASSWORD = 'wizard-Keystore-pw1';
const deps: ServiceDeps = { process: realProcessPort, clock: realClock };
const timing = { ...DEFAULT_TIMING, stopTimeoutMs: 30_000, startTimeoutMs: 60_000 };
let serve: ServeProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let tomcat: ServiceTarget;
let base: string;
let ports: [number, number];


const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  requireBuilt();
  if (!tomcatAvailable()) throw new Error('Debian tomcat10 + tomcat10-examples are required (apt-get install tomcat10 tomcat10-examples)');
  mkdirSync(artifacts, { recursive: true });
  ports = (await freePorts(2)) as [number, number];
  base = makeBase(
    join(dir.path, 'tomcat'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<Server port="-1" shutdown="SHUTDOWN">\n  <Service name="Catalina">\n    <Connector port="${ports[0]}" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000" />\n    <Engine name="Catalina" defaultHost="localhost">\n      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />\n    </Engine>\n  </Service>\n</Server>\n`,
  );
  symlinkSync(TOMCAT_EXAMPLES, join(base, 'webapps', 'examples'));
  tomcat = { ref: { kind: 'catalina', home: CATALINA_HOME, base }, ready: [{ host: '127.0.0.1', port: ports[0] }] };
  await startService(tomcat, deps, timing);
  serve = await startServe([], { WSS_SETUP_DATA_DIR: join(dir.path, 'data'), JAVA_HOME: process.env.JAVA_HOME ?? '/usr/lib/jvm/default-java' });
  ({ browser, context, page } = await openWizardBrowser());
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await serve?.stop();
  if (tomcat !== undefined) await stopService(tomcat, deps, timing).catch(() => undefined);
  dir.cleanup();
});


async function record(step: string): Promise<void> {
  expect(await axeProblems(page), `axe on ${step}`).toEqual([]);
  await page.screenshot({ path: join(artifacts, `tomcat-${step}-en.png`), fullPage: true });
  await page.locator('select').selectOption('zh-CN');
  expect(await axeProblems(page), `axe on ${step} (zh-CN)`).toEqual([]);
  await page.screenshot({ path: join(artifacts, `tomcat-${step}-zh-CN.png`), fullPage: true });
  await page.locator('select').selectOption('en');
}

const next = () => page.getByTestId('next').click();

describe('wizard, method one on Tomcat 10 (serve mode)', () => {
  it('detect → method one → local CA keystore → review → apply → verify → report → rollback restores server.xml', async () => {
    const serverXml = join(base, 'conf', 'server.xml');
    const webXml = join(base, 'conf', 'web.xml');
    await page.goto(serve.url);
    await page.getByRole('button', { name: 'Look on this machine' }).click();
    await page.getByTestId('detected').waitFor({ timeout: 30_000 });
    await page.getByLabel('Tomcat base folder, holding conf/server.xml (absolute path)').fill(base);
    await page.getByLabel('Tomcat home folder, CATALINA_HOME (absolute path, optional)').fill(CATALINA_HOME);
    await record('1-detect');
    await next();

    await page.getByRole('radio', { name: /Method one/ }).check();
    await record('2-method');
    await next();

    await page.getByRole('heading', { name: '3. Certificate' }).waitFor();
    await page.getByLabel('Host names the browsers use (one per line)').fill('localhost');
    await page.locator('#cert-password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create local CA' }).click();
    await page.getByText(/^Local CA: /).waitFor({ timeout: 30_000 });
    // Nothing is written here: the keystore is issued at Apply, next to server.xml.
    expect(await page.getByTestId('issue-choice').textContent()).toContain(join(base, 'conf', 'wss-setup'));
    expect(existsSync(join(base, 'conf', 'wss-setup'))).toBe(false);
    await record('3-certificate');
    await next();

    await page.getByRole('heading', { name: '4. Settings' }).waitFor();
    await page.getByLabel('HTTPS port').fill(String(ports[1]));
    await page.getByLabel('Listen address (optional)').fill('127.0.0.1');
    await record('4-settings');
    await next();

    await page.getByTestId('plan').waitFor({ timeout: 90_000 });
    expect(await page.locator(`.wss-diff[data-path="${serverXml}"] .wss-diff-add`).count()).toBeGreaterThan(0);
    expect(await page.content()).not.toContain(PASSWORD);
    // The keystore apply will issue: names, CA, the file and its format, the password masked.
    const issued = (await page.locator('[data-testid="plan-certificate"][data-kind="issue"]').textContent()) ?? '';
    const keystore = join(base, 'conf', 'wss-setup', 'server.p12');
    expect(issued).toContain(keystore);
    expect(issued).toContain('PKCS#12 keystore');
    expect(issued).toContain('password ••••, given at Apply (keystorePassword)');
    expect(existsSync(keystore)).toBe(false);
    await record('5-review');
    const before = { server: sha(serverXml), web: sha(webXml) };
    await next();

    await page.getByRole('heading', { name: '6. Apply' }).waitFor();
    // The keystore password typed at the certificate step is the plan's secret (kept in memory only).
    expect(await page.getByLabel('Value of keystorePassword (never stored)').inputValue()).toBe(PASSWORD);
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    await page.locator('[data-testid="apply-steps"] [data-status="running"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="apply-outcome"]').waitFor({ timeout: 150_000 });
    expect(await page.locator('[data-testid="apply-outcome"]').getAttribute('data-outcome')).toBe('applied');
    expect(readFileSync(serverXml, 'utf8')).toContain(`port="${ports[1]}"`);
    expect(existsSync(keystore)).toBe(true);
    // A line per file and certificate under its step; the password is in none of them.
    const items = (step: string) => page.locator(`[data-testid="apply-steps"] [data-step="${step}"] .wss-apply-items`).textContent();
    expect(await items('write-files')).toContain(`Writing ${serverXml}`);
    expect(await items('certificates')).toContain(`Issuing the certificate for localhost (local CA) into ${keystore}`);
    expect(await page.getByTestId('apply-steps').textContent()).not.toContain(PASSWORD);
    await record('6-apply');
    await next();

    await page.getByRole('heading', { name: '7. Verify' }).waitFor();
    // A bare Tomcat (no FineReport in it) gets no planned checks (the planner checks the product's
    // WebSocket); Verify says so, and the new connector is proven here: https with the local CA.
    expect(await page.locator('.wss-none').textContent()).toBe('This plan has no WebSocket checks to run.');
    expect((await httpsGet(`https://localhost:${ports[1]}/examples/`, readFileSync(join(dir.path, 'data', 'ca', 'ca.crt')))).status).toBe(200);
    await record('7-verify');
    await next();

    await page.getByRole('heading', { name: '8. Done' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save the report' }).click();
    const reportPath = join(artifacts, 'tomcat-report.md');
    await (await download).saveAs(reportPath);
    expect(readFileSync(reportPath, 'utf8')).toContain(serverXml);
    await page.locator('[data-testid="history"] li[data-state="applied"]').first().waitFor({ timeout: 20_000 });
    await record('8-done');
    await page.locator('[data-testid="history"] li[data-state="applied"]').first().getByRole('button', { name: 'Roll back' }).click();
    await page.getByTestId('rolled-back').waitFor({ timeout: 150_000 });
    expect({ server: sha(serverXml), web: sha(webXml) }).toEqual(before);
    expect(await page.content()).not.toContain(PASSWORD);
  });
});
