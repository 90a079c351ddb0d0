import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY } from '../main/engine/fine/index.js';
import { readFineDbRows } from '../main/engine/finedb/index.js';
import { realPorts } from '../main/engine/ports/index.js';
import { createFineReportTomcat, type FineReportTomcat } from '../test/harness/finereport-tomcat.js';
import { freePorts, waitForPort } from '../test/harness/ports.js';
import { CATALINA_HOME, tomcatAvailable } from '../test/harness/tomcat.js';
import { tempDir } from '../test/harness/temp.js';
import { axeProblems, openWizardBrowser, requireBuilt, ROOT, type ServeProcess, startServe } from './harness.js';
import { httpGet, httpsGet } from '../test/harness/http-get.js';

/**
 * Method one through the wizard in serve mode on the FineReport-shaped sandbox (test/harness/
 * finereport-tomcat.ts: Tomcat 10 run by its catalina scripts, HSQLDB FineDB, the socket.io push
 * stand-in that reads the WebSocketConfig rows and serves TLS from the keystore they name):
 * detect finds the running install → method one → a new local CA, the server keystore chosen
 * (issued by apply) →
 * review shows the server.xml diff and the four FineDB rows old → new (password masked) → apply
 * with live progress → verify green (the https page, and wss on the push service's socket.io URL)
 * → report saved → "Check my setup" green, then red with cause and fix once the service is
 * stopped → rollback from history restores server.xml / web.xml (sha256) and the FineDB rows.
 * Every step photographed in English and Chinese, axe-core on each.
 */
const dir = tempDir('wss-setup-wizard-finereport-');
const artifacts = join(ROOT, 'artifacts', 'wizard');
/** '&' on purpose: server.xml escapes it, the FineDB row keeps it as typed. */
const PASSWORD = 'fr-Wizard&pw1';
const WS_KEYS = [KEY.protocol, KEY.keyStore, KEY.keyStorePassword, KEY.keyStoreFormat];
let serve: ServeProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let fr: FineReportTomcat;
let ports: { http: number; https: number; websocket: number };
let before: { server: string; web: string; rows: Record<string, string> };
let appliedRun = '';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const caPath = () => join(dir.path, 'data', 'ca', 'ca.crt');
const socketUrl = () => `wss://localhost:${ports.websocket}/socket.io/?EIO=3&transport=websocket`;

async function rowsNow(): Promise<Record<string, string>> {
  return Object.fromEntries((await readFineDbRows(fr.install, { ports: realPorts })).map((r) => [r.id, r.value]));
}



beforeAll(async () => {
  requireBuilt();
  if (!tomcatAvailable()) throw new Error('Debian tomcat10 + tomcat10-examples are required (apt-get install tomcat10 tomcat10-examples)');
  mkdirSync(artifacts, { recursive: true });
  const [http, https, websocket] = (await freePorts(3)) as [number, number, number];
  ports = { http, https, websocket };
  fr = createFineReportTomcat(dir.path, { http, websocket });
  // Running, on plain HTTP and plain ws, the way an admin has it before wss-setup: detection finds it by its process.
  await fr.start();
  serve = await startServe([], { WSS_SETUP_DATA_DIR: join(dir.path, 'data'), JAVA_HOME: process.env.JAVA_HOME ?? '/usr/lib/jvm/default-java' });
  ({ browser, context, page } = await openWizardBrowser());
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await serve?.stop();
  await fr?.cleanup();
  dir.cleanup();
});


/** The page in English and in Chinese (screenshots under artifacts/wizard), axe in both. */
async function record(step: string): Promise<void> {
  expect(await axeProblems(page), `axe on ${step}`).toEqual([]);
  await page.screenshot({ path: join(artifacts, `finereport-${step}-en.png`), fullPage: true });
  await page.locator('select').first().selectOption('zh-CN');
  await page.locator('html[lang="zh-CN"]').waitFor();
  expect(await axeProblems(page), `axe on ${step} (zh-CN)`).toEqual([]);
  await page.screenshot({ path: join(artifacts, `finereport-${step}-zh-CN.png`), fullPage: true });
  await page.locator('select').first().selectOption('en');
  await page.locator('html[lang="en"]').waitFor();
}

const next = () => page.getByTestId('next').click();

