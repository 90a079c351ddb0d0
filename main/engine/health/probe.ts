import { lookup } from 'node:dns/promises';
import { isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TLSSocket } from 'node:tls';
import type WebSocket from 'ws';
import type { EndpointReport, Finding, FindingCode, HttpInfo, Severity, TlsInfo } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { isSocketIoUrl } from '../../../shared/contract/url.js';
import { t, type Params } from '../../../shared/i18n/index.js';
import { classifyUpgrade } from './classify-upgrade.js';
import { echoRoundTrip } from './echo.js';
import { engineIoVersion, isEngineIoOpen, isSocketIoRefusal, socketIoRoundTrip } from './engine-io.js';
import { excerpt } from './excerpt.js';
import { messageText, type Inbox } from './inbox.js';
import { tlsFindings } from './tls-findings.js';
import { trustForOneCheck, type Trust } from './trust-context.js';
import { TIMED_OUT, closeQuietly, connectTcp, errorCode, handshake, readExcerpt, speaksTls, tlsFacts, upgrade, withTimeout } from './transport.js';
import { findingParams } from '../common/finding-params.js';

export interface ProbeOptions {
  readonly url: URL;
  /** The page the WebSocket is opened from; sent as Origin and used for the mixed-content rule. */
  readonly origin?: URL;
  /** Extra trusted CA certificates (PEM), on top of the system store. */
  readonly extraCa?: readonly string[];
  /** The trust for this probe (default: the store as it is now plus `extraCa`); `check` shares one per run. */
  readonly trust?: Trust;
  readonly timeoutMs: number;
  readonly lang: Lang;
  /** How long to wait for an echo or a socket.io open packet (capped by the deadline). */
  readonly echoWaitMs?: number;
  readonly openWaitMs?: number;
  /** Resolves a host name (default: one getaddrinfo); `check` shares one lookup per name. */
  readonly resolveHost?: (host: string) => Promise<{ readonly address: string }>;
}

type Phase = 'dns' | 'tcp' | 'tls' | 'upgrade' | 'open' | 'echo';

/** Thrown inside the probe to stop at the first blocking finding. */
class Stop extends Error {}

const TLS_NOT_SPOKEN_PATTERN = /wrong version number|packet length too long|unknown protocol|http request|record layer failure|ERR_SSL_WRONG_VERSION/i;

/** At most this many unsolicited messages are kept in the report. */
const MAX_RECEIVED = 5;

