import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { LANGS, type Lang } from '../../../shared/contract/common.js';
import { failure } from '../../../shared/contract/result.js';
import { registerLanguage, t } from '../../../shared/i18n/index.js';
import { zhCN } from '../../../shared/i18n/zh-CN/index.js';
import { ExecutableAllowList } from '../../engine/common/executable-allow-list.js';
import { isOpName, runOperation, toOpError } from '../../engine/run-operation.js';
import { CONTENT_SECURITY_POLICY, LOOPBACK_HOSTNAMES } from '../security-policy.js';
import { handleFileRoute, UploadFolder } from './files.js';

// This host answers in either language on every request: both catalogs from the start.
registerLanguage('zh-CN', zhCN);

/**
 * Serve mode: the wizard and the contract over HTTP, bound to 127.0.0.1 only, for headless
 * servers opened through `ssh -L`. A random token in the printed URL is traded for an
 * HttpOnly SameSite=Strict cookie; requests without it get 401; a Host or Origin that is not
 * loopback (DNS rebinding, other sites) gets 403. Operations are POST /api/op/<name> with a
 * JSON body and return the contract's Result as JSON.
 */
export interface ServeOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly staticDir: string;
  readonly token?: string;
  readonly lang: Lang;
  /** A connection that has not shown the token is closed after this long without a byte (default 10 s). */
  readonly preAuthTimeoutMs?: number;
  /** At most this many connections may wait unauthenticated; a new one pushes out the oldest (default 64). */
  readonly maxPendingConnections?: number;
  /** The programs and jars a browser may name (detected or confirmed at the terminal); default: none confirmed. */
  readonly executables?: ExecutableAllowList;
}

export interface RunningServer {
  readonly port: number;
  readonly token: string;
  readonly url: string;
  close: () => Promise<void>;
}

const COOKIE = 'wss_setup_session';
const MAX_BODY = 1024 * 1024;
/** Every connection at once, authenticated or not (Node refuses the ones beyond it). */
const MAX_CONNECTIONS = 256;
/** Sockets that have not yet shown the token, oldest first. */
type Pending = Set<Socket>;
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const pending: Pending = new Set();
  const executables = options.executables ?? new ExecutableAllowList();
  const uploads = new UploadFolder();
  const server = createServer((req, res) => {
    handle(req, res, token, options, pending, executables, uploads).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      // The API always answers with the contract's error shape, even for a failure of the host itself.
      if ((req.url ?? '').startsWith('/api/')) return sendJson(res, 500, failure(toOpError(error, options.lang)));
      send(res, 500, 'text/plain; charset=utf-8', `${t(options.lang, 'serve.internalError')}\n`);
    });
  });
  // Before the token is shown a connection gets little: headers within 10 s, a short idle time,
  // and a bounded number of waiting sockets (the oldest is dropped first), so a local process
  // trickling bytes into many sockets cannot starve the admin's browser. Once authenticated, a
  // request may take as long as its operation needs (a long check, a JVM start).
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000; // receiving the request (1 MiB at most), not running the operation
  server.maxConnections = MAX_CONNECTIONS;
  const preAuthTimeoutMs = options.preAuthTimeoutMs ?? 10_000;
  const maxPending = options.maxPendingConnections ?? 64;
  server.on('connection', (socket: Socket) => {
    pending.add(socket);
    socket.setTimeout(preAuthTimeoutMs, () => {
      if (pending.has(socket)) socket.destroy();
    });
    socket.once('close', () => pending.delete(socket));
    if (pending.size > maxPending) pending.values().next().value?.destroy();
  });
  await listen(server, options.port);
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        uploads.remove();
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Host must be a loopback name (any port: ssh -L may forward from another port). */
export function hostAllowed(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return LOOPBACK_HOSTNAMES.has(name.toLowerCase());
}

/** A present Origin must be this very server as the browser sees it (http://<Host>). */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  return host !== undefined && origin.toLowerCase() === `http://${host.toLowerCase()}`;
}

function tokenMatches(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(req: IncomingMessage): string | undefined {
  const header = headerOf(req, 'cookie') ?? '';
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return undefined;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = headerOf(req, 'authorization');
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json; charset=utf-8', toJson(value));
}

/** JSON of a result; a value that cannot be serialized becomes the error shape instead of a throw. */
function toJson(value: unknown, lang: Lang = 'en'): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    return JSON.stringify(failure(toOpError(error, lang)));
  }
}

/**
 * A refusal (401, 403, 413, …) ends the connection: whatever the client still sends (a trickled
 * body) is not waited for, and the socket is freed at once.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: string): void {
  res.setHeader('Connection', 'close');
  lingeringClose(req.socket);
  send(res, status, type, body);
}

/** How long a refused connection may still send (discarded) before it is cut. */
const LINGER_MS = 1000;

/**
 * Node ends a `Connection: close` response with socket.destroySoon(), which closes at once; with
 * input still unread the kernel then answers with a reset, and the client may lose the refusal
 * it was about to read. Half-close instead, discard what still arrives, and cut after LINGER_MS.
 */
