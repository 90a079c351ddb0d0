import { basename, dirname, join } from 'node:path';
import type { DetectedApache, DetectedJava, DetectedNginx, DetectedProduct, DetectedTomcat, DetectNote, DetectOutput, Listening, RunsAs } from '../../../shared/contract/detect.js';
import { findWebInf, inspectInstall } from '../fine/index.js';
import type { Ports } from '../ports/index.js';
import { readConnectors, readServerXml, readTomcatVersion } from '../tomcat/index.js';
import { accountNames } from './accounts.js';
import { listeningByPid, listProcesses, systemProperty, type ProcInfo } from './linux-processes.js';
import { untrustedReason } from '../ports/index.js';
import { maskSecretArgs } from '../common/secret-args.js';

/** Where a Linux machine keeps what we look for (tests point these at a temp tree). */
export interface LinuxPlaces {
  readonly proc: string;
  readonly passwd: string;
  readonly unitDirs: readonly string[];
  readonly initd: string;
  /** Folders whose children may be installs or Tomcat bases. */
  readonly installParents: readonly string[];
  /** Debian-style pairs: CATALINA_BASE folders under /var/lib and their CATALINA_HOME under /usr/share. */
  readonly debianTomcat: { readonly bases: string; readonly homes: string };
  readonly nginxBinaries: readonly string[];
  readonly apacheBinaries: readonly { readonly binary: string; readonly conf: string; readonly layout: DetectedApache['layout'] }[];
  readonly jvmDir: string;
}

export const LINUX_PLACES: LinuxPlaces = {
  proc: '/proc',
  passwd: '/etc/passwd',
  unitDirs: ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'],
  initd: '/etc/init.d',
  installParents: ['/opt', '/usr/local', '/srv', '/data', '/home'],
  debianTomcat: { bases: '/var/lib', homes: '/usr/share' },
  nginxBinaries: ['/usr/sbin/nginx', '/usr/local/nginx/sbin/nginx', '/usr/local/sbin/nginx', '/opt/nginx/sbin/nginx'],
  apacheBinaries: [
    { binary: '/usr/sbin/apache2', conf: '/etc/apache2/apache2.conf', layout: 'debian' },
    { binary: '/usr/sbin/httpd', conf: '/etc/httpd/conf/httpd.conf', layout: 'rhel' },
    { binary: '/usr/local/apache2/bin/httpd', conf: '/usr/local/apache2/conf/httpd.conf', layout: 'other' },
  ],
  jvmDir: '/usr/lib/jvm',
};

const INTERESTING_UNIT = /^(tomcat\d*|nginx|apache2|httpd|fine.*|.*finereport.*|.*finebi.*|.*fdl.*)(@[^.]*)?\.service$/i;

interface UnitFile {
  readonly unit: string;
  readonly env: ReadonlyMap<string, string>;
  readonly execStart: string;
  readonly user: string | null;
}

async function isFile(ports: Ports, path: string): Promise<boolean> {
  const st = await ports.fs.lstat(path).catch(() => null);
  return st !== null && st.isFile();
}


async function children(ports: Ports, dir: string): Promise<string[]> {
  return (await ports.fs.readDir(dir).catch(() => [] as string[])).map((n) => join(dir, n));
}

/** systemd unit files of the services we care about, with their Environment= and User=. */
async function readUnits(ports: Ports, places: LinuxPlaces): Promise<UnitFile[]> {
  const units: UnitFile[] = [];
  const seen = new Set<string>();
  for (const dir of places.unitDirs) {
    for (const path of await children(ports, dir)) {
      const unit = basename(path);
      if (!INTERESTING_UNIT.test(unit) || seen.has(unit)) continue;
      const text = await ports.fs.readText(path, { maxBytes: 1024 * 1024 }).catch(() => null);
      if (text === null) continue;
      seen.add(unit);
      const env = new Map<string, string>();
      for (const m of text.matchAll(/^Environment=(.*)$/gm)) {
        for (const pair of m[1]!.match(/"[^"]*"|\S+/g) ?? []) {
          const clean = pair.replace(/^"|"$/g, '');
          const eq = clean.indexOf('=');
          if (eq > 0) env.set(clean.slice(0, eq), clean.slice(eq + 1));
        }
      }
      units.push({ unit, env, execStart: /^ExecStart=(.*)$/m.exec(text)?.[1]?.trim() ?? '', user: /^User=(.*)$/m.exec(text)?.[1]?.trim() ?? null });
    }
  }
  return units;
}

