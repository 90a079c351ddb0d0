import { request } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NginxPlanInput, NginxPlanOutput } from '../../shared/contract/nginx.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { parseText } from '../../main/engine/nginx/parse.js';
import type { Directive, Node } from '../../main/engine/nginx/ast.js';
import { writeCertPair } from '../harness/fixtures.js';
import { nginxAvailable, nginxDump, nginxHttpPreamble, nginxPreamble, runNginx, type NginxInstance } from '../harness/nginx.js';
import { freePorts } from '../harness/ports.js';
import { tempDir } from '../harness/temp.js';

/**
 * Issue 15, on real nginx: the HTTP -> HTTPS redirect goes to a name the certificate covers
 * (never the IP address or unknown Host the visitor typed), --read-timeout reaches a WebSocket
 * location edited in place, and a plan lists only the certificates its configuration uses.
 */
const dir = tempDir('wss-setup-nginx-redirect-');
const running: NginxInstance[] = [];
let certPath: string;
let keyPath: string;

beforeAll(() => {
  if (!nginxAvailable()) throw new Error('nginx is required for these tests (apt-get install nginx)');
  ({ certPath, keyPath } = writeCertPair(dir.path, ['reports.example.test', 'www.example.test']));
});

afterAll(async () => {
  await Promise.allSettled(running.map((r) => r.stop()));
  dir.cleanup();
});

