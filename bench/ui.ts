/**
 * bench:ui — the wizard's weight and first screen.
 *
 * 1. Renderer JavaScript as shipped (dist/renderer/**.js), gzipped at level 9. Target ≤ 300 KB.
 * 2. First screen interactive in serve mode in Chromium: a real `wss-setup serve`, a signed-in
 *    browser context, then 10 cold page loads (new page, HTTP cache disabled) from navigation to
 *    the Detect step's "Look on this machine" button visible and enabled. Median printed.
 *    Target ≤ 500 ms. Reference in the same run: the same browser loading a one-button page from
 *    a data: URL (what the browser alone costs), and the ratio against it.
 *
 * Run `npm run build` first (the bench measures dist/).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { ROOT, launchChromium, requireBuilt, startServe } from '../e2e/harness.js';
import { tempDir } from '../test/harness/temp.js';
import { median, ms, verdict } from './stats.js';

const RUNS = 10;
const JS_TARGET_KB = 300;
const FIRST_SCREEN_TARGET_MS = 500;

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

async function timeLoad(browser: Browser, open: (page: Page) => Promise<void>, contextOptions: Parameters<Browser['newContext']>[0], signIn?: (page: Page) => Promise<void>): Promise<number[]> {
  const context = await browser.newContext(contextOptions);
  try {
    if (signIn !== undefined) {
      const page = await context.newPage();
      await signIn(page);
      await page.close();
    }
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const start = performance.now();
      await open(page);
      times.push(performance.now() - start);
      await page.close();
    }
    return times;
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  requireBuilt();
  const files = jsFiles(join(ROOT, 'dist', 'renderer'));
  const raw = files.reduce((sum, f) => sum + statSync(f).size, 0);
  const gz = files.reduce((sum, f) => sum + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  const kb = gz / 1024;
  console.log(`renderer JS: ${files.length} file(s), ${(raw / 1024).toFixed(1)} KB raw, ${kb.toFixed(1)} KB gzipped (target ≤ ${JS_TARGET_KB} KB): ${verdict(kb <= JS_TARGET_KB)}`);

  const dir = tempDir('wss-setup-bench-ui-');
  const serve = await startServe([], { WSS_SETUP_DATA_DIR: join(dir.path, 'data') });
  const browser = await launchChromium();
  try {
    const base = `http://127.0.0.1:${serve.port}/`;
    const wizard = await timeLoad(
      browser,
      async (page) => {
        await page.goto(base, { waitUntil: 'commit' });
        const button = page.getByRole('button', { name: 'Look on this machine' });
        await button.waitFor({ state: 'visible' });
        await page.waitForFunction(`[...document.querySelectorAll('button')].some((b) => b.textContent === 'Look on this machine' && !b.disabled)`);
      },
      { locale: 'en-US' },
      (page) => page.goto(serve.url).then(() => undefined),
    );
    const reference = await timeLoad(
      browser,
      async (page) => {
        await page.goto('data:text/html,<!doctype html><title>ref</title><button>Look on this machine</button>', { waitUntil: 'commit' });
        await page.getByRole('button', { name: 'Look on this machine' }).waitFor({ state: 'visible' });
      },
      {},
    );
    const m = median(wizard);
    const r = median(reference);
    console.log(`first screen interactive (serve mode, Chromium, cold cache, median of ${RUNS}): ${ms(m)} (target ≤ ${FIRST_SCREEN_TARGET_MS} ms): ${verdict(m <= FIRST_SCREEN_TARGET_MS)}`);
    console.log(`  reference, a one-button data: page in the same browser:           ${ms(r)}  ratio ${(m / r).toFixed(2)}`);
    console.log(`  all runs: ${wizard.map((v) => v.toFixed(0)).join(' ')} ms`);
  } finally {
    await browser.close();
    await serve.stop();
    dir.cleanup();
  }
}

await main();
