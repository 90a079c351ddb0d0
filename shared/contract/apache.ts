import * as z from './z.js';
import { AbsolutePathSchema, PortSchema } from './common.js';
import { defineOperation } from './operation.js';
import type { Plan } from './plan.js';

/**
 * The Apache httpd module: Apache terminates TLS and proxies pages and WebSockets (seed 001).
 * Every value that ends up in an httpd configuration is validated here so that nothing httpd
 * would read as syntax (quotes, < >, #, backslash, ${, whitespace, newlines) is ever written.
 * Messages are i18n keys taking {value} (shared/i18n/<lang>/apache.ts). Free of Node.
 */

const APACHE_UNSAFE = /[\s"'<>#\\`$;{}\u0000-\u001f\u007f]/;
export const hasApacheSyntax = (value: string): boolean => APACHE_UNSAFE.test(value);

const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const SERVER_NAME = new RegExp(`^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`);
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const PATH = /^\/[A-Za-z0-9._~!&*+,=:@%/-]*$/;
const HOST = `(?:\\[[0-9A-Fa-f:.]+\\]|${LABEL}(?:\\.${LABEL})*)`;
const UPSTREAM = new RegExp(`^${HOST}:(\\d{1,5})$`);

export function apacheServerNameProblem(value: string): string | null {
  if (hasApacheSyntax(value)) return 'apache.input.serverName.unsafe';
  if (IPV4.test(value)) return null;
  return value.length <= 253 && SERVER_NAME.test(value) ? null : 'apache.input.serverName.invalid';
}

export function apachePathProblem(value: string): string | null {
  if (hasApacheSyntax(value)) return 'apache.input.path.unsafe';
  return value.length <= 1024 && PATH.test(value) && !value.includes('//') && !/(^|\/)\.\.?(\/|$)/.test(value) ? null : 'apache.input.path.invalid';
}

export function apacheUpstreamProblem(value: string): string | null {
  if (hasApacheSyntax(value)) return 'apache.input.upstream.unsafe';
  const m = UPSTREAM.exec(value);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 65535 ? null : 'apache.input.upstream.invalid';
}

const checked = (problem: (value: string) => string | null) =>
  z.string().superRefine((value, ctx) => {
    const key = problem(value);
    if (key !== null) ctx.addIssue({ code: 'custom', message: key, input: value });
  });

export const ApacheServerNameSchema = checked(apacheServerNameProblem);
export const ApachePathSchema = checked(apachePathProblem);
export const ApacheUpstreamSchema = checked(apacheUpstreamProblem);
/** An absolute file path written into the configuration (certificate, key). */
export const ApacheFilePathSchema = AbsolutePathSchema.superRefine((value, ctx) => {
  if (hasApacheSyntax(value)) ctx.addIssue({ code: 'custom', message: 'apache.input.file.unsafe', input: value });
});
export const ApacheOwnedNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'apache.input.name.invalid' });

const Base = z.object({
  /** Absolute path of the main configuration file (apache2.conf, httpd.conf). */
  apacheConf: AbsolutePathSchema,
  /** ServerRoot when httpd is started with -d (default: the ServerRoot directive, else the main file's folder). */
  serverRoot: AbsolutePathSchema.optional(),
  serverNames: z.array(ApacheServerNameSchema).min(1, { message: 'apache.input.serverNames.empty' }).max(20, { message: 'apache.input.serverNames.many' }).default(['localhost']),
  listenAddress: checked((v) => (IPV4.test(v) ? null : 'apache.input.address.invalid')).optional(),
  httpsPort: PortSchema.default(443),
  certPath: ApacheFilePathSchema.optional(),
  keyPath: ApacheFilePathSchema.optional(),
  name: ApacheOwnedNameSchema.optional(),
  readTimeoutSeconds: z.number({ message: 'apache.input.timeout.invalid' }).int({ message: 'apache.input.timeout.invalid' }).min(60, { message: 'apache.input.timeout.invalid' }).max(604_800, { message: 'apache.input.timeout.invalid' }).default(3600),
  redirectHttp: z.boolean().default(false),
  httpPort: PortSchema.default(80),
  /** httpd binary for -v and -t (default: /usr/sbin/apache2, else /usr/sbin/httpd). */
  apacheBin: AbsolutePathSchema.optional(),
  /** apachectl for stop/start (default: next to the binary). */
  apachectl: AbsolutePathSchema.optional(),
});

