import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CertIssueOutput } from '../../shared/contract/certs.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { nginxAvailable, startNginx, type NginxInstance } from '../harness/nginx.js';
import { freePorts } from '../harness/ports.js';
import { tempDir } from '../harness/temp.js';
import { httpsKeystoreConnector, startTomcat, tomcatAvailable, type TomcatInstance } from '../harness/tomcat.js';

/**
 * Imports round-trip: material made by openssl in the test (a CA, a server certificate with SAN,
 * the key encrypted as by seed 000's `openssl genrsa -des3`, and a PFX) is imported, written
 * again as PEM / PKCS#12 / JKS, and served by real nginx and Tomcat 10.
 */
const servers = nginxAvailable() && tomcatAvailable();
if (!servers) console.warn('certs-import: server part skipped because nginx or Tomcat 10 is not installed');

const dir = tempDir('wss-setup-certs-import-');
const data = tempDir('wss-setup-certs-import-data-');
const src = join(dir.path, 'src');
const PASSPHRASE = 'seed-000-des3-passphrase';
const PFX_PASSWORD = 'pfx-export-password';
const KEYSTORE_PASSWORD = 'imported-keystore-pw';
let fromPem: CertIssueOutput;
let fromPfx: CertIssueOutput;
let nginx: NginxInstance | undefined;
let tomcat: TomcatInstance | undefined;
let ports: { pem: number; pfx: number; tomcat: number };

