import { closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { ServiceAdapter, ServiceDeps, ServiceRef } from './types.js';
import { envOf, pidAlive, requireOk, signalPid } from './tools.js';
import { runAsFor } from '../common/run-as.js';
import { parseEnvvars } from '../apache/index.js';

type ApacheRef = Extract<ServiceRef, { kind: 'apache' }>;

/** The envvars Debian's apache2ctl would source, read as data (never run): regular file only, never through a link, at most 64 KiB. */
function readEnvvars(root: string): Record<string, string> | null {
  let fd: number;
  try {
    fd = openSync(join(root, 'envvars'), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    const buffer = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return parseEnvvars(buffer.subarray(0, n).toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

/**
 * The program and environment that run this Apache. Debian's apache2ctl sources the envvars of
 * /etc/apache2 (or $APACHE_CONFDIR) as a shell script, which would point a private ServerRoot at the
 * system's pid file and run a file another account may own; so where the tree has envvars, httpd
 * itself is run with `-d <ServerRoot>` and the APACHE_* values read from that file as data.
 * Elsewhere (RHEL, Windows, no envvars) apachectl as named in the plan, with -d when a root is given.
 */
export function apacheInvocation(ref: ApacheRef): { readonly command: string; readonly prefix: string[]; readonly env: Record<string, string> } {
  const conf = ref.conf !== undefined ? ['-f', ref.conf] : [];
  const root = ref.root;
  const envvars = root !== undefined ? readEnvvars(root) : null;
  const apache = envvars !== null ? apacheBinaryBeside(ref.apachectl) : null;
  const env = envvars === null ? {} : Object.fromEntries(Object.entries(envvars).filter(([k]) => /^APACHE_[A-Z_]+$/.test(k) || k === 'LANG'));
  if (apache !== null) return { command: apache, prefix: [...(root !== undefined ? ['-d', root] : []), ...conf], env };
  return { command: ref.apachectl, prefix: [...(root !== undefined ? ['-d', root] : []), ...conf], env };
}

/**
 * What apache2ctl does before a start, since httpd is run without it: APACHE_RUN_DIR and
 * APACHE_LOCK_DIR made when missing (a tmpfs /run after a reboot). Only the last folder is made
 * (mkdir never follows a link there), and only inside a folder owned by root or this account
 * (Debian's /var/run is root's link to /run): never in one another account controls. Anything else
 * is left to httpd's own error.
 */
function ensureRunDirs(env: Readonly<Record<string, string>>): void {
  for (const dir of [env.APACHE_RUN_DIR, env.APACHE_LOCK_DIR]) {
    if (dir === undefined || !dir.startsWith('/') || lstatSync(dir, { throwIfNoEntry: false }) !== undefined) continue;
    const parent = statSync(dirname(dir), { throwIfNoEntry: false });
    const me = process.getuid?.() ?? 0;
    if (parent === undefined || !parent.isDirectory() || (parent.uid !== 0 && parent.uid !== me)) continue;
    try {
      mkdirSync(dir, { mode: 0o755 });
    } catch {
      // raced or refused: httpd says what it misses
    }
  }
}

/** httpd itself: the named program when it is httpd/apache2, else the one beside apachectl/apache2ctl. */
function apacheBinaryBeside(apachectl: string): string | null {
  if (/^(apache2|httpd)(\.exe)?$/i.test(basename(apachectl))) return apachectl;
  return ['apache2', 'httpd'].map((n) => join(dirname(apachectl), n)).find((p) => existsSync(p)) ?? null;
}

/**
 * Apache httpd: `-k stop` then `-k start` (never graceful/restart, which reload), for the system's
 * tree or one in a private ServerRoot (`ref.root`). The parent process comes from the PidFile that
 * `-t -D DUMP_RUN_CFG` names.
 */
export function apacheAdapter(ref: ApacheRef, deps: ServiceDeps): ServiceAdapter {
  const how = apacheInvocation(ref);
  // apachectl and a configuration (which may load modules) another account can change never run as root (issue 9).
  const run = async (args: string[]) => deps.process.run({ command: how.command, args: [...how.prefix, ...args], env: envOf(deps, how.env), timeoutMs: 120_000, ...(await runAsFor({ program: how.command, loads: ref.conf !== undefined ? [ref.conf] : [] })) });
  const describe = `Apache httpd (${ref.conf ?? ref.apachectl})`;
  async function pid(): Promise<number | null> {
    const r = await run(['-t', '-D', 'DUMP_RUN_CFG']);
    const m = /^PidFile:\s*"?([^"\r\n]+)"?/m.exec(`${r.stdout}\n${r.stderr}`);
    if (!m) return null;
    try {
      const n = Number.parseInt(readFileSync(m[1]!.trim(), 'latin1').trim(), 10);
      return Number.isInteger(n) && n > 1 ? n : null;
    } catch {
      return null;
    }
  }
  return {
    describe,
    async status() {
      const p = await pid();
      const running = p !== null && (await pidAlive(deps, p));
      return { running, pids: running && p !== null ? [p] : [] };
    },
    async stop() {
      requireOk(await run(['-k', 'stop']), how.command, [...how.prefix, '-k', 'stop'], describe);
    },
    async start() {
      ensureRunDirs(how.env);
      requireOk(await run(['-k', 'start']), how.command, [...how.prefix, '-k', 'start'], describe);
    },
    async forceStop(pids) {
      for (const p of pids) await signalPid(deps, p, 'TERM');
    },
  };
}
