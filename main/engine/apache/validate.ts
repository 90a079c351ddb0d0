import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import type { Ports } from '../ports/index.js';
import { runAsFor } from '../common/run-as.js';
import { throwawayPemPair } from '../common/throwaway-pair.js';
import type { ApacheTree } from './load.js';
import { fileBytes } from './print.js';

const CANDIDATES = ['/usr/sbin/apache2', '/usr/sbin/httpd', '/usr/local/apache2/bin/httpd', '/usr/local/sbin/httpd'];

export function findApacheBinary(explicit: string | undefined): string | null {
  if (explicit !== undefined) return existsSync(explicit) ? explicit : null;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

/** `httpd -v` → "2.4.62"; null when it cannot be told. */
export async function apacheVersion(ports: Ports, bin: string): Promise<string | null> {
  const result = await ports.process.run({ command: bin, args: ['-v'], timeoutMs: 20_000, ...(await runAsFor({ program: bin })) });
  return /Apache\/(\d+\.\d+\.\d+)/.exec(result.stdout + result.stderr)?.[1] ?? null;
}

export interface TestResult {
  readonly ok: boolean;
  /** httpd's messages with temporary paths mapped back to the real ones. */
  readonly output: string;
}

const inside = (root: string, path: string) => path === root || path.startsWith(root + sep);

/**
 * Runs the real `httpd -t` against a temporary copy of a (possibly edited) tree, so the machine's
 * configuration is never touched: the ServerRoot is copied (links kept as links), every file of the
 * tree and every planned new file is written into the copy as the plan has it (a link in the copy is
 * removed first, never written through), the tree's own absolute root is pointed at the copy, run,
 * lock and log folders go to the temp folder (Debian's APACHE_* variables), and certificates the
 * plan has still to issue get a throwaway self-signed pair at their planned place in the copy.
 */
export async function apacheTestTree(
  ports: Ports,
  tree: ApacheTree,
  options: { bin: string; extraFiles?: ReadonlyMap<string, string>; pendingCerts?: readonly { cert: string; key: string }[] },
): Promise<TestResult> {
  // httpd -t loads modules (LoadModule) from the tree: never as root when another account can change
  // the binary or the tree. Refused rather than run as that account: the copy is made by root and
  // could then hold what only root may read (issue 9).
  await runAsFor({ program: options.bin, loads: [tree.serverRoot, ...tree.files.keys()], asOwner: false });
  const tmp = mkdtempSync(join(tmpdir(), 'wss-setup-apache-t-'));
  try {
    const root = tree.serverRoot;
    const copy = join(tmp, 'root');
    const mapPath = (path: string) => (inside(root, path) ? join(copy, relative(root, path)) : path);
    try {
      cpSync(root, copy, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith(`${sep}.git`) });
    } catch {
      mkdirSync(copy, { recursive: true });
    }
    const rewrite = (text: string) => text.split(root).join(copy);
    const write = (path: string, data: Buffer | string) => {
      const dest = mapPath(path);
      if (!inside(copy, dest)) return;
      realFolders(copy, dirname(dest));
      if (existsSync(dest) || isLink(dest)) rmSync(dest, { force: true });
      writeFileSync(dest, data, { flag: 'wx' });
    };
    for (const [path, file] of tree.files) {
      if (!inside(root, path)) continue;
      write(path, Buffer.from(rewrite(fileBytes(file).toString(file.encoding)), file.encoding));
    }
    for (const [path, text] of options.extraFiles ?? []) if (inside(root, path) && !tree.files.has(path)) write(path, rewrite(text));
    const pending = options.pendingCerts ?? [];
    if (pending.length > 0) {
      const pair = throwawayPemPair();
      for (const p of pending) {
        write(p.cert, pair.cert);
        write(p.key, pair.key);
      }
    }
    for (const sub of ['run', 'lock', 'log']) mkdirSync(join(tmp, sub), { recursive: true });
    const env: Record<string, string> = {
      ...tree.env,
      APACHE_RUN_DIR: join(tmp, 'run'),
      APACHE_PID_FILE: join(tmp, 'run', 'httpd.pid'),
      APACHE_LOCK_DIR: join(tmp, 'lock'),
      APACHE_LOG_DIR: join(tmp, 'log'),
      PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
      LANG: 'C',
    };
    const result = await ports.process.run({ command: options.bin, args: ['-t', '-d', copy, '-f', mapPath(tree.mainPath)], env, timeoutMs: 60_000 });
    const raw = `${result.stdout}${result.stderr}${result.spawnError ?? ''}`;
    const output = raw.split(copy).join(root).split(tmp).join('<temp>').trim();
    return { ok: result.code === 0, output };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Makes every folder from `top` down to `dir` a real folder of the copy, so a write never goes
 * through a link (a linked conf.d, or a link planted by another account, would otherwise lead the
 * write out of the temporary copy). A linked folder is replaced by a real one whose entries are
 * links to what the original held, so everything else stays readable for httpd -t.
 */
function realFolders(top: string, dir: string): void {
  const parts = relative(top, dir).split(sep).filter((p) => p !== '');
  let current = top;
  for (const part of parts) {
    current = join(current, part);
    let info;
    try {
      info = lstatSync(current);
    } catch {
      mkdirSync(current);
      continue;
    }
    if (info.isDirectory()) continue;
    if (info.isSymbolicLink()) {
      let target: string | null = null;
      try {
        target = realpathSync(current);
      } catch {
        target = null;
      }
      rmSync(current, { force: true });
      mkdirSync(current);
      if (target !== null && statSync(target).isDirectory()) for (const entry of readdirSync(target)) symlinkSync(join(target, entry), join(current, entry));
      continue;
    }
    rmSync(current, { force: true });
    mkdirSync(current);
  }
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

