import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import type { IncomingMessage } from 'node:http';
import { isIP, connect as netConnect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect as tlsConnect, createSecureContext, rootCertificates, type DetailedPeerCertificate, type SecureContext, type TLSSocket } from 'node:tls';
import WebSocket from 'ws';
import type { EndpointReport, Finding, FindingCode, HttpInfo, Severity, TlsInfo } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { isSocketIoUrl } from '../../../shared/contract/url.js';
import { t, tIfKnown, type Params } from '../../../shared/i18n/index.js';
import {
  EXPIRES_SOON_DAYS,
  UNTRUSTED_ERRORS,
  coveredNames,
  describeCertificate,
  nameMismatch,
} from './certificate.js';
import { Inbox, messageText } from './inbox.js';

export interface ProbeOptions {
  readonly url: URL;
  /** The page the WebSocket is opened from; sent as Origin and used for the mixed-content rule. */
  readonly origin?: URL;
  /** Extra trusted CA certificates (PEM), on top of the system store. */
  readonly extraCa?: readonly string[];
  readonly timeoutMs: number;
  readonly lang: Lang;
  /** How long to wait for an echo or a socket.io open packet (capped by the deadline). */
  readonly echoWaitMs?: number;
  readonly openWaitMs?: number;
}

type Phase = 'dns' | 'tcp' | 'tls' | 'upgrade' | 'open' | 'echo';

/** Thrown inside the probe to stop at the first blocking finding. */
class Stop extends Error {}

const TLS_NOT_SPOKEN_PATTERN = /wrong version number|packet length too long|unknown protocol|http request|record layer failure|ERR_SSL_WRONG_VERSION/i;
const TLS_REQUIRED_BODY = /plain HTTP request was sent to HTTPS port|requires TLS|SSL port/i;

/**
 * Probes one endpoint phase by phase (DNS, TCP, TLS, HTTP upgrade, WebSocket or
 * engine.io open, echo) over a single connection, and returns the report with
 * findings. Never throws; every failure becomes a finding with a fix.
 */
