import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certServer } from '../../main/engine/certs/server-cert.js';
import { engineContext } from '../../main/engine/common/context.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { CertServerInputSchema } from '../../shared/contract/certs.js';
import { main } from '../../main/hosts/cli/main.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { tempDir } from '../harness/temp.js';

/**
 * Issue 9 as root against folders another account owns (`nobody`), each test in its own temp
 * folder; the victim files are files this test creates there, never system files.
 *   item 3: a racing process swaps the temp files of `cert server` in a folder `nobody` can write
 *           for symlinks to a root-only file: the file keeps its mode and bytes, no link is left;
 *   item 5: a write that really fails (file size limit, as a full disk would) leaves no temp file;
 *   item 6: a data folder (or CA) `nobody` owns or anyone can write is refused with a clear message.
 */
const NOBODY = 65534;
const isRoot = process.platform === 'linux' && process.getuid?.() === 0;
if (!isRoot) console.warn('certs-root: skipped because these tests need root on Linux (they chown folders to nobody)');

const root = fileURLToPath(new URL('../..', import.meta.url));
const cliEntry = join(root, 'bin', 'wss-setup.js');
const dir = tempDir('wss-setup-certs-root-');
const data = join(dir.path, 'data');
let n = 0;
const fresh = (owner?: number) => {
  const p = join(dir.path, `case-${++n}`);
  mkdirSync(p, { mode: 0o755 });
  if (owner !== undefined) chownSync(p, owner, owner);
  return p;
};

async function cli(args: string[], env: Record<string, string | undefined> = process.env) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { lang: 'en', stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), interactive: false, env };
  const code = await main(args, io);
  return { code, stdout, stderr, all: stdout + stderr };
}

/** Runs `fn` with WSS_SETUP_DATA_DIR pointing at `folder`. */
async function withDataDir<T>(folder: string, fn: () => Promise<T>): Promise<T> {
  process.env.WSS_SETUP_DATA_DIR = folder;
  try {
    return await fn();
  } finally {
    process.env.WSS_SETUP_DATA_DIR = data;
  }
}

beforeAll(async () => {
  if (!isRoot) return;
  chmodSync(dir.path, 0o755); // nobody must be able to reach its own folders below
  process.env.WSS_SETUP_DATA_DIR = data;
  const ca = await runOperation('certCa', { keySize: 2048 });
  if (!ca.ok) throw new Error(JSON.stringify(ca.error));
});
afterAll(() => {
  delete process.env.WSS_SETUP_DATA_DIR;
  dir.cleanup();
});

describe.runIf(isRoot)('item 6: a data folder or CA another account controls is refused', () => {
  it('refuses a WSS_SETUP_DATA_DIR owned by nobody, with a message that says why and what to do', async () => {
    const foreign = fresh(NOBODY);
    const r = await withDataDir(foreign, () => cli(['cert', 'ca', '--key-size', '2048']));
    expect(r.code, r.all).toBe(2);
    expect(r.stderr).toContain(`wss-setup will not keep or use its CA under ${foreign}: it belongs to another account (uid ${NOBODY})`);
    expect(r.stderr).toContain('leave WSS_SETUP_DATA_DIR unset (and do not use sudo -E)');
    expect(readdirSync(foreign)).toEqual([]);
  });

  it('does not sign with, export or trust a CA that nobody could have planted or swapped', async () => {
    // A real CA, made by root, then handed to nobody (as with sudo -E and the account's folder).
    const foreign = fresh();
    const made = await withDataDir(foreign, () => runOperation('certCa', { keySize: 2048 }));
    expect(made.ok).toBe(true);
    chownSync(foreign, NOBODY, NOBODY);
    const out = fresh();
    await withDataDir(foreign, async () => {
      const server = await runOperation('certServer', { names: ['localhost'], outDir: out });
      expect(!server.ok && server.error.code).toBe('CERT_DATA_DIR_UNSAFE');
      const exported = await runOperation('certExport', { outFile: join(out, 'ca.crt') });
      expect(!exported.ok && exported.error.code).toBe('CERT_DATA_DIR_UNSAFE');
      const trust = await runOperation('certTrust', { action: 'status' });
      expect(!trust.ok && trust.error.code).toBe('CERT_DATA_DIR_UNSAFE');
    });
    expect(readdirSync(out)).toEqual([]);
  });

  it('refuses a CA folder or key owned by nobody inside a data folder of root, a folder anyone can write, and a link through such a folder', async () => {
    const cases: { name: string; prepare: (folder: string) => void }[] = [
      { name: 'ca folder owned by nobody', prepare: (f) => chownSync(join(f, 'ca'), NOBODY, NOBODY) },
      { name: 'ca.key owned by nobody', prepare: (f) => chownSync(join(f, 'ca', 'ca.key'), NOBODY, NOBODY) },
      { name: 'data folder writable by anyone', prepare: (f) => chmodSync(f, 0o777) },
      { name: 'ca.crt writable by its group', prepare: (f) => chmodSync(join(f, 'ca', 'ca.crt'), 0o664) },
    ];
    for (const c of cases) {
      const folder = fresh();
      expect((await withDataDir(folder, () => runOperation('certCa', { keySize: 2048 }))).ok).toBe(true);
      c.prepare(folder);
      const r = await withDataDir(folder, () => runOperation('certServer', { names: ['localhost'], outDir: fresh() }));
      expect(!r.ok && r.error.code, c.name).toBe('CERT_DATA_DIR_UNSAFE');
    }
    // A data folder reached through a link that sits in nobody's folder: nobody could repoint it.
    const safe = fresh();
    expect((await withDataDir(safe, () => runOperation('certCa', { keySize: 2048 }))).ok).toBe(true);
    const theirs = fresh(NOBODY);
    symlinkSync(safe, join(theirs, 'data'));
    const linked = await withDataDir(join(theirs, 'data'), () => runOperation('certExport', { outFile: join(fresh(), 'ca.crt') }));
    expect(!linked.ok && linked.error.code).toBe('CERT_DATA_DIR_UNSAFE');
    // The same CA through its own path is fine.
    const direct = await withDataDir(safe, () => runOperation('certExport', { outFile: join(fresh(), 'ca.crt') }));
    expect(direct.ok).toBe(true);
  });
});

