import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve, sep } from 'node:path';
import type { ProcessPort } from '../ports/index.js';
import { handOver, runAsFor } from '../common/run-as.js';
import { throwawayPemPair } from '../common/throwaway-pair.js';
import type { ConfFile, Directive, Node } from './ast.js';
import type { NginxTree } from './load.js';
import { cloneFile } from './edit.js';
import { fileBytes } from './print.js';
import { findHttp } from './query.js';

/** Directives whose file argument nginx writes (or locks) at start-up: sent to the temp dir in the copy. */
const WRITTEN_PATHS = new Set(['pid', 'lock_file', 'error_log', 'access_log']);
const TEMP_PATHS = ['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'];
const NOT_WRITTEN = /^(off|stderr|syslog:|memory:|\/dev\/null$)/;

export function findNginxBinary(explicit: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  if (explicit !== undefined) return existsSync(explicit) ? explicit : null;
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) if (existsSync(candidate)) return candidate;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'nginx'))) return join(dir, 'nginx');
  }
  return null;
}

interface TestResult {
  readonly ok: boolean;
  /** nginx's messages with temporary paths mapped back to the real ones. */
  readonly output: string;
  /** Set when nginx did not run to the end (it could not start, or was killed after the timeout): nothing was judged. */
  readonly notRun?: string;
}

