import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertCaOutput, CertIssueOutput } from '../../shared/contract/certs.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { nginxAvailable, startNginx, type NginxInstance } from '../harness/nginx.js';
import { freePorts } from '../harness/ports.js';
import { startEchoServer, type Running } from '../harness/servers.js';
import { tempDir } from '../harness/temp.js';
import { httpsKeystoreConnector, startTomcat, tomcatAvailable, type TomcatInstance } from '../harness/tomcat.js';

/**
 * What the certs module makes, fed to real servers: nginx serves the PEM pair, Tomcat 10 the
 * PKCS#12 keystore (and the JKS one, as an old Tomcat would); a TLS client that trusts only the
 * generated CA connects and verifies the host name; openssl verify accepts the chain; keytool
 * opens the JKS; the live health check reports the WebSocket endpoints healthy.
 */
const servers = nginxAvailable() && tomcatAvailable();
if (!servers) console.warn('certs-servers: skipped because nginx (/usr/sbin/nginx) or Tomcat 10 (/usr/share/tomcat10 + examples) is not installed');

const data = tempDir('wss-setup-certs-data-');
const out = tempDir('wss-setup-certs-out-');
const PASSWORD = 'Tomcat-keystore-pw-1';
let ca: CertCaOutput;
let issued: CertIssueOutput;
let nginx: NginxInstance | undefined;
let tomcat: TomcatInstance | undefined;
let echo: Running | undefined;
let ports: { nginx: number; tomcatP12: number; tomcatJks: number; echo: number };
let caPem: string;

/** Resolves with the TLS outcome of a client that trusts only `ca` (no system roots). */
function tlsClient(port: number, options: { host?: string; servername?: string; ca: string }): Promise<{ ok: true; subject: string } | { ok: false; code: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: options.host ?? '127.0.0.1', port, ca: [options.ca], ...(options.servername ? { servername: options.servername } : {}), rejectUnauthorized: true });
    socket.once('secureConnect', () => {
      const subject = socket.getPeerCertificate().subject?.CN ?? '';
      socket.destroy();
      resolve({ ok: true, subject: String(subject) });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      resolve({ ok: false, code: error.code ?? error.message });
    });
  });
}

beforeAll(async () => {
  process.env.WSS_SETUP_DATA_DIR = data.path;
  const caResult = await runOperation('certCa', { commonName: 'wss-setup test local CA' });
  if (!caResult.ok) throw new Error(JSON.stringify(caResult.error));
  ca = caResult.value;
  caPem = readFileSync(ca.certPath, 'utf8');
  const result = await runOperation('certServer', {
    names: ['localhost', '127.0.0.1', 'reports.example.test'],
    outDir: out.path,
    formats: ['pem', 'pkcs12', 'jks'],
    keystorePassword: PASSWORD,
  });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  issued = result.value;
  if (!servers) return;
  const [n, p12, jks, e] = await freePorts(4);
  ports = { nginx: n!, tomcatP12: p12!, tomcatJks: jks!, echo: e! };
  echo = await startEchoServer(ports.echo);
  const file = (kind: string) => issued.files.find((f) => f.kind === kind)!.path;
  nginx = await startNginx({
    ports: [ports.nginx],
    httpBlock: `
  server {
    listen 127.0.0.1:${ports.nginx} ssl;
    server_name localhost;
    ssl_certificate ${file('certificate')};
    ssl_certificate_key ${file('key')};
    ssl_protocols TLSv1.2 TLSv1.3;
    location /ws/ { proxy_pass http://127.0.0.1:${ports.echo}; proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade"; }
    location / { return 200 "ok"; }
  }`,
  });
  tomcat = await startTomcat({
    ports: [ports.tomcatP12, ports.tomcatJks],
    connectors: [httpsKeystoreConnector(ports.tomcatP12, file('pkcs12'), PASSWORD, 'PKCS12'), httpsKeystoreConnector(ports.tomcatJks, file('jks'), PASSWORD, 'JKS')],
  });
});

afterAll(async () => {
  await nginx?.stop();
  await tomcat?.stop();
  await echo?.close();
  delete process.env.WSS_SETUP_DATA_DIR;
  data.cleanup();
  out.cleanup();
});