export const ApacheFineReportSchema = Base.extend({
  profile: z.literal('finereport'),
  install: AbsolutePathSchema.optional(),
  product: z.enum(['finereport', 'finebi', 'finedatalink']).optional(),
  jarDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'apache.input.jarDate.invalid' }).optional(),
  containerWebSocket: z.boolean().optional(),
  app: ApacheUpstreamSchema.default('127.0.0.1:8080'),
  websocketHost: ApacheServerNameSchema.default('127.0.0.1'),
  websocketPort: PortSchema.optional(),
  forwardPort: PortSchema.optional(),
});

export const ApacheOpChartsSchema = Base.extend({
  profile: z.literal('opcharts'),
  /** OMK's web service (default: the backend of an existing rule for the path, else 127.0.0.1:8042 as in seed 001). */
  omk: ApacheUpstreamSchema.optional(),
  path: ApachePathSchema.default('/en/omk/opCharts/events/log'),
  /** opCommon.json or opCommon.nmis whose websocket_proxy_port is set to the HTTPS port. */
  opCommon: AbsolutePathSchema.optional(),
  /** systemd unit of omkd (stopped and started so it reads the new port). */
  omkService: z.string().regex(/^[A-Za-z0-9@._:-]{1,255}$/, { message: 'apache.input.service.invalid' }).default('omkd'),
});

export const ApacheGenericSchema = Base.extend({
  profile: z.literal('generic'),
  path: ApachePathSchema.default('/websocket/'),
  upstream: ApacheUpstreamSchema.optional(),
  /** The site's pages behind the same host (ProxyPass / after the WebSocket path). */
  app: ApacheUpstreamSchema.optional(),
});

export const ApachePlanInputSchema = z
  .discriminatedUnion('profile', [ApacheFineReportSchema, ApacheOpChartsSchema, ApacheGenericSchema], { message: 'apache.input.profile.invalid' })
  .superRefine((input, ctx) => {
    if ((input.certPath === undefined) !== (input.keyPath === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'apache.input.certKey.pair', path: [input.certPath === undefined ? 'certPath' : 'keyPath'], input: '' });
    }
  });

export type ApachePlanInput = z.input<typeof ApachePlanInputSchema>;
export type ApachePlanRequest = z.output<typeof ApachePlanInputSchema>;

export interface ApachePlanOutput {
  readonly plan: Plan;
  /** False when no file would change (planning again on the result is a no-op). */
  readonly changed: boolean;
}

export const apacheOperations = {
  /** Apache as the TLS proxy: plan module enabling, virtual hosts, ProxyPass lines (and FineDB rows / opCommon); validated with apachectl -t; nothing is written. */
  planApacheProxy: defineOperation<ApachePlanOutput>()({
    input: ApachePlanInputSchema,
    errors: [
      'INVALID_INPUT',
      'APACHE_CONF_UNREADABLE',
      'APACHE_CONF_INVALID',
      'APACHE_EDIT_OUTSIDE_TREE',
      'APACHE_OWNED_FILE_EDITED',
      'APACHE_VHOST_CONFLICT',
      'APACHE_UPSTREAM_REQUIRED',
      'APACHE_MODULE_UNAVAILABLE',
      'APACHE_CERT_UNREADABLE',
      'APACHE_BINARY_NOT_FOUND',
      'APACHE_TEST_FAILED',
      'APACHE_CONF_BROKEN',
      'APACHE_OPCOMMON_UNREADABLE',
      'APACHE_OPCOMMON_NO_KEY',
      'FINE_INSTALL_NOT_FOUND',
      'FINE_JARS_MISSING',
    ],
    inputErrors: ['APACHE_CONF_UNREADABLE', 'APACHE_CONF_INVALID', 'APACHE_UPSTREAM_REQUIRED', 'APACHE_CERT_UNREADABLE', 'APACHE_OPCOMMON_UNREADABLE', 'APACHE_OPCOMMON_NO_KEY', 'FINE_INSTALL_NOT_FOUND', 'FINE_JARS_MISSING'],
    progress: false,
  }),
} as const;
