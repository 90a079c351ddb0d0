import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as serveCommand } from '../../main/hosts/cli/commands/serve.js';
import { startServer, type RunningServer } from '../../main/hosts/http/server.js';
import { freePorts } from '../harness/ports.js';
import { tempDir } from '../harness/temp.js';

/** Serve mode's HTTP host on a real socket: authentication, rebinding and CSRF defences, static files, operations. */
const dir = tempDir();
const staticDir = join(dir.path, 'renderer');
let server: RunningServer;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const cookie = () => `wss_setup_session=${server.token}`;
const api = (op: string, body: string, headers: Record<string, string> = {}) =>
  http('POST', `/api/op/${op}`, { cookie: cookie(), 'content-type': 'application/json', ...headers }, body);

beforeAll(async () => {
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>wizard</title>');
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir.path, 'secret.txt'), 'outside the static root');
  server = await startServer({ port: 0, staticDir, lang: 'en' });
});

afterAll(async () => {
  await server.close();
  dir.cleanup();
});

describe('serve mode HTTP host', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('answers 401 without the token, and trades the token for an HttpOnly SameSite=Strict cookie', async () => {
    expect((await http('GET', '/')).status).toBe(401);
    expect((await http('GET', '/?token=wrong')).status).toBe(401);
    const signIn = await http('GET', `/?token=${server.token}`);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/');
    expect(String(signIn.headers['set-cookie'])).toMatch(/wss_setup_session=.+; HttpOnly; SameSite=Strict; Path=\//);
    const page = await http('GET', '/', { cookie: cookie() });
    expect(page.status).toBe(200);
    expect(page.body).toContain('wizard');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await http('GET', '/', { authorization: `Bearer ${server.token}` })).status).toBe(200);
  });

  it('answers 403 to a foreign Host (DNS rebinding) or a foreign Origin, even with the token', async () => {
    expect((await http('GET', '/', { cookie: cookie(), host: 'attacker.example' })).status).toBe(403);
    expect((await http('GET', '/', { cookie: cookie(), host: `127.0.0.1.nip.example:${server.port}` })).status).toBe(403);
    expect((await http('GET', '/', { cookie: cookie(), origin: 'http://attacker.example' })).status).toBe(403);
    expect((await api('check', '{}', { origin: `https://127.0.0.1:${server.port}` })).status).toBe(403);
    expect((await http('GET', '/', { cookie: cookie(), 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // ssh -L may forward from another local port: loopback names with any port are fine.
    expect((await http('GET', '/', { cookie: cookie(), host: 'localhost:9999', origin: 'http://localhost:9999' })).status).toBe(200);
  });

  it('serves only files below the renderer folder', async () => {
    expect((await http('GET', '/assets/app.js', { cookie: cookie() })).headers['content-type']).toContain('text/javascript');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00', '/nope.js', '/assets']) {
      const reply = await http('GET', path, { cookie: cookie() });
      expect([400, 404], path).toContain(reply.status);
      expect(reply.body).not.toContain('outside the static root');
    }
  });

  it('runs operations from JSON and answers with the contract Result', async () => {
    const reply = await api('check', JSON.stringify({ urls: ['wss://127.0.0.1:1/'], timeoutMs: 1000 }));
    expect(reply.status).toBe(200);
    const result = JSON.parse(reply.body) as { ok: boolean; value: { ok: boolean; endpoints: Array<{ findings: Array<{ code: string }> }> } };
    expect(result.ok).toBe(true);
    expect(result.value.endpoints[0]!.findings[0]!.code).toBe('CONNECTION_REFUSED');
  });

  it('rejects bad requests with error values', async () => {
    expect((await http('POST', '/api/op/check', { cookie: cookie(), 'content-type': 'text/plain' }, '{}')).status).toBe(415);
    expect((await http('POST', '/api/op/check', { cookie: cookie(), 'content-type': 'application/x-www-form-urlencoded' }, 'urls=x')).status).toBe(415);
    const invalidJson = await api('check', '{"urls":');
    expect(invalidJson.status).toBe(400);
    expect(JSON.parse(invalidJson.body)).toMatchObject({ ok: false, error: { code: 'INVALID_JSON' } });
    expect((await api('deleteEverything', '{}')).status).toBe(404);
    expect((await api('constructor', '{}')).status).toBe(404);
    expect((await http('GET', '/api/op/check', { cookie: cookie() })).status).toBe(405);
    const big = await api('check', JSON.stringify({ urls: ['wss://h/'], pad: 'x'.repeat(1_100_000) }));
    expect(big.status).toBe(413);
    const invalid = JSON.parse((await api('check', JSON.stringify({ urls: ['http://x/'] }), { 'x-wss-setup-lang': 'zh-CN' })).body) as { ok: boolean; error: { code: string; message: string } };
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(invalid.error.message).toContain('输入无效');
  });

  it('never runs a program the browser names unless detection found it or the admin confirmed it (issue 9 item 9)', async () => {
    const conf = join(dir.path, 'nginx.conf');
    writeFileSync(conf, 'events {}\nhttp {\n}\n');
    const program = join(dir.path, 'evil-nginx');
    const marker = `${program}.ran`;
    writeFileSync(program, `#!/bin/sh\necho ran > '${marker}'\nexit 1\n`);
    chmodSync(program, 0o755);
    const reply = await api('planNginxProxy', JSON.stringify({ profile: 'generic', nginxConf: conf, upstream: '127.0.0.1:9000', nginxBin: program }));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'EXECUTABLE_NOT_CONFIRMED', evidence: { field: 'nginxBin' } } });
    expect(existsSync(marker)).toBe(false);
  });

  it('streams progress steps as NDJSON when asked, then the result', async () => {
    const reply = await api('check', JSON.stringify({ urls: ['wss://127.0.0.1:1/', 'wss://127.0.0.1:2/'], timeoutMs: 1000 }), { accept: 'application/x-ndjson' });
    expect(reply.headers['content-type']).toContain('application/x-ndjson');
    const lines = reply.body.trim().split('\n').map((line) => JSON.parse(line) as { progress?: { current: number }; result?: { ok: boolean } });
    expect(lines.filter((l) => l.progress !== undefined).map((l) => l.progress!.current).sort()).toEqual([1, 2]);
    expect(lines.at(-1)!.result).toMatchObject({ ok: true });
  });
});

