import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, lstatSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execPath } from 'node:process';
import type { Plan } from '../../shared/contract/plan.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { realProcessPort, startService, stopService, portAnswers, DEFAULT_TIMING, realClock, type ServiceDeps } from '../../main/engine/services/index.js';
import { writeCertPair } from './fixtures.js';
import { nginxHttpPreamble } from './nginx.js';
import { NGINX_BIN } from './nginx.js';
import { freePorts } from './ports.js';
import { startSocketIo, type Running } from './servers.js';
import { BRIDGE_MAIN, compileBridge, createFineInstall, HSQLDB_JAR, type SandboxInstall } from './finereport.js';

/**
 * The method-two sandbox for the apply tests: a real nginx (daemonizing, as in production) in front
 * of an application run as a plain process, and a socket.io push service standing in for
 * FineReport's WebSocket service. The nginx configuration is the admin's (a plain http site);
 * the plan adds TLS on the page port and the forwarding port.
 */
export interface Sandbox {
  readonly root: string;
  readonly conf: string;
  readonly caFile: string;
  readonly ports: { readonly https: number; readonly forward: number; readonly http: number; readonly push: number; readonly app: number };
  readonly appArgv: string[];
  readonly install: SandboxInstall;
  /** The WebSocketConfig rows the running application reads from its FineDB. */
  fineRows(): Promise<{ id: string; value: string }[]>;
  /** The application's pid now (it changes with every restart). */
  appPid(): number;
  readonly push: Running;
  readonly deps: ServiceDeps;
  /**
   * A fresh plan from the real planner, with the application service added and the checks trusting
   * the test CA; `nginxOnly` plans without the install (no FineDB rows, only nginx restarts).
   */
  /** nginxOnly: no FineDB rows or product restart; localCa: no --cert/--key, the plan issues one from the local CA at apply time. */
  plan(options?: { readonly nginxOnly?: boolean; readonly localCa?: boolean }): Promise<Plan>;
  /** sha256 + mode + owner of every file under the configuration folder (the state apply must keep or restore). */
  snapshot(): Record<string, string>;
  /** The old configuration answers: the app through nginx's plain http site, and the app itself. */
  answering(): Promise<boolean>;
  close(): Promise<void>;
}

