#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/ (built by `npm install` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('wss-setup: the program is not built yet. Run "npm install" (or "npm run build") in ' + fileURLToPath(new URL('..', import.meta.url)) + '\n');
  process.exit(2);
}
const { runProcess } = await import(entry.href);
await runProcess();
