import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../main/hosts/http/server.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { tempDir } from '../harness/temp.js';

/** Serve mode's file moves on a real socket: uploads into a private folder (size-capped, validated), ca.crt and CSR downloads, behind the same auth and Origin rules. */
const dir = tempDir();
const staticDir = join(dir.path, 'renderer');
const savedDataDir = process.env.WSS_SETUP_DATA_DIR;
let server: RunningServer;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function http(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const cookie = () => `wss_setup_session=${server.token}`;
const upload = (name: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  http('POST', `/api/upload?name=${encodeURIComponent(name)}`, { cookie: cookie(), 'content-type': 'application/octet-stream', ...headers }, body);
const json = (reply: Reply) => JSON.parse(reply.body.toString('utf8')) as { ok: boolean; value?: { path: string; kind: string }; error?: { code: string; message: string } };

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

beforeAll(async () => {
  process.env.WSS_SETUP_DATA_DIR = join(dir.path, 'data');
  mkdirSync(staticDir, { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>wizard</title>');
  server = await startServer({ port: 0, staticDir, lang: 'en' });
});

afterAll(async () => {
  await server.close();
  if (savedDataDir === undefined) delete process.env.WSS_SETUP_DATA_DIR;
  else process.env.WSS_SETUP_DATA_DIR = savedDataDir;
  dir.cleanup();
});

describe('serve mode file moves', () => {
  it('refuses uploads without the session, from another origin, or not sent as octet-stream', async () => {
    expect((await http('POST', '/api/upload?name=a.pem', { 'content-type': 'application/octet-stream' }, PEM)).status).toBe(401);
    expect((await upload('a.pem', PEM, { origin: 'http://attacker.example' })).status).toBe(403);
    expect((await upload('a.pem', PEM, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const form = await upload('a.pem', PEM, { 'content-type': 'text/plain' });
    expect(form.status).toBe(415);
    expect((await http('GET', '/api/upload?name=a.pem', { cookie: cookie() })).status).toBe(405);
  });

  it('validates the name and the content, and caps the size at 1 MiB', async () => {
    for (const name of ['', '../x.pem', 'x.exe', '.pem', 'a b.pem']) {
      const reply = await upload(name, PEM);
      expect(reply.status, name).toBe(400);
      expect(json(reply).error?.message).toContain('must end in .pem');
    }
    expect(json(await upload('x.pem', 'not a pem')).error?.code).toBe('UPLOAD_INVALID');
    expect(json(await upload('x.pfx', PEM)).error?.message).toContain('not what its name says');
    expect(json(await upload('x.jks', Buffer.alloc(32))).error?.code).toBe('UPLOAD_INVALID');
    expect(json(await upload('x.pem', '')).error?.message).toBe('The file is empty.');
    const big = await upload('big.pem', Buffer.alloc(1024 * 1024 + 1, 0x41));
    expect(big.status).toBe(413);
  });

  it('stores a valid upload 0600 in a 0700 folder of its own, byte for byte, removed when the server stops', async () => {
    const pem = json(await upload('server.crt', PEM));
    expect(pem.ok).toBe(true);
    expect(pem.value?.kind).toBe('pem');
    const path = pem.value!.path;
    expect(readFileSync(path, 'utf8')).toBe(PEM);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(path)).mode & 0o777).toBe(0o700);
    const p12 = Buffer.concat([Buffer.from([0x30, 0x82, 0x01, 0x00]), Buffer.alloc(60, 7)]);
    const stored = json(await upload('server.p12', p12));
    expect(stored.value?.kind).toBe('pkcs12');
    expect(readFileSync(stored.value!.path).equals(p12)).toBe(true);
    const jks = Buffer.concat([Buffer.from([0xfe, 0xed, 0xfe, 0xed]), Buffer.alloc(28, 1)]);
    expect(json(await upload('server.jks', jks)).value?.kind).toBe('jks');
    // Same name twice: two files, nothing replaced.
    expect(json(await upload('server.crt', PEM)).value?.path).not.toBe(path);

    const other = await startServer({ port: 0, staticDir, lang: 'en' });
    const folderOfOther = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: other.port, method: 'POST', path: '/api/upload?name=a.pem', headers: { host: `127.0.0.1:${other.port}`, cookie: `wss_setup_session=${other.token}`, 'content-type': 'application/octet-stream' } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve(dirname((JSON.parse(text) as { value: { path: string } }).value.path)));
      });
      req.on('error', reject);
      req.end(PEM);
    });
    expect(folderOfOther).not.toBe(dirname(path));
    await other.close();
    expect(existsSync(folderOfOther)).toBe(false);
  });

  it('downloads the local CA as ca.crt, and a CSR file only when it is one', async () => {
    expect((await http('GET', '/api/download/ca.crt')).status).toBe(401);
    const missing = await http('GET', '/api/download/ca.crt', { cookie: cookie() });
    expect(missing.status).toBe(404);
    expect(json(missing).error?.code).toBe('CERT_CA_MISSING');
    const ca = await runOperation('certCa', { ifExists: 'reuse' });
    if (!ca.ok) throw new Error(JSON.stringify(ca.error));
    const got = await http('GET', '/api/download/ca.crt', { cookie: cookie() });
    expect(got.status).toBe(200);
    expect(got.headers['content-disposition']).toBe('attachment; filename="ca.crt"');
    expect(got.body.equals(readFileSync(ca.value.certPath))).toBe(true);

    const csrDir = join(dir.path, 'csr');
    mkdirSync(csrDir);
    const key = join(csrDir, 'k.key');
    const csr = join(csrDir, 'server.csr');
    execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=reports.example.com'], { stdio: 'ignore' });
    const reply = await http('GET', `/api/download/csr?path=${encodeURIComponent(csr)}`, { cookie: cookie() });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-disposition']).toBe('attachment; filename="server.csr"');
    expect(reply.body.equals(readFileSync(csr))).toBe(true);
    // Not a CSR by its content, not a .csr, relative, or a symlink: refused, nothing read out.
    const fake = join(csrDir, 'key.csr');
    writeFileSync(fake, readFileSync(key));
    const link = join(csrDir, 'link.csr');
    symlinkSync(csr, link);
    for (const path of [fake, key, 'server.csr', link]) {
      const refused = await http('GET', `/api/download/csr?path=${encodeURIComponent(path)}`, { cookie: cookie() });
      expect(refused.status, path).toBe(400);
      expect(refused.body.toString()).not.toContain('PRIVATE KEY');
    }
    expect((await http('POST', '/api/download/ca.crt', { cookie: cookie(), 'content-type': 'application/json' }, '{}')).status).toBe(405);
  });
});