/** An admin's nginx.conf that includes conf.d/*.conf, with `site` as conf.d/site.conf. */
function existingConfig(name: string, site: string): string {
  const prefix = join(dir.path, `${name}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(prefix, 'conf.d'), { recursive: true });
  writeFileSync(join(prefix, 'nginx.conf'), `${nginxPreamble(prefix)}http {\n${nginxHttpPreamble(prefix)}    include conf.d/*.conf;\n}\n`);
  writeFileSync(join(prefix, 'conf.d', 'site.conf'), site);
  return join(prefix, 'nginx.conf');
}

async function plan(input: NginxPlanInput): Promise<NginxPlanOutput['plan']> {
  const result = await runOperation('planNginxProxy', input, { lang: 'en' });
  if (!result.ok) throw new Error(`plan failed: ${JSON.stringify(result.error)}`);
  return result.value.plan;
}

function apply(p: NginxPlanOutput['plan']): void {
  for (const file of p.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, Buffer.from(file.content, file.encoding as BufferEncoding));
  }
}

/** One plain HTTP request to 127.0.0.1:port with the given Host header; status and Location. */
function get(port: number, path: string, host: string): Promise<{ status: number; location: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, location: res.headers.location });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The directives of the first `location <path>` block anywhere in nginx -T's dump. */
function locationIn(dump: string, path: string): Directive[] {
  const parsed = parseText(dump, 'nginx -T');
  if (!parsed.ok) throw new Error(`nginx -T output does not parse: ${JSON.stringify(parsed.problem)}`);
  const find = (nodes: readonly Node[]): Directive[] | null => {
    for (const n of nodes) {
      if (n.kind !== 'directive' || n.block === null) continue;
      if (n.name === 'location' && n.args.map((a) => a.value).at(-1) === path) return n.block.filter((c): c is Directive => c.kind === 'directive');
      const inner = find(n.block);
      if (inner !== null) return inner;
    }
    return null;
  };
  const found = find(parsed.file.nodes);
  if (found === null) throw new Error(`no location ${path} in nginx -T`);
  return found;
}

const valuesOf = (directives: readonly Directive[], name: string) => directives.filter((d) => d.name === name).map((d) => d.args.map((a) => a.value).join(' '));

describe('HTTP -> HTTPS redirect (issue 15)', () => {
  it('a request by IP address and one with an unknown Host go to the server name, with path, query and port kept', async () => {
    const [https, forward, http] = await freePorts(3);
    const conf = existingConfig('redirect', '# nothing else listens on the HTTP port\n');
    const p = await plan({ nginxConf: conf, profile: 'finereport', serverNames: ['reports.example.test'], certPath, keyPath, listenAddress: '127.0.0.1', httpsPort: https!, forwardPort: forward!, redirectHttp: true, httpPort: http! });
    apply(p);
    const nginx = await runNginx(dirname(conf), conf, [https!, forward!, http!]);
    running.push(nginx);
    const expected = `https://reports.example.test:${https}/some/path?q=1&r=a%20b`;
    expect(await get(http!, '/some/path?q=1&r=a%20b', `127.0.0.1:${http}`)).toEqual({ status: 301, location: expected });
    expect(await get(http!, '/some/path?q=1&r=a%20b', 'unknown.example.net')).toEqual({ status: 301, location: expected });
    expect(await get(http!, '/some/path?q=1&r=a%20b', `reports.example.test:${http}`)).toEqual({ status: 301, location: expected });
    await nginx.stop();
    // The plan says which host the redirect uses.
    expect(p.notes.find((n) => n.code === 'REDIRECT_TO_NAME')?.evidence).toMatchObject({ name: 'reports.example.test', target: `https://reports.example.test:${https}$request_uri` });
  });

  it('several names the certificate covers: the typed one is kept when covered, anything else goes to the first', async () => {
    const [https, forward, http] = await freePorts(3);
    const conf = existingConfig('redirect-map', '# nothing else listens on the HTTP port\n');
    const p = await plan({ nginxConf: conf, profile: 'finereport', serverNames: ['reports.example.test', 'www.example.test'], certPath, keyPath, listenAddress: '127.0.0.1', httpsPort: https!, forwardPort: forward!, redirectHttp: true, httpPort: http! });
    apply(p);
    const nginx = await runNginx(dirname(conf), conf, [https!, forward!, http!]);
    running.push(nginx);
    expect((await get(http!, '/a?b=c', 'www.example.test')).location).toBe(`https://www.example.test:${https}/a?b=c`);
    expect((await get(http!, '/a?b=c', '127.0.0.1')).location).toBe(`https://reports.example.test:${https}/a?b=c`);
    expect((await get(http!, '/a?b=c', 'evil.example.net')).location).toBe(`https://reports.example.test:${https}/a?b=c`);
    await nginx.stop();
    expect(p.notes.map((n) => n.code)).toContain('REDIRECT_TO_COVERED_HOST');
  });

  it('on 443 the port is left out; without any server name the typed host is used and the plan warns', async () => {
    const conf = existingConfig('redirect-443', '# empty\n');
    const named = await plan({ nginxConf: conf, profile: 'finereport', serverNames: ['reports.example.test'], certPath, keyPath, redirectHttp: true, httpPort: 8081 });
    expect(named.files[0]!.content).toContain('    return 301 https://reports.example.test$request_uri;');
    const unnamed = await plan({ nginxConf: conf, profile: 'finereport', certPath, keyPath, redirectHttp: true, httpPort: 8081, httpsPort: 8443 });
    expect(unnamed.files[0]!.content).toContain('    return 301 https://$host:8443$request_uri;');
    expect(unnamed.notes.find((n) => n.code === 'REDIRECT_TO_TYPED_HOST')?.severity).toBe('warning');
  });
});

describe('a WebSocket location edited in place (issue 15)', () => {
  async function intranet(): Promise<{ conf: string; https: number; backend: number }> {
    const [https, backend] = await freePorts(2);
    const conf = existingConfig(
      'intranet',
      `# the admin's existing TLS intranet site
server {
    listen 127.0.0.1:${https} ssl;
    server_name reports.example.test;
    ssl_certificate ${certPath};
    ssl_certificate_key ${keyPath};
    location / {
        return 204;
    }
    location /live/ {
        proxy_pass http://127.0.0.1:${backend};
    }
}
`,
    );
    return { conf, https: https!, backend: backend! };
  }

  it('carries the requested proxy_read_timeout in nginx -T', async () => {
    const { conf, https, backend } = await intranet();
    const p = await plan({ nginxConf: conf, profile: 'pool', serverNames: ['reports.example.test'], path: '/live/', backends: [`127.0.0.1:${backend}`], httpsPort: https, readTimeoutSeconds: 1800 });
    expect(p.files.map((f) => f.path)).toContain(join(dirname(conf), 'conf.d', 'site.conf'));
    apply(p);
    const live = locationIn(nginxDump(dirname(conf), conf), '/live/');
    expect(valuesOf(live, 'proxy_read_timeout')).toEqual(['1800s']);
    expect(valuesOf(live, 'proxy_set_header')).toEqual(expect.arrayContaining(['Upgrade $http_upgrade', 'Connection $connection_upgrade']));
    // nginx accepts it and starts.
    const nginx = await runNginx(dirname(conf), conf, [https]);
    running.push(nginx);
    await nginx.stop();
  });

  it('the in-place plan lists no unused certificate (the server keeps its own)', async () => {
    const { conf, https, backend } = await intranet();
    const p = await plan({ nginxConf: conf, profile: 'pool', serverNames: ['reports.example.test'], path: '/live/', backends: [`127.0.0.1:${backend}`], httpsPort: https, readTimeoutSeconds: 1800 });
    expect(p.certificates).toEqual([]);
    expect(p.notes.map((n) => n.code)).not.toContain('CERT_TO_ISSUE');
    apply(p);
    const dump = nginxDump(dirname(conf), conf);
    expect(dump).not.toContain('wss-setup/certs/');
  });

  it('without --read-timeout the location gets the profile default instead of nginx\'s 60 s; a usable timeout of the admin is kept and said', async () => {
    const { conf, https, backend } = await intranet();
    const p = await plan({ nginxConf: conf, profile: 'generic', serverNames: ['reports.example.test'], path: '/live/', upstream: `127.0.0.1:${backend}`, httpsPort: https });
    apply(p);
    expect(valuesOf(locationIn(nginxDump(dirname(conf), conf), '/live/'), 'proxy_read_timeout')).toEqual(['3600s']);
    // The admin then chooses 900 s by hand: planning again keeps it and says so.
    const site = join(dirname(conf), 'conf.d', 'site.conf');
    writeFileSync(site, readFileSync(site, 'utf8').replace('proxy_read_timeout 3600s;', 'proxy_read_timeout 900s;'));
    const again = await plan({ nginxConf: conf, profile: 'generic', serverNames: ['reports.example.test'], path: '/live/', upstream: `127.0.0.1:${backend}`, httpsPort: https });
    expect(again.files).toEqual([]);
    expect(again.notes.find((n) => n.code === 'READ_TIMEOUT_KEPT')?.evidence).toMatchObject({ seconds: 900 });
    // An explicit --read-timeout replaces it.
    const explicit = await plan({ nginxConf: conf, profile: 'generic', serverNames: ['reports.example.test'], path: '/live/', upstream: `127.0.0.1:${backend}`, httpsPort: https, readTimeoutSeconds: 1200 });
    apply(explicit);
    expect(valuesOf(locationIn(nginxDump(dirname(conf), conf), '/live/'), 'proxy_read_timeout')).toEqual(['1200s']);
  });

  it('nginx\'s restart is proven where the edited server listens (its own address, not the loopback default)', async () => {
    const { conf, https, backend } = await intranet();
    const site = join(dirname(conf), 'conf.d', 'site.conf');
    writeFileSync(site, readFileSync(site, 'utf8').replace(`listen 127.0.0.1:${https} ssl;`, `listen 127.0.0.2:${https} ssl;`));
    const p = await plan({ nginxConf: conf, profile: 'generic', serverNames: ['reports.example.test'], path: '/live/', upstream: `127.0.0.1:${backend}`, httpsPort: https });
    expect(p.services.find((s) => s.id === 'nginx')).toMatchObject({ ready: [{ host: '127.0.0.2', port: https }], mustBeFree: [{ host: '127.0.0.2', port: https }] });
  });

  it('--cert and --key given for an in-place location are not listed as a certificate action, and the plan says they were not used', async () => {
    const { conf, https, backend } = await intranet();
    const p = await plan({ nginxConf: conf, profile: 'generic', serverNames: ['reports.example.test'], path: '/live/', upstream: `127.0.0.1:${backend}`, httpsPort: https, certPath, keyPath });
    expect(p.certificates).toEqual([]);
    expect(p.notes.find((n) => n.code === 'OPTIONS_NOT_USED')?.evidence).toMatchObject({ options: ['--cert', '--key'] });
  });
});