function lingeringClose(socket: Socket): void {
  socket.destroySoon = () => {
    socket.end();
    socket.resume();
    setTimeout(() => socket.destroy(), LINGER_MS).unref();
  };
}

/** The request showed the token: its connection is no longer limited like an anonymous one. */
function authenticated(req: IncomingMessage, pending: Pending): void {
  pending.delete(req.socket);
  req.socket.setTimeout(0);
}

function langOf(req: IncomingMessage, fallback: Lang): Lang {
  const requested = headerOf(req, 'x-wss-setup-lang');
  return (LANGS as readonly string[]).includes(requested ?? '') ? (requested as Lang) : fallback;
}

async function handle(req: IncomingMessage, res: ServerResponse, token: string, options: ServeOptions, pending: Pending, executables: ExecutableAllowList, uploads: UploadFolder): Promise<void> {
  securityHeaders(res);
  const host = headerOf(req, 'host');
  const lang = langOf(req, options.lang);
  if (!hostAllowed(host) || !originAllowed(headerOf(req, 'origin'), host) || headerOf(req, 'sec-fetch-site') === 'cross-site') {
    return refuse(req, res, 403, 'text/plain; charset=utf-8', `${t(lang, 'serve.forbidden')}\n`);
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');

  // The printed URL carries the token once; trade it for a cookie and drop it from the address bar.
  const queryToken = url.searchParams.get('token');
  if (queryToken !== null && req.method === 'GET') {
    if (!tokenMatches(queryToken, token)) return refuse(req, res, 401, 'text/plain; charset=utf-8', `${t(lang, 'serve.unauthorized')}\n`);
    authenticated(req, pending);
    res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    res.writeHead(303, { Location: url.pathname });
    res.end();
    return;
  }
  if (!tokenMatches(cookieToken(req) ?? bearerToken(req), token)) {
    return refuse(req, res, 401, 'text/plain; charset=utf-8', `${t(lang, 'serve.unauthorized')}\n`);
  }
  authenticated(req, pending);

  if (await handleFileRoute(req, res, url, lang, uploads)) return;
  if (url.pathname.startsWith('/api/')) return handleApi(req, res, url, lang, executables);
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', `${t(lang, 'serve.methodNotAllowed')}\n`);
  return serveStatic(res, options.staticDir, url.pathname, lang);
}

async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, lang: Lang, executables: ExecutableAllowList): Promise<void> {
  const match = /^\/api\/op\/([A-Za-z][A-Za-z0-9]*)$/.exec(url.pathname);
  if (match === null) return sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: t(lang, 'serve.notFound') } });
  if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'METHOD_NOT_ALLOWED', message: t(lang, 'serve.usePost') } });
  // JSON only: a cross-site form cannot send it without a preflight we never answer.
  if (!(headerOf(req, 'content-type') ?? '').toLowerCase().startsWith('application/json')) {
    return sendJson(res, 415, { ok: false, error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: t(lang, 'serve.jsonOnly') } });
  }
  const name = match[1]!;
  if (!isOpName(name)) return sendJson(res, 404, { ok: false, error: { code: 'UNKNOWN_OPERATION', message: t(lang, 'error.UNKNOWN_OPERATION', { name }) } });
  const body = await readBody(req);
  if (body === null) return refuse(req, res, 413, 'application/json; charset=utf-8', toJson({ ok: false, error: { code: 'BODY_TOO_LARGE', message: t(lang, 'serve.tooLarge') } }));
  let input: unknown;
  try {
    input = JSON.parse(body === '' ? '{}' : body);
  } catch {
    return sendJson(res, 400, { ok: false, error: { code: 'INVALID_JSON', message: t(lang, 'serve.invalidJson') } });
  }
  // Clients that accept NDJSON get each progress step as a line, then the result line.
  if ((headerOf(req, 'accept') ?? '').includes('application/x-ndjson')) {
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
    const result = await runOperation(name, input, { lang, executables, onProgress: (progress) => res.write(`${toJson({ progress }, lang)}\n`) });
    res.end(`${toJson({ result }, lang)}\n`);
    return;
  }
  const result = await runOperation(name, input, { lang, executables });
  return send(res, 200, 'application/json; charset=utf-8', toJson(result, lang));
}

/** Reads the body up to 1 MiB; a larger one (announced or sent) is answered with null at once, without reading the rest. */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    if (Number(headerOf(req, 'content-length') ?? 0) > MAX_BODY) return resolve(null);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

async function serveStatic(res: ServerResponse, root: string, pathname: string, lang: Lang): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return send(res, 400, 'text/plain; charset=utf-8', `${t(lang, 'serve.badPath')}\n`);
  }
  const relative = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  const file = join(root, relative);
  if (decoded.includes('\0') || !(file === root || file.startsWith(root.endsWith(sep) ? root : root + sep))) {
    return send(res, 404, 'text/plain; charset=utf-8', `${t(lang, 'serve.notFound')}\n`);
  }
  const info = await stat(file).catch(() => null);
  if (info === null || !info.isFile()) return send(res, 404, 'text/plain; charset=utf-8', `${t(lang, 'serve.notFound')}\n`);
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': info.size });
  createReadStream(file).pipe(res);
}