const quoteIfNeeded = (value: string) => (/[\s;{}"'#\\]/.test(value) ? `"${value.replace(/["\\]/g, '\\$&')}"` : value);

/**
 * Runs the real `nginx -t` against a temporary stand-in for a (possibly edited) tree, so the
 * machine's configuration and state are never touched:
 *
 * - <tmp>/conf stands for the configuration directory. Only the files that must differ are
 *   written there (`edited` files, and files whose paths are rewritten below); everything else is
 *   a symbolic link to the original — a whole folder at once where nothing inside it differs —
 *   so a tree of a thousand sites costs a handful of writes, not a copy;
 * - in the written files only, absolute paths into the configuration directory point at
 *   <tmp>/conf, pid / lock_file / error_log / access_log files go to <tmp>/run, *_temp_path dirs
 *   to <tmp>/tmp (added to the http block when missing), and certificates the plan has still to
 *   issue are replaced by a throwaway self-signed pair;
 * - nginx runs (through the process port) as `nginx -t -q -p <tmp>/ -e <tmp>/run/error.log -c <tmp>/conf/<main>`.
 *
 * No rewrite adds a line, so line numbers in nginx's messages are the real ones. The temporary
 * folder is private (0700) and removed afterwards.
 */
export async function nginxTestTree(tree: NginxTree, options: { nginxBin: string; process: ProcessPort; pendingCerts?: ReadonlySet<string>; edited?: ReadonlySet<string> }): Promise<TestResult> {
  const tmp = await mkdtemp(join(tmpdir(), 'wss-setup-nginx-t-'));
  try {
    const conf = join(tmp, 'conf');
    const run = join(tmp, 'run');
    await mkdir(run, { recursive: true });
    for (const dir of TEMP_PATHS) await mkdir(join(tmp, 'tmp', dir), { recursive: true });
    const pending = options.pendingCerts ?? new Set<string>();
    // Judged on the normalized path: /etc/nginx/../ssl/x.pem is outside the configuration folder.
    const inConf = (path: string) => {
      const normal = resolve(path);
      return normal === tree.confDir || normal.startsWith(tree.confDir + sep);
    };
    const mapPath = (value: string): string => (inConf(value) ? join(conf, relative(tree.confDir, resolve(value))) : value);
    let throwaway: { cert: string; key: string } | null = null;
    let counter = 0;

    const rewriteArg = (d: Directive, k: number, value: string): string => {
      if ((d.name === 'ssl_certificate' || d.name === 'ssl_certificate_key') && k === 0 && pending.has(value)) {
        throwaway ??= writeThrowaway(run);
        return d.name === 'ssl_certificate' ? throwaway.cert : throwaway.key;
      }
      if (WRITTEN_PATHS.has(d.name) && k === 0 && !NOT_WRITTEN.test(value)) return join(run, `${d.name}-${counter++}`);
      return value.startsWith('/') ? mapPath(value) : value;
    };
    /** Would the copy of this file differ from the original (a path to send elsewhere)? */
    const needsRewrite = (nodes: readonly Node[]): boolean =>
      nodes.some(
        (n) =>
          n.kind === 'directive' &&
          (TEMP_PATHS.includes(n.name) ||
            n.args.some((a, k) => (k === 0 && (WRITTEN_PATHS.has(n.name) ? !NOT_WRITTEN.test(a.value) : pending.has(a.value))) || (a.value.startsWith('/') && inConf(a.value))) ||
            (n.block !== null && n.opaque === null && needsRewrite(n.block))),
      );
    const rewrite = (nodes: Node[]) => {
      for (const node of nodes) {
        if (node.kind !== 'directive') continue;
        if (node.block !== null && node.opaque === null) rewrite(node.block);
        node.args.forEach((arg, k) => {
          const value = rewriteArg(node, k, arg.value);
          if (value !== arg.value) {
            arg.raw = quoteIfNeeded(value);
            arg.value = value;
          }
        });
        if (TEMP_PATHS.includes(node.name) && node.args[0] !== undefined) {
          const value = join(tmp, 'tmp', node.name);
          node.args = [{ ws: node.args[0].ws, raw: value, value }];
        }
      }
    };

    const http = findHttp(tree);
    const written = new Map<string, ConfFile>();
    for (const [path, file] of tree.files) {
      if (!inConf(path)) continue;
      if (!(options.edited?.has(path) ?? false) && path !== http?.file && !needsRewrite(file.nodes)) continue;
      const copy = cloneFile(file);
      rewrite(copy.nodes);
      written.set(path, copy);
    }
    // Temp paths the http block does not set go into it on the line of its closing brace.
    if (http !== null) {
      const copy = written.get(http.file);
      const target = copy === undefined ? null : findSame(copy.nodes, http.directive);
      if (target !== null) {
        const present = new Set(target.block!.filter((n): n is Directive => n.kind === 'directive').map((n) => n.name));
        const extra = TEMP_PATHS.filter((name) => !present.has(name)).map((name) => ` ${name} ${join(tmp, 'tmp', name)};`).join('');
        target.closeWs = extra + target.closeWs;
      }
    }
    await standIn(tree.confDir, conf, new Set([...written.keys()].map((p) => relative(tree.confDir, p))));
    for (const [path, copy] of written) {
      const dest = mapPath(path);
      await mkdir(dirname(dest), { recursive: true });
      await rm(dest, { force: true });
      await writeFile(dest, fileBytes(copy), { mode: 0o600 });
    }
    // nginx -t loads modules (load_module) and reads every file of the tree: a binary or tree another
    // account can change is tested as that account, in a copy handed to it (issue 9), never as root.
    const runAs = await runAsFor({ program: options.nginxBin, loads: [tree.confDir, ...tree.files.keys()] });
    if (runAs.user !== undefined) handOver(tmp, runAs.user);
    const result = await options.process.run({
      ...runAs,
      command: options.nginxBin,
      args: ['-t', '-q', '-p', `${tmp}/`, '-e', join(run, 'startup-error.log'), '-c', mapPath(tree.mainPath)],
      timeoutMs: 60_000,
    });
    const output = `${result.stdout}${result.stderr}`.split(conf).join(tree.confDir).split(tmp).join('<temp>').trim();
    const notRun = result.spawnError ?? (result.timedOut ? 'timeout' : result.code === null ? `signal ${result.signal ?? '?'}` : undefined);
    return { ok: result.code === 0, output, ...(notRun !== undefined ? { notRun } : {}) };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * Makes `to` stand for the folder `from`: every entry a symbolic link to the original, except the
 * folders on the way to a file in `written` (relative paths), which are real folders built the
 * same way one level down. The written files themselves are left for the caller.
 */
async function standIn(from: string, to: string, written: ReadonlySet<string>): Promise<void> {
  await mkdir(to, { recursive: true });
  const here = new Set<string>();
  const deeper = new Map<string, Set<string>>();
  for (const rel of written) {
    const [head, ...rest] = rel.split(sep);
    if (rest.length === 0) here.add(head!);
    else {
      const set = deeper.get(head!) ?? new Set<string>();
      set.add(rest.join(sep));
      deeper.set(head!, set);
    }
  }
  let entries: string[];
  try {
    entries = await readdir(from);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === '.git' || here.has(name)) continue;
    const inner = deeper.get(name);
    if (inner !== undefined) await standIn(join(from, name), join(to, name), inner);
    else await symlink(join(from, name), join(to, name));
  }
}

/** The directive in a cloned node list at the same position as `original` in the source list. */
function findSame(nodes: Node[], original: Directive): Directive | null {
  for (const node of nodes) {
    if (node.kind !== 'directive') continue;
    if (node.line === original.line && node.name === original.name && node.block !== null) return node;
    if (node.block !== null && node.opaque === null) {
      const inner = findSame(node.block, original);
      if (inner !== null) return inner;
    }
  }
  return null;
}

/** A self-signed pair made once per process, used only inside the temporary copy for certificates the plan has yet to issue. */

function writeThrowaway(dir: string): { cert: string; key: string } {
  const throwawayPem = throwawayPemPair();
  const paths = { cert: join(dir, 'pending.crt'), key: join(dir, 'pending.key') };
  // Written synchronously: called while rewriting, before nginx runs; the folder is private.
  writeFileSync(paths.cert, throwawayPem.cert, { mode: 0o600 });
  writeFileSync(paths.key, throwawayPem.key, { mode: 0o600 });
  return paths;
}