function processRuns(p: ProcInfo, names: ReadonlyMap<number, string>): RunsAs {
  return { kind: 'process', pid: p.pid, user: p.uid === null ? null : (names.get(p.uid) ?? String(p.uid)), commandLine: maskSecretArgs(p.argv).join(' ').slice(0, 2000) };
}

function unitRuns(unit: UnitFile, procs: readonly ProcInfo[]): RunsAs {
  const active = procs.some((p) => p.unit === unit.unit) ? true : null;
  return { kind: 'systemd', unit: unit.unit, active, ...(unit.user ? { user: unit.user } : {}) };
}

const portsOf = (pids: readonly number[], listening: ReadonlyMap<number, Listening[]>): Listening[] => {
  const out: Listening[] = [];
  for (const pid of pids) for (const l of listening.get(pid) ?? []) if (!out.some((o) => o.port === l.port && o.address === l.address)) out.push(l);
  return out.sort((a, b) => a.port - b.port);
};

async function catalinaHomeOk(ports: Ports, dir: string): Promise<boolean> {
  return (await isFile(ports, join(dir, 'lib', 'catalina.jar'))) || (await ports.fs.lstat(join(dir, 'lib', 'catalina.jar')))?.isSymbolicLink() === true;
}

async function readTomcat(ports: Ports, base: string, home: string | null, extra: { runs: RunsAs[]; pids: number[]; java: string | null }, listening: ReadonlyMap<number, Listening[]>, names: ReadonlyMap<number, string>): Promise<DetectedTomcat | null> {
  const serverXml = join(base, 'conf', 'server.xml');
  const bytes = await ports.fs.readFile(serverXml, { maxBytes: 8 * 1024 * 1024 }).catch(() => null);
  if (bytes === null) return null;
  const read = readServerXml(serverXml, bytes);
  const resolvedHome = home ?? ((await catalinaHomeOk(ports, base)) ? base : null);
  const connectors = read.ok
    ? readConnectors(read.value.doc, { base, home: resolvedHome ?? base }).map((c) => ({ port: c.port, protocol: c.protocol, secure: c.secure || c.sslEnabled, address: c.address ?? null, redirectPort: c.redirectPort ?? null, line: c.line }))
    : [];
  const version = resolvedHome !== null ? await readTomcatVersion(resolvedHome).catch(() => null) : null;
  const st = await ports.fs.lstat(base);
  return {
    home: resolvedHome,
    base,
    version: version?.version ?? null,
    serverXml,
    connectors,
    java: extra.java,
    runs: extra.runs,
    listening: portsOf(extra.pids, listening),
    owner: st === null ? null : (names.get(st.uid) ?? String(st.uid)),
  };
}

/** "nginx version: nginx/1.22.1" and "configure arguments: …" from nginx -V. */
export function parseNginxV(text: string): { version: string | null; confPath: string | null; prefix: string | null; modules: string[] } {
  const args = /configure arguments:(.*)/.exec(text)?.[1] ?? '';
  return {
    version: /nginx version: \S+?\/(\S+)/.exec(text)?.[1] ?? null,
    confPath: /--conf-path=(\S+)/.exec(args)?.[1] ?? null,
    prefix: /--prefix=(\S+)/.exec(args)?.[1] ?? null,
    modules: [...args.matchAll(/--with-([a-z0-9_]+_module)(?:=dynamic)?/g)].map((m) => m[1]!),
  };
}

/** The -c / -p of an nginx master's command line ("nginx: master process /usr/sbin/nginx -c /x.conf"). */
export function nginxMasterArgs(argv: readonly string[]): { conf: string | null; prefix: string | null } | null {
  const line = argv.join(' ');
  if (!/^nginx: master process/.test(line)) return null;
  return { conf: /\s-c\s+(\S+)/.exec(line)?.[1] ?? null, prefix: /\s-p\s+(\S+)/.exec(line)?.[1] ?? null };
}

const TOMCAT_DIR = /^(tomcat\d*|apache-tomcat.*)$/i;
const PRODUCT_DIR = /^(FineReport|FineBI|FineDataLink|fdl)/i;