/**
 * Probes one endpoint phase by phase (DNS, TCP, TLS, HTTP upgrade, WebSocket or
 * engine.io open, echo) over a single connection, and returns the report with
 * findings. Never throws; every failure becomes a finding with a fix.
 * The connection is transport.ts, the judgements are tls-findings.ts and
 * classify-upgrade.ts, the socket.io framing is engine-io.ts.
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
  const add = (code: FindingCode, severity: Severity, params: Params = {}, evidence: Readonly<Record<string, unknown>> = {}) => {
    const all = { ...base, ...params };
    findings.push({
      code,
      severity,
      message: t(lang, `finding.${code}`, all),
      fix: t(lang, `finding.${code}.fix`, all),
      evidence: { ...evidence },
      params: findingParams(all),
    });
  };
  const stop = (code: FindingCode, params: Params = {}, evidence: Readonly<Record<string, unknown>> = {}): never => {
    add(code, 'error', params, evidence);
    throw new Stop(code);
  };
  const timeout = (phase: Phase): never => stop('TIMEOUT', { phase: t(lang, `phase.${phase}`), phaseKey: `phase.${phase}` }, { phase });
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
        const result = await withTimeout((options.resolveHost ?? lookup)(host), ms);
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
      const trust = options.trust ?? trustForOneCheck(options.extraCa ?? []);
      const tlsSocket = await timed('tls', async (ms) => {
        const first = await handshake(socket!, host, trust.quick, ms);
        if (first.authorized) return first;
        // Not trusted by Node's roots and --ca: the verdict is the whole store's. When the system
        // store adds certificates (a CA installed with `cert trust install`), shake hands again with it.
        const full = trust.full();
        if (full === null) return first;
        first.destroy();
        socket = await connectTcp(address!, port, remaining());
        return handshake(socket, host, () => full, remaining());
      }).catch((error: unknown) => {
        const code = errorCode(error);
        const message = error instanceof Error ? error.message : String(error);
        if (code === 'TIMEOUT') return timeout('tls');
        if (TLS_NOT_SPOKEN_PATTERN.test(`${code} ${message}`)) return stop('TLS_NOT_SPOKEN', {}, { error: message });
        return stop('TLS_HANDSHAKE_FAILED', { reason: message }, { errno: code, error: message });
      });
      transport = tlsSocket;
      const judged = tlsFindings(tlsFacts(tlsSocket), host, lang, Date.now());
      tls = judged.info;
      for (const f of judged.findings) add(f.code, f.severity, f.params, f.evidence);
    }

    // HTTP upgrade + WebSocket open, over the connection made above.
    const originHeader = options.origin?.origin ?? `${secure ? 'https' : 'http'}://${url.host}`;
    const upgradeStart = performance.now();
    const opened = await upgrade(transport, url, originHeader, remaining());
    ws = opened.ws;
    if (opened.kind === 'timeout') return timeout('upgrade');
    timings.upgrade = round(performance.now() - upgradeStart);
    if (opened.kind === 'answer') {
      const res = opened.res;
      const body = await readExcerpt(res, Math.min(remaining(), 2000));
      const status = res.statusCode ?? 0;
      http = { status, ...(typeof res.headers.server === 'string' ? { server: res.headers.server } : {}), bodyExcerpt: body };
      const verdict = classifyUpgrade({ status, statusMessage: res.statusMessage ?? '', headers: res.headers, body, secure });
      return stop(verdict.code, verdict.params, verdict.evidence);
    }
    if (opened.kind === 'error') {
      const code = errorCode(opened.error);
      const message = opened.error.message;
      // A plain HTTP client talking to a TLS port gets a TLS alert or a reset: confirm with a TLS hello.
      if (!secure && (await speaksTls(address!, port, host, Math.min(remaining(), 2000)))) {
        return stop('TLS_EXPECTED', {}, { error: message });
      }
      if (code.startsWith('HPE_')) return stop('HTTP_PROTOCOL_ERROR', { reason: message }, { errno: code });
      return stop('CONNECTION_FAILED', { reason: message }, { errno: code, phase: 'upgrade' });
    }
    http = { status: opened.status, ...(opened.server !== undefined ? { server: opened.server } : {}) };

    const client = opened.ws;
    const messages = opened.inbox;
    inbox = messages;
    const closeEvidence = () => (messages.closed !== null ? { closeCode: messages.closed.code, closeReason: messages.closed.reason } : {});
    if (kind === 'socket.io') {
      const firstMessage = await timed('open', (ms) => messages.next(Math.min(ms, options.openWaitMs ?? 3000)));
      const first = firstMessage === null ? null : messageText(firstMessage);
      const received = first === null ? t(lang, 'received.nothing') : excerpt(first);
      if (first === null || !isEngineIoOpen(first)) {
        return stop('SOCKETIO_NO_OPEN', { received, ...(first === null ? { receivedKey: 'received.nothing' } : {}) }, { received: first === null ? null : excerpt(first), ...closeEvidence() });
      }
      const { request, isAnswer } = socketIoRoundTrip(engineIoVersion(url));
      const answer = await timed('echo', async (ms) => {
        client.send(request);
        const message = await messages.next(Math.min(ms, options.echoWaitMs ?? 2000), isAnswer);
        return message === null ? null : messageText(message);
      });
      if (answer === null) delete timings.echo;
      if (answer !== null && isSocketIoRefusal(answer)) return stop('SOCKETIO_REJECTED', { received: excerpt(answer) }, { received: excerpt(answer) });
      echo = answer === null ? 'no-echo' : 'ok';
      if (answer === null) add('NO_ECHO', 'info', { waitMs: options.echoWaitMs ?? 2000 });
    } else {
      const waitMs = options.echoWaitMs ?? 1500;
      const result = await timed('echo', (ms) => echoRoundTrip(client, messages, Math.min(ms, waitMs)));
      echo = result.echoed ? 'ok' : 'no-echo';
      if (!result.echoed) {
        delete timings.echo;
        add('NO_ECHO', 'info', { waitMs: Math.round(result.waitedMs) }, { waitedMs: result.waitedMs, pongMs: result.pongMs, ...closeEvidence() });
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

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
