import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { KEY } from '../../main/engine/fine/index.js';
import { DEFAULT_TIMING, realClock, realProcessPort, startService, stopService, type ServiceDeps, type ServiceTarget } from '../../main/engine/services/index.js';
import { createFineInstall } from './finereport.js';
import { makeBase } from './tomcat-base.js';
import { CATALINA_HOME } from './tomcat.js';

const TSX_LOADER = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).pathname;
const FINEREPORT_TS = new URL('./finereport.ts', import.meta.url).href;
const deps: ServiceDeps = { process: realProcessPort, clock: realClock };
const timing = { ...DEFAULT_TIMING, stopTimeoutMs: 30_000, startTimeoutMs: 60_000 };

export interface FineReportTomcat {
  /** The install: a Tomcat base holding webapps/webroot (FineReport's own layout on Linux). */
  readonly install: string;
  readonly serverXml: string;
  readonly webXml: string;
  /** The page the product serves (a static stand-in for /webroot/decision). */
  readonly pagePath: string;
  readonly pageMarker: string;
  /** How the install runs: its catalina scripts (the push service follows them). */
  readonly target: ServiceTarget;
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** Stops Tomcat and any push service left behind (afterAll). */
  cleanup: () => Promise<void>;
}

/**
 * The FineReport-shaped sandbox as a running server: the install of test/harness/finereport.ts
 * (HSQLDB FineDB, fine-*.jar) in a Tomcat 10 base run by Debian's catalina scripts, with the
 * product's WebSocket port recorded in FineDB (WebSocketConfig.port) and the socket.io push
 * stand-in living and dying with Tomcat, as FineReport's push service does inside Tomcat's JVM:
 * `bin/setenv.sh` (which catalina.sh reads on every start and stop) starts it on `start` and
 * stops it on `stop`. The stand-in reads the WebSocketConfig rows at start and serves TLS from
 * the keystore they name. Every file is the test's own, inside `dir`.
 */
export function createFineReportTomcat(dir: string, ports: { readonly http: number; readonly websocket: number }): FineReportTomcat {
  const install = join(dir, 'FineReport_10.0');
  createFineInstall(install, { version: '10.0.20', rows: [{ id: KEY.port, value: JSON.stringify([String(ports.websocket)]) }] });
  makeBase(
    install,
    `<?xml version="1.0" encoding="UTF-8"?>\n<!-- FineReport 10.0 practice install (wss-setup sandbox) -->\n<Server port="-1" shutdown="SHUTDOWN">\n  <Service name="Catalina">\n    <Connector port="${ports.http}" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000" URIEncoding="UTF-8" />\n    <Engine name="Catalina" defaultHost="localhost">\n      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />\n    </Engine>\n  </Service>\n</Server>\n`,
  );
  const pageMarker = 'wss-setup sandbox: FineReport decision platform';
  mkdirSync(join(install, 'webapps', 'webroot', 'decision'), { recursive: true });
  writeFileSync(join(install, 'webapps', 'webroot', 'decision', 'index.html'), `<!doctype html>\n<title>${pageMarker}</title>\n<p>${pageMarker}</p>\n`);
  const script = join(install, 'push-standin.mts');
  writeFileSync(script, `import { startSandboxWebSocket } from ${JSON.stringify(FINEREPORT_TS)};\nprocess.on('SIGTERM', () => process.exit(0));\nawait startSandboxWebSocket(process.argv[2]!, Number(process.argv[3]));\n`);
  mkdirSync(join(install, 'bin'), { recursive: true });
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    join(install, 'bin', 'setenv.sh'),
    [
      '# wss-setup sandbox: the push service follows Tomcat (catalina.sh reads this file on start and stop).',
      'PUSH_PID="$CATALINA_BASE/temp/push-standin.pid"',
      'case "$1" in',
      '  start|run)',
      '    if [ -f "$PUSH_PID" ]; then kill "$(cat "$PUSH_PID")" 2>/dev/null; rm -f "$PUSH_PID"; fi',
      `    ${q(process.execPath)} --import ${q(pathToFileURL(TSX_LOADER).href)} ${q(script)} "$CATALINA_BASE" ${ports.websocket} >>"$CATALINA_BASE/logs/push-standin.log" 2>&1 </dev/null &`,
      '    echo $! >"$PUSH_PID"',
      '    ;;',
      '  stop)',
      '    if [ -f "$PUSH_PID" ]; then kill "$(cat "$PUSH_PID")" 2>/dev/null; rm -f "$PUSH_PID"; fi',
      '    ;;',
      'esac',
      '',
    ].join('\n'),
  );
  const target: ServiceTarget = {
    ref: { kind: 'catalina', home: CATALINA_HOME, base: install },
    ready: [
      { host: '127.0.0.1', port: ports.http },
      { host: '127.0.0.1', port: ports.websocket },
    ],
  };
  const killLeftovers = () => {
    const lines = spawnSync('/bin/ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).stdout.split('\n');
    for (const line of lines.filter((l) => l.includes(script) || l.includes(`-Dcatalina.base=${install} `))) {
      const pid = Number.parseInt(line.trim(), 10);
      if (pid > 1) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone already
        }
      }
    }
  };
  return {
    install,
    serverXml: join(install, 'conf', 'server.xml'),
    webXml: join(install, 'conf', 'web.xml'),
    pagePath: '/webroot/decision/',
    pageMarker,
    target,
    start: async () => void (await startService(target, deps, timing)),
    stop: async () => void (await stopService(target, deps, timing)),
    cleanup: async () => {
      await stopService(target, deps, timing).catch(() => undefined);
      killLeftovers();
    },
  };
}
