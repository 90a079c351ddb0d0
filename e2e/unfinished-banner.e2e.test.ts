import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAN_VERSION } from '../shared/contract/plan.js';
import { Journal } from '../main/engine/journal/index.js';
import { tempDir } from '../test/harness/temp.js';
import { ROOT, launchChromium, requireBuilt, startServe, type ServeProcess } from './harness.js';

/**
 * Crash recovery in the wizard: an apply cut off mid-way leaves an unfinished run in the journal;
 * the wizard says so in a banner on every screen and puts back the state before it on request,
 * as `wss-setup recover` does.
 */
const dir = tempDir('wss-setup-banner-');
const dataDir = join(dir.path, 'data');
const RUN = '20261122T030000Z-c0ffee';
let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  requireBuilt();
  const journal = Journal.open(dataDir);
  const plan = { planVersion: PLAN_VERSION, method: 'nginx-proxy', profile: 'generic', createdAt: '2026-11-22T03:00:00.000Z', target: { kind: 'nginx', paths: { mainConf: join(dir.path, 'nginx.conf') } }, files: [], certificates: [], fineDbRows: [], services: [], validations: [], checks: [], notes: [] };
  journal.beginRun({ id: RUN, kind: 'apply', method: 'nginx-proxy', profile: 'generic', planSha256: '0'.repeat(64), plan, startedAt: '2026-11-22T03:00:00.000Z' });
  journal.close();
  serve = await startServe([], { WSS_SETUP_DATA_DIR: dataDir });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  dir.cleanup();
});

describe('the wizard and an unfinished apply', () => {
  it('shows a banner naming the run, in English and Chinese, and recovers it', async () => {
    const page = await browser.newPage();
    await page.goto(serve.url);
    const banner = page.getByRole('alert');
    await expect.poll(async () => (await banner.count()) > 0 ? await banner.innerText() : '', { timeout: 15_000 }).toContain(RUN);
    await page.screenshot({ path: join(ROOT, 'artifacts', 'unfinished-banner-en.png') });
    await page.getByLabel('Language').selectOption('zh-CN');
    await expect.poll(async () => banner.innerText(), { timeout: 5_000 }).toContain('没有完成');
    await page.screenshot({ path: join(ROOT, 'artifacts', 'unfinished-banner-zh-CN.png') });
    await page.getByLabel('语言').selectOption('en').catch(async () => page.locator('select').first().selectOption('en'));
    await page.getByRole('button', { name: 'Put back the state before that run' }).click();
    await expect.poll(async () => page.getByRole('status').first().innerText(), { timeout: 30_000 }).toContain('The state before the unfinished run is back.');
    const journal = Journal.open(dataDir);
    try {
      expect(journal.unfinished()).toEqual([]);
    } finally {
      journal.close();
    }
    await page.close();
  }, 90_000);
});
