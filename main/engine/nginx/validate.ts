import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import forge from 'node-forge';
import type { ConfFile, Directive, Node } from './ast.js';
import type { NginxTree } from './load.js';
import { fileBytes } from './print.js';
import { findHttp } from './query.js';

/** Directives whose file argument nginx writes (or locks) at start-up: sent to the temp dir in the copy. */
const WRITTEN_PATHS = new Set(['pid', 'lock_file', 'error_log', 'access_log']);
const TEMP_PATHS = ['client_body_temp_path', 'proxy_temp_path', 'fastcgi_temp_path', 'uwsgi_temp_path', 'scgi_temp_path'];

export function findNginxBinary(explicit: string | undefined, env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  if (explicit !== undefined) return existsSync(explicit) ? explicit : null;
  for (const candidate of ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) if (existsSync(candidate)) return candidate;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, 'nginx'))) return join(dir, 'nginx');
  }
  return null;
}

export interface TestResult {
  readonly ok: boolean;
  /** nginx's messages with temporary paths mapped back to the real ones. */
  readonly output: string;
}

const quoteIfNeeded = (value: string) => (/[\s;{}"'#\\]/.test(value) ? `"${value.replace(/["\\]/g, '\\$&')}"` : value);

/**
 * Runs the real `nginx -t` against a temporary copy of a (possibly edited) tree,
 * so the machine's configuration and state are never touched:
 *
 * - the configuration directory is copied (symlinks followed) into <tmp>/conf, and
 *   every parsed file is written there as the tree has it (edits included);
 * - in the copy only, absolute paths into the configuration directory point at the copy,
 *   pid / lock_file / error_log / access_log files go to <tmp>/run, *_temp_path dirs to
 *   <tmp>/tmp (added to the http block when missing), and certificates the plan has
 *   still to issue are replaced by a throwaway self-signed pair;
 * - nginx runs as `nginx -t -q -p <tmp>/ -e <tmp>/run/error.log -c <tmp>/conf/<main>`.
 *
 * No rewrite adds a line, so line numbers in nginx's messages are the real ones.
 */
export function nginxTestTree(tree: NginxTree, options: { nginxBin: string; pendingCerts?: ReadonlySet<string> }): TestResult {
  const tmp = mkdtempSync(join(tmpdir(), 'wss-setup-nginx-t-'));
  try {
    const conf = join(tmp, 'conf');
    const run = join(tmp, 'run');
    mkdirSync(run, { recursive: true });
    for (const dir of TEMP_PATHS) mkdirSync(join(tmp, 'tmp', dir), { recursive: true });
    try {
      cpSync(tree.confDir, conf, { recursive: true, dereference: true, filter: (src) => !src.endsWith(`${sep}.git`) });
    } catch {
      mkdirSync(conf, { recursive: true });
    }
    let throwaway: { cert: string; key: string } | null = null;
    const pending = options.pendingCerts ?? new Set<string>();
    const inConf = (path: string) => path === tree.confDir || path.startsWith(tree.confDir + sep);
    const mapPath = (value: string): string => (inConf(value) ? join(conf, relative(tree.confDir, value)) : value);
    let counter = 0;
    const rewrite = (nodes: Node[]) => {
      for (const node of nodes) {
        if (node.kind !== 'directive') continue;
        if (node.block !== null && node.opaque === null) rewrite(node.block);
        rewriteDirective(node);
      }
    };
    const rewriteDirective = (d: Directive) => {
      d.args.forEach((arg, k) => {
        let value = arg.value;
        if ((d.name === 'ssl_certificate' || d.name === 'ssl_certificate_key') && k === 0 && pending.has(value)) {
          throwaway ??= makeThrowaway(tmp);
          value = d.name === 'ssl_certificate' ? throwaway.cert : throwaway.key;
        } else if (WRITTEN_PATHS.has(d.name) && k === 0 && !/^(off|stderr|syslog:|memory:|\/dev\/null$)/.test(value)) {
          value = join(run, `${d.name}-${counter++}`);
        } else if (value.startsWith('/')) value = mapPath(value);
        if (value !== arg.value) {
          arg.raw = quoteIfNeeded(value);
          arg.value = value;
        }
      });
      if (TEMP_PATHS.includes(d.name) && d.args[0] !== undefined) {
        const value = join(tmp, 'tmp', d.name);
        d.args = [{ ws: d.args[0].ws, raw: value, value }];
      }
    };
    const copies = new Map<string, ConfFile>();
    for (const [path, file] of tree.files) {
      const copy = structuredClone(file);
      rewrite(copy.nodes);
      copies.set(path, copy);
    }
    // Temp paths the http block does not set go into it on the line of its closing brace.
    const http = findHttp(tree);
    if (http !== null) {
      const copy = copies.get(http.file);
      const target = copy === undefined ? null : findSame(copy.nodes, http.directive);
      if (target !== null) {
        const present = new Set(target.block!.filter((n): n is Directive => n.kind === 'directive').map((n) => n.name));
        const extra = TEMP_PATHS.filter((name) => !present.has(name)).map((name) => ` ${name} ${join(tmp, 'tmp', name)};`).join('');
        target.closeWs = extra + target.closeWs;
      }
    }
    for (const [path, copy] of copies) {
      if (!inConf(path)) continue;
      const dest = mapPath(path);
      mkdirSync(dirname(dest), { recursive: true });
      rmSync(dest, { force: true });
      writeFileSync(dest, fileBytes(copy));
    }
    const args = ['-t', '-q', '-p', `${tmp}/`, '-e', join(run, 'startup-error.log'), '-c', mapPath(tree.mainPath)];
    const result = spawnSync(options.nginxBin, args, { encoding: 'utf8', timeout: 60_000 });
    const raw = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error !== undefined ? result.error.message : ''}`;
    const output = raw.split(conf).join(tree.confDir).split(tmp).join('<temp>').trim();
    return { ok: result.status === 0, output };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
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

/** A self-signed pair used only inside the temporary copy, for certificates the plan has yet to issue. */
function makeThrowaway(dir: string): { cert: string; key: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'wss-setup nginx -t' }]);
  cert.setIssuer(cert.subject.attributes);
  cert.sign(key, forge.md.sha256.create());
  const paths = { cert: join(dir, 'run', 'pending.crt'), key: join(dir, 'run', 'pending.key') };
  writeFileSync(paths.cert, forge.pki.certificateToPem(cert));
  writeFileSync(paths.key, keyPem, { mode: 0o600 });
  return paths;
}