function openssl(...args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: src, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}\n${r.stderr}`);
}

function tlsClient(port: number, servername: string, ca: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, servername, ca: [ca], rejectUnauthorized: true });
    socket.once('secureConnect', () => {
      socket.destroy();
      resolve('ok');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

const outDir = (name: string) => {
  const p = join(dir.path, name);
  mkdirSync(p, { recursive: true });
  return p;
};

beforeAll(async () => {
  process.env.WSS_SETUP_DATA_DIR = data.path;
  mkdirSync(src, { recursive: true });
  // A company CA with its own key, and a server certificate it signs (SAN, serverAuth).
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '365', '-subj', '/CN=Test Company CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  // Seed 000: "openssl genrsa -des3 -out server.key 2048" (legacy PEM encryption, as older OpenSSL wrote it).
  openssl('genrsa', '-traditional', '-des3', '-passout', `pass:${PASSPHRASE}`, '-out', 'server.key', '2048');
  openssl('req', '-new', '-key', 'server.key', '-passin', `pass:${PASSPHRASE}`, '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(src, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '200', '-sha256', '-extfile', 'ext.cnf', '-out', 'server.crt');
  // The same pair as a PFX with the chain (OpenSSL 3 defaults: AES-256, PBKDF2, SHA-256 MAC).
  openssl('pkcs12', '-export', '-in', 'server.crt', '-inkey', 'server.key', '-passin', `pass:${PASSPHRASE}`, '-certfile', 'ca.crt', '-name', 'reports', '-passout', `pass:${PFX_PASSWORD}`, '-out', 'server.pfx');
  // A PKCS#8 encrypted key (what OpenSSL 3's genrsa -des3 writes by default).
  openssl('pkcs8', '-topk8', '-in', 'server.key', '-passin', `pass:${PASSPHRASE}`, '-v2', 'aes-256-cbc', '-passout', `pass:${PASSPHRASE}`, '-out', 'server-pkcs8.key');

  const pem = await runOperation('certImport', {
    source: { kind: 'pem', certFile: join(src, 'server.crt'), keyFile: join(src, 'server.key'), chainFiles: [join(src, 'ca.crt')], passphrase: PASSPHRASE },
    names: ['localhost', '127.0.0.1'],
    outDir: outDir('from-pem'),
    formats: ['pem', 'pkcs12'],
    keystorePassword: KEYSTORE_PASSWORD,
  });
  if (!pem.ok) throw new Error(JSON.stringify(pem.error));
  fromPem = pem.value;
  const pfx = await runOperation('certImport', {
    source: { kind: 'pkcs12', file: join(src, 'server.pfx'), password: PFX_PASSWORD },
    outDir: outDir('from-pfx'),
    formats: ['pem', 'pkcs12', 'jks'],
    keystorePassword: KEYSTORE_PASSWORD,
  });
  if (!pfx.ok) throw new Error(JSON.stringify(pfx.error));
  fromPfx = pfx.value;

  if (!servers) return;
  const [a, b, c] = await freePorts(3);
  ports = { pem: a!, pfx: b!, tomcat: c! };
  const path = (o: CertIssueOutput, kind: string) => o.files.find((f) => f.kind === kind)!.path;
  const server = (port: number, o: CertIssueOutput) => `
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${path(o, 'certificate')};
    ssl_certificate_key ${path(o, 'key')};
    location / { return 200 "ok"; }
  }`;
  nginx = await startNginx({ ports: [ports.pem, ports.pfx], httpBlock: server(ports.pem, fromPem) + server(ports.pfx, fromPfx) });
  tomcat = await startTomcat({ ports: [ports.tomcat], examples: false, connectors: [httpsKeystoreConnector(ports.tomcat, path(fromPfx, 'pkcs12'), KEYSTORE_PASSWORD, 'PKCS12')] });
});

afterAll(async () => {
  await nginx?.stop();
  await tomcat?.stop();
  delete process.env.WSS_SETUP_DATA_DIR;
  dir.cleanup();
  data.cleanup();
});

describe('imports', () => {
  it('imports the encrypted PEM key with its passphrase and writes an unencrypted owner-only key', () => {
    expect(fromPem.certificate.subject).toBe('CN=localhost');
    expect(fromPem.chain.map((c) => c.subject)).toEqual(['CN=Test Company CA']);
    expect(fromPem.findings.filter((f) => f.severity === 'error')).toEqual([]);
    const key = readFileSync(fromPem.files.find((f) => f.kind === 'key')!.path, 'utf8');
    expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    // Leaf first, then the CA: the order nginx needs.
    const crt = readFileSync(fromPem.files.find((f) => f.kind === 'certificate')!.path, 'utf8');
    expect(crt.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
  });

  it('imports the OpenSSL 3 PFX (AES-256, SHA-256 MAC) with its chain and writes PEM, PKCS#12 and JKS', () => {
    expect(fromPfx.certificate.fingerprint256).toBe(fromPem.certificate.fingerprint256);
    expect(fromPfx.chain.map((c) => c.subject)).toEqual(['CN=Test Company CA']);
    const jks = fromPfx.files.find((f) => f.kind === 'jks')!.path;
    const list = spawnSync('keytool', ['-list', '-keystore', jks, '-storepass:env', 'P'], { encoding: 'utf8', env: { ...process.env, P: KEYSTORE_PASSWORD } });
    expect(list.stdout).toMatch(/PrivateKeyEntry/);
  });

  it('imports a PKCS#8 encrypted key and a JKS keystore too', async () => {
    const pkcs8 = await runOperation('certImport', {
      source: { kind: 'pem', certFile: join(src, 'server.crt'), keyFile: join(src, 'server-pkcs8.key'), passphrase: PASSPHRASE },
      outDir: outDir('from-pkcs8'),
    });
    expect(pkcs8.ok && pkcs8.value.certificate.fingerprint256).toBe(fromPem.certificate.fingerprint256);
    const jks = await runOperation('certImport', {
      source: { kind: 'jks', file: fromPfx.files.find((f) => f.kind === 'jks')!.path, password: KEYSTORE_PASSWORD },
      outDir: outDir('from-jks'),
    });
    if (!jks.ok) throw new Error(JSON.stringify(jks.error));
    expect(jks.value.certificate.fingerprint256).toBe(fromPem.certificate.fingerprint256);
    expect(jks.value.chain).toHaveLength(1);
  });

  it('puts a chain given in the wrong order right', async () => {
    const reversed = join(src, 'reversed.pem');
    writeFileSync(reversed, readFileSync(join(src, 'ca.crt'), 'utf8') + readFileSync(join(src, 'server.crt'), 'utf8'));
    const inspect = await runOperation('certInspect', { source: { kind: 'pem', certFile: reversed } });
    expect(inspect.ok && inspect.value.findings.map((f) => `${f.code}:${f.severity}`)).toContain('CERT_CHAIN_ORDER:error');
    const r = await runOperation('certImport', { source: { kind: 'pem', certFile: reversed, keyFile: join(src, 'server.key'), passphrase: PASSPHRASE }, outDir: outDir('reordered') });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const written = readFileSync(r.value.files[0]!.path, 'utf8');
    expect(written.indexOf(readFileSync(join(src, 'server.crt'), 'utf8').trim().split('\n')[1]!)).toBeLessThan(written.indexOf(readFileSync(join(src, 'ca.crt'), 'utf8').trim().split('\n')[1]!));
  });
});

describe('bad imports: a clear error and nothing written', () => {
  const cases: [string, () => unknown, string, RegExp][] = [
    ['wrong PEM passphrase', () => ({ source: { kind: 'pem', certFile: join(src, 'server.crt'), keyFile: join(src, 'server.key'), passphrase: 'not-it' } }), 'CERT_WRONG_PASSPHRASE', /passphrase for .*server\.key is wrong/],
    ['missing PEM passphrase', () => ({ source: { kind: 'pem', certFile: join(src, 'server.crt'), keyFile: join(src, 'server.key') } }), 'CERT_PASSPHRASE_REQUIRED', /is encrypted and needs its passphrase/],
    ['wrong PFX password', () => ({ source: { kind: 'pkcs12', file: join(src, 'server.pfx'), password: 'not-it' } }), 'CERT_WRONG_PASSPHRASE', /server\.pfx is wrong/],
    ['key of another certificate', () => ({ source: { kind: 'pem', certFile: join(src, 'server.crt'), keyFile: join(src, 'ca.key') } }), 'CERT_KEY_MISMATCH', /does not belong to the certificate "CN=localhost"/],
    ['certificate without key', () => ({ source: { kind: 'pem', certFile: join(src, 'server.crt') } }), 'CERT_KEY_MISSING', /private key is missing/],
    ['PFX given as PEM', () => ({ source: { kind: 'pem', certFile: join(src, 'server.pfx'), keyFile: join(src, 'server.key'), passphrase: PASSPHRASE } }), 'CERT_NOT_PEM', /holds no certificate/],
    ['PEM given as PFX', () => ({ source: { kind: 'pkcs12', file: join(src, 'server.crt'), password: 'x' } }), 'CERT_PKCS12_INVALID', /is not a PKCS#12/],
    ['missing file', () => ({ source: { kind: 'pem', certFile: join(src, 'nope.crt'), keyFile: join(src, 'server.key') } }), 'CERT_FILE_UNREADABLE', /no such file/],
  ];
  for (const [name, input, code, message] of cases) {
    it(name, async () => {
      const target = outDir(`bad-${code}-${name.replace(/\W+/g, '-')}`);
      const r = await runOperation('certImport', { ...(input() as object), outDir: target, formats: ['pem', 'pkcs12'], keystorePassword: KEYSTORE_PASSWORD });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe(code);
      expect(r.error.message).toMatch(message);
      expect(r.error.fix).toBeTruthy();
      expect(JSON.stringify(r)).not.toContain(PASSPHRASE);
      expect(JSON.stringify(r)).not.toContain(KEYSTORE_PASSWORD);
      expect(readdirSync(target)).toEqual([]);
    });
  }
});

describe.skipIf(!servers)('imported material on real servers', () => {
  it('nginx serves both imports and Tomcat 10 the PKCS#12 made from the PFX, to a client trusting only the company CA', async () => {
    const companyCa = readFileSync(join(src, 'ca.crt'), 'utf8');
    expect(await tlsClient(ports.pem, 'localhost', companyCa)).toBe('ok');
    expect(await tlsClient(ports.pfx, 'localhost', companyCa)).toBe('ok');
    expect(await tlsClient(ports.tomcat, 'localhost', companyCa)).toBe('ok');
    expect(await tlsClient(ports.pem, 'not-in-san.example', companyCa)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});
