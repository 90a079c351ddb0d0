#!/usr/bin/env node
// Builds everything the hosts run: main/ + shared/ (tsc → dist/, the Electron shell), the CLI bundle
// (esbuild → dist/cli), the renderer (vite → dist/renderer),
// and the Java JDBC bridge (javac → dist/resources/jdbc-bridge.jar) when a JDK is present.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

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
// The text catalogs are data: in the bundle they become JSON.parse of one string, which V8 reads
// about twice as fast as the same object literal (~4 ms of every CLI start, bench:check). Their
// values come from tsc's output of the very same sources, built just above.
process.stdout.write('build: CLI bundle (esbuild)\n');
const { build } = await import('esbuild');
const catalogs = {
  [join(root, 'shared', 'i18n', 'en', 'index.ts')]: ['en', join(root, 'dist', 'shared', 'i18n', 'en', 'index.js')],
  [join(root, 'shared', 'i18n', 'zh-CN', 'index.ts')]: ['zhCN', join(root, 'dist', 'shared', 'i18n', 'zh-CN', 'index.js')],
};
const catalogsAsJson = {
  name: 'catalogs-as-json',
  setup(b) {
    b.onLoad({ filter: /[\\/]shared[\\/]i18n[\\/](en|zh-CN)[\\/]index\.ts$/ }, async (args) => {
      const entry = catalogs[args.path];
      if (entry === undefined) return undefined;
      const [name, compiled] = entry;
      const catalog = (await import(pathToFileURL(compiled).href))[name];
      if (catalog === null || typeof catalog !== 'object') throw new Error(`catalog ${name} not found in ${compiled}`);
      return { contents: `export const ${name} = JSON.parse(${JSON.stringify(JSON.stringify(catalog))});\n`, loader: 'js' };
    });
  },
};
try {
  await build({
    entryPoints: [join(root, 'main', 'hosts', 'cli', 'main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    splitting: true,
    minify: true,
    outdir: join(root, 'dist', 'cli'),
    external: ['better-sqlite3', 'bufferutil', 'utf-8-validate'],
    banner: { js: "import { createRequire as __wssCreateRequire } from 'node:module'; const require = __wssCreateRequire(import.meta.url);" },
    plugins: [catalogsAsJson],
    logLevel: 'warning',
  });
} catch {
  process.stderr.write('build: "CLI bundle (esbuild)" failed.\n');
  process.exit(1);
}
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
