import { win32 } from 'node:path';
import type { DetectedApache, DetectedNginx, DetectedProduct, DetectedTomcat, DetectNote, DetectOutput, Listening, RunsAs } from '../../../shared/contract/detect.js';
import type { Ports } from '../ports/index.js';

/**
 * Windows detection through the ports only (so it is tested on Linux against recorded outputs):
 * services from `sc.exe query` / `sc.exe qc` / `sc.exe queryex`, Tomcat service parameters from
 * the Procrun registry keys (`reg.exe query`), listening ports from `netstat -ano`, and installs
 * from folder listings of the usual drives. Programs run are Windows' own (System32).
 */
export interface WindowsPlaces {
  readonly system32: string;
  readonly drives: readonly string[];
}

export const WINDOWS_PLACES: WindowsPlaces = { system32: 'C:\\Windows\\System32', drives: ['C:\\', 'D:\\', 'E:\\'] };

const INTERESTING = /tomcat|nginx|apache|httpd|finereport|finebi|fine|fdl/i;

export interface ScService {
  readonly name: string;
  readonly display: string;
  readonly state: string | null;
}

/** Services from `sc.exe query type= service state= all`. */
export function parseScQuery(text: string): ScService[] {
  const out: ScService[] = [];
  for (const block of text.split(/\r?\n(?=SERVICE_NAME:)/)) {
    const name = /^SERVICE_NAME:\s*(.+?)\s*$/m.exec(block)?.[1];
    if (name === undefined) continue;
    out.push({ name, display: /^DISPLAY_NAME:\s*(.+?)\s*$/m.exec(block)?.[1] ?? name, state: /STATE\s*:\s*\d+\s+(\w+)/.exec(block)?.[1] ?? null });
  }
  return out;
}

/** `sc.exe qc <name>`: start type, binary path and the account. */
export function parseScQc(text: string): { startType: string | null; binaryPath: string | null; account: string | null } {
  return {
    startType: /START_TYPE\s*:\s*\d+\s+(\w+)/.exec(text)?.[1] ?? null,
    binaryPath: /BINARY_PATH_NAME\s*:\s*(.+?)\s*$/m.exec(text)?.[1] ?? null,
    account: /SERVICE_START_NAME\s*:\s*(.+?)\s*$/m.exec(text)?.[1] ?? null,
  };
}

/** Values of a `reg.exe query` key; REG_MULTI_SZ values are split at their \0 separators. */
export function parseRegQuery(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of text.matchAll(/^\s{4}(\S+)\s+(REG_\w+)\s+(.*?)\s*$/gm)) out.set(m[1]!, m[2] === 'REG_MULTI_SZ' ? m[3]!.split('\\0').filter(Boolean) : [m[3]!]);
  return out;
}

/** LISTENING sockets by pid from `netstat -ano -p TCP`. */
export function parseNetstat(text: string): Map<number, Listening[]> {
  const out = new Map<number, Listening[]>();
  for (const m of text.matchAll(/^\s*TCP\s+(\S+):(\d+)\s+\S+\s+LISTENING\s+(\d+)\s*$/gm)) {
    const pid = Number(m[3]);
    const list = out.get(pid) ?? [];
    list.push({ address: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) });
    out.set(pid, list);
  }
  return out;
}

async function sc(ports: Ports, places: WindowsPlaces, args: string[]): Promise<string> {
  const r = await ports.process.run({ command: win32.join(places.system32, 'sc.exe'), args, timeoutMs: 15_000 });
  return r.code === 0 ? r.stdout : '';
}

async function exists(ports: Ports, path: string): Promise<boolean> {
  return (await ports.fs.lstat(path).catch(() => null)) !== null;
}

const PROCRUN_KEYS = ['HKLM\\SOFTWARE\\Apache Software Foundation\\Procrun 2.0', 'HKLM\\SOFTWARE\\WOW6432Node\\Apache Software Foundation\\Procrun 2.0'];