export async function createSandbox(root: string): Promise<Sandbox> {
  const [https, forward, http, push, app] = await freePorts(5);
  const ports = { https: https!, forward: forward!, http: http!, push: push!, app: app! };
  mkdirSync(join(root, 'conf.d'), { recursive: true });
  mkdirSync(join(root, 'run', 'tmp'), { recursive: true });
  const { caFile, certPath, keyPath } = writeCertPair(join(root, 'run'), ['localhost', '127.0.0.1']);
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  const conf = join(root, 'nginx.conf');
  writeFileSync(
    conf,
    `${user}worker_processes 1;
pid ${root}/run/nginx.pid;
error_log ${root}/run/error.log warn;
events { worker_connections 256; }
# The report server's front end.
http {
${nginxHttpPreamble(join(root, 'run'))}    default_type application/octet-stream;
    include conf.d/*.conf;
}
`,
  );
  writeFileSync(join(root, 'conf.d', 'site.conf'), `# the report application, still over plain http\nserver {\n    listen 127.0.0.1:${ports.http};\n    server_name localhost;\n    location / { proxy_pass http://127.0.0.1:${ports.app}; }\n}\n`, { mode: 0o640 });
  const appScript = join(root, 'run', 'app.cjs');
  const appPidFile = join(root, 'run', 'app.pid');
  // The report application: pages and a WebSocket echo on one port (as Tomcat serves both), and
  // its embedded FineDB held open while it runs (a real HSQLDB session in a JVM, as the product
  // holds it: db.lck with a live heartbeat), so FineDB can only be written while it is stopped.
  // GET /rows answers the WebSocketConfig rows the running application reads.
  const install = createFineInstall(join(root, 'fine'), { finedb: 'embedded' });
  const wsModule = new URL('../../node_modules/ws/index.js', import.meta.url).pathname;
  const classpath = `${compileBridge()}:${HSQLDB_JAR}`;
  writeFileSync(
    appScript,
    `const { spawn } = require('node:child_process');
const holder = spawn('java', ['-XX:TieredStopAtLevel=1', '-XX:-UsePerfData', '-Xshare:auto', '-cp', ${JSON.stringify(classpath)}, ${JSON.stringify(BRIDGE_MAIN)}], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = require('node:readline').createInterface({ input: holder.stdout });
const waiting = [];
lines.on('line', (l) => waiting.shift()?.(l));
const ask = (req) => new Promise((resolve) => { waiting.push(resolve); holder.stdin.write(JSON.stringify(req) + '\\n'); });
const server = require('node:http').createServer(async (q, s) => {
  if (q.url === '/rows') return s.end(await ask({ op: 'read', prefix: 'WebSocketConfig.' }));
  s.end('<!doctype html><title>report</title>');
});
const wss = new (require(${JSON.stringify(wsModule)}).WebSocketServer)({ server });
wss.on('connection', (ws) => ws.on('message', (d, b) => ws.send(d, { binary: b })));
ask({ op: 'open', driver: 'org.hsqldb.jdbc.JDBCDriver', url: ${JSON.stringify(`jdbc:hsqldb:file:${install.dbPath}`)}, user: 'sa', password: '' }).then((answer) => {
  if (!JSON.parse(answer).ok) { console.error(answer); process.exit(1); }
  require('node:fs').writeFileSync(${JSON.stringify(appPidFile)}, String(process.pid));
  server.listen(${ports.app}, '127.0.0.1');
});
process.on('SIGTERM', () => {
  server.close();
  wss.clients.forEach((c) => c.terminate());
  holder.once('exit', () => process.exit(0));
  holder.stdin.end(JSON.stringify({ op: 'close' }) + '\\n');
  setTimeout(() => { holder.kill('SIGKILL'); process.exit(0); }, 10000).unref();
});
`,
  );
  const appArgv = [execPath, appScript];
  const deps: ServiceDeps = { process: realProcessPort, clock: realClock };
  const timing = { ...DEFAULT_TIMING, stopTimeoutMs: 20_000, startTimeoutMs: 30_000 };
  const pushServer = await startSocketIo(ports.push);
  await startService({ ref: { kind: 'process', pid: 1, argv: appArgv }, ready: [{ host: '127.0.0.1', port: ports.app }] }, deps, timing);
  const nginxRef = { kind: 'nginx' as const, binary: NGINX_BIN, conf };
  await startService({ ref: nginxRef, ready: [{ host: '127.0.0.1', port: ports.http }] }, deps, timing);
  const sandbox: Sandbox = {
    root,
    conf,
    caFile,
    ports,
    appArgv,
    install,
    async fineRows() {
      const res = await fetch(`http://127.0.0.1:${ports.app}/rows`);
      const answer = (await res.json()) as { ok: boolean; rows: { id: string; value: string }[] };
      return answer.rows.filter((r) => r.id.startsWith('WebSocketConfig.')).sort((a, b) => a.id.localeCompare(b.id));
    },
    appPid: () => Number(readFileSync(appPidFile, 'utf8')),
    push: pushServer,
    deps,
    async plan(options = {}) {
      const result = await runOperation('planNginxProxy', { nginxConf: conf, profile: 'finereport', serverNames: ['localhost'], ...(options.localCa === true ? {} : { certPath, keyPath }), listenAddress: '127.0.0.1', httpsPort: ports.https, forwardPort: ports.forward, websocketPort: ports.push, app: `127.0.0.1:${ports.app}`, nginxBin: NGINX_BIN, ...(options.nginxOnly === true ? {} : { install: install.dir }) }, { lang: 'en' });
      if (!result.ok) throw new Error(`plan failed: ${JSON.stringify(result.error)}`);
      const plan = result.value.plan;
      const appService = { id: 'finereport', service: { kind: 'process' as const, pid: sandbox.appPid(), argv: appArgv }, action: 'stop-start' as const, ready: [{ host: '127.0.0.1', port: ports.app }], mustBeFree: [{ host: '127.0.0.1', port: ports.app }], reason: { code: 'plan.reason.appRestart', params: {} } };
      // The planner names the product's Tomcat (catalina); the sandbox runs it as a plain process and
      // its push service separately, so the service entry is the process (as detection would name it).
      // The checks trust the test CA of the given certificate; a certificate issued at apply time is
      // trusted through the local CA (apply adds it to checks that name no CA).
      const checks = options.localCa === true ? plan.checks : plan.checks.map((c) => ({ ...c, ca: caFile }));
      if (options.nginxOnly === true) return { ...plan, checks };
      return { ...plan, services: [...plan.services.filter((x) => x.id !== 'finereport'), appService], checks };
    },
    snapshot() {
      const out: Record<string, string> = {};
      const walk = (dir: string) => {
        for (const name of readdirSync(dir).sort()) {
          const p = join(dir, name);
          const st = lstatSync(p);
          // run/: pid and logs; the live database folder changes while the application runs (its rows are compared through fineRows()).
          if (relative(root, p) === 'run' || p === dirname(install.dbPath)) continue;
          if (st.isDirectory()) {
            out[`${relative(root, p)}/`] = `dir ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
            walk(p);
          } else out[relative(root, p)] = `${createHash('sha256').update(readFileSync(p)).digest('hex')} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${st.size}`;
        }
      };
      walk(root);
      return out;
    },
    async answering() {
      if (!(await portAnswers('127.0.0.1', ports.app))) return false;
      const res = await fetch(`http://127.0.0.1:${ports.http}/`).catch(() => null);
      return res !== null && res.status === 200 && (await res.text()).includes('report');
    },
    async close() {
      await stopService({ ref: nginxRef, ready: [{ host: '127.0.0.1', port: ports.http }] }, deps, timing).catch(() => undefined);
      await stopService({ ref: { kind: 'process', pid: sandbox.appPid(), argv: appArgv }, ready: [{ host: '127.0.0.1', port: ports.app }] }, deps, timing).catch(() => undefined);
      await pushServer.close();
    },
  };
  return sandbox;
}

/** Bytes that differ between two snapshots (size of every changed, missing or added file). */
export function bytesLost(before: Record<string, string>, after: Record<string, string>): number {
  let lost = 0;
  const size = (v: string | undefined) => (v === undefined || v.startsWith('dir ') ? 1 : Number(v.split(' ')[3] ?? 0) || 1);
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) if (before[key] !== after[key]) lost += Math.max(size(before[key]), size(after[key]));
  return lost;
}
