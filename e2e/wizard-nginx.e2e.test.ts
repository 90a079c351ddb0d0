import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../test/harness/apply-sandbox.js';
import { NGINX_BIN } from '../test/harness/nginx.js';
import { tempDir } from '../test/harness/temp.js';
import { ROOT, launchChromium, requireBuilt, startServe, type ServeProcess } from './harness.js';

/**
 * Method two through the wizard in serve mode, on real nginx in front of the sandbox application
 * and its push service: detect → method → a new local CA, the server certificate chosen (issued at
 * apply) → review (diffs, the certificate to issue)
 * → apply with live progress → verify all green → report saved → rollback from history restores
 * every file (sha256). The plan names the sandbox's install: Review shows its FineDB rows, apply
 * stops the application (the process on its port), writes the rows and starts it again (it reads
 * them back), and the rollback puts FineDB back. Then an apply that fails (a port the plan needs is taken once nginx stops):
 * the UI shows the rollback and the old setup answers. Every step is photographed in English and
 * Chinese and checked with axe-core (0 serious or critical violations).
 */
const dir = tempDir('wss-setup-wizard-nginx-');
const artifacts = join(ROOT, 'artifacts', 'wizard');
const AXE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
let serve: ServeProcess;
let browser: Browser;
let sandbox: Sandbox;
let blocker: Server | undefined;
/** One browser tab for both tests: the wizard's state lives in the tab (sessionStorage). */
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  requireBuilt();
  mkdirSync(artifacts, { recursive: true });
  sandbox = await createSandbox(join(dir.path, 'sandbox'));
  serve = await startServe(['--allow-exec', NGINX_BIN], { WSS_SETUP_DATA_DIR: join(dir.path, 'data') });
  browser = await launchChromium();
  // bypassCSP only lets the test inject axe-core; the page itself runs under serve mode's CSP.
  context = await browser.newContext({ acceptDownloads: true, bypassCSP: true });
  page = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await serve?.stop();
  blocker?.close();
  await sandbox?.close();
  dir.cleanup();
});

