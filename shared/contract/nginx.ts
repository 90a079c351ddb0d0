import * as z from './z.js';
import type { Plan } from './plan.js';
import { AbsolutePathSchema, PortSchema } from './common.js';
import { dnsLabelPattern, IPV6_CHARS, isIpv4, MAX_DNS_NAME } from './host-names.js';
import { defineOperation } from './operation.js';

/**
 * The nginx module: method two (nginx terminates TLS). Every value that ends up in
 * an nginx configuration is validated here so that nothing nginx would read as syntax
 * (; { } quotes # \ whitespace, newlines) can ever be written. Messages are i18n keys
 * taking {value} (shared/i18n/<lang>/nginx.ts). Kept free of Node so the renderer can
 * validate as the admin types.
 */

/** Characters that would end or change an nginx token: never written into a configuration. */
const NGINX_UNSAFE = /[;{}"'#\\`\s\u0000-\u001f\u007f]/;

const hasNginxSyntax = (value: string): boolean => NGINX_UNSAFE.test(value);

// Host-name grammar from host-names.ts; nginx also takes `_` in labels and a wildcard at either end.
const LABEL = dnsLabelPattern({ underscore: true });
const SERVER_NAME = new RegExp(`^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*(?:\\.\\*)?$`);
/** [IPv6] as nginx writes it in listen and server_name (its characters only; nginx -t judges the rest). */
const isBracketedIpv6 = (v: string) => v.length > 2 && v.startsWith('[') && v.endsWith(']') && IPV6_CHARS.test(v.slice(1, -1));
const PATH = /^\/[A-Za-z0-9._~!&*+,=:@%/-]*$/;
const HOST = `(?:\\[[0-9A-Fa-f:.]+\\]|${LABEL}(?:\\.${LABEL})*)`;
const UPSTREAM = new RegExp(`^${HOST}:(\\d{1,5})$`);

/** The first problem of a value meant for nginx (an i18n key), or null. */
export function serverNameProblem(value: string): string | null {
  if (hasNginxSyntax(value)) return 'nginx.input.serverName.unsafe';
  if (value === '_' || isIpv4(value) || isBracketedIpv6(value)) return null;
  return value.length <= MAX_DNS_NAME && SERVER_NAME.test(value) ? null : 'nginx.input.serverName.invalid';
}

function locationPathProblem(value: string): string | null {
  if (hasNginxSyntax(value)) return 'nginx.input.path.unsafe';
  return value.length <= 1024 && PATH.test(value) ? null : 'nginx.input.path.invalid';
}

export function upstreamProblem(value: string): string | null {
  if (hasNginxSyntax(value)) return 'nginx.input.upstream.unsafe';
  const m = UPSTREAM.exec(value);
  return m !== null && Number(m[1]) >= 1 && Number(m[1]) <= 65535 ? null : 'nginx.input.upstream.invalid';
}

const checked = (problem: (value: string) => string | null) =>
  z.string().superRefine((value, ctx) => {
    const key = problem(value);
    if (key !== null) ctx.addIssue({ code: 'custom', message: key, input: value });
  });

const NginxServerNameSchema = checked(serverNameProblem);
const LocationPathSchema = checked(locationPathProblem);
/** host:port of a backend (name, IPv4 or [IPv6]). */
const UpstreamSchema = checked(upstreamProblem);
export const ListenAddressSchema = checked((v) => (hasNginxSyntax(v) ? 'nginx.input.address.invalid' : isIpv4(v) || isBracketedIpv6(v) ? null : 'nginx.input.address.invalid'));
/** An absolute file path that is written into the configuration (certificate, key, CA). */
const NginxFilePathSchema = AbsolutePathSchema.superRefine((value, ctx) => {
  if (hasNginxSyntax(value)) ctx.addIssue({ code: 'custom', message: 'nginx.input.file.unsafe', input: value });
});
/** Name of the owned include file: <confdir>/wss-setup/<name>.conf. */
const OwnedNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, { message: 'nginx.input.name.invalid' });
const JarDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'nginx.input.jarDate.invalid' });

const Base = z.object({
  /** Absolute path of the main nginx.conf (nginx -c). */
  nginxConf: AbsolutePathSchema,
  /** server_name values of the new or edited server(s); "_" matches no name. */
  serverNames: z.array(NginxServerNameSchema).min(1, { message: 'nginx.input.serverNames.empty' }).max(20, { message: 'nginx.input.serverNames.many' }).default(['_']),
  /** Optional address for the new listen lines (e.g. 127.0.0.1); all addresses when absent. */
  listenAddress: ListenAddressSchema.optional(),
  httpsPort: PortSchema.default(443),
  /** PEM certificate chain and key the admin already has; without them the plan issues one. */
  certPath: NginxFilePathSchema.optional(),
  keyPath: NginxFilePathSchema.optional(),
  name: OwnedNameSchema.optional(),
  /** proxy_read_timeout of every WebSocket location written (new or edited in place); default: the profile's (3600 s). */
  readTimeoutSeconds: z
    .number({ message: 'nginx.input.timeout.invalid' })
    .int({ message: 'nginx.input.timeout.invalid' })
    .min(60, { message: 'nginx.input.timeout.invalid' })
    .max(604_800, { message: 'nginx.input.timeout.invalid' })
    .optional(),
  /** nginx binary used for `nginx -t` (default: /usr/sbin/nginx, else nginx on PATH). */
  nginxBin: AbsolutePathSchema.optional(),
});

