import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNginx, type NginxInstance } from '../test/harness/nginx.js';
import { freePorts } from '../test/harness/ports.js';
import { startSocketIo, type Running } from '../test/harness/servers.js';
import { tempDir } from '../test/harness/temp.js';
import { ROOT, launchChromium, requireBuilt, startServe, type ServeProcess } from './harness.js';

/**
 * The admin's path through the wizard in serve mode, end to end on real parts: create a local CA
 * and a server certificate in the Certificates panel, serve them with real nginx in front of a
 * socket.io push service, export the CA, and see the Check panel report the wss endpoint healthy.
 */
const dir = tempDir('wss-setup-wizard-');
const dataDir = join(dir.path, 'data');
const outDir = join(dir.path, 'certs');
let serve: ServeProcess;
let browser: Browser;
let nginx: NginxInstance | undefined;
let socketIo: Running;

beforeAll(async () => {
  requireBuilt();
  mkdirSync(outDir);
  serve = await startServe([], { WSS_SETUP_DATA_DIR: dataDir });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await nginx?.stop();
  await socketIo?.close();
  dir.cleanup();
});

describe('wizard in serve mode', () => {
  it('certificate from a new local CA → nginx → Check panel: healthy wss', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(serve.url);
      // The step-by-step wizard opens first; the Certificates panel is one of the tools beside it.
      await page.getByRole('button', { name: 'Certificates', exact: true }).click();
      const panel = page.locator('section.wss-certificates');
      await panel.getByRole('heading', { name: 'Certificates' }).waitFor();
      await panel.getByRole('button', { name: 'Create local CA' }).click();
      await panel.getByText(/Local CA: /).waitFor();
      // The names start empty; this machine's names are offered, one click adds one.
      expect(await panel.getByLabel('Host names and IP addresses (one per line)').inputValue()).toBe('');
      await panel.getByRole('button', { name: 'Add localhost' }).click();
      expect(await panel.getByLabel('Host names and IP addresses (one per line)').inputValue()).toBe('localhost');
      await panel.locator('textarea').fill('localhost\n127.0.0.1');
      await panel.getByLabel('Folder for the files (absolute path)').fill(outDir);
      await panel.getByLabel('Keystore password').fill('changeit-e2e');
      await panel.getByRole('button', { name: 'Create server certificate' }).click();
      await expect.poll(() => panel.textContent(), { timeout: 30_000 }).toContain(join(outDir, 'server.p12'));
      expect(statSync(join(outDir, 'server.key')).mode & 0o777).toBe(0o600);
      expect(statSync(join(outDir, 'server.p12')).mode & 0o777).toBe(0o600);
      // Secrets are not shown, and the form forgets the password once the keystore holds it.
      expect(await page.content()).not.toContain('changeit-e2e');
      expect(await panel.getByLabel('Keystore password').inputValue()).toBe('');
      const caFile = join(dir.path, 'local-ca.crt');
      await panel.getByLabel('Export CA for clients to').fill(caFile);
      await panel.getByRole('button', { name: 'Export', exact: true }).click();
      await expect.poll(() => readFileSync(caFile, 'utf8').includes('BEGIN CERTIFICATE'), { timeout: 10_000 }).toBe(true);
      await page.screenshot({ path: join(ROOT, 'artifacts', 'e2e-wizard-certificates.png'), fullPage: true });

      // The generated pair on real nginx: TLS on the forwarding port, proxying to the push service.
      const [tlsPort, pushPort] = await freePorts(2);
      socketIo = await startSocketIo(pushPort!);
      nginx = await startNginx({
        ports: [tlsPort!],
        httpBlock: `server { listen 127.0.0.1:${tlsPort} ssl; server_name localhost;
          ssl_certificate ${join(outDir, 'server.crt')}; ssl_certificate_key ${join(outDir, 'server.key')}; ssl_protocols TLSv1.2 TLSv1.3;
          location / { proxy_pass http://127.0.0.1:${pushPort}; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; proxy_read_timeout 3600s; } }`,
      });

      await page.getByRole('button', { name: 'Check a WebSocket' }).click();
      await page.locator('textarea[name="urls"]').fill(`wss://localhost:${tlsPort}/socket.io/?EIO=4&transport=websocket`);
      await page.locator('input[name="origin"]').fill(`https://localhost:${tlsPort}`);
      await page.locator('input[name="caFile"]').fill(caFile);
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.getByTestId('results').waitFor();
      expect(await page.locator('.wss-summary').textContent()).toBe('Every endpoint is healthy.');
      expect(await page.locator('article[data-ok="true"]').count()).toBe(1);
      await page.screenshot({ path: join(ROOT, 'artifacts', 'e2e-wizard-check.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('at the Certificate step, files the tools write when asked (an import, a certificate) are handed to the plan as existing files', async () => {
    const page = await browser.newPage();
    const toolsDir = join(dir.path, 'tools-certs');
    mkdirSync(toolsDir);
    try {
      await page.goto(serve.url);
      await page.getByRole('button', { name: '3 Certificate' }).click();
      await page.getByRole('heading', { name: '3. Certificate' }).waitFor();
      await page.locator('details.wss-tools > summary').click();
      const panel = page.locator('section.wss-certificates');
      await panel.getByText(/Local CA: /).waitFor();
      await panel.locator('textarea').fill('localhost');
      await panel.getByLabel('Folder for the files (absolute path)').fill(toolsDir);
      await panel.getByLabel('Keystore password').fill('changeit-e2e');
      await panel.getByRole('button', { name: 'Create server certificate' }).click();
      await panel.getByRole('button', { name: 'Use these files for the plan' }).click();
      expect(await page.getByRole('radio', { name: 'Files I already have' }).isChecked()).toBe(true);
      expect(await page.locator('#cert-certPath').inputValue()).toBe(join(toolsDir, 'server.crt'));
      expect(await page.locator('#cert-keyPath').inputValue()).toBe(join(toolsDir, 'server.key'));
      expect(await page.getByTestId('cert-used').textContent()).toContain(join(toolsDir, 'server.crt'));
      expect(await page.locator('#wss-next-why').count()).toBe(0);
      await page.screenshot({ path: join(ROOT, 'artifacts', 'e2e-wizard-certificate-tools.png'), fullPage: true });
      // The next choice clears the message (no stale note about files no longer used).
      await page.getByRole('radio', { name: 'New certificate from the local CA' }).check();
      expect(await page.getByTestId('cert-used').count()).toBe(0);
    } finally {
      await page.close();
    }
  });
});