/** axe-core on the page as it is: serious and critical violations (rule id and the nodes), none expected. */
async function axeProblems(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  // A string: the test's TypeScript has no DOM types; this runs in the page.
  const violations = (await page.evaluate(`axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => JSON.stringify(n.target)) })))`)) as { id: string; impact: string | null; targets: string[] }[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.targets.join(' ')}`);
}

/** The step in English and in Chinese (screenshots), and axe in both. */
async function record(page: Page, step: string): Promise<void> {
  expect(await axeProblems(page), `axe on ${step}`).toEqual([]);
  await page.screenshot({ path: join(artifacts, `nginx-${step}-en.png`), fullPage: true });
  await page.locator('select').selectOption('zh-CN');
  await page.locator('h1').waitFor();
  expect(await axeProblems(page), `axe on ${step} (zh-CN)`).toEqual([]);
  await page.screenshot({ path: join(artifacts, `nginx-${step}-zh-CN.png`), fullPage: true });
  await page.locator('select').selectOption('en');
}

const next = (page: Page) => page.getByTestId('next').click();

describe('wizard, method two on nginx (serve mode)', () => {
  it('detect → method → local CA certificate → review → apply → verify → report → rollback restores the files', async () => {
    {
      await page.goto(serve.url);
      await page.getByRole('heading', { name: '1. Detect' }).waitFor();
      // Next says why it is disabled until something is found or typed.
      await page.getByRole('button', { name: 'Look on this machine' }).click();
      await page.getByTestId('detected').waitFor({ timeout: 30_000 });
      // The sandbox's own install: the plan writes its FineDB rows (whatever detection found is replaced).
      await page.getByLabel('Folder of the install (absolute path, optional)').fill(sandbox.install.dir);
      await page.getByLabel('nginx.conf (absolute path)').fill(sandbox.conf);
      await page.getByLabel('nginx program (absolute path, optional)').fill(NGINX_BIN);
      await record(page, '1-detect');
      await next(page);

      await page.getByRole('heading', { name: '2. Method' }).waitFor();
      expect(await page.getByTestId('recommendation').textContent()).toContain('nginx is installed');
      await page.getByRole('radio', { name: /Method two/ }).check();
      await record(page, '2-method');
      await next(page);

      await page.getByRole('heading', { name: '3. Certificate' }).waitFor();
      // Names start empty (the machine's names are only offered); Next says why.
      expect(await page.getByLabel('Host names the browsers use (one per line)').inputValue()).toBe('');
      expect(await page.locator('#wss-next-why').textContent()).toBe('Type at least one host name the browsers use.');
      await page.getByRole('button', { name: 'Add localhost' }).click();
      expect(await page.getByLabel('Host names the browsers use (one per line)').inputValue()).toBe('localhost');
      // The certificate is a choice the plan carries (issued at Apply); only the local CA is made here, and Next says so until it exists.
      await expect.poll(() => page.locator('#wss-next-why').textContent()).toBe('Create the local CA first (the button above): it signs the certificate at Apply.');
      expect(await page.getByTestId('issue-choice').textContent()).toContain(join(dirname(sandbox.conf), 'wss-setup', 'certs'));
      await page.getByRole('button', { name: 'Create local CA' }).click();
      await page.getByText(/^Local CA: /).waitFor({ timeout: 30_000 });
      expect(await page.locator('#wss-next-why').count()).toBe(0);
      await record(page, '3-certificate');
      await next(page);

      await page.getByRole('heading', { name: '4. Settings' }).waitFor();
      // A wrong value is named by its label and highlighted; fixing it clears the message.
      await page.getByLabel('HTTPS port').fill('99999');
      await next(page);
      const httpsPort = page.getByLabel('HTTPS port');
      expect(await httpsPort.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('#settings-httpsPort-problem').textContent()).toBe('HTTPS port: A port is a whole number from 1 to 65535.');
      await httpsPort.fill(String(sandbox.ports.https));
      expect(await page.locator('#settings-httpsPort-problem').count()).toBe(0);
      await page.getByLabel('WebSocket TLS port (forwarded)').fill(String(sandbox.ports.forward));
      await page.getByLabel('WebSocket service port of the report server').fill(String(sandbox.ports.push));
      await page.getByLabel('Report server address (host:port)').fill(`127.0.0.1:${sandbox.ports.app}`);
      await page.getByLabel('Listen address (optional)').fill('127.0.0.1');
      await record(page, '4-settings');
      await next(page);

      await page.getByRole('heading', { name: '5. Review' }).waitFor();
      await page.getByTestId('plan').waitFor({ timeout: 60_000 });
      expect(await page.locator('.wss-diff .wss-diff-add').count()).toBeGreaterThan(0);
      expect(await page.locator('[data-testid="plan"]').textContent()).toContain(sandbox.conf);
      // The notes speak of the wizard's steps, not of CLI options.
      const notes = (await page.locator('.wss-notes').textContent()) ?? '';
      expect(notes).toContain('choose “Files I already have” at the Certificate step');
      expect(notes).not.toMatch(/--[a-z]/);
      // Review lists the certificate apply will issue: names, the CA that signs it, key, validity, files; nothing written yet.
      const issued = page.locator('[data-testid="plan-certificate"][data-kind="issue"]');
      const issuedText = (await issued.textContent()) ?? '';
      expect(issuedText).toContain('Issued at Apply by the local CA');
      expect(issuedText).toContain('localhost');
      expect(issuedText).toContain(join(dir.path, 'data', 'ca', 'ca.crt'));
      expect(issuedText).toContain('a new RSA key, 2048 bits');
      const issuedCert = (await issued.locator('code').nth(1).textContent()) ?? '';
      expect(issuedCert.startsWith(join(dirname(sandbox.conf), 'wss-setup', 'certs'))).toBe(true);
      expect(existsSync(issuedCert)).toBe(false);
      // FineDB rows old → new: the embedded database is held by the running application, so the old
      // values are read (and journaled) at Apply; the new ones tell the product its WebSocket ports.
      const rowsTable = page.getByTestId('finedb-rows');
      const rowTexts = async () => Promise.all((await rowsTable.locator('tbody tr').all()).map(async (tr) => (await tr.locator('th, td').allTextContents()).map((c) => c.trim()).join(' | ')));
      expect(await rowTexts()).toEqual([
        `WebSocketConfig.port | (read when applied) | ["${sandbox.ports.push}"]`,
        `WebSocketConfig.requestPorts | (read when applied) | ${sandbox.ports.forward}`,
      ]);
      // The product restarts around the rows: the process listening on the application's port, as detection reads it.
      expect(await page.locator('.wss-notes [data-code="FINE_RUNS_AS_PROCESS"]').textContent()).toContain(`runs as process ${sandbox.appPid()}`);
      const appPidBefore = sandbox.appPid();
      const rowsBefore = await sandbox.fineRows();
      expect(rowsBefore).toEqual([]);
      await record(page, '5-review');
      const before = sandbox.snapshot();
      await next(page);

      await page.getByRole('heading', { name: '6. Apply' }).waitFor();
      await page.getByRole('button', { name: 'Apply', exact: true }).click();
      // Live progress: a step shows as running before the outcome arrives.
      await page.locator('[data-testid="apply-steps"] [data-status="running"]').first().waitFor({ timeout: 30_000 });
      await page.locator('[data-testid="apply-outcome"]').waitFor({ timeout: 120_000 });
      expect(await page.locator('[data-testid="apply-outcome"]').getAttribute('data-outcome')).toBe('applied');
      expect(await page.locator('[data-testid="apply-steps"] [data-status="done"]').count()).toBeGreaterThan(5);
      expect(await page.locator('[data-testid="apply-steps"] [data-step="certificates"]').getAttribute('data-status')).toBe('done');
      expect(new X509Certificate(readFileSync(issuedCert)).checkHost('localhost')).toBe('localhost');
      // A line per service, file and certificate under the step it belongs to.
      const items = (step: string) => page.locator(`[data-testid="apply-steps"] [data-step="${step}"] .wss-apply-items`).textContent();
      expect(await items('stop-services')).toContain('Stopping nginx (nginx)');
      expect(await items('write-files')).toContain(`Writing ${sandbox.conf}`);
      expect(await items('certificates')).toContain(`Issuing the certificate for localhost (local CA) into ${issuedCert}`);
      expect(await items('start-services')).toMatch(/nginx is ready on 127\.0\.0\.1:\d+/);
      expect(await items('stop-services')).toContain('Stopping finereport (process)…finereport stopped');
      expect(await items('finedb-rows')).toContain(`Writing FineDB row WebSocketConfig.requestPorts = ${sandbox.ports.forward}`);
      expect(await items('start-services')).toContain(`finereport is ready on 127.0.0.1:${sandbox.ports.app}`);
      // The restarted application reads the rows written while it was stopped.
      expect(sandbox.appPid()).not.toBe(appPidBefore);
      expect(await sandbox.fineRows()).toEqual([
        { id: 'WebSocketConfig.port', value: `["${sandbox.ports.push}"]` },
        { id: 'WebSocketConfig.requestPorts', value: String(sandbox.ports.forward) },
      ]);
      await record(page, '6-apply');
      await next(page);

      await page.getByRole('heading', { name: '7. Verify' }).waitFor();
      await page.getByTestId('verify-results').waitFor({ timeout: 60_000 });
      expect(await page.locator('[data-testid="verify-results"] .wss-summary').textContent()).toBe('Every endpoint is healthy.');
      await record(page, '7-verify');
      // The client trust steps hand out the local CA through the browser (serve mode).
      const caDownload = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Download ca.crt' }).click();
      const caCopy = join(dir.path, 'ca-downloaded.crt');
      await (await caDownload).saveAs(caCopy);
      expect(readFileSync(caCopy).equals(readFileSync(join(dir.path, 'data', 'ca', 'ca.crt')))).toBe(true);

      // The state survives a reload (serve mode): still on Verify with the results.
      await page.reload();
      await page.getByRole('heading', { name: '7. Verify' }).waitFor();
      await page.getByTestId('verify-results').waitFor({ timeout: 60_000 });
      await next(page);

      await page.getByRole('heading', { name: '8. Done' }).waitFor();
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Save the report' }).click();
      const reportPath = join(artifacts, 'nginx-report.md');
      await (await download).saveAs(reportPath);
      const report = readFileSync(reportPath, 'utf8');
      expect(report).toContain('applied');
      expect(report).toContain(sandbox.conf.replace(/nginx\.conf$/, ''));
      await page.locator('[data-testid="history"] li[data-state="applied"]').first().waitFor({ timeout: 20_000 });
      await record(page, '8-done');
      await page.locator('[data-testid="history"] li[data-state="applied"]').first().getByRole('button', { name: 'Roll back' }).click();
      await page.getByTestId('rolled-back').waitFor({ timeout: 120_000 });
      expect(sandbox.snapshot()).toEqual(before);
      expect(await sandbox.answering()).toBe(true);
      // FineDB as it was: the rows apply added are gone again (read from the running application).
      expect(await sandbox.fineRows()).toEqual(rowsBefore);
    }
  });

  it('an apply that fails (a port the plan needs is taken) shows the rollback, and the old setup answers', async () => {
    {
      // The same tab after the rollback. nginx is to listen on every address this time; the forwarding
      // port is taken on 127.0.0.2 (loopback), which nginx's stop ignores (it watches 127.0.0.1) but
      // its start cannot bind over: start-services fails and apply rolls back.
      await page.getByRole('button', { name: '4 Settings' }).click();
      await page.getByLabel('Listen address (optional)').fill('');
      await next(page);
      await page.getByTestId('plan').waitFor({ timeout: 60_000 });
      await next(page);
      await page.getByRole('heading', { name: '6. Apply' }).waitFor();
      const before = sandbox.snapshot();
      blocker = createServer((s) => s.destroy());
      await new Promise<void>((resolve) => blocker!.listen(sandbox.ports.forward, '127.0.0.2', resolve));
      await page.getByRole('button', { name: 'Apply', exact: true }).click();
      const outcome = page.locator('[data-testid="apply-outcome"], .wss-op-error').first();
      await outcome.waitFor({ timeout: 120_000 });
      await page.screenshot({ path: join(artifacts, 'nginx-apply-failed-en.png'), fullPage: true });
      expect(await page.locator('[data-testid="apply-outcome"]').getAttribute('data-outcome')).toBe('rolled-back');
      expect(await page.locator('[data-testid="apply-steps"] [data-step="start-services"]').getAttribute('data-status')).toBe('failed');
      expect(await page.locator('[data-testid="apply-outcome"] .wss-op-error').textContent()).toContain('Address already in use');
      await page.getByTestId('restore').waitFor();
      // The rollback, live under the failed step: what was put back and the old nginx started again.
      const failed = (await page.locator('[data-testid="apply-steps"] [data-step="start-services"] .wss-apply-items').textContent()) ?? '';
      expect(failed).toContain('Something failed: putting the previous state back');
      expect(failed).toContain(`Put back ${sandbox.conf}`);
      expect(failed.lastIndexOf('Starting nginx (nginx)')).toBeGreaterThan(failed.indexOf('Something failed'));
      expect(failed).toContain(`FineDB of ${sandbox.install.dir} restored from its backup`);
      expect(sandbox.snapshot()).toEqual(before);
      expect(await sandbox.answering()).toBe(true);
      expect(await sandbox.fineRows()).toEqual([]);
    }
  });
});