const FineReportPlanSchema = Base.extend({
  profile: z.literal('finereport'),
  /** FineReport / FineBI / FineDataLink install; product, JAR date and container WebSocket are read from it. */
  install: AbsolutePathSchema.optional(),
  product: z.enum(['finereport', 'finebi', 'finedatalink']).optional(),
  jarDate: JarDateSchema.optional(),
  containerWebSocket: z.boolean().optional(),
  /** The report application's HTTP address (Tomcat); default: the install's HTTP connector (--install), else 127.0.0.1:8080. */
  app: UpstreamSchema.optional(),
  /** The product's WebSocket service host and port (default 38888 / 48888 / 58888). */
  websocketHost: NginxServerNameSchema.default('127.0.0.1'),
  websocketPort: PortSchema.optional(),
  /** The TLS port nginx forwards from (default 38889 / 48889 / 58889). */
  forwardPort: PortSchema.optional(),
  redirectHttp: z.boolean().default(false),
  httpPort: PortSchema.default(80),
  cors: z.boolean().default(false),
});

const GenericPlanSchema = Base.extend({
  profile: z.literal('generic'),
  path: LocationPathSchema.default('/websocket/'),
  /** The WebSocket backend; may be left out when an existing location for the path already has proxy_pass. */
  upstream: UpstreamSchema.optional(),
});

const PoolPlanSchema = Base.extend({
  profile: z.literal('pool'),
  path: LocationPathSchema.default('/'),
  backends: z.array(UpstreamSchema).min(1, { message: 'nginx.input.backends.empty' }).max(64, { message: 'nginx.input.backends.many' }),
  balance: z.enum(['round-robin', 'ip-hash']).default('round-robin'),
  maxFails: z.number().int().min(0).max(100).default(3),
  failTimeoutSeconds: z.number().int().min(1).max(3600).default(10),
  /** Speak TLS to the backends (proxy_pass https://, proxy_ssl_*). */
  backendTls: z.boolean().default(false),
  /** CA that signed the backends' certificates: turns on proxy_ssl_verify. */
  backendCa: NginxFilePathSchema.optional(),
  /** Name the backends' certificates carry (proxy_ssl_name), when it differs from the upstream name. */
  backendServerName: NginxServerNameSchema.optional(),
});

export const NginxPlanInputSchema = z
  .discriminatedUnion('profile', [FineReportPlanSchema, GenericPlanSchema, PoolPlanSchema], { message: 'nginx.input.profile.invalid' })
  .superRefine((input, ctx) => {
    if ((input.certPath === undefined) !== (input.keyPath === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'nginx.input.certKey.pair', path: [input.certPath === undefined ? 'certPath' : 'keyPath'], input: '' });
    }
  });

export type NginxPlanInput = z.input<typeof NginxPlanInputSchema>;
export type NginxPlanRequest = z.output<typeof NginxPlanInputSchema>;

export interface NginxPlanOutput {
  readonly plan: Plan;
  /** False when no file would change (planning again on the result is a no-op). FineDB rows are desired values that apply compares before writing. */
  readonly changed: boolean;
}

export const nginxOperations = {
  /** Method two: plan the nginx edits (and FineDB rows) for a profile; validated with nginx -t; nothing is written. */
  planNginxProxy: defineOperation<NginxPlanOutput>()({
    input: NginxPlanInputSchema,
    errors: [
      'INVALID_INPUT',
      'NGINX_CONF_UNREADABLE',
      'NGINX_CONF_INVALID',
      'NGINX_NO_HTTP_BLOCK',
      'NGINX_EDIT_OUTSIDE_TREE',
      'NGINX_OWNED_FILE_EDITED',
      'NGINX_SERVER_CONFLICT',
      'NGINX_UPSTREAM_REQUIRED',
      'NGINX_CERT_UNREADABLE',
      'NGINX_BINARY_NOT_FOUND',
      'NGINX_TEST_FAILED',
      'NGINX_TEST_NOT_RUN',
      'NGINX_CONF_BROKEN',
      'FINE_INSTALL_NOT_FOUND',
      'FINE_JARS_MISSING',
      'FINEDB_FILE_UNREADABLE',
    ],
    inputErrors: ['NGINX_CONF_UNREADABLE', 'NGINX_CONF_INVALID', 'NGINX_UPSTREAM_REQUIRED', 'NGINX_CERT_UNREADABLE', 'FINE_INSTALL_NOT_FOUND', 'FINE_JARS_MISSING'],
    progress: false,
  }),
} as const;
