#!/usr/bin/env node
// Builds everything the hosts run: main/ + shared/ (tsc → dist/), the renderer (vite → dist/renderer),
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
