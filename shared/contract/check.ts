import * as z from './z.js';
import { AbsolutePathSchema, TimeoutMsSchema } from './common.js';
import { wsUrlProblem } from './url.js';

export const WsUrlSchema = z.string().superRefine((value, ctx) => {
  const problem = wsUrlProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: value });
});

export const PageOriginSchema = z.string().refine(
  (value) => {
    try {
      const u = new URL(value);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  },
  { message: 'input.origin.invalid' },
);

/** A cluster's every node and port in one check; text in 'input.urls.many' says the same number. */
export const MAX_CHECK_URLS = 500;

export const CheckInputSchema = z.object({
  urls: z.array(WsUrlSchema).min(1, { message: 'input.urls.empty' }).max(MAX_CHECK_URLS, { message: 'input.urls.many' }),
  /** The https:// or http:// page the WebSocket is opened from (for mixed content). */
  origin: PageOriginSchema.optional(),
  /** Extra CA certificate(s), PEM, trusted in addition to the system store. */
  caFile: AbsolutePathSchema.optional(),
  timeoutMs: TimeoutMsSchema.default(8000),
  /** Main nginx.conf in front of the endpoints: adds config-aware findings naming file:line. */
  nginxConf: AbsolutePathSchema.optional(),
  /** Main Apache configuration (apache2.conf, httpd.conf) in front of the endpoints: adds config-aware findings naming file:line. */
  apacheConf: AbsolutePathSchema.optional(),
  /** Tomcat's conf/server.xml serving the endpoints (method one): adds config-aware findings naming file:line. */
  serverXml: AbsolutePathSchema.optional(),
});
export type CheckInput = z.input<typeof CheckInputSchema>;
export type CheckRequest = z.output<typeof CheckInputSchema>;

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly fix: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  /**
   * The parameters of `finding.<code>` and `finding.<code>.fix`, when the message is that key
   * rendered (the probe's own findings): a host shows it again in its reader's language. A
   * parameter that is itself a message names it in `<param>Key` (TIMEOUT's phase). Never a secret.
   */
  readonly params?: Readonly<Record<string, string | number>>;
}

export interface Timings {
  /** Milliseconds for each phase that ran; absent phases did not run. */
  readonly dns?: number;
  readonly tcp?: number;
  readonly tls?: number;
  readonly upgrade?: number;
  readonly open?: number;
  readonly echo?: number;
  readonly total: number;
}

export interface CertificateInfo {
  readonly subject: string;
  readonly san: readonly string[];
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly selfSigned: boolean;
  readonly fingerprint256: string;
}

export interface TlsInfo {
  readonly protocol: string | null;
  readonly cipher: string | null;
  readonly authorized: boolean;
  readonly authorizationError: string | null;
  readonly certificate: CertificateInfo | null;
}

export interface HttpInfo {
  /** Status of the answer to the upgrade request (101 when the WebSocket opened). */
  readonly status: number | null;
  readonly server?: string;
  readonly bodyExcerpt?: string;
}

export interface EndpointReport {
  readonly url: string;
  readonly ok: boolean;
  readonly kind: 'websocket' | 'socket.io';
  readonly address?: string;
  readonly timings: Timings;
  readonly tls: TlsInfo | null;
  readonly http: HttpInfo | null;
  readonly echo: 'ok' | 'no-echo' | 'skipped';
  /**
   * Messages the server sent that were not the answer the probe waited for (a greeting, a
   * push), as excerpts, at most five; absent when there were none.
   */
  readonly received?: readonly string[];
  readonly findings: readonly Finding[];
}

export interface CheckOutput {
  readonly ok: boolean;
  readonly endpoints: readonly EndpointReport[];
}

/** Codes of findings the health check can report; text lives in shared/i18n/<lang>/health.ts. */
/** Codes of the Apache config-aware findings (the apache module's diagnosis produces exactly these). */
export const APACHE_FINDING_CODES = [
  'APACHE_CONF_INVALID',
  'APACHE_NO_MATCHING_VHOST',
  'APACHE_NO_PROXY_FOR_PATH',
  'APACHE_PROXYPASS_SHADOWED',
  'APACHE_NO_WEBSOCKET_PROXY',
  'APACHE_WSTUNNEL_NOT_LOADED',
  'APACHE_UPGRADE_UNSUPPORTED',
  'APACHE_NO_FORWARDED_PROTO',
  'APACHE_SHORT_PROXY_TIMEOUT',
] as const;

export const FINDING_CODES = [
  'CONNECTION_REFUSED',
  'CONNECTION_FAILED',
  'TIMEOUT',
  'DNS_FAILED',
  'TLS_NOT_SPOKEN',
  'TLS_EXPECTED',
  'TLS_HANDSHAKE_FAILED',
  'TLS_OLD_PROTOCOL',
  'CERT_NAME_MISMATCH',
  'CERT_UNTRUSTED',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_EXPIRES_SOON',
  'UPGRADE_NOT_FORWARDED',
  'WS_PATH_NOT_FOUND',
  'BACKEND_UNAVAILABLE',
  'UPGRADE_REJECTED',
  'HTTP_PROTOCOL_ERROR',
  'MIXED_CONTENT',
  'SOCKETIO_NO_OPEN',
  'SOCKETIO_REJECTED',
  'NO_ECHO',
  // Config-aware findings (--nginx-conf); text in shared/i18n/<lang>/nginx.ts.
  'NGINX_CONF_INVALID',
  'NGINX_NO_MATCHING_SERVER',
  'NGINX_NO_MATCHING_LOCATION',
  'NGINX_NO_UPGRADE_HEADERS',
  'NGINX_HTTP10_UPSTREAM',
  'NGINX_SHORT_READ_TIMEOUT',
  'NGINX_WEAK_TLS',
  // Config-aware findings (--apache-conf); text in shared/i18n/<lang>/apache.ts.
  ...APACHE_FINDING_CODES,
  // Config-aware findings (--server-xml); text in shared/i18n/<lang>/tomcat.ts.
  'TOMCAT_CONF_INVALID',
  'TOMCAT_NO_TLS_CONNECTOR',
  'TOMCAT_LEGACY_TLS_IGNORED',
  'TOMCAT_KEYSTORE_UNREADABLE',
  'TOMCAT_FINEDB_KEYSTORE_RELATIVE',
  'TOMCAT_FINEDB_KEYSTORE_MISMATCH',
  'TOMCAT_FINEDB_NOT_READ',
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];