export async function detectLinux(roots: readonly string[], ports: Ports, places: LinuxPlaces = LINUX_PLACES): Promise<DetectOutput> {
  const notes: DetectNote[] = [];
  if (process.getuid?.() !== 0) notes.push({ code: 'DETECT_NOT_ROOT', params: {} });
  const names = await accountNames(ports.fs, places.passwd);
  const procs = await listProcesses(ports.fs, places.proc);
  const listening = await listeningByPid(ports.fs, procs.map((p) => p.pid), places.proc);
  const units = await readUnits(ports, places);

  // Tomcat bases: from running java processes, unit files, Debian's layout, well-known folders and the given roots.
  const bases = new Map<string, { home: string | null; runs: RunsAs[]; pids: number[]; java: string | null }>();
  const addBase = (base: string, home: string | null) => {
    const entry = bases.get(base);
    if (entry === undefined) bases.set(base, { home, runs: [], pids: [], java: null });
    else if (entry.home === null && home !== null) entry.home = home;
    return bases.get(base)!;
  };
  for (const p of procs) {
    const base = systemProperty(p.argv, 'catalina.base');
    if (base === null) continue;
    const entry = addBase(base, systemProperty(p.argv, 'catalina.home'));
    entry.runs.push(processRuns(p, names));
    entry.pids.push(p.pid);
    entry.java = p.exe;
    const unit = p.unit !== null ? units.find((u) => u.unit === p.unit) : undefined;
    if (unit) entry.runs.push(unitRuns(unit, procs));
  }
  for (const unit of units) {
    const base = unit.env.get('CATALINA_BASE');
    if (base === undefined) continue;
    const entry = addBase(base, unit.env.get('CATALINA_HOME') ?? null);
    if (!entry.runs.some((r) => r.kind === 'systemd' && r.unit === unit.unit)) entry.runs.push(unitRuns(unit, procs));
  }
  for (const dir of await children(ports, places.debianTomcat.bases)) {
    if (!/^tomcat\d+$/.test(basename(dir)) || !(await isFile(ports, join(dir, 'conf', 'server.xml')))) continue;
    const home = join(places.debianTomcat.homes, basename(dir));
    const entry = addBase(dir, (await catalinaHomeOk(ports, home)) ? home : null);
    const unit = units.find((u) => u.unit === `${basename(dir)}.service`);
    if (unit && !entry.runs.some((r) => r.kind === 'systemd')) entry.runs.push(unitRuns(unit, procs));
  }
  const productDirs = new Set<string>();
  const candidates = new Set<string>(roots);
  for (const parent of places.installParents) {
    for (const dir of await children(ports, parent)) if (TOMCAT_DIR.test(basename(dir)) || PRODUCT_DIR.test(basename(dir))) candidates.add(dir);
  }
  for (const dir of candidates) {
    for (const c of [dir, join(dir, 'server'), join(dir, 'tomcat')]) {
      if (await isFile(ports, join(c, 'conf', 'server.xml'))) addBase(c, null);
    }
    if (findWebInf(dir) !== null) productDirs.add(dir);
  }

  const tomcats: DetectedTomcat[] = [];
  for (const [base, extra] of bases) {
    const initd = join(places.initd, basename(base));
    if (await isFile(ports, initd)) extra.runs.push({ kind: 'sysv', script: initd });
    const found = await readTomcat(ports, base, extra.home, extra, listening, names);
    if (found !== null) tomcats.push(found);
    if (findWebInf(base) !== null) productDirs.add(base);
  }

  const products: DetectedProduct[] = [];
  for (const dir of productDirs) {
    try {
      const install = await inspectInstall(dir);
      const tomcatBase = tomcats.find((t) => dir === t.base || install.webInf.startsWith(`${t.base}/`))?.base ?? null;
      const desktopEdition = (await isFile(ports, join(dir, 'bin', 'designer.exe'))) || (await isFile(ports, join(dir, 'bin', 'designer.sh'))) || (await isFile(ports, join(dirname(dir), 'bin', 'designer.sh')));
      products.push({
        dir: install.dir,
        product: install.product,
        version: install.version ?? null,
        jarDate: install.jarDate ?? null,
        containerWebSocket: install.containerWebSocket,
        finedb: install.finedb.kind,
        tomcatBase,
        desktopEdition,
      });
      if (install.containerWebSocket) notes.push({ code: 'DETECT_CONTAINER_WEBSOCKET', params: { dir: install.dir, version: install.version ?? '' } });
      if (desktopEdition) notes.push({ code: 'DETECT_DESKTOP_EDITION', params: { dir: install.dir } });
    } catch {
      // not a readable install after all
    }
  }

  // nginx: running masters and the usual binaries; run -V only on a binary no other account can replace.
  const nginx: DetectedNginx[] = [];
  const nginxBins = new Set<string>(places.nginxBinaries);
  for (const p of procs) if (nginxMasterArgs(p.argv) !== null && p.exe !== null) nginxBins.add(p.exe);
  for (const binary of nginxBins) {
    if (!(await isFile(ports, binary))) continue;
    const masters = procs.filter((p) => p.exe === binary && nginxMasterArgs(p.argv) !== null);
    const workers = procs.filter((p) => p.exe === binary);
    const notRun = await untrustedReason(ports.fs, binary);
    let info = { version: null as string | null, confPath: null as string | null, prefix: null as string | null, modules: [] as string[] };
    if (notRun === null) {
      const r = await ports.process.run({ command: binary, args: ['-V'], timeoutMs: 10_000 });
      info = parseNginxV(`${r.stdout}\n${r.stderr}`);
    }
    const running = masters.map((m) => nginxMasterArgs(m.argv)!);
    const runs: RunsAs[] = masters.map((m) => processRuns(m, names));
    const unit = units.find((u) => u.unit === 'nginx.service');
    if (unit && binary === '/usr/sbin/nginx') runs.unshift(unitRuns(unit, procs));
    nginx.push({
      binary,
      version: info.version,
      conf: running.find((r) => r.conf !== null)?.conf ?? info.confPath,
      prefix: running.find((r) => r.prefix !== null)?.prefix ?? info.prefix,
      modules: info.modules,
      runs,
      listening: portsOf(workers.map((w) => w.pid), listening),
      ...(notRun !== null ? { notRun } : {}),
    });
  }

  const apache: DetectedApache[] = [];
  for (const { binary, conf, layout } of places.apacheBinaries) {
    if (!(await isFile(ports, binary))) continue;
    const notRun = await untrustedReason(ports.fs, binary);
    let version: string | null = null;
    if (notRun === null) {
      const r = await ports.process.run({ command: binary, args: ['-v'], timeoutMs: 10_000 });
      version = /Server version: Apache\/(\S+)/.exec(`${r.stdout}\n${r.stderr}`)?.[1] ?? null;
    }
    const mine = procs.filter((p) => p.exe === binary);
    const unit = units.find((u) => u.unit === (layout === 'debian' ? 'apache2.service' : 'httpd.service'));
    apache.push({
      binary,
      version,
      conf: (await isFile(ports, conf)) ? conf : null,
      layout,
      runs: [...(unit ? [unitRuns(unit, procs)] : []), ...mine.filter((p) => !mine.some((q) => q.pid !== p.pid && p.uid !== 0 && q.uid === 0)).slice(0, 1).map((p) => processRuns(p, names))],
      listening: portsOf(mine.map((p) => p.pid), listening),
      ...(notRun !== null ? { notRun } : {}),
    });
  }

  const java: DetectedJava[] = [];
  const javaHomes = new Set<string>();
  // Links such as default-java and java-1.17.0-openjdk-amd64 name a JDK listed under its own name.
  for (const dir of await children(ports, places.jvmDir)) if (!(await ports.fs.lstat(dir))?.isSymbolicLink() && (await isFile(ports, join(dir, 'bin', 'java')))) javaHomes.add(dir);
  for (const t of tomcats) if (t.java !== null && basename(t.java) === 'java') javaHomes.add(dirname(dirname(t.java)));
  for (const home of javaHomes) {
    const release = await ports.fs.readText(join(home, 'release'), { maxBytes: 64 * 1024 }).catch(() => '');
    java.push({ home, version: /^JAVA_VERSION="([^"]+)"/m.exec(release)?.[1] ?? null, trusted: (await untrustedReason(ports.fs, join(home, 'bin', 'java'))) === null });
  }

  if (products.length === 0 && tomcats.length === 0 && nginx.length === 0 && apache.length === 0) notes.push({ code: 'DETECT_NOTHING_FOUND', params: {} });
  return { platform: 'linux', products, tomcats, nginx, apache, java: java.sort((a, b) => a.home.localeCompare(b.home)), notes };
}
