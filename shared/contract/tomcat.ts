import * as z from './z.js';
import type { Plan } from './plan.js';
import { AbsolutePathSchema, PortSchema } from './common.js';
import { defineOperation } from './operation.js';
import { isWsPath } from './ws-path.js';

/**
 * The tomcat module: method one (SSL directly on Tomcat, seed 000). Values that end up in
 * server.xml are validated here; messages are i18n keys (shared/i18n/<lang>/tomcat.ts).
 * Kept free of Node so the renderer can validate as the admin types.
 */

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST_NAME = new RegExp(`^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`);
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]{2,45}$/;

export const TomcatHostNameSchema = z.string().refine((v) => v.length <= 253 && (HOST_NAME.test(v) || IPV4.test(v) || (v.includes(':') && IPV6.test(v))), { message: 'tomcat.input.serverName.invalid' });
/** The path of a WebSocket endpoint on the HTTPS port, for the plan's wss check (ws-path.ts says what passes). */
export const WsPathSchema = z.string().refine((v) => isWsPath(v), { message: 'tomcat.input.wsPath.invalid' });

export const TomcatAddressSchema = z.string().refine((v) => IPV4.test(v) || (v.includes(':') && IPV6.test(v)), { message: 'tomcat.input.address.invalid' });

/**
 * A keystore password as Tomcat and keytool take it: 6 to 128 characters, no control characters,
 * and no "${" (Tomcat would read it as a property reference in server.xml).
 */
export const KeystorePasswordSchema = z
  .string()
  .min(6, { message: 'tomcat.input.password.short' })
  .max(128, { message: 'tomcat.input.password.long' })
  .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), { message: 'tomcat.input.password.control' })
  .refine((v) => !v.includes('${'), { message: 'tomcat.input.password.property' });

export const TomcatSslPlanInputSchema = z
  .object({
    /** A FineReport / FineBI / FineDataLink install: its Tomcat base (holding webapps/webroot), or the product folder with server/. */
    install: AbsolutePathSchema.optional(),
    /** A Tomcat CATALINA_BASE (conf/server.xml). */
    catalinaBase: AbsolutePathSchema.optional(),
    /** CATALINA_HOME (lib/catalina.jar, bin/bootstrap.jar); default the base when it holds them. */
    catalinaHome: AbsolutePathSchema.optional(),
    /** HTTPS port; default the existing TLS connector's, else 8443. */
    httpsPort: PortSchema.optional(),
    /** Listen address of a new connector (default all addresses). */
    address: TomcatAddressSchema.optional(),
    /** Names the issued certificate covers and the checks use (default localhost). */
    serverNames: z.array(TomcatHostNameSchema).max(20, { message: 'tomcat.input.serverNames.many' }).default([]),
    /** An existing keystore to serve (else the connector's current one, else one is issued). */
    keystore: AbsolutePathSchema.optional(),
    keystoreType: z.enum(['PKCS12', 'JKS'], { message: 'tomcat.input.keystoreType.invalid' }).optional(),
    keystoreAlias: z.string().regex(/^[\w.-]{1,64}$/, { message: 'tomcat.input.alias.invalid' }).optional(),
    /** Password of the keystore: the given one, the one server.xml names (checked against it), or the one to issue. Never echoed. */
    keystorePassword: KeystorePasswordSchema,
    /** The admin confirms the service account may bind a port below 1024. */
    allowPrivilegedPort: z.boolean().default(false),
    /** Redirect plain HTTP to HTTPS for every web application (CONFIDENTIAL constraint in CATALINA_BASE/conf/web.xml). */
    redirectHttp: z.boolean().default(false),
    /** A WebSocket endpoint on the HTTPS port (path) that apply's checks open over wss (plain Tomcat, or FineReport's container WebSocket). */
    wsPath: WsPathSchema.optional(),
    /** The java binary running Tomcat and configtest (default the install's own JRE, else java on PATH). */
    java: AbsolutePathSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if ((input.install === undefined) === (input.catalinaBase === undefined)) ctx.addIssue({ code: 'custom', message: 'tomcat.input.target', path: ['install'], input: '' });
  });

