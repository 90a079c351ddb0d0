import { closeSync, constants, copyFileSync, fstatSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { minimalEnv, type ProcessPort } from '../ports/index.js';
import { handOver, runAsFor, type RunAccount } from '../common/run-as.js';
import { resolveAgainstBase } from './connectors.js';
import { encodeXml, type DecodedXml } from './xml-encoding.js';
import { descendants, parseXml } from './xml-document.js';
import { XmlEditor } from './xml-edit.js';

/** Attributes naming files, rewritten to absolute paths in the copy (so they still point at the real files). */
export const FILE_ATTRIBUTES: ReadonlySet<string> = new Set([
  'certificateKeystoreFile',
  'certificateFile',
  'certificateKeyFile',
  'certificateChainFile',
  'certificateKeystorePasswordFile',
  'certificateKeyPasswordFile',
  'truststoreFile',
  'caCertificateFile',
  'keystoreFile',
  'SSLCertificateFile',
  'SSLCertificateKeyFile',
  'SSLCertificateChainFile',
  'SSLCACertificateFile',
]);

const MAX_COPY = 16 * 1024 * 1024;

export interface ConfigtestResult {
  readonly ok: boolean;
  /** Tomcat's output with the temporary base shown as the real one. */
  readonly output: string;
  /** "failed to set property [x]" warnings: attributes this Tomcat does not know. */
  readonly unknownAttributes: readonly string[];
}

/**
 * Runs Tomcat's own `configtest` (Bootstrap configtest with EXIT_ON_INIT_FAILURE, as catalina.sh
 * does) against a temporary copy of CATALINA_BASE/conf holding the given server.xml text, so the
 * real base is never touched and a running Tomcat never conflicts: in the copy only, every
 * Connector listens on port 0 (any free port), the shutdown port is off, files named by
 * relative paths point at the real files, and keystores the plan has yet to create are replaced
 * by `pending` stand-ins. Connectors are initialised, so keystores are really opened.
 * Only attribute values change in the copy, so line numbers in messages are the real ones.
 */
export async function configtest(options: {
  readonly java: string;
  readonly home: string;
  readonly base: string;
  readonly decoded: Pick<DecodedXml, 'bom' | 'encoding'>;
  readonly text: string;
  /** Real path of a file the plan creates → a stand-in to use meanwhile. */
  readonly pending?: ReadonlyMap<string, string>;
  readonly process: ProcessPort;
  /** Values scrubbed from Tomcat's output (passwords). */
  readonly secrets?: readonly string[];
  /** A folder to work in (deleted afterwards); default a new temp folder. */
  readonly work?: string;
}): Promise<ConfigtestResult> {
  // Tomcat loads the base's configuration (catalina.properties names class folders, server.xml names
  // classes) and the home's jars: when another account can change them, configtest runs as that
  // account, never as root (issue 9), in a copy private to it.
  const user = (
    await runAsFor({
      program: options.java,
      loads: [join(options.home, 'bin', 'bootstrap.jar'), join(options.home, 'bin', 'tomcat-juli.jar'), join(options.home, 'lib'), join(options.base, 'conf'), join(options.base, 'lib')],
    })
  ).user;
  // The caller's work folder may sit in a folder only root can enter: the account gets its own.
  const tmp = user === undefined && options.work !== undefined ? options.work : mkdtempSync(join(tmpdir(), 'wss-setup-configtest-'));
  try {
    const conf = join(tmp, 'conf');
    for (const sub of ['conf', 'logs', 'temp', 'work', 'webapps', 'lib']) mkdirSync(join(tmp, sub), { recursive: true });
    const realConf = join(options.base, 'conf');
    for (const name of safeList(realConf)) {
      const src = join(realConf, name);
      const st = lstatSync(src);
      if (!st.isFile() || st.size > MAX_COPY || name === 'server.xml') continue;
      if (user === undefined) copyFileSync(src, join(conf, name));
      else copyReadableBy(user, src, join(conf, name));
    }
    let pending = options.pending;
    if (user !== undefined && pending !== undefined) {
      // Stand-ins made by root (keytool) are copied into the account's folder so Tomcat can open them.
      mkdirSync(join(tmp, 'pending'));
      pending = new Map([...pending].map(([real, standIn], i) => {
        const copy = join(tmp, 'pending', `${i}-${basename(standIn)}`);
        writeFileSync(copy, readFileSync(standIn), { mode: 0o600, flag: 'wx' });
        return [real, copy] as const;
      }));
    }
    const parsed = parseXml(options.text);
    if (!parsed.ok) return { ok: false, output: `${parsed.error.line}:${parsed.error.column}: ${parsed.error.detail}`, unknownAttributes: [] };
    const editor = new XmlEditor(parsed.doc);
    const props = { base: options.base, home: options.home };
    if (parsed.doc.root.attributes.some((a) => a.name === 'port')) editor.setAttribute(parsed.doc.root, 'port', '-1');
    const walk = (el: typeof parsed.doc.root) => {
      for (const a of el.attributes) {
        if (el.name === 'Connector' && a.name === 'port') editor.setAttribute(el, 'port', '0');
        if (FILE_ATTRIBUTES.has(a.name) && a.value !== '' && a.value !== 'NONE') {
          const real = resolveAgainstBase(a.value, props);
          const target = pending?.get(real) ?? real;
          if (target !== a.value) editor.setAttribute(el, a.name, target);
        }
      }
      for (const c of el.children) walk(c);
    };
    walk(parsed.doc.root);
    // Connectors without a port attribute default to 8080: give them port 0 too.
    for (const c of descendants(parsed.doc.root, 'Connector')) if (!c.attributes.some((a) => a.name === 'port')) editor.setAttribute(c, 'port', '0');
    writeFileSync(join(conf, 'server.xml'), encodeXml(options.decoded, editor.result()));
    if (user !== undefined) handOver(tmp, user);
    const sep = process.platform === 'win32' ? ';' : ':';
    const args = [
      '-Xms32m',
      '-Xmx256m',
      '-XX:TieredStopAtLevel=1',
      '-Djava.security.egd=file:/dev/./urandom',
      '-Dorg.apache.catalina.startup.EXIT_ON_INIT_FAILURE=true',
      `-Dcatalina.home=${options.home}`,
      `-Dcatalina.base=${tmp}`,
      `-Djava.io.tmpdir=${join(tmp, 'temp')}`,
      '-classpath',
      [join(options.home, 'bin', 'bootstrap.jar'), join(options.home, 'bin', 'tomcat-juli.jar')].join(sep),
      'org.apache.catalina.startup.Bootstrap',
      'configtest',
    ];
    const result = await options.process.run({ command: options.java, args, env: minimalEnv(), cwd: tmp, timeoutMs: 90_000, secrets: options.secrets ?? [], ...(user !== undefined ? { user } : {}) });
    const raw = `${result.stdout}${result.stderr}${result.spawnError !== undefined ? `spawn ${result.spawnError}` : ''}`;
    const output = raw.split(tmp).join(options.base).trim();
    const unknownAttributes = [...output.matchAll(/failed to set property \[([^\]]+)\]/g)].map((m) => m[1]!);
    return { ok: result.code === 0, output: tail(output), unknownAttributes };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Copies a file of a base another account owns into that account's private copy, only when the
 * account could read it itself: opened without following a link, judged on the open handle (a file
 * swapped for a link to a root-only file is never copied out to the account).
 */
function copyReadableBy(user: RunAccount, src: string, dest: string): void {
  let fd: number;
  try {
    fd = openSync(src, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_COPY || !readableBy(user, st)) return;
    writeFileSync(dest, readFileSync(fd), { mode: 0o600, flag: 'wx' });
  } finally {
    closeSync(fd);
  }
}

const readableBy = (user: RunAccount, st: Stats): boolean => (st.uid === user.uid ? (st.mode & 0o400) !== 0 : st.gid === user.gid ? (st.mode & 0o040) !== 0 : (st.mode & 0o004) !== 0);

function safeList(dir: string): string[] {
  try {
    return statSync(dir).isDirectory() ? readdirSync(dir).sort() : [];
  } catch {
    return [];
  }
}

/** The last lines of a long output (stack traces), enough to read the cause. */
function tail(text: string): string {
  const lines = text.split('\n');
  return lines.length > 60 ? lines.slice(-60).join('\n') : text;
}
