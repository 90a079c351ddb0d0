import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckOutput } from '../../shared/contract/check.js';
import type { NginxPlanInput } from '../../shared/contract/nginx.js';
import { runOperation } from '../../main/engine/run-operation.js';
import type { Plan } from '../../shared/contract/plan.js';
import { writeCertPair } from '../harness/fixtures.js';
import { nginxAvailable, nginxHttpPreamble, nginxPreamble, runNginx, type NginxInstance } from '../harness/nginx.js';
import { freePorts } from '../harness/ports.js';
import { startEchoServer, startSocketIo, type Running } from '../harness/servers.js';
import { tempDir } from '../harness/temp.js';

/**
 * End to end with real nginx on loopback: a realistic existing configuration, the plan of
 * each profile applied to it (a minimal apply: write the planned contents), nginx started,
 * and the live health check (with the config-aware diagnosis) reports ok over wss.
 */
const dir = tempDir('wss-setup-nginx-e2e-');
const running: (NginxInstance | Running)[] = [];
let caFile: string;
let certPath: string;
let keyPath: string;

beforeAll(() => {
  if (!nginxAvailable()) throw new Error('nginx is required for the end-to-end tests (apt-get install nginx)');
  ({ caFile, certPath, keyPath } = writeCertPair(dir.path, ['localhost', '127.0.0.1']));
});

afterAll(async () => {
  await Promise.allSettled(running.map((r) => (('stop' in r ? r.stop() : r.close()) as Promise<void>)));
  dir.cleanup();
});

/** An admin's configuration: comments, a site in conf.d, an http-level proxy header, includes. */
function existingConfig(name: string, site: string): string {
  const prefix = join(dir.path, name);
  mkdirSync(join(prefix, 'conf.d'), { recursive: true });
  writeFileSync(
    join(prefix, 'nginx.conf'),
    `${nginxPreamble(prefix)}
# Main configuration of the report server's front end.
http {
${nginxHttpPreamble(prefix)}
    default_type application/octet-stream;
    sendfile on;   # serve static files from the kernel

    # Every proxied request tells the backend who asked.
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;

    include conf.d/*.conf;
}
`,
  );
  writeFileSync(join(prefix, 'conf.d', 'site.conf'), site);
  return join(prefix, 'nginx.conf');
}

async function plan(input: NginxPlanInput): Promise<Plan> {
  const result = await runOperation('planNginxProxy', input, { lang: 'en' });
  if (!result.ok) throw new Error(`plan failed: ${JSON.stringify(result.error)}`);
  expect(result.value.plan.validations).toMatchObject([{ tool: 'nginx -t', ok: true }]);
  return result.value.plan;
}

function apply(p: Plan): void {
  for (const file of p.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, Buffer.from(file.content, file.encoding as BufferEncoding));
  }
}