export type TomcatSslPlanInput = z.input<typeof TomcatSslPlanInputSchema>;
export type TomcatSslPlanRequest = z.output<typeof TomcatSslPlanInputSchema>;

export interface TomcatSslPlanOutput {
  readonly plan: Plan;
  /** False when nothing would change (planning again on the result is a no-op). */
  readonly changed: boolean;
}

/**
 * server.xml content in a plan never holds a password: each password attribute's value is a
 * placeholder that apply fills (main/engine/tomcat's `materializeServerXml`): `keystorePassword`
 * from the secret given at apply time, `keep:<n>` from the n-th password attribute of the file
 * as it is on disk (its beforeSha256 guarantees it is the file the plan was made from).
 */
export const SECRET_PLACEHOLDER = /@@wss-setup-secret:([\w:.-]+)@@/g;
export const secretPlaceholder = (ref: string): string => `@@wss-setup-secret:${ref}@@`;

export const TOMCAT_PLAN_ERRORS = [
  'INVALID_INPUT',
  'TOMCAT_BASE_NOT_FOUND',
  'TOMCAT_HOME_NOT_FOUND',
  'TOMCAT_SERVER_XML_UNREADABLE',
  'TOMCAT_SERVER_XML_INVALID',
  'TOMCAT_SERVER_XML_ENCODING',
  'TOMCAT_NOT_A_SERVER_XML',
  'TOMCAT_VERSION_UNKNOWN',
  'TOMCAT_NO_SERVICE',
  'TOMCAT_PORT_PLAIN_CONNECTOR',
  'TOMCAT_PORT_IN_USE',
  'TOMCAT_PRIVILEGED_PORT',
  'TOMCAT_KEYTOOL_MISSING',
  'TOMCAT_KEYSTORE_MISSING',
  'TOMCAT_KEYSTORE_WRONG_PASSWORD',
  'TOMCAT_KEYSTORE_NO_ALIAS',
  'TOMCAT_KEYSTORE_NO_KEY',
  'TOMCAT_KEYSTORE_UNREADABLE',
  'TOMCAT_CONFIGTEST_FAILED',
  'TOMCAT_CONF_BROKEN',
  'TOMCAT_WEB_XML_UNREADABLE',
  'TOMCAT_WEB_XML_INVALID',
  'FINE_INSTALL_NOT_FOUND',
  'FINE_JARS_MISSING',
  'FINEDB_FILE_UNREADABLE',
] as const;

export const tomcatOperations = {
  /** Method one: plan the server.xml TLS connector, keystore, FineDB rows, restart and checks; validated with configtest; nothing is written. */
  planTomcatSsl: defineOperation<TomcatSslPlanOutput>()({
    input: TomcatSslPlanInputSchema,
    errors: TOMCAT_PLAN_ERRORS,
    inputErrors: [
      'TOMCAT_BASE_NOT_FOUND',
      'TOMCAT_HOME_NOT_FOUND',
      'TOMCAT_SERVER_XML_UNREADABLE',
      'TOMCAT_SERVER_XML_INVALID',
      'TOMCAT_SERVER_XML_ENCODING',
      'TOMCAT_NOT_A_SERVER_XML',
      'TOMCAT_PORT_PLAIN_CONNECTOR',
      'TOMCAT_PORT_IN_USE',
      'TOMCAT_PRIVILEGED_PORT',
      'TOMCAT_KEYSTORE_MISSING',
      'TOMCAT_KEYSTORE_WRONG_PASSWORD',
      'TOMCAT_KEYSTORE_NO_ALIAS',
      'TOMCAT_KEYSTORE_NO_KEY',
      'TOMCAT_WEB_XML_INVALID',
      'FINE_INSTALL_NOT_FOUND',
      'FINE_JARS_MISSING',
    ],
    progress: false,
  }),
} as const;