export async function probeEndpoint(options: ProbeOptions): Promise<EndpointReport> {
  const { url, lang } = options;
  const started = performance.now();
  const deadline = started + options.timeoutMs;
  const remaining = () => Math.max(1, deadline - performance.now());
  const secure = url.protocol === 'wss:';
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port !== '' ? Number(url.port) : secure ? 443 : 80;
  const kind: EndpointReport['kind'] = isSocketIoUrl(url) ? 'socket.io' : 'websocket';
  const timings: Record<string, number> = {};
  const findings: Finding[] = [];
  let tls: TlsInfo | null = null;
  let http: HttpInfo | null = null;
  let echo: EndpointReport['echo'] = 'skipped';
  let address: string | undefined;
  let socket: Socket | undefined;
  let ws: WebSocket | undefined;
  let inbox: Inbox | undefined;

  const base: Params = { host, port, url: url.href, path: url.pathname + url.search, timeoutMs: options.timeoutMs };
  const add = (code: FindingCode, severity: Severity, params: Params = {}, evidence: Record<string, unknown> = {}) => {
    const all = { ...base, ...params };
    findings.push({
      code,
      severity,
      message: t(lang, `finding.${code}`, all),
      fix: t(lang, `finding.${code}.fix`, all),
      evidence: { ...evidence },
    });
  };
  const stop = (code: FindingCode, params: Params = {}, evidence: Record<string, unknown> = {}): never => {
    add(code, 'error', params, evidence);
    throw new Stop(code);
  };
  const timeout = (phase: Phase): never => stop('TIMEOUT', { phase: t(lang, `phase.${phase}`) }, { phase });
  const timed = async <T>(phase: Phase, work: (ms: number) => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const value = await work(remaining());
    timings[phase] = round(performance.now() - t0);
    return value;
  };

  if (!secure && options.origin?.protocol === 'https:') {
    add('MIXED_CONTENT', 'error', { origin: options.origin.origin }, { origin: options.origin.origin });
  }

  try {
    // DNS
    if (isIP(host) !== 0) address = host;
    else {
      address = await timed('dns', async (ms) => {
        const result = await withTimeout(lookup(host), ms);
        if (result === TIMED_OUT) return timeout('dns');
        return result.address;
      }).catch((error: unknown) => {
        if (error instanceof Stop) throw error;
        const code = errorCode(error);
        return stop('DNS_FAILED', { reason: code }, { errno: code });
      });
    }

    // TCP
    socket = await timed('tcp', (ms) => connectTcp(address!, port, ms)).catch((error: unknown) => {
      const code = errorCode(error);
      if (code === 'TIMEOUT') return timeout('tcp');
      if (code === 'ECONNREFUSED') return stop('CONNECTION_REFUSED', { target: address === host ? `${host}:${port}` : `${host}:${port} (${address})` }, { errno: code, address });
      return stop('CONNECTION_FAILED', { reason: code }, { errno: code, address });
    });
    let transport: Socket | TLSSocket = socket;

    // TLS
    if (secure) {
      const tlsSocket = await timed('tls', (ms) => handshake(socket!, host, options.extraCa, ms)).catch((error: unknown) => {
        const code = errorCode(error);
        const message = error instanceof Error ? error.message : String(error);
        if (code === 'TIMEOUT') return timeout('tls');
        if (TLS_NOT_SPOKEN_PATTERN.test(`${code} ${message}`)) return stop('TLS_NOT_SPOKEN', {}, { error: message });
        return stop('TLS_HANDSHAKE_FAILED', { reason: message }, { errno: code, error: message });
      });
      transport = tlsSocket;
      tls = inspectTls(tlsSocket, host, add, lang);
    }

    // HTTP upgrade + WebSocket open, over the connection made above.
    const originHeader = options.origin?.origin ?? `${secure ? 'https' : 'http'}://${url.host}`;
    const upgradeStart = performance.now();
    const opened = await new Promise<{ ws: WebSocket } | { res: IncomingMessage } | { error: Error } | typeof TIMED_OUT>((resolve) => {
      const timer = setTimeout(() => resolve(TIMED_OUT), remaining());
      const client = new WebSocket(url, {
        createConnection: () => transport,
        origin: originHeader,
        perMessageDeflate: false,
        followRedirects: false,
      });
      ws = client;
      // Listen from the moment the socket exists: a first frame may come with the 101 (issue 14).
      inbox = new Inbox(client);
      client.on('error', () => undefined); // later errors (after we stopped listening) are not crashes
      client.on('upgrade', (res) => {
        timings.upgrade = round(performance.now() - upgradeStart);
        http = { status: res.statusCode ?? 101, ...(typeof res.headers.server === 'string' ? { server: res.headers.server } : {}) };
      });
      client.once('open', () => {
        clearTimeout(timer);
        resolve({ ws: client });
      });
      client.once('unexpected-response', (_req, res) => {
        clearTimeout(timer);
        resolve({ res });
      });
      client.once('error', (error) => {
        clearTimeout(timer);
        resolve({ error });
      });
    });
    if (opened === TIMED_OUT) return timeout('upgrade');
    if ('res' in opened) {
      timings.upgrade = round(performance.now() - upgradeStart);
      const res = opened.res;
      const body = await readExcerpt(res, Math.min(remaining(), 2000));
      const status = res.statusCode ?? 0;
      const statusText = `${status} ${res.statusMessage ?? ''}`.trim();
      http = {
        status,
        ...(typeof res.headers.server === 'string' ? { server: res.headers.server } : {}),
        bodyExcerpt: body,
      };
      const evidence = { status, server: res.headers.server ?? null, location: res.headers.location ?? null, bodyExcerpt: body };
      if (!secure && status === 400 && TLS_REQUIRED_BODY.test(body)) return stop('TLS_EXPECTED', {}, evidence);
      if (status >= 200 && status < 400) return stop('UPGRADE_NOT_FORWARDED', { status: statusText }, evidence);
      if (status === 404) return stop('WS_PATH_NOT_FOUND', { status: statusText }, evidence);
      if (status === 502 || status === 503 || status === 504) return stop('BACKEND_UNAVAILABLE', { status: statusText }, evidence);
      return stop('UPGRADE_REJECTED', { status: statusText }, evidence);
    }
    if ('error' in opened) {
      const code = errorCode(opened.error);
      const message = opened.error.message;
      // A plain HTTP client talking to a TLS port gets a TLS alert or a reset: confirm with a TLS hello.
      if (!secure && (await speaksTls(address!, port, host, Math.min(remaining(), 2000)))) {
        return stop('TLS_EXPECTED', {}, { error: message });
      }
      if (code.startsWith('HPE_')) return stop('HTTP_PROTOCOL_ERROR', { reason: message }, { errno: code });
      return stop('CONNECTION_FAILED', { reason: message }, { errno: code, phase: 'upgrade' });
    }

    const client = opened.ws;
    const messages = inbox!;
    const closeEvidence = () => (messages.closed !== null ? { closeCode: messages.closed.code, closeReason: messages.closed.reason } : {});
    if (kind === 'socket.io') {
      const eio = url.searchParams.get('EIO') ?? '4';
      const firstMessage = await timed('open', (ms) => messages.next(Math.min(ms, options.openWaitMs ?? 3000)));
      const first = firstMessage === null ? null : messageText(firstMessage);
      const received = first === null ? t(lang, 'received.nothing') : excerpt(first);
      if (first === null || !isEngineIoOpen(first)) {
        return stop('SOCKETIO_NO_OPEN', { received }, { received: first === null ? null : excerpt(first), ...closeEvidence() });
      }
      // Round trip: a socket.io CONNECT (EIO=4) or an engine.io ping (EIO=3).
      const request = eio === '3' ? '2' : '40';
      const expect = (m: string) => (eio === '3' ? m === '3' : m.startsWith('40') || m.startsWith('44'));
      const answer = await timed('echo', async (ms) => {
        client.send(request);
        const message = await messages.next(Math.min(ms, options.echoWaitMs ?? 2000), (m) => !m.binary && expect(messageText(m)));
        return message === null ? null : messageText(message);
      });
      if (answer === null) delete timings.echo;
      if (answer?.startsWith('44')) return stop('SOCKETIO_REJECTED', { received: excerpt(answer) }, { received: excerpt(answer) });
      echo = answer === null ? 'no-echo' : 'ok';
      if (answer === null) add('NO_ECHO', 'info', { waitMs: options.echoWaitMs ?? 2000 });
    } else {
      const token = `wss-setup probe ${randomBytes(6).toString('hex')}`;
      const waitMs = options.echoWaitMs ?? 1500;
      const answer = await timed('echo', async (ms) => {
        client.send(token);
        return messages.next(Math.min(ms, waitMs), (m) => !m.binary && m.data.toString('utf8') === token);
      });
      echo = answer === null ? 'no-echo' : 'ok';
      if (answer === null) {
        delete timings.echo;
        add('NO_ECHO', 'info', { waitMs });
      }
    }
  } catch (error) {
    if (!(error instanceof Stop)) {
      add('CONNECTION_FAILED', 'error', { reason: error instanceof Error ? error.message : String(error) });
    }
  } finally {
    closeQuietly(ws, socket);
  }
  const received = (inbox?.skipped ?? []).slice(0, MAX_RECEIVED).map((m) => excerpt(messageText(m)));

  return {
    url: url.href,
    ok: !findings.some((f) => f.severity === 'error'),
    kind,
    ...(address !== undefined ? { address } : {}),
    timings: { ...timings, total: round(performance.now() - started) },
    tls,
    http,
    echo,
    ...(received.length > 0 ? { received } : {}),
    findings,
  };
}

