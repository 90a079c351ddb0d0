import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectOutput } from '../../shared/contract/detect.js';
import { detectLinux, detectWindows, LINUX_PLACES } from '../../main/engine/detect/index.js';
import { realPorts, type Ports, type RunRequest } from '../../main/engine/ports/index.js';
import { main } from '../../main/hosts/cli/main.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { createFineInstall } from '../harness/finereport.js';
import { nginxAvailable, startNginx, type NginxInstance } from '../harness/nginx.js';
import { freePort } from '../harness/ports.js';
import { tempDir } from '../harness/temp.js';
import { httpConnector, startTomcat, tomcatAvailable, type TomcatInstance } from '../harness/tomcat.js';

const fixtures = new URL('../fixtures/detect/windows/', import.meta.url).pathname;
const isRoot = process.getuid?.() === 0;
const dir = tempDir('wss-setup-detect-');

describe.runIf(tomcatAvailable() && nginxAvailable())('detect on this machine (Linux, real Tomcat 10, nginx and a sandbox FineReport)', () => {
  let tomcat: TomcatInstance;
  let nginx: NginxInstance;
  let tomcatPort: number;
  let nginxPort: number;
  let sandbox: string;
  let found: DetectOutput;

  beforeAll(async () => {
    tomcatPort = await freePort();
    nginxPort = await freePort();
    [tomcat, nginx] = await Promise.all([
      startTomcat({ connectors: [httpConnector(tomcatPort)], ports: [tomcatPort], examples: false }),
      startNginx({ httpBlock: `server { listen 127.0.0.1:${nginxPort}; return 200; }`, ports: [nginxPort] }),
    ]);
    sandbox = join(dir.path, 'FineReport_11.0');
    createFineInstall(sandbox, { version: '11.0.3', containerWebSocket: true });
    found = await detectLinux([sandbox], realPorts);
  }, 90_000);

  afterAll(async () => {
    await Promise.all([tomcat?.stop(), nginx?.stop()]);
    dir.cleanup();
  });

  it('finds the running Tomcat: its base, Debian CATALINA_HOME, version from catalina.jar, connector, port and process', () => {
    const tc = found.tomcats.find((t) => t.base === tomcat.base);
    expect(tc, JSON.stringify(found.tomcats.map((t) => t.base))).toBeDefined();
    expect(tc!.home).toBe('/usr/share/tomcat10');
    expect(tc!.version).toMatch(/^10\.\d+\.\d+/);
    expect(tc!.connectors.map((c) => c.port)).toContain(tomcatPort);
    expect(tc!.listening.map((l) => l.port)).toContain(tomcatPort);
    const proc = tc!.runs.find((r) => r.kind === 'process');
    expect(proc).toMatchObject({ kind: 'process' });
    expect(tc!.java).toMatch(/\/java$/);
  });

  it('finds nginx: version and modules from -V, the running master with its -c and its port', () => {
    const n = found.nginx.find((x) => x.binary === '/usr/sbin/nginx');
    expect(n).toBeDefined();
    expect(n!.version).toMatch(/^1\.\d+\.\d+$/);
    expect(n!.modules).toContain('http_ssl_module');
    expect(n!.conf).toBe(nginx.confPath);
    expect(n!.listening.map((l) => l.port)).toContain(nginxPort);
    expect(n!.runs.some((r) => r.kind === 'process')).toBe(true);
  });

  it('finds the sandbox FineReport from --root, its version, FineDB and the container-WebSocket note', () => {
    const p = found.products.find((x) => x.dir === sandbox);
    expect(p).toMatchObject({ product: 'finereport', version: '11.0.3', containerWebSocket: true, finedb: 'embedded-hsqldb', desktopEdition: false });
    expect(found.notes.some((n) => n.code === 'DETECT_CONTAINER_WEBSOCKET' && n.params.dir === sandbox)).toBe(true);
  });

  it("finds Debian's apache2 and the system Java with its version, trusted", () => {
    if (existsSync('/usr/sbin/apache2')) expect(found.apache.find((a) => a.binary === '/usr/sbin/apache2')).toMatchObject({ layout: 'debian', conf: '/etc/apache2/apache2.conf' });
    const java = found.java.find((j) => j.home.startsWith('/usr/lib/jvm/'));
    expect(java?.version).toMatch(/^\d+/);
    expect(java?.trusted).toBe(true);
  });

  it.runIf(isRoot)('never runs a server binary another account can replace (its -V would run as root)', async () => {
    const evil = join(dir.path, 'evil');
    mkdirSync(evil, { recursive: true });
    const marker = join(evil, 'ran-as-root');
    const fakeNginx = join(evil, 'nginx');
    writeFileSync(fakeNginx, `#!/bin/sh\ntouch ${marker}\necho "nginx version: nginx/9.9.9" >&2\n`, { mode: 0o755 });
    chownSync(evil, 65534, 65534);
    chownSync(fakeNginx, 65534, 65534);
    chmodSync(fakeNginx, 0o755);
    const out = await detectLinux([], realPorts, { ...LINUX_PLACES, nginxBinaries: [fakeNginx], apacheBinaries: [], installParents: [] });
    const n = out.nginx.find((x) => x.binary === fakeNginx);
    expect(n?.notRun).toMatch(/^owner:/);
    expect(n?.version).toBeNull();
    expect(existsSync(marker)).toBe(false);
  });

  it('the CLI prints it in English and Chinese, and --json is one document', async () => {
    const io = (lang: 'en' | 'zh-CN') => {
      const sink = { out: '', err: '' };
      return Object.assign(sink, { lang, interactive: false, env: {}, stdout: (s: string) => void (sink.out += s), stderr: (s: string) => void (sink.err += s) }) as CliIO & { out: string; err: string };
    };
    const en = io('en');
    expect(await main(['detect', '--root', sandbox], en)).toBe(0);
    expect(en.out).toContain('Report products:');
    expect(en.out).toContain(sandbox);
    const zh = io('zh-CN');
    expect(await main(['--lang', 'zh-CN', 'detect', '--root', sandbox], zh)).toBe(0);
    expect(zh.out).toContain('报表产品:');
    const json = io('en');
    expect(await main(['detect', '--root', sandbox, '--json'], json)).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ ok: true, platform: 'linux' });
    const bad = io('en');
    expect(await main(['detect', '--root', '', '--json'], bad)).toBe(2);
  }, 60_000);
});

