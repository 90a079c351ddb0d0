import type { FindingCode } from '../../../shared/contract/check.js';
import type { Params } from '../../../shared/i18n/index.js';

/** What the server answered to the WebSocket upgrade request, when it was not a 101. */
export interface UpgradeAnswer {
  readonly status: number;
  readonly statusMessage: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** An excerpt of the body (see excerpt.ts). */
  readonly body: string;
  /** Whether the URL was wss:// (a plain request can be answered "this port speaks TLS"). */
  readonly secure: boolean;
}

/** The blocking finding for an upgrade answer: code, message parameters and evidence. */
export interface UpgradeVerdict {
  readonly code: Extract<FindingCode, 'TLS_EXPECTED' | 'UPGRADE_NOT_FORWARDED' | 'WS_PATH_NOT_FOUND' | 'BACKEND_UNAVAILABLE' | 'UPGRADE_REJECTED'>;
  readonly params: Params;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** nginx's "The plain HTTP request was sent to HTTPS port" and its kin. */
const TLS_REQUIRED_BODY = /plain HTTP request was sent to HTTPS port|requires TLS|SSL port/i;

/**
 * Names the fault from the status, headers and body a server answered instead of 101:
 * a page (2xx/3xx: the Upgrade headers were dropped or the path serves pages — the browser's
 * "Unexpected response code: 200"), 404, a dead backend (502/503/504), a TLS port asked in plain
 * HTTP (400 with nginx's text), anything else as a rejection. Pure: no I/O, no clock.
 */
export function classifyUpgrade(answer: UpgradeAnswer): UpgradeVerdict {
  const { status } = answer;
  const statusText = `${status} ${answer.statusMessage}`.trim();
  const header = (name: string) => {
    const value = answer.headers[name];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  };
  const evidence = { status, server: header('server'), location: header('location'), bodyExcerpt: answer.body };
  if (!answer.secure && status === 400 && TLS_REQUIRED_BODY.test(answer.body)) return { code: 'TLS_EXPECTED', params: {}, evidence };
  if (status >= 200 && status < 400) return { code: 'UPGRADE_NOT_FORWARDED', params: { status: statusText }, evidence };
  if (status === 404) return { code: 'WS_PATH_NOT_FOUND', params: { status: statusText }, evidence };
  if (status === 502 || status === 503 || status === 504) return { code: 'BACKEND_UNAVAILABLE', params: { status: statusText }, evidence };
  return { code: 'UPGRADE_REJECTED', params: { status: statusText }, evidence };
}