function inspectTls(
  socket: TLSSocket,
  host: string,
  add: (code: FindingCode, severity: Severity, params?: Params, evidence?: Record<string, unknown>) => void,
  lang: Lang,
): TlsInfo {
  const peer = socket.getPeerCertificate(true) as DetailedPeerCertificate;
  const hasCert = peer !== undefined && Object.keys(peer).length > 0;
  const authorizationError = socket.authorizationError === undefined || socket.authorizationError === null ? null : String((socket.authorizationError as unknown as { code?: string }).code ?? socket.authorizationError);
  const info: TlsInfo = {
    protocol: socket.getProtocol() ?? null,
    cipher: socket.getCipher()?.name ?? null,
    authorized: socket.authorized,
    authorizationError,
    certificate: hasCert ? describeCertificate(peer) : null,
  };
  if (!hasCert) return info;
  const cert = info.certificate!;
  const now = Date.now();
  const validTo = Date.parse(cert.validTo);
  const validFrom = Date.parse(cert.validFrom);
  const evidence = { subject: cert.subject, san: cert.san, issuer: cert.issuer, validFrom: cert.validFrom, validTo: cert.validTo };
  if (info.protocol === 'TLSv1' || info.protocol === 'TLSv1.1') add('TLS_OLD_PROTOCOL', 'warning', { protocol: info.protocol }, { protocol: info.protocol });
  const mismatch = nameMismatch(host, peer);
  if (mismatch !== null) add('CERT_NAME_MISMATCH', 'error', { names: coveredNames(peer) }, { ...evidence, error: mismatch.message });
  if (authorizationError !== null && UNTRUSTED_ERRORS.has(authorizationError)) {
    const reason = tIfKnown(lang, `cert.reason.${authorizationError}`, { code: authorizationError });
    add('CERT_UNTRUSTED', 'error', { reason: reason ?? t(lang, 'cert.reason.other', { code: authorizationError }) }, { ...evidence, authorizationError, selfSigned: cert.selfSigned });
  } else if (authorizationError !== null && !NOT_TRUST_ERRORS.has(authorizationError)) {
    add('CERT_UNTRUSTED', 'error', { reason: t(lang, 'cert.reason.other', { code: authorizationError }) }, { ...evidence, authorizationError });
  }
  if (now > validTo) add('CERT_EXPIRED', 'error', { validTo: cert.validTo }, evidence);
  else if (now < validFrom) add('CERT_NOT_YET_VALID', 'error', { validFrom: cert.validFrom }, evidence);
  else {
    const days = Math.floor((validTo - now) / 86_400_000);
    if (days < EXPIRES_SOON_DAYS) add('CERT_EXPIRES_SOON', 'warning', { days, validTo: cert.validTo }, { ...evidence, days });
  }
  return info;
}

