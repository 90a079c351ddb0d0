#!/usr/bin/env node
// The one test command (README, .ci/run): installs the Debian packages the tests use when run as
// root and they are missing, builds, runs every test (unit, integration on real servers, e2e in
// Chromium), and ends with the line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEBIAN_TEST_DEPS } from './test-deps.mjs';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });

const missing = DEBIAN_TEST_DEPS.filter((d) => !existsSync(d.path));
if (missing.length > 0) {
  const pkgs = [...new Set(missing.map((d) => d.pkg))];
  if (process.getuid?.() === 0) {
    process.stdout.write(`test: installing Debian packages: ${pkgs.join(' ')}\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    run('apt-get', ['update', '-qq'], { env });
    const r = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { env });
    if (r.status !== 0) {
      process.stderr.write('test: apt-get install failed; see above.\n0 passed, 1 failed\n');
      process.exit(1);
    }
  } else {
    process.stderr.write(`test: these Debian packages are needed: ${pkgs.join(' ')}\n  sudo apt-get install -y ${pkgs.join(' ')}\n0 passed, 1 failed\n`);
    process.exit(1);
  }
}

if (run(process.execPath, [join(root, 'scripts', 'build.mjs')]).status !== 0) {
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

mkdirSync(join(root, 'artifacts'), { recursive: true });
const report = join(root, 'artifacts', 'vitest.json');
const vitest = run(join(root, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests ?? 0;
  // A file that fails to load has no failed assertion but must still count.
  const brokenFiles = (json.testResults ?? []).filter((r) => r.status === 'failed' && !(r.assertionResults ?? []).some((a) => a.status === 'failed')).length;
  failed = (json.numFailedTests ?? 0) + brokenFiles;
  skipped = (json.numPendingTests ?? 0) + (json.numTodoTests ?? 0);
} catch {
  failed = Math.max(failed, 1);
}
if (vitest.status !== 0 && failed === 0) failed = 1;
process.stdout.write(`\n${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
process.exit(vitest.status === 0 && failed === 0 ? 0 : 1);