async function check(urls: string[], nginxConf: string): Promise<CheckOutput> {
  const result = await runOperation('check', { urls, caFile, nginxConf, timeoutMs: 8000 }, { lang: 'en' });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const problems = (report: CheckOutput) => report.endpoints.flatMap((e) => e.findings.filter((f) => f.severity !== 'info').map((f) => `${e.url}: ${f.code} ${f.message}`));

describe('method two end to end with real nginx', () => {
  it('finereport: 443-style TLS site for the app and the forwarding port to the socket.io push service', async () => {
    const [https, forward, http, push, app] = await freePorts(5);
    running.push(await startSocketIo(push!), await startEchoServer(app!));
    const conf = existingConfig('finereport', `# the report application, still over plain http
server {
    listen 127.0.0.1:${http};
    server_name localhost;
    location / { proxy_pass http://127.0.0.1:${app}; }
}
`);
    const p = await plan({ nginxConf: conf, profile: 'finereport', serverNames: ['localhost'], certPath, keyPath, listenAddress: '127.0.0.1', httpsPort: https!, forwardPort: forward!, websocketPort: push!, app: `127.0.0.1:${app}` });
    // Without --install the rows are a note for the admin (plan v2 rows name their install).
    const rows = p.notes.find((n) => n.code === 'FINE_ROWS_BY_HAND')!.evidence.rows as { id: string; value: string }[];
    expect(rows.map((r) => `${r.id}=${r.value}`)).toEqual([`WebSocketConfig.port=["${push}"]`, `WebSocketConfig.requestPorts=${forward}`]);
    apply(p);
    const nginx = await runNginx(dirname(conf), conf, [https!, forward!, http!]);
    running.push(nginx);
    // The plan lists only checks that must pass on a real product (issue 9 item 19): the forwarding
    // port. The page's root is checked here too because this stand-in app echoes there.
    expect(p.checks.map((c) => c.url)).toEqual([`wss://localhost:${forward}/socket.io/?EIO=4&transport=websocket`]);
    const report = await check([`wss://localhost:${https}/`, ...p.checks.map((c) => c.url)], conf);
    expect(problems(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.endpoints.map((e) => [e.kind, e.echo])).toEqual([['websocket', 'ok'], ['socket.io', 'ok']]);
    await nginx.stop();
  });

  it('generic: fixes the existing TLS server\'s WebSocket location in place (before: NGINX_NO_UPGRADE_HEADERS; after: ok)', async () => {
    const [https, push] = await freePorts(2);
    running.push(await startSocketIo(push!));
    const conf = existingConfig('generic', `server {
    listen 127.0.0.1:${https} ssl;
    server_name localhost;
    ssl_certificate ${certPath};
    ssl_certificate_key ${keyPath};
    ssl_protocols TLSv1.2 TLSv1.3;
    root html;

    # real-time updates (forgot the upgrade headers)
    location /socket.io/ {
        proxy_pass http://127.0.0.1:${push};
        proxy_set_header Host $host;
    }
}
`);
    const url = `wss://localhost:${https}/socket.io/?EIO=4&transport=websocket`;
    let nginx = await runNginx(dirname(conf), conf, [https!]);
    running.push(nginx);
    const before = await check([url], conf);
    expect(before.ok).toBe(false);
    const diagnosis = before.endpoints[0]!.findings.find((f) => f.code === 'NGINX_NO_UPGRADE_HEADERS')!;
    expect(diagnosis.message).toContain(`${join(dirname(conf), 'conf.d', 'site.conf')}:10`);
    await nginx.stop();

    const p = await plan({ nginxConf: conf, profile: 'generic', serverNames: ['localhost'], path: '/socket.io/', certPath, keyPath, httpsPort: https! });
    expect(p.files.map((f) => f.path)).toEqual([join(dirname(conf), 'conf.d', 'site.conf')]);
    apply(p);
    nginx = await runNginx(dirname(conf), conf, [https!]);
    running.push(nginx);
    const after = await check([url], conf);
    expect(problems(after)).toEqual([]);
    expect(after.ok).toBe(true);
    await nginx.stop();
  });

  it('pool: a new TLS server in front of two socket.io backends (ip_hash, max_fails)', async () => {
    const [https, one, two, intranet] = await freePorts(4);
    running.push(await startSocketIo(one!), await startSocketIo(two!));
    const conf = existingConfig('pool', `server {
    listen 127.0.0.1:${intranet};
    server_name intranet.example;
    return 204;
}
`);
    const p = await plan({ nginxConf: conf, profile: 'pool', serverNames: ['localhost'], path: '/socket.io/', backends: [`127.0.0.1:${one}`, `127.0.0.1:${two}`], balance: 'ip-hash', certPath, keyPath, listenAddress: '127.0.0.1', httpsPort: https! });
    expect(p.files.find((f) => f.owned)!.content).toContain(`server 127.0.0.1:${one} max_fails=3 fail_timeout=10s;`);
    expect(p.notes.map((n) => n.code)).toContain('POOL_IP_HASH_MOBILE');
    apply(p);
    const nginx = await runNginx(dirname(conf), conf, [https!]);
    running.push(nginx);
    const report = await check([`wss://localhost:${https}/socket.io/?EIO=4&transport=websocket`, `wss://localhost:${https}/socket.io/?EIO=3&transport=websocket`], conf);
    expect(problems(report)).toEqual([]);
    expect(report.ok).toBe(true);
    await nginx.stop();
  });
});