const TIMED_OUT = Symbol('timed out');

/** At most this many unsolicited messages are kept in the report. */
const MAX_RECEIVED = 5;

/** Verification errors reported by other findings (dates, host name), not as CERT_UNTRUSTED. */
const NOT_TRUST_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID']);

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function connectTcp(address: string, port: number, ms: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = netConnect({ host: address, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }));
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

function handshake(socket: Socket, host: string, extraCa: readonly string[] | undefined, ms: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tlsSocket = tlsConnect({
      socket,
      ...(isIP(host) === 0 ? { servername: host } : {}),
      ...(extraCa !== undefined && extraCa.length > 0 ? { secureContext: trustContext(extraCa) } : {}),
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(() => {
      tlsSocket.destroy();
      reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' }));
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

const trustContexts = new Map<string, SecureContext>();

/**
 * A secure context trusting the system store plus the given CAs, cached per CA set. Node's
 * `ca` option replaces the store, and re-parsing every root certificate costs ~30 ms, so the
 * extra CAs are added to a copy of the already-parsed default store when Node allows it.
 */
function trustContext(extraCa: readonly string[]): SecureContext {
  const key = extraCa.join('\n');
  const cached = trustContexts.get(key);
  if (cached !== undefined) return cached;
  let context = createSecureContext();
  const native = (context as unknown as { context?: { addCACert?: (pem: string) => void } }).context;
  if (typeof native?.addCACert === 'function') for (const pem of extraCa) native.addCACert(pem);
  else context = createSecureContext({ ca: [...rootCertificates, ...extraCa] });
  trustContexts.set(key, context);
  return context;
}

/** Does host:port complete a TLS handshake? Used to confirm TLS_EXPECTED for ws:// URLs. */
async function speaksTls(address: string, port: number, host: string, ms: number): Promise<boolean> {
  let socket: Socket | undefined;
  try {
    socket = await connectTcp(address, port, ms);
    const tlsSocket = await handshake(socket, host, undefined, ms);
    tlsSocket.destroy();
    return true;
  } catch {
    socket?.destroy();
    return false;
  }
}

/** engine.io open packet: "0" followed by a JSON handshake holding a sid. */
export function isEngineIoOpen(message: string): boolean {
  if (!message.startsWith('0')) return false;
  try {
    const handshake = JSON.parse(message.slice(1)) as { sid?: unknown };
    return typeof handshake.sid === 'string';
  } catch {
    return false;
  }
}

function readExcerpt(res: IncomingMessage, ms: number): Promise<string> {
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

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.message : String(error);
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function closeQuietly(ws: WebSocket | undefined, socket: Socket | undefined): void {
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
