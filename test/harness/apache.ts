import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startProcess, type Managed } from './process.js';
import { waitForPort } from './ports.js';

/** The Apache configuration corpus (Debian's tree, a RHEL tree, a Windows httpd.conf, seed 001, features). */
export const APACHE_FIXTURES = new URL('../fixtures/apache/', import.meta.url).pathname;
export const APACHE_BIN = process.env.APACHE_BIN ?? '/usr/sbin/apache2';
export const apacheAvailable = (): boolean => existsSync(APACHE_BIN);

const MAIN: Readonly<Record<string, string>> = { debian: 'apache2.conf', rhel: 'conf/httpd.conf', windows: 'conf/httpd.conf', features: 'httpd.conf' };
const ABSOLUTE: Readonly<Record<string, RegExp>> = { debian: /\/etc\/apache2/g, rhel: /\/etc\/httpd/g, windows: /c:\/Apache24/g, features: /\/nonexistent-root/g };

export function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * A private copy of a fixture tree below `into` (symlinks kept as links); the tree's own absolute
 * root (/etc/apache2, /etc/httpd, c:/Apache24) is pointed at the copy in every file, so the copy is
 * the "real" tree a test may edit. Returns the copy's root and main file.
 */
export function copyApacheFixture(into: string, name: string): { root: string; main: string } {
  const root = join(into, `${name}-${Math.random().toString(36).slice(2)}`);
  cpSync(join(APACHE_FIXTURES, name), root, { recursive: true, verbatimSymlinks: true });
  const pattern = ABSOLUTE[name];
  if (pattern !== undefined) {
    for (const path of filesUnder(root)) {
      try {
        if (statSync(path).isFile() && !path.endsWith('/magic')) {
          const text = readFileSync(path, 'latin1');
          const next = text.replace(pattern, root);
          if (next !== text) writeFileSync(path, next, 'latin1');
        }
      } catch {
        // a dangling link
      }
    }
  }
  return { root, main: join(root, MAIN[name] ?? 'httpd.conf') };
}

/** Debian's envvars for a private instance: every run/lock/log path inside `dir`. */
export function apacheEnv(dir: string): Record<string, string> {
  for (const sub of ['run', 'lock', 'log']) mkdirSync(join(dir, sub), { recursive: true });
  const user = process.getuid?.() === 0 ? 'www-data' : (process.env.USER ?? 'nobody');
  return {
    APACHE_RUN_USER: user,
    APACHE_RUN_GROUP: user === 'www-data' ? 'www-data' : 'nogroup',
    APACHE_PID_FILE: join(dir, 'run', 'apache2.pid'),
    APACHE_RUN_DIR: join(dir, 'run'),
    APACHE_LOCK_DIR: join(dir, 'lock'),
    APACHE_LOG_DIR: join(dir, 'log'),
    LANG: 'C',
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  };
}

/** `apache2 -t` on a configuration; the output names file and line on failure. */
export function apacheTest(root: string, main: string, env: Record<string, string>, extra: readonly string[] = []): { ok: boolean; output: string } {
  const result = spawnSync(APACHE_BIN, ['-t', '-d', root, '-f', main, ...extra], { encoding: 'utf8', env });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

export interface ApacheInstance {
  readonly process: Managed;
  stop: () => Promise<void>;
}

/** Starts real apache2 in the foreground (-DFOREGROUND) on a configuration; waits for `ports`. */
export async function runApache(root: string, main: string, env: Record<string, string>, ports: readonly number[]): Promise<ApacheInstance> {
  const test = apacheTest(root, main, env);
  if (!test.ok) throw new Error(`apache2 -t failed:\n${test.output}`);
  const proc = startProcess(APACHE_BIN, ['-d', root, '-f', main, '-DFOREGROUND'], { env });
  try {
    for (const port of ports) await waitForPort(port, 15_000, proc.alive);
  } catch (error) {
    await proc.stop();
    const log = join(env.APACHE_LOG_DIR ?? root, 'error.log');
    throw new Error(`apache2 did not start: ${(error as Error).message}\n${proc.output()}\n${existsSync(log) ? readFileSync(log, 'utf8') : ''}`);
  }
  return { process: proc, stop: () => proc.stop() };
}

/**
 * Test-only stand-in for the apply engine (being built elsewhere): writes each planned file with
 * its encoding. It checks the plan's preconditions (beforeSha256) the way apply must.
 */
export function writePlanFiles(plan: { files: readonly { path: string; action: string; content: string; encoding: string; beforeSha256: string | null; linkTarget?: string }[] }): void {
  for (const file of plan.files) {
    if (file.action === 'link') {
      symlinkSync(file.linkTarget!, file.path);
      continue;
    }
    const encoding = file.encoding === 'latin1' ? 'latin1' : 'utf8';
    if (file.beforeSha256 !== null) {
      const current = createHash('sha256').update(readFileSync(file.path)).digest('hex');
      if (current !== file.beforeSha256) throw new Error(`${file.path} changed since the plan was made`);
    } else if (existsSync(file.path)) throw new Error(`${file.path} exists but the plan creates it`);
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, Buffer.from(file.content, encoding));
  }
}

/** Every file below a folder with its bytes (links as their target text), to prove nothing was written. */
export function snapshotTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const info = lstatSync(path);
      if (info.isSymbolicLink()) out.set(path, `-> ${readlinkSync(path)}`);
      else if (info.isDirectory()) walk(path);
      else out.set(path, readFileSync(path).toString('base64'));
    }
  };
  walk(root);
  return out;
}