describe('generated material', () => {
  it('keeps the CA in the data folder with an owner-only key, CA:true and 10 years', () => {
    expect(ca.certPath).toBe(join(data.path, 'ca', 'ca.crt'));
    expect(statSync(ca.keyPath).mode & 0o777).toBe(0o600);
    expect(ca.certificate.isCa).toBe(true);
    expect(ca.certificate.keyType).toBe('rsa');
    const years = (Date.parse(ca.certificate.validTo) - Date.parse(ca.certificate.validFrom)) / (365.25 * 86_400_000);
    expect(Math.round(years)).toBe(10);
    const text = spawnSync('openssl', ['x509', '-in', ca.certPath, '-noout', '-text'], { encoding: 'utf8' }).stdout;
    expect(text).toMatch(/CA:TRUE/);
    expect(text).toMatch(/Certificate Sign/);
  });

  it('issues a SHA-256 RSA server certificate with every name, serverAuth and at most 825 days', () => {
    const c = issued.certificate;
    expect(c.san).toEqual(['DNS:localhost', 'IP:127.0.0.1', 'DNS:reports.example.test']);
    expect(c.signatureAlgorithm).toBe('sha256WithRSAEncryption');
    expect(c.keyBits).toBe(2048);
    expect(c.isCa).toBe(false);
    expect(Date.parse(c.validTo) - Date.parse(c.validFrom)).toBeLessThanOrEqual(825 * 86_400_000);
    const text = spawnSync('openssl', ['x509', '-in', issued.files[0]!.path, '-noout', '-text'], { encoding: 'utf8' }).stdout;
    expect(text).toMatch(/TLS Web Server Authentication/);
    expect(issued.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('writes keys and keystores owner-only and the certificate readable', () => {
    for (const f of issued.files) expect(statSync(f.path).mode & 0o777, f.path).toBe(f.secret ? 0o600 : 0o644);
    expect(issued.files.map((f) => f.kind)).toEqual(['certificate', 'key', 'pkcs12', 'jks']);
  });

  it('passes openssl verify against the CA, for the server purpose and the host name', () => {
    const leaf = join(out.path, 'leaf-only.pem');
    writeFileSync(leaf, readFileSync(issued.files[0]!.path, 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/)[0]!);
    const ok = spawnSync('openssl', ['verify', '-CAfile', ca.certPath, '-purpose', 'sslserver', '-verify_hostname', 'reports.example.test', leaf], { encoding: 'utf8' });
    expect(`${ok.stdout}${ok.stderr}`).toContain(': OK');
    expect(ok.status).toBe(0);
    const wrongName = spawnSync('openssl', ['verify', '-CAfile', ca.certPath, '-verify_hostname', 'elsewhere.example.test', leaf], { encoding: 'utf8' });
    expect(wrongName.status).not.toBe(0);
  });

  it('opens the JKS with keytool -list (password through the environment)', () => {
    const jks = issued.files.find((f) => f.kind === 'jks')!.path;
    const r = spawnSync('keytool', ['-list', '-v', '-keystore', jks, '-storetype', 'JKS', '-storepass:env', 'KS_PASS'], { encoding: 'utf8', env: { ...process.env, KS_PASS: PASSWORD } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Alias name: tomcat/);
    expect(r.stdout).toMatch(/PrivateKeyEntry/);
    expect(r.stdout).toMatch(/Certificate chain length: 2/);
  });
});

describe.skipIf(!servers)('real servers with the generated material', () => {
  it('nginx serves the PEM pair to a client that trusts only the local CA and checks the host name', async () => {
    expect(await tlsClient(ports.nginx, { servername: 'localhost', ca: caPem })).toEqual({ ok: true, subject: 'localhost' });
    expect(await tlsClient(ports.nginx, { servername: 'reports.example.test', ca: caPem })).toMatchObject({ ok: true });
    expect(await tlsClient(ports.nginx, { host: '127.0.0.1', ca: caPem })).toMatchObject({ ok: true });
    // The same client refuses a name the certificate does not carry: the host name really is verified.
    expect(await tlsClient(ports.nginx, { servername: 'other.example.test', ca: caPem })).toEqual({ ok: false, code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('Tomcat 10 serves the PKCS#12 keystore and the JKS keystore to the same client', async () => {
    expect(await tlsClient(ports.tomcatP12, { servername: 'localhost', ca: caPem })).toEqual({ ok: true, subject: 'localhost' });
    expect(await tlsClient(ports.tomcatJks, { servername: 'localhost', ca: caPem })).toEqual({ ok: true, subject: 'localhost' });
    expect(await tlsClient(ports.tomcatP12, { servername: 'other.example.test', ca: caPem })).toEqual({ ok: false, code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('the live health check finds both WebSocket endpoints healthy with the local CA', async () => {
    const result = await runOperation('check', {
      urls: [`wss://localhost:${ports.nginx}/ws/`, `wss://localhost:${ports.tomcatP12}/examples/websocket/echoAnnotation`],
      caFile: ca.certPath,
    });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.endpoints.map((e) => [e.ok, e.findings.filter((f) => f.severity === 'error').map((f) => f.code)])).toEqual([
      [true, []],
      [true, []],
    ]);
  });

  it('without the CA the same endpoints are untrusted (the check can fail)', async () => {
    const result = await runOperation('check', { urls: [`wss://localhost:${ports.nginx}/ws/`] });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.endpoints[0]!.findings.map((f) => f.code)).toContain('CERT_UNTRUSTED');
  });
});