describe('wizard, method one on the FineReport-shaped sandbox (serve mode)', () => {
  it('detect → method one → local CA certificate → review (server.xml diff, four FineDB rows, password masked) → apply → verify → report', async () => {
    before = { server: sha(fr.serverXml), web: sha(fr.webXml), rows: await rowsNow() };
    expect(before.rows[KEY.protocol]).toBeUndefined();

    await page.goto(serve.url);
    await page.getByRole('heading', { name: '1. Detect' }).waitFor();
    // A path typed before looking (a typo) is kept: detection only fills empty fields.
    await page.getByLabel('Folder of the install (absolute path, optional)').fill('/opt/FineReprot');
    await page.getByRole('button', { name: 'Look on this machine' }).click();
    // Detection finds the running install by its Tomcat process; the admin makes it the target
    // (another install on the machine may be listed too).
    const found = page.locator(`[data-testid="detected"] li[data-product="finereport"]`, { hasText: fr.install });
    await found.waitFor({ timeout: 60_000 });
    expect(await found.textContent()).toContain('10.0.20');
    expect(await page.getByLabel('Folder of the install (absolute path, optional)').inputValue()).toBe('/opt/FineReprot');
    await record('1-detect');
    await found.getByRole('button', { name: `Use this one (${fr.install})` }).click();
    await found.getByText('in use').waitFor();
    expect(await page.getByLabel('Folder of the install (absolute path, optional)').inputValue()).toBe(fr.install);
    expect(await page.getByLabel('Tomcat base folder, holding conf/server.xml (absolute path)').inputValue()).toBe(fr.install);
    expect(await page.getByLabel('Tomcat home folder, CATALINA_HOME (absolute path, optional)').inputValue()).toBe(CATALINA_HOME);
    await next();

    await page.getByRole('heading', { name: '2. Method' }).waitFor();
    await page.getByRole('radio', { name: /Method one/ }).check();
    await record('2-method');
    await next();

    await page.getByRole('heading', { name: '3. Certificate' }).waitFor();
    expect(await page.getByLabel('Host names the browsers use (one per line)').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Add localhost' }).click();
    await page.locator('#cert-password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Create local CA' }).click();
    await page.getByText(/^Local CA: /).waitFor({ timeout: 30_000 });
    // Nothing is written here: the keystore is issued at Apply, next to server.xml.
    expect(await page.getByTestId('issue-choice').textContent()).toContain(join(fr.install, 'conf', 'wss-setup'));
    expect(existsSync(join(fr.install, 'conf', 'wss-setup'))).toBe(false);
    await record('3-certificate');
    await next();

    await page.getByRole('heading', { name: '4. Settings' }).waitFor();
    await page.getByLabel('HTTPS port').fill(String(ports.https));
    await page.getByLabel('Listen address (optional)').fill('127.0.0.1');
    // Plain HTTP sent to HTTPS by Tomcat itself (a CONFIDENTIAL constraint in conf/web.xml).
    await page.getByRole('checkbox', { name: 'Redirect plain HTTP to HTTPS' }).check();
    await record('4-settings');
    await next();

    await page.getByRole('heading', { name: '5. Review' }).waitFor();
    await page.getByTestId('plan').waitFor({ timeout: 120_000 });
    // server.xml: the new TLS connector, highlighted as added lines; its password never shown.
    const diff = page.locator(`.wss-diff[data-path="${fr.serverXml}"]`);
    expect(await diff.locator('.wss-diff-add').count()).toBeGreaterThan(0);
    expect(await diff.locator('.wss-diff-add', { hasText: `<Connector port="${ports.https}" address="127.0.0.1"` }).count()).toBe(1);
    // The plain connector now sends its confidential requests to the new port.
    expect(await diff.locator('.wss-diff-add', { hasText: `redirectPort="${ports.https}"` }).count()).toBe(1);
    expect(await page.locator(`.wss-diff[data-path="${fr.webXml}"] .wss-diff-add`, { hasText: 'CONFIDENTIAL' }).count()).toBe(1);
    // The four FineDB rows old → new (seed 000), the keystore by its absolute path, the password masked.
    const rows = page.getByTestId('finedb-rows');
    const row = (id: string) => rows.locator('tbody tr', { has: page.locator('th code', { hasText: new RegExp(`^${id.replace('.', '\\.')}$`) }) });
    expect(await rows.locator('tbody tr').count()).toBe(4);
    const keystore = join(fr.install, 'conf', 'wss-setup', 'server.p12');
    const cells = async (id: string) => (await row(id).locator('td').allTextContents()).map((s) => s.trim());
    const absent = (await cells(KEY.protocol))[0]!;
    expect(absent).not.toBe('');
    expect(await cells(KEY.protocol)).toEqual([absent, 'SSL']);
    expect(await cells(KEY.keyStore)).toEqual([absent, keystore]);
    expect(await cells(KEY.keyStoreFormat)).toEqual([absent, 'PKCS12']);
    const masked = await cells(KEY.keyStorePassword);
    expect(masked[0]).toBe(absent);
    expect(masked[1]).toContain('keystorePassword');
    expect(await page.content()).not.toContain(PASSWORD);
    expect(await page.content()).not.toContain(PASSWORD.replace('&', '&amp;'));
    // The keystore apply will issue from the local CA, its password masked.
    const issued = (await page.locator('[data-testid="plan-certificate"][data-kind="issue"]').textContent()) ?? '';
    expect(issued).toContain(keystore);
    expect(issued).toContain('password ••••, given at Apply (keystorePassword)');
    expect(existsSync(keystore)).toBe(false);
    // The plan checks the push service's own port (from WebSocketConfig.port), not the default 38888.
    expect(await page.getByTestId('plan').textContent()).toContain(socketUrl());
    await record('5-review');
    await next();

    await page.getByRole('heading', { name: '6. Apply' }).waitFor();
    expect(await page.getByLabel('Value of keystorePassword (never stored)').inputValue()).toBe(PASSWORD);
    await page.getByRole('button', { name: 'Apply', exact: true }).click();
    // Live progress: a step is shown running while apply works.
    await page.locator('[data-testid="apply-steps"] [data-status="running"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="apply-outcome"]').waitFor({ timeout: 180_000 });
    expect(await page.locator('[data-testid="apply-outcome"]').getAttribute('data-outcome')).toBe('applied');
    for (const step of ['stop-services', 'backup-finedb', 'write-files', 'certificates', 'finedb-rows', 'start-services', 'checks']) {
      expect(await page.locator(`[data-testid="apply-steps"] [data-step="${step}"]`).getAttribute('data-status'), step).toBe('done');
    }
    // The product's page answered over HTTPS when Tomcat came back (apply's readiness), said in the step.
    const pageLine = page.locator('[data-testid="apply-steps"] [data-step="start-services"] [data-item="progress.apply.item.pageAnswers"]');
    expect(await pageLine.textContent()).toBe(`The page https://localhost:${ports.https}/webroot/decision answers (finereport)`);
    expect(existsSync(keystore)).toBe(true);
    const rowsApplied = await rowsNow();
    expect(WS_KEYS.map((k) => rowsApplied[k])).toEqual(['SSL', keystore, PASSWORD, 'PKCS12']);
    expect(readFileSync(fr.serverXml, 'utf8')).toContain(`port="${ports.https}"`);
    expect(await page.content()).not.toContain(PASSWORD);
    await record('6-apply');
    await next();

    await page.getByRole('heading', { name: '7. Verify' }).waitFor();
    await page.getByTestId('verify-results').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="verify-results"] .wss-summary').textContent()).toBe('Every endpoint is healthy.');
    expect(await page.getByTestId('verify-results').textContent()).toContain(socketUrl());
    // The checks apply ran are listed green too.
    expect(await page.locator('[data-testid="apply-checks"] li[data-ok="true"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="apply-checks"] li[data-ok="false"]').count()).toBe(0);
    // The https page, with host-name verification against the local CA (and refused without it).
    const ca = readFileSync(caPath());
    const pageAnswer = await httpsGet(`https://localhost:${ports.https}${fr.pagePath}`, ca);
    expect(pageAnswer.status).toBe(200);
    expect(pageAnswer.body).toContain(fr.pageMarker);
    await expect(httpsGet(`https://localhost:${ports.https}${fr.pagePath}`, Buffer.from(''))).rejects.toThrow();
    expect(await httpGet(`http://localhost:${ports.http}${fr.pagePath}`)).toEqual({ status: 302, location: `https://localhost:${ports.https}${fr.pagePath}` });
    await record('7-verify');
    await next();

    await page.getByRole('heading', { name: '8. Done' }).waitFor();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save the report' }).click();
    const reportPath = join(artifacts, 'finereport-report.md');
    await (await download).saveAs(reportPath);
    const report = readFileSync(reportPath, 'utf8');
    expect(report).toContain(fr.serverXml);
    expect(report).toContain('applied');
    expect(report).not.toContain(PASSWORD);
    // What changed in FineDB too (the password by its name only), and the checks of apply and of Verify.
    expect(report).toContain(`${KEY.protocol}: ${absent} → SSL`);
    expect(report).toContain(`${KEY.keyStore}: ${absent} → ${keystore}`);
    expect(report).toMatch(new RegExp(`${KEY.keyStorePassword.replace('.', '\\.')}: .* → .*keystorePassword`));
    expect(report).toContain('Checks run by apply:');
    expect(report).toContain('Checks run at Verify:');
    expect(report).toContain(`- OK ${socketUrl()}`);
    await page.locator('[data-testid="history"] li[data-state="applied"]').first().waitFor({ timeout: 20_000 });
    appliedRun = (await page.locator('[data-testid="history"] li[data-state="applied"]').first().getAttribute('data-run')) ?? '';
    expect(report).toContain(appliedRun);
    await record('8-done');
  });

  it('"Check my setup" runs the last applied run\'s checks: green; red with cause and fix once the service is stopped', async () => {
    await page.getByRole('button', { name: 'Check my setup' }).click();
    const results = page.getByTestId('mysetup-results');
    await results.waitFor({ timeout: 60_000 });
    expect(await results.locator('.wss-summary').textContent()).toBe('Every endpoint is healthy.');
    expect(await results.textContent()).toContain(socketUrl());
    // Which run's checks these are: the one applied through the wizard.
    expect(await page.getByTestId('mysetup-run').getAttribute('data-run')).toBe(appliedRun);
    await record('check-my-setup-green');

    await fr.stop();
    await page.getByRole('button', { name: 'Run the checks' }).click();
    await results.locator('.wss-summary', { hasNotText: 'Every endpoint is healthy.' }).waitFor({ timeout: 60_000 });
    const red = results.locator('[data-ok="false"]').first();
    await red.waitFor();
    const text = (await red.textContent()) ?? '';
    expect(text).toContain(socketUrl());
    expect(text).toMatch(/refused/i);
    expect(await red.locator('.wss-fix').count()).toBeGreaterThan(0);
    // The card's facts in the reader's language too (phase names, the echo verdict).
    await page.locator('select').first().selectOption('zh-CN');
    expect(await red.locator('.wss-facts').textContent()).toContain('总计');
    expect(await red.locator('[data-echo="skipped"]').textContent()).toBe('未尝试');
    // The finding's cause and fix too, though the check ran in English (rendered again from its code and parameters).
    const zhMessage = (await red.locator('.wss-message').first().textContent()) ?? '';
    expect(zhMessage).toContain(`localhost:${ports.websocket}`);
    expect(zhMessage).toContain('上没有服务接受连接:连接被拒绝。');
    await page.locator('select').first().selectOption('en');
    await record('check-my-setup-red');
    await fr.start();
  });

  it('after a reload (the keystore password forgotten), rollback from history asks for it, then restores server.xml and web.xml (sha256) and the FineDB rows', async () => {
    await page.getByRole('button', { name: 'Steps', exact: true }).click();
    await page.getByRole('heading', { name: '8. Done' }).waitFor();
    // Serve mode resumes on Done after a reload; secrets live in memory only, so they are gone.
    await page.reload();
    await page.getByRole('heading', { name: '8. Done' }).waitFor();
    // The Apply step's finer lines were kept with the run: back on that step after the reload, they are there.
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.getByRole('heading', { name: '7. Verify' }).waitFor();
    await page.getByRole('button', { name: 'Back', exact: true }).click();
    await page.getByRole('heading', { name: '6. Apply' }).waitFor();
    expect(await page.locator('[data-testid="apply-steps"] [data-step="start-services"] [data-item="progress.apply.item.pageAnswers"]').textContent()).toBe(`The page https://localhost:${ports.https}/webroot/decision answers (finereport)`);
    await page.getByTestId('next').click();
    await page.getByRole('heading', { name: '7. Verify' }).waitFor();
    await page.getByTestId('next').click();
    await page.getByRole('heading', { name: '8. Done' }).waitFor();
    const applied = page.locator('[data-testid="history"] li[data-state="applied"]').first();
    await applied.waitFor({ timeout: 20_000 });
    const runId = await applied.getAttribute('data-run');
    await applied.getByRole('button', { name: 'Roll back' }).click();
    const asked = page.getByTestId('rollback-secrets');
    await asked.waitFor({ timeout: 30_000 });
    expect(sha(fr.serverXml)).not.toBe(before.server);
    // Said once, in the page's words (no error box naming CLI options).
    expect(await page.locator('.wss-history .wss-op-error').count()).toBe(0);
    const again = asked.getByRole('button', { name: `Roll back run ${runId}` });
    expect(await again.isDisabled()).toBe(true);
    await asked.getByLabel('Value of keystorePassword (never stored)').fill(PASSWORD);
    await record('8-done-rollback-secret');
    await again.click();
    await page.getByTestId('rolled-back').waitFor({ timeout: 180_000 });
    expect(await page.getByTestId('rolled-back').textContent()).toContain('reverted');
    expect({ server: sha(fr.serverXml), web: sha(fr.webXml) }).toEqual({ server: before.server, web: before.web });
    // Plain HTTP serves the page again (no redirect), once Tomcat is back.
    await waitForPort(ports.http, 60_000);
    expect((await httpGet(`http://localhost:${ports.http}${fr.pagePath}`)).status).toBe(200);
    expect(await rowsNow()).toEqual(before.rows);
    expect(await page.content()).not.toContain(PASSWORD);
  });
});
