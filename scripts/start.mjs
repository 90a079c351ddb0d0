#!/usr/bin/env node
// `npm start`: the Electron window where a display and Electron's binary are available;
// otherwise serve mode (the same wizard in a browser, opened through ssh -L on a headless server).
// Extra arguments go to serve mode, e.g. `npm start -- --port 8080`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
if (!existsSync(join(root, 'dist', 'cli', 'main.js')) || !existsSync(join(root, 'dist', 'renderer', 'index.html'))) {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(1);
}

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? { path } : { reason: 'the electron package has no binary' };
  } catch {
    return { reason: "Electron's binary is not installed (its installer could not download it)" };
  }
}

const hasDisplay = process.platform === 'win32' || process.platform === 'darwin' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = electronBinary();
const args = process.argv.slice(2);
let child;
if (hasDisplay && 'path' in electron && !args.includes('--serve')) {
  child = spawn(electron.path, [root], { stdio: 'inherit' });
} else {
  const why = !hasDisplay ? 'no display (DISPLAY/WAYLAND_DISPLAY unset)' : 'path' in electron ? '--serve was given' : electron.reason;
  process.stdout.write(`wss-setup: starting serve mode: ${why}.\n`);
  child = spawn(process.execPath, [join(root, 'bin', 'wss-setup.js'), 'serve', ...args.filter((a) => a !== '--serve')], { stdio: 'inherit' });
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
