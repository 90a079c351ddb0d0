#!/usr/bin/env node
// Builds everything the hosts run: main/ + shared/ (tsc → dist/, the Electron shell), the CLI bundle
// (esbuild → dist/cli), the renderer (vite → dist/renderer),
// and the Java JDBC bridge (javac → dist/resources/jdbc-bridge.jar) when a JDK is present.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(title, command, args, options = {}) {
  process.stdout.write(`build: ${title}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) {
    process.stderr.write(`build: "${title}" failed (exit ${result.status ?? result.signal}).\n`);
    process.exit(1);
  }
}

function javaFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? javaFiles(path) : path.endsWith('.java') ? [path] : [];
  });
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
step('main and shared (tsc)', bin('tsc'), ['-p', 'tsconfig.build.json']);
// The CLI is bundled (code-split per command, minified): one file per command loads far faster
// than hundreds of small ES modules, which keeps `wss-setup check` close to a bare client.
step('CLI bundle (esbuild)', bin('esbuild'), [
  'main/hosts/cli/main.ts',
  '--bundle',
  '--platform=node',
  '--format=esm',
  '--target=node20',
  '--splitting',
  '--minify',
  '--outdir=dist/cli',
  '--external:better-sqlite3',
  '--external:bufferutil',
  '--external:utf-8-validate',
  "--banner:js=import { createRequire as __wssCreateRequire } from 'node:module'; const require = __wssCreateRequire(import.meta.url);",
  '--log-level=warning',
]);
// The sandboxed preload may require only electron: bundle it (with the IPC channel table) into one CommonJS file.
step('preload bundle (esbuild)', bin('esbuild'), [
  'main/preload/preload.ts',
  '--bundle',
  '--platform=node',
  '--format=cjs',
  '--target=node20',
  '--external:electron',
  '--outfile=dist/main/preload/preload.cjs',
  '--log-level=warning',
]);
step('renderer (vite)', bin('vite'), ['build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);

const bridgeSrc = join(root, 'resources', 'jdbc-bridge', 'src');
if (existsSync(bridgeSrc)) {
  const javac = spawnSync('javac', ['-version'], { encoding: 'utf8' });
  if (javac.status !== 0) {
    process.stdout.write('build: javac not found; the JDBC bridge (FineDB) is not built. Install a JDK (Debian: default-jdk-headless) and run npm run build.\n');
  } else {
    const classes = join(root, 'dist', 'resources', 'jdbc-bridge', 'classes');
    mkdirSync(classes, { recursive: true });
    step('JDBC bridge (javac)', 'javac', ['--release', '8', '-nowarn', '-encoding', 'UTF-8', '-d', classes, ...javaFiles(bridgeSrc)]);
    step('JDBC bridge (jar)', 'jar', ['--create', '--file', join(root, 'dist', 'resources', 'jdbc-bridge.jar'), '-C', classes, '.']);
  }
}
process.stdout.write('build: done\n');