describe.runIf(isRoot)('item 3: mode and owner are set on the handle, never by path after a racer moved things', () => {
  let racer: ChildProcess | undefined;
  afterAll(() => racer?.kill('SIGKILL'));

  it('a racing process in a folder nobody can write neither loosens a root-only file nor leaves a link to it', async () => {
    const out = fresh(NOBODY);
    const victimDir = fresh();
    const victim = join(victimDir, 'root-only.secret');
    writeFileSync(victim, 'root only\n', { mode: 0o600 });
    chmodSync(victim, 0o600);
    const script = join(victimDir, 'racer.cjs');
    // As nobody: every temp file that appears is replaced at once by a symlink to the victim.
    writeFileSync(
      script,
      `const fs = require('fs'); const path = require('path');
const [out, victim] = process.argv.slice(2);
let swaps = 0;
const strike = (name) => {
  if (!name || !name.endsWith('.tmp')) return;
  const p = path.join(out, name);
  try { fs.unlinkSync(p); fs.symlinkSync(victim, p); swaps++; process.stdout.write('swap ' + swaps + '\\n'); } catch {}
};
fs.watch(out, (_e, name) => strike(name));
const sweep = () => { try { for (const name of fs.readdirSync(out)) strike(name); } catch {} setImmediate(sweep); };
sweep();
process.stdout.write('ready\\n');
`,
      { mode: 0o644 },
    );
    let output = '';
    racer = spawn(process.execPath, [script, out, victim], { uid: NOBODY, gid: NOBODY, stdio: ['ignore', 'pipe', 'pipe'] });
    racer.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    racer.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`racer did not start: ${output}`)), 10_000);
      const check = setInterval(() => {
        if (output.includes('ready')) {
          clearInterval(check);
          clearTimeout(timer);
          resolve();
        }
      }, 20);
    });
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await runOperation('certServer', { names: ['localhost'], outDir: out, baseName: `s${i}`, formats: ['pem', 'pkcs12'], keystorePassword: 'keystore-pw-1' });
      outcomes.push(r.ok ? 'ok' : r.error.code);
      // The victim keeps its mode and bytes after every attempt.
      expect(statSync(victim).mode & 0o777, `attempt ${i}: ${outcomes.join(',')}`).toBe(0o600);
      expect(readFileSync(victim, 'utf8')).toBe('root only\n');
      // Whatever our names hold now is never a link to it.
      for (const name of readdirSync(out).filter((f) => f.startsWith(`s${i}.`))) expect(lstatSync(join(out, name)).isSymbolicLink(), name).toBe(false);
    }
    racer.kill('SIGKILL');
    // The racer did strike (else this test proves nothing), and each strike was refused, not written through.
    expect(output, outcomes.join(',')).toMatch(/swap \d+/);
    expect(outcomes.every((o) => o === 'ok' || o === 'CERT_WRITE_INTERFERED' || o === 'CERT_WRITE_FAILED'), outcomes.join(',')).toBe(true);
    expect(outcomes.some((o) => o !== 'ok'), outcomes.join(',')).toBe(true);
  });
});

describe.runIf(isRoot)('item 5: a write that really fails leaves no temp file', () => {
  it('cert server under a file size limit (EFBIG, as a full disk would fail it): exit 1, the folder stays empty', () => {
    if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run node scripts/build.mjs first');
    const out = fresh();
    // sh ignores SIGXFSZ for node (an ignored signal survives exec), so the write returns EFBIG; 2 blocks = 1 KiB.
    const r = spawnSync('/bin/sh', ['-c', `trap '' XFSZ; ulimit -f 2; exec "$0" "$@"`, process.execPath, cliEntry, 'cert', 'server', '--name', 'localhost', '--out-dir', out, '--format', 'pem,pkcs12', '--password-env', 'KS_PW', '--json'], {
      env: { ...process.env, WSS_SETUP_DATA_DIR: data, KS_PW: 'keystore-pw-1' },
      encoding: 'utf8',
    });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('CERT_WRITE_FAILED');
    expect(r.stdout).not.toContain('keystore-pw-1');
    expect(readdirSync(out)).toEqual([]);
  });
});

describe.runIf(isRoot)('a keytool another account could change is never run as root', () => {
  it('passes over a keytool under a JAVA_HOME nobody owns and uses the system one', async () => {
    const javaHome = fresh(NOBODY);
    const bin = join(javaHome, 'bin');
    mkdirSync(bin, { mode: 0o755 });
    chownSync(bin, NOBODY, NOBODY);
    const marker = join(fresh(), 'planted-keytool-ran');
    writeFileSync(join(bin, 'keytool'), `#!/bin/sh\ntouch '${marker}'\nexit 1\n`, { mode: 0o755 });
    chownSync(join(bin, 'keytool'), NOBODY, NOBODY);
    const out = fresh();
    const input = CertServerInputSchema.parse({ names: ['localhost'], outDir: out, formats: ['jks'], keystorePassword: 'keystore-pw-1' });
    await certServer(input, engineContext(), { env: { JAVA_HOME: javaHome, PATH: '/usr/bin:/bin' } });
    expect(existsSync(marker)).toBe(false);
    expect(readdirSync(out)).toEqual(['server.jks']);
  });
});