/** Windows through the ports: recorded `sc.exe`, `reg.exe`, `netstat` outputs and a folder listing of a FineReport install. */
function windowsPorts(tree: readonly string[]): { ports: Ports; runs: string[] } {
  const runs: string[] = [];
  const recorded = (request: RunRequest): string | null => {
    const args = request.args.join(' ');
    if (/sc\.exe$/.test(request.command)) {
      if (args === 'query type= service state= all') return 'sc-query.txt';
      if (args === 'qc FineReport') return 'sc-qc-FineReport.txt';
      if (args === 'qc nginx') return 'sc-qc-nginx.txt';
      if (args === 'queryex FineReport') return 'sc-queryex-FineReport.txt';
      return null;
    }
    if (/reg\.exe$/.test(request.command) && args.includes('WOW6432Node') && args.includes('\\FineReport\\')) return 'reg-procrun-FineReport.txt';
    if (/netstat\.exe$/.test(request.command)) return 'netstat.txt';
    return null;
  };
  const lower = new Set(tree.map((p) => p.toLowerCase()));
  const ports: Ports = {
    ...realPorts,
    process: {
      async run(request) {
        runs.push(`${request.command} ${request.args.join(' ')}`);
        const file = recorded(request);
        return file === null ? { code: 1, signal: null, stdout: '', stderr: 'not found', timedOut: false } : { code: 0, signal: null, stdout: readFileSync(join(fixtures, file), 'latin1'), stderr: '', timedOut: false };
      },
      start: () => {
        throw new Error('detect starts nothing');
      },
    },
    fs: {
      ...realPorts.fs,
      async readDir(path) {
        const prefix = path.toLowerCase().replace(/\\?$/, '\\');
        return [...new Set(tree.filter((p) => p.toLowerCase().startsWith(prefix)).map((p) => p.slice(prefix.length).split('\\')[0]!))];
      },
      async lstat(path) {
        const p = path.toLowerCase();
        return [...lower].some((x) => x === p || x.startsWith(`${p}\\`)) ? ({ isFile: () => lower.has(p), isDirectory: () => !lower.has(p), isSymbolicLink: () => false } as Stats) : null;
      },
    },
  };
  return { ports, runs };
}