/** Opens a raw loopback socket, sends `head`, then one byte every `everyMs` until the server closes it. */
function trickler(port: number, head: string, everyMs: number): { socket: Socket; closed: Promise<{ afterMs: number; reply: string }> } {
  const socket = connect(port, '127.0.0.1');
  const started = Date.now();
  let reply = '';
  let timer: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    socket.write(head);
    timer = setInterval(() => socket.writable && socket.write('x'), everyMs);
  });
  socket.on('data', (d: Buffer) => (reply += d.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<{ afterMs: number; reply: string }>((resolve) =>
    socket.once('close', () => {
      clearInterval(timer);
      resolve({ afterMs: Date.now() - started, reply });
    }),
  );
  return { socket, closed };
}

/** Resolves with what settled within `ms`; the rest count as still open. */
async function settledWithin<T>(promises: readonly Promise<T>[], ms: number): Promise<T[]> {
  const done: T[] = [];
  await Promise.race([Promise.all(promises.map((p) => p.then((v) => void done.push(v)))), new Promise((r) => setTimeout(r, ms))]);
  return done;
}

describe('serve mode under hostile local clients (issue 9: 11, 14)', () => {
  let guarded: RunningServer;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    guarded = await startServer({ port: 0, staticDir, lang: 'en', preAuthTimeoutMs: 400, maxPendingConnections: 20 });
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await guarded.close();
  });
  const call = (op: string, body: string) =>
    new Promise<Reply>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: guarded.port, method: 'POST', path: `/api/op/${op}`, headers: { host: `127.0.0.1:${guarded.port}`, cookie: `wss_setup_session=${guarded.token}`, 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  it('closes the socket after a 401 while 200 clients trickle bodies, and a legitimate request is answered meanwhile', async () => {
    const head = `POST /api/op/check HTTP/1.1\r\nHost: 127.0.0.1:${guarded.port}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{`;
    const clients = Array.from({ length: 200 }, () => trickler(guarded.port, head, 100));
    sockets.push(...clients.map((c) => c.socket));
    const legit = await call('check', JSON.stringify({ urls: ['http://x/'] }));
    expect(legit.status).toBe(200);
    expect(JSON.parse(legit.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    // Every refused socket is closed by the server within a bounded time, although its client keeps sending.
    const closed = await settledWithin(clients.map((c) => c.closed), 8000);
    expect(closed.length).toBe(200);
    // The clients that got as far as a reply read the whole refusal (most are pushed out as the oldest waiting ones).
    for (const c of closed.filter((x) => x.reply !== '')) expect(c.reply).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('closes after 403 and 413 although the client keeps sending', async () => {
    const forbidden = trickler(guarded.port, `POST /api/op/check HTTP/1.1\r\nHost: evil.example\r\nContent-Length: 100000\r\n\r\n`, 100);
    const tooLarge = trickler(
      guarded.port,
      `POST /api/op/check HTTP/1.1\r\nHost: 127.0.0.1:${guarded.port}\r\nCookie: wss_setup_session=${guarded.token}\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n{`,
      100,
    );
    sockets.push(forbidden.socket, tooLarge.socket);
    const done = await settledWithin([forbidden.closed, tooLarge.closed], 5000);
    expect(done.map((d) => d.reply.slice(0, 12)).sort()).toEqual(['HTTP/1.1 403', 'HTTP/1.1 413']);
  });

  it('drops silent unauthenticated connections after a short time and keeps their number bounded', async () => {
    const idle = Array.from({ length: 50 }, () => {
      const socket = connect(guarded.port, '127.0.0.1');
      socket.on('error', () => undefined);
      sockets.push(socket);
      return new Promise<void>((resolve) => socket.once('close', () => resolve()));
    });
    // More than maxPendingConnections wait: the newest connection (the admin's request) still gets in.
    const legit = await call('check', JSON.stringify({ urls: ['http://x/'] }));
    expect(legit.status).toBe(200);
    expect((await settledWithin(idle, 5000)).length).toBe(50);
  });

  it('answers input nested 100,000 levels deep with the error shape, never a thrown 500', async () => {
    const deepArray = `{"urls":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const deepObject = `{"urls":["ws://127.0.0.1:1/"],"origin":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
    for (const body of [deepArray, deepObject]) {
      const reply = await call('check', body);
      expect(reply.headers['content-type']).toContain('application/json');
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    }
  });
});

describe('wss-setup serve --allow-exec (the admin confirms at the terminal)', () => {
  const io = (out: string[]) => ({ lang: 'en' as const, stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t), interactive: false, env: {} });

  it('refuses a relative path', async () => {
    const out: string[] = [];
    expect(await serveCommand(['--allow-exec', 'bin/java'], io(out))).toBe(2);
    expect(out.join('')).toContain('"bin/java" is not absolute');
  });

  it('lets the browser name a confirmed program', async () => {
    const conf = join(dir.path, 'confirmed-nginx.conf');
    writeFileSync(conf, 'events {}\nhttp {\n}\n');
    const program = join(dir.path, 'confirmed-nginx');
    const marker = `${program}.ran`;
    writeFileSync(program, `#!/bin/sh\necho ran > '${marker}'\nexit 1\n`);
    chmodSync(program, 0o755);
    const [port] = await freePorts(1);
    const out: string[] = [];
    const stop = new AbortController();
    const running = serveCommand(['--port', String(port), '--allow-exec', program], io(out), stop.signal);
    try {
      await expect.poll(() => out.join(''), { timeout: 10_000 }).toContain('?token=');
      const token = /token=([\w-]+)/.exec(out.join(''))![1]!;
      const reply = await new Promise<string>((resolve, reject) => {
        const req = request(
          { host: '127.0.0.1', port, method: 'POST', path: '/api/op/planNginxProxy', headers: { host: `127.0.0.1:${port}`, authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve(text));
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify({ profile: 'generic', nginxConf: conf, upstream: '127.0.0.1:9000', nginxBin: program }));
      });
      expect(JSON.parse(reply)).not.toMatchObject({ error: { code: 'EXECUTABLE_NOT_CONFIRMED' } });
      expect(existsSync(marker)).toBe(true);
    } finally {
      stop.abort();
      expect(await running).toBe(0);
    }
  });
});
