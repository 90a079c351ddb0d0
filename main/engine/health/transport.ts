import type { IncomingMessage } from 'node:http';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type DetailedPeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import { excerpt } from './excerpt.js';
import { Inbox } from './inbox.js';
import type { TlsFacts } from './tls-findings.js';
import { quickTrustContext } from './trust-context.js';

/**
 * The connection under the probe, phase by phase: TCP, TLS (never rejecting: the certificate is
 * judged afterwards by tls-findings.ts), and the HTTP upgrade to a WebSocket over that same
 * connection. Every socket keeps an 'error' listener for its whole life, and every WebSocket gets
 * its inbox the moment it exists, so nothing that arrives between two awaits is lost or unhandled.
 */

export const TIMED_OUT = Symbol('timed out');

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** The errno-like code of an error (ECONNREFUSED, HPE_…, TIMEOUT), else its message. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

const timeoutError = () => Object.assign(new Error('timeout'), { code: 'TIMEOUT' });

export function connectTcp(address: string, port: number, ms: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(timeoutError());
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    // Stays attached for the socket's life: an error between this promise and the next
    // listener (TLS, the HTTP client) must never be an unhandled 'error' event.
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    });
  });
}

/** `trust` gives the secure context; it runs inside the handshake, so a damaged --ca fails this handshake only. */
export function handshake(socket: Socket, host: string, trust: () => SecureContext, ms: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tlsSocket = tlsConnect({
      socket,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      secureContext: trust(),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => {
      tlsSocket.destroy();
      reject(timeoutError());
    }, ms);
    tlsSocket.once('secureConnect', () => {
      clearTimeout(timer);
      resolve(tlsSocket);
    });
    // Stays attached (see connectTcp); after the handshake it only destroys the socket.
    tlsSocket.on('error', (error) => {
      clearTimeout(timer);
      tlsSocket.destroy();
      reject(error);
    });
    tlsSocket.once('close', () => {
      clearTimeout(timer);
      reject(Object.assign(new Error('the server closed the connection during the TLS handshake'), { code: 'ECONNRESET' }));
    });
  });
}

/** What the handshake established, read once right after it (nothing here waits). */
export function tlsFacts(socket: TLSSocket): TlsFacts {
  const peer = socket.getPeerCertificate(true) as DetailedPeerCertificate | undefined;
  const error = socket.authorizationError as unknown as { code?: string } | string | null | undefined;
  return {
    protocol: socket.getProtocol() ?? null,
    cipher: socket.getCipher()?.name ?? null,
    authorized: socket.authorized,
    authorizationError: error === undefined || error === null ? null : String((error as { code?: string }).code ?? error),
    peer: peer !== undefined && Object.keys(peer).length > 0 ? peer : null,
  };
}

/** Does host:port complete a TLS handshake? Used to confirm TLS_EXPECTED for ws:// URLs. */
export async function speaksTls(address: string, port: number, host: string, ms: number): Promise<boolean> {
  let socket: Socket | undefined;
  try {
    socket = await connectTcp(address, port, ms);
    // Only whether TLS is spoken counts here, not whom it is trusted by.
    const tlsSocket = await handshake(socket, host, () => quickTrustContext([]), ms);
    tlsSocket.destroy();
    return true;
  } catch {
    socket?.destroy();
    return false;
  }
}

export type Upgraded =
  | { readonly kind: 'open'; readonly ws: WebSocket; readonly inbox: Inbox; readonly status: number; readonly server?: string }
  | { readonly kind: 'answer'; readonly ws: WebSocket; readonly res: IncomingMessage }
  | { readonly kind: 'error'; readonly ws: WebSocket; readonly error: Error }
  | { readonly kind: 'timeout'; readonly ws: WebSocket };

/**
 * Sends the WebSocket upgrade over `transport` and resolves with the open WebSocket (and its
 * inbox, attached before anything could arrive), the server's non-101 answer, an error or a timeout.
 */
export function upgrade(transport: Socket | TLSSocket, url: URL, origin: string, ms: number): Promise<Upgraded> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { createConnection: () => transport, origin, perMessageDeflate: false, followRedirects: false });
    // Listen from the moment the socket exists: a first frame may come with the 101 (issue 14).
    const inbox = new Inbox(ws);
    let status = 101;
    let server: string | undefined;
    const timer = setTimeout(() => resolve({ kind: 'timeout', ws }), ms);
    ws.on('error', () => undefined); // later errors (after we stopped listening) are not crashes
    ws.on('upgrade', (res) => {
      status = res.statusCode ?? 101;
      if (typeof res.headers.server === 'string') server = res.headers.server;
    });
    ws.once('open', () => {
      clearTimeout(timer);
      resolve({ kind: 'open', ws, inbox, status, ...(server !== undefined ? { server } : {}) });
    });
    ws.once('unexpected-response', (_req, res) => {
      res.on('error', () => undefined); // a reset while the body is read ends the excerpt, never the process
      clearTimeout(timer);
      resolve({ kind: 'answer', ws, res });
    });
    ws.once('error', (error) => {
      clearTimeout(timer);
      resolve({ kind: 'error', ws, error });
    });
  });
}

/** The first 2 KiB of a response body as an excerpt, or what arrived within `ms`. */
export function readExcerpt(res: IncomingMessage, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      clearTimeout(timer);
      res.removeAllListeners('data');
      resolve(excerpt(Buffer.concat(chunks).toString('utf8')));
      res.destroy();
    };
    const timer = setTimeout(finish, ms);
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= 2048) finish();
    });
    res.once('end', finish);
    res.once('error', finish);
  });
}

export function closeQuietly(ws: WebSocket | undefined, socket: Socket | undefined): void {
  try {
    if (ws !== undefined && ws.readyState === WebSocket.OPEN) {
      ws.close(1000);
      setTimeout(() => ws.terminate(), 1000).unref();
    } else ws?.terminate();
  } catch {
    // closing is best effort
  }
  if (ws === undefined) socket?.destroy();
}