describe('detect on Windows (recorded outputs through the ports)', () => {
  it('finds the FineReport service (Procrun), its Tomcat base from the registry, its ports, the stopped nginx service and the install folder', async () => {
    const { ports, runs } = windowsPorts(['C:\\FineReport_11.0\\server\\webapps\\webroot\\WEB-INF\\lib\\fine-core.jar', 'C:\\FineReport_11.0\\server\\conf\\server.xml', 'C:\\Windows\\System32\\sc.exe']);
    const out = await detectWindows([], ports);
    expect(out.platform).toBe('win32');
    const tc = out.tomcats.find((t) => t.base === 'C:\\FineReport_11.0\\server');
    expect(tc).toMatchObject({ home: 'C:\\FineReport_11.0\\server', java: 'C:\\FineReport_11.0\\jre\\bin\\server\\jvm.dll', owner: 'LocalSystem' });
    expect(tc!.runs[0]).toMatchObject({ kind: 'windows', name: 'FineReport', state: 'RUNNING', startType: 'AUTO_START', account: 'LocalSystem' });
    expect(tc!.listening.map((l) => l.port).sort((a, b) => a - b)).toEqual([8005, 8075, 8075, 38888]);
    expect(out.tomcats).toHaveLength(1); // the install folder's server\ is the same base, not a second Tomcat
    expect(out.nginx).toEqual([expect.objectContaining({ binary: 'C:\\nginx\\nginx-service.exe', runs: [expect.objectContaining({ kind: 'windows', name: 'nginx', state: 'STOPPED', startType: 'DEMAND_START', account: '.\\nginxsvc' })] })]);
    expect(out.products).toEqual([expect.objectContaining({ dir: 'C:\\FineReport_11.0', product: 'finereport', version: '11.0', tomcatBase: 'C:\\FineReport_11.0\\server', desktopEdition: false })]);
    expect(runs.every((r) => r.startsWith('C:\\Windows\\System32\\'))).toBe(true);
  });

  it('an EXE-installed designer is named as such (HTTPS not possible), and an empty machine says nothing was found', async () => {
    const { ports } = windowsPorts(['C:\\FineReport_10.0\\bin\\designer.exe', 'C:\\FineReport_10.0\\server\\webapps\\webroot\\WEB-INF\\lib\\fine-core.jar']);
    const out = await detectWindows([], { ...ports, process: { ...ports.process, run: async () => ({ code: 1, signal: null, stdout: '', stderr: '', timedOut: false }) } });
    expect(out.products[0]).toMatchObject({ dir: 'C:\\FineReport_10.0', desktopEdition: true });
    expect(out.notes.map((n) => n.code)).toContain('DETECT_DESKTOP_EDITION');
    const empty = await detectWindows([], { ...windowsPorts([]).ports, process: { ...ports.process, run: async () => ({ code: 1, signal: null, stdout: '', stderr: '', timedOut: false }) } });
    expect(empty.notes.map((n) => n.code)).toEqual(['DETECT_NOTHING_FOUND']);
  });
});
