import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, requireBuilt } from './harness.js';

/** README's start command on a machine without a display: serve mode with the ssh -L hint. */
describe('npm start without a display', () => {
  it('falls back to serve mode, says why, and prints the token URL and the ssh -L line', async () => {
    requireBuilt();
    const env: NodeJS.ProcessEnv = { ...process.env, LANG: 'en_US.UTF-8' };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await expect.poll(() => out, { timeout: 20_000 }).toMatch(/ssh -L (\d+):127\.0\.0\.1:\1/);
      expect(out).toContain('starting serve mode: no display');
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(out)?.[0];
      expect(url).toBeDefined();
      const page = await fetch(url!, { redirect: 'manual' });
      expect(page.status).toBe(303);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