export async function detectWindows(roots: readonly string[], ports: Ports, places: WindowsPlaces = WINDOWS_PLACES): Promise<DetectOutput> {
  const notes: DetectNote[] = [];
  const services = parseScQuery(await sc(ports, places, ['query', 'type=', 'service', 'state=', 'all'])).filter((s) => INTERESTING.test(s.name) || INTERESTING.test(s.display));
  const netstat = await ports.process.run({ command: win32.join(places.system32, 'netstat.exe'), args: ['-ano', '-p', 'TCP'], timeoutMs: 15_000 });
  const listening = parseNetstat(netstat.stdout);

  const tomcats: DetectedTomcat[] = [];
  const nginx: DetectedNginx[] = [];
  const apache: DetectedApache[] = [];
  const bases = new Set<string>();
  for (const service of services) {
    const qc = parseScQc(await sc(ports, places, ['qc', service.name]));
    const pid = Number(/PID\s*:\s*(\d+)/.exec(await sc(ports, places, ['queryex', service.name]))?.[1] ?? 0);
    const runs: RunsAs[] = [{ kind: 'windows', name: service.name, state: service.state, startType: qc.startType, account: qc.account, binaryPath: qc.binaryPath }];
    const ports_ = pid > 0 ? (listening.get(pid) ?? []) : [];
    const binary = qc.binaryPath?.replace(/^"([^"]+)".*$/, '$1').replace(/^(\S+\.exe).*$/i, '$1') ?? '';
    if (/\/\/RS\/\//.test(qc.binaryPath ?? '') || /tomcat/i.test(service.name)) {
      // A Procrun (Tomcat) service: its JVM options name catalina.base and catalina.home.
      let options: string[] = [];
      let jvm: string | null = null;
      for (const key of PROCRUN_KEYS) {
        const r = await ports.process.run({ command: win32.join(places.system32, 'reg.exe'), args: ['query', `${key}\\${service.name}\\Parameters\\Java`], timeoutMs: 15_000 });
        if (r.code !== 0) continue;
        const values = parseRegQuery(r.stdout);
        options = values.get('Options') ?? [];
        jvm = values.get('Jvm')?.[0] ?? null;
        break;
      }
      const prop = (name: string) => options.find((o) => o.startsWith(`-D${name}=`))?.slice(name.length + 3) ?? null;
      const base = prop('catalina.base') ?? (binary ? win32.dirname(win32.dirname(binary)) : null);
      if (base === null) continue;
      bases.add(base.toLowerCase());
      tomcats.push({ home: prop('catalina.home') ?? base, base, version: null, serverXml: win32.join(base, 'conf', 'server.xml'), connectors: [], java: jvm, runs, listening: ports_, owner: qc.account });
    } else if (/nginx/i.test(service.name) || /nginx\.exe$/i.test(binary)) {
      nginx.push({ binary, version: null, conf: binary ? win32.join(win32.dirname(binary), 'conf', 'nginx.conf') : null, prefix: binary ? win32.dirname(binary) : null, modules: [], runs, listening: ports_ });
    } else if (/apache|httpd/i.test(service.name) || /httpd\.exe$/i.test(binary)) {
      apache.push({ binary, version: null, conf: binary ? win32.join(win32.dirname(win32.dirname(binary)), 'conf', 'httpd.conf') : null, layout: 'windows', runs, listening: ports_ });
    }
  }

  // Installs: FineReport_11.0 (its server\ is the bundled Tomcat base), FineBI, FineDataLink on the usual drives.
  const products: DetectedProduct[] = [];
  const dirs: string[] = [...roots];
  for (const drive of places.drives) for (const name of await ports.fs.readDir(drive).catch(() => [] as string[])) if (/^(FineReport|FineBI|FineDataLink)/i.test(name)) dirs.push(win32.join(drive, name));
  for (const dir of dirs) {
    const server = win32.join(dir, 'server');
    const webInf = [win32.join(server, 'webapps', 'webroot', 'WEB-INF'), win32.join(dir, 'webapps', 'webroot', 'WEB-INF')];
    const found = (await Promise.all(webInf.map((w) => exists(ports, w)))).findIndex(Boolean);
    if (found < 0) continue;
    const name = win32.basename(dir);
    const product = /FineBI/i.test(name) ? 'finebi' : /FineDataLink|fdl/i.test(name) ? 'finedatalink' : 'finereport';
    const version = /_(\d+(?:\.\d+)*)$/.exec(name)?.[1] ?? null;
    const tomcatBase = found === 0 ? server : dir;
    const desktopEdition = (await exists(ports, win32.join(dir, 'bin', 'designer.exe'))) || (await exists(ports, win32.join(dir, 'bin', `${name}.exe`)));
    products.push({ dir, product, version, jarDate: null, containerWebSocket: false, finedb: 'embedded-hsqldb', tomcatBase, desktopEdition });
    if (desktopEdition) notes.push({ code: 'DETECT_DESKTOP_EDITION', params: { dir } });
    if (!bases.has(tomcatBase.toLowerCase())) {
      bases.add(tomcatBase.toLowerCase());
      tomcats.push({ home: tomcatBase, base: tomcatBase, version: null, serverXml: win32.join(tomcatBase, 'conf', 'server.xml'), connectors: [], java: null, runs: [], listening: [], owner: null });
    }
  }
  if (products.length === 0 && tomcats.length === 0 && nginx.length === 0 && apache.length === 0) notes.push({ code: 'DETECT_NOTHING_FOUND', params: {} });
  return { platform: 'win32', products, tomcats, nginx, apache, java: [], notes };
}
