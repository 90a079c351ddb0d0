import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckInput, CheckOutput, EndpointReport, Lang } from '../../shared/contract/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { days, makeCa, makeLeaf, makeSelfSigned } from '../harness/certs.js';
import { startNginx, type NginxInstance } from '../harness/nginx.js';
import { freePorts } from '../harness/ports.js';
import { startEchoServer, startPageServer, startSocketIo, type Running } from '../harness/servers.js';
import { tempDir } from '../harness/temp.js';
import { httpsPemConnector, startTomcat, type TomcatInstance } from '../harness/tomcat.js';

/**
 * The seed failures, each reproduced with real nginx / Tomcat 10 / socket.io on loopback,
 * and the code the health check must name for it.
 */
const dir = tempDir('wss-setup-health-');
let nginx: NginxInstance;
let tomcat: TomcatInstance;
const backends: Running[] = [];
let ports: Record<'good' | 'other' | 'self' | 'expired' | 'plain' | 'socketio' | 'echo' | 'page' | 'dead' | 'closed' | 'tomcat', number>;
let caFile: string;
let selfSignedFile: string;

async function check(input: CheckInput, lang: Lang = 'en'): Promise<CheckOutput> {
  const result = await runOperation('check', { timeoutMs: 8000, ...input }, { lang });
  if (!result.ok) throw new Error(`check failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

async function one(url: string, extra: Partial<CheckInput> = {}, lang: Lang = 'en'): Promise<EndpointReport> {
  const report = await check({ ...extra, urls: [url] }, lang);
  return report.endpoints[0]!;
}

const codes = (e: EndpointReport) => e.findings.filter((f) => f.severity === 'error').map((f) => f.code);

beforeAll(async () => {
  const [good, other, self, expired, plain, socketio, echo, page, dead, closed, tomcatPort] = await freePorts(11);
  ports = { good: good!, other: other!, self: self!, expired: expired!, plain: plain!, socketio: socketio!, echo: echo!, page: page!, dead: dead!, closed: closed!, tomcat: tomcatPort! };
  const ca = makeCa();
  const names = ['localhost', '127.0.0.1'];
  const goodPem = makeLeaf(ca, { names });
  const otherPem = makeLeaf(ca, { names: ['reports.other.example'] });
  const selfPem = makeSelfSigned({ names });
  const expiredPem = makeLeaf(ca, { names, notBefore: days(-400), notAfter: days(-10) });
  caFile = join(dir.path, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  selfSignedFile = join(dir.path, 'self.pem');
  writeFileSync(selfSignedFile, selfPem.cert);
  writeFileSync(join(dir.path, 'tomcat.crt'), goodPem.cert);
  writeFileSync(join(dir.path, 'tomcat.key'), goodPem.key);

  backends.push(await startSocketIo(ports.socketio), await startEchoServer(ports.echo), await startPageServer(ports.page));

  const upgrade = `proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; proxy_read_timeout 3600s;`;
  const tlsServer = (port: number, name: string, extra = '') => `
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    ssl_certificate certs/${name}.crt;
    ssl_certificate_key certs/${name}.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    root www;
    location /ws/ { proxy_pass http://127.0.0.1:${ports.echo}; ${upgrade} }
    ${extra}
  }`;
  nginx = await startNginx({
    ports: [ports.good, ports.other, ports.self, ports.expired, ports.plain],
    files: {
      'certs/good.crt': goodPem.cert,
      'certs/good.key': goodPem.key,
      'certs/other.crt': otherPem.cert,
      'certs/other.key': otherPem.key,
      'certs/self.crt': selfPem.cert,
      'certs/self.key': selfPem.key,
      'certs/expired.crt': expiredPem.cert,
      'certs/expired.key': expiredPem.key,
      'www/index.html': '<!doctype html><title>home</title>',
    },
    httpBlock: `
${tlsServer(ports.good, 'good', `
    location /socket.io/ { proxy_pass http://127.0.0.1:${ports.socketio}; ${upgrade} }
    location /page/ { proxy_pass http://127.0.0.1:${ports.page}; }
    location /dead/ { proxy_pass http://127.0.0.1:${ports.dead}; ${upgrade} }`)}
${tlsServer(ports.other, 'other')}
${tlsServer(ports.self, 'self')}
${tlsServer(ports.expired, 'expired')}
  server {
    listen 127.0.0.1:${ports.plain};
    server_name localhost;
    location /ws/ { proxy_pass http://127.0.0.1:${ports.echo}; ${upgrade} }
  }`,
  });
  tomcat = await startTomcat({
    connectors: [httpsPemConnector(ports.tomcat, join(dir.path, 'tomcat.crt'), join(dir.path, 'tomcat.key'))],
    ports: [ports.tomcat],
  });
});

afterAll(async () => {
  await Promise.allSettled([nginx?.stop(), tomcat?.stop(), ...backends.map((b) => b.close())]);
  dir.cleanup();
});

describe('health check against real servers', () => {
  it('healthy wss through nginx: ok, echo answered, certificate described', async () => {
    const e = await one(`wss://localhost:${ports.good}/ws/`, { caFile });
    expect(codes(e)).toEqual([]);
    expect(e.ok).toBe(true);
    expect(e.echo).toBe('ok');
    expect(e.http?.status).toBe(101);
    expect(e.tls?.authorized).toBe(true);
    expect(e.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(e.tls?.certificate?.san).toEqual(['DNS:localhost', 'IP:127.0.0.1']);
    expect(e.tls?.certificate?.selfSigned).toBe(false);
    for (const phase of ['dns', 'tcp', 'tls', 'upgrade', 'echo'] as const) expect(e.timings[phase]).toBeGreaterThanOrEqual(0);
  });

  it("healthy wss through Tomcat 10's own SSL connector (JSR-356 echo): ok", async () => {
    const e = await one(`wss://localhost:${ports.tomcat}/examples/websocket/echoAnnotation`, { caFile });
    expect(codes(e)).toEqual([]);
    expect(e.ok).toBe(true);
    expect(e.echo).toBe('ok');
  });

  it('a location without Upgrade headers in front of a page-serving backend: UPGRADE_NOT_FORWARDED', async () => {
    const e = await one(`wss://localhost:${ports.good}/page/`, { caFile });
    expect(codes(e)).toEqual(['UPGRADE_NOT_FORWARDED']);
    expect(e.http?.status).toBe(200);
    expect(e.findings[0]!.message).toContain('Unexpected response code: 200');
  });

  it('a wrong path: WS_PATH_NOT_FOUND', async () => {
    const e = await one(`wss://localhost:${ports.good}/websockets/`, { caFile });
    expect(codes(e)).toEqual(['WS_PATH_NOT_FOUND']);
    expect(e.http?.status).toBe(404);
  });

  it('a certificate for another name: CERT_NAME_MISMATCH', async () => {
    const e = await one(`wss://localhost:${ports.other}/ws/`, { caFile });
    expect(codes(e)).toEqual(['CERT_NAME_MISMATCH']);
    expect(e.findings[0]!.message).toContain('reports.other.example');
  });

  it('a self-signed certificate: CERT_UNTRUSTED, and ok with --ca', async () => {
    const untrusted = await one(`wss://localhost:${ports.self}/ws/`);
    expect(codes(untrusted)).toEqual(['CERT_UNTRUSTED']);
    expect(untrusted.tls?.certificate?.selfSigned).toBe(true);
    expect(untrusted.findings[0]!.message).toMatch(/does not cover this port/);
    const trusted = await one(`wss://localhost:${ports.self}/ws/`, { caFile: selfSignedFile });
    expect(codes(trusted)).toEqual([]);
    expect(trusted.ok).toBe(true);
  });

  it('an expired certificate: CERT_EXPIRED', async () => {
    const e = await one(`wss://localhost:${ports.expired}/ws/`, { caFile });
    expect(codes(e)).toEqual(['CERT_EXPIRED']);
  });

  it('ws:// checked with an https:// page origin: MIXED_CONTENT', async () => {
    const e = await one(`ws://localhost:${ports.plain}/ws/`, { origin: 'https://reports.example.com' });
    expect(codes(e)).toEqual(['MIXED_CONTENT']);
    // The endpoint itself works; only the browser rule fails it.
    expect(e.echo).toBe('ok');
  });

  it('the same ws:// URL without an https origin is healthy', async () => {
    const e = await one(`ws://localhost:${ports.plain}/ws/`, { origin: 'http://reports.example.com' });
    expect(e.ok).toBe(true);
  });

  it('a closed port: CONNECTION_REFUSED', async () => {
    const e = await one(`wss://127.0.0.1:${ports.closed}/`);
    expect(codes(e)).toEqual(['CONNECTION_REFUSED']);
  });

  it('wss:// to a plain HTTP port: TLS_NOT_SPOKEN', async () => {
    const e = await one(`wss://localhost:${ports.plain}/ws/`);
    expect(codes(e)).toEqual(['TLS_NOT_SPOKEN']);
  });

  it('ws:// to a TLS port: TLS_EXPECTED', async () => {
    const e = await one(`ws://localhost:${ports.good}/ws/`);
    expect(codes(e)).toEqual(['TLS_EXPECTED']);
    expect(e.findings[0]!.fix).toContain(`wss://localhost:${ports.good}/ws/`);
  });

  it('ws:// to Tomcat\'s TLS connector: TLS_EXPECTED', async () => {
    const e = await one(`ws://localhost:${ports.tomcat}/examples/websocket/echoAnnotation`);
    expect(codes(e)).toEqual(['TLS_EXPECTED']);
  });

  it('a stopped backend behind nginx: BACKEND_UNAVAILABLE', async () => {
    const e = await one(`wss://localhost:${ports.good}/dead/`, { caFile });
    expect(codes(e)).toEqual(['BACKEND_UNAVAILABLE']);
    expect(e.http?.status).toBe(502);
  });

  it('a socket.io service through nginx (engine.io 4 and 3): ok with the open packet and a round trip', async () => {
    const report = await check({
      urls: [`wss://localhost:${ports.good}/socket.io/?EIO=4&transport=websocket`, `wss://localhost:${ports.good}/socket.io/?EIO=3&transport=websocket`],
      caFile,
    });
    for (const e of report.endpoints) {
      expect(codes(e)).toEqual([]);
      expect(e.kind).toBe('socket.io');
      expect(e.echo).toBe('ok');
      expect(e.timings.open).toBeGreaterThanOrEqual(0);
    }
    expect(report.ok).toBe(true);
  });

  it('a plain WebSocket echo at a socket.io URL: SOCKETIO_NO_OPEN', async () => {
    const e = await one(`ws://127.0.0.1:${ports.echo}/socket.io/?EIO=4&transport=websocket`);
    expect(codes(e)).toEqual(['SOCKETIO_NO_OPEN']);
  });

  it('a host name that does not resolve: DNS_FAILED', async () => {
    const e = await one('wss://no-such-host.invalid/');
    expect(codes(e)).toEqual(['DNS_FAILED']);
  });

  it('a dead endpoint gives its verdict within its timeout', async () => {
    // A listening socket that never answers the TLS hello.
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const e = await one(`wss://127.0.0.1:${port}/`, { timeoutMs: 500 });
      expect(codes(e)).toEqual(['TIMEOUT']);
      expect(e.findings[0]!.evidence.phase).toBe('tls');
      expect(e.timings.total).toBeLessThan(500 + 250);
    } finally {
      silent.close();
    }
  });

  it('a mixed list reports per endpoint and is not ok overall', async () => {
    const report = await check({ urls: [`wss://localhost:${ports.good}/ws/`, `wss://127.0.0.1:${ports.closed}/`], caFile });
    expect(report.ok).toBe(false);
    expect(report.endpoints.map((e) => e.ok)).toEqual([true, false]);
  });

  it('speaks Simplified Chinese when asked', async () => {
    const e = await one(`wss://127.0.0.1:${ports.closed}/`, {}, 'zh-CN');
    expect(e.findings[0]!.message).toContain('连接被拒绝');
  });
});
