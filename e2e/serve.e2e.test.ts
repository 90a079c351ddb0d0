import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../test/harness/ports.js';
import { startEchoServer, type Running } from '../test/harness/servers.js';
import { ROOT, launchChromium, requireBuilt, startServe, type ServeProcess } from './harness.js';

/** `wss-setup serve` + headless Chromium: the admin's path on a headless server through ssh -L. */
let serve: ServeProcess;
let browser: Browser;
let echo: Running;
let closedPort: number;
const artifacts = join(ROOT, 'artifacts');

function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  requireBuilt();
  mkdirSync(artifacts, { recursive: true });
  const [echoPort, closed] = await freePorts(2);
  closedPort = closed!;
  echo = await startEchoServer(echoPort!);
  serve = await startServe();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await echo?.close();
});

describe('serve mode in Chromium', () => {
  it('refuses requests without the token (401) and with a foreign Host or Origin (403)', async () => {
    const noToken = await rawGet(serve.port, '/', { host: `127.0.0.1:${serve.port}` });
    expect(noToken.status).toBe(401);
    const wrongToken = await rawGet(serve.port, '/?token=nope', { host: `127.0.0.1:${serve.port}` });
    expect(wrongToken.status).toBe(401);
    const rebinding = await rawGet(serve.port, `/?token=${serve.token}`, { host: `attacker.example:${serve.port}` });
    expect(rebinding.status).toBe(403);
    const foreignOrigin = await rawGet(serve.port, `/?token=${serve.token}`, { host: `127.0.0.1:${serve.port}`, origin: 'http://evil.example' });
    expect(foreignOrigin.status).toBe(403);
    const apiNoCookie = await fetch(`http://127.0.0.1:${serve.port}/api/op/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"urls":["ws://127.0.0.1:1/"]}' });
    expect(apiNoCookie.status).toBe(401);
  });

  it('the token URL signs in; typing URLs shows each finding with its fix', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(serve.url);
      // The token is traded for a cookie and removed from the address bar.
      expect(page.url()).toBe(`http://127.0.0.1:${serve.port}/`);
      await page.getByRole('button', { name: 'Check a WebSocket' }).click();
      await page.getByRole('heading', { name: 'Check a WebSocket' }).waitFor();
      await page.locator('textarea[name="urls"]').fill(`ws://127.0.0.1:${echo.port}/\nwss://127.0.0.1:${closedPort}/`);
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.getByTestId('results').waitFor();
      const refused = page.locator('[data-code="CONNECTION_REFUSED"]');
      await expect.poll(() => refused.count()).toBe(1);
      expect(await refused.textContent()).toContain(`Start the service that should listen on port ${closedPort}`);
      expect(await page.locator('article[data-ok="true"] code.wss-url').textContent()).toBe(`ws://127.0.0.1:${echo.port}/`);
      expect(await page.locator('.wss-summary').textContent()).toContain('1 of 2 endpoint(s) need attention');
      await page.screenshot({ path: join(artifacts, 'e2e-serve-check.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('invalid URLs are explained before anything is sent, and the wizard speaks Chinese', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(serve.url);
      await page.getByRole('button', { name: 'Check a WebSocket' }).click();
      await page.locator('textarea[name="urls"]').fill('https://reports.example.com/\nws://host:70000/');
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      const problems = page.locator('.wss-problems');
      await problems.waitFor();
      const text = (await problems.textContent()) ?? '';
      expect(text).toContain('Line 1');
      expect(text).toContain('is an http(s) URL');
      expect(text).toContain('Line 2');
      expect(text).toContain('out of range');
      await page.locator('select').selectOption('zh-CN');
      await page.getByRole('heading', { name: '检查 WebSocket' }).waitFor();
      await page.locator('textarea[name="urls"]').fill(`wss://127.0.0.1:${closedPort}/`);
      await page.getByRole('button', { name: '检查', exact: true }).click();
      await page.locator('[data-code="CONNECTION_REFUSED"]').waitFor();
      expect(await page.locator('[data-code="CONNECTION_REFUSED"] .wss-message').textContent()).toContain('连接被拒绝');
      await page.screenshot({ path: join(artifacts, 'e2e-serve-zh.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
