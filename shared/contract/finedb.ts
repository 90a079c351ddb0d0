import * as z from './z.js';
import { AbsolutePathSchema } from './common.js';
import { defineOperation } from './operation.js';
import type { Plan } from './plan.js';

/**
 * Operations of the finedb module: read and write the WebSocketConfig.* rows of FineDB's
 * fine_conf_entity table (embedded HSQLDB, external database through the JDBC bridge, SQLite).
 * Validation messages are i18n keys (shared/i18n/<lang>/finedb.ts).
 */

/** Ports the product's WebSocket may use: unprivileged, 1025-65535. */
export const FinePortSchema = z
  .number({ message: 'input.finedb.port' })
  .int({ message: 'input.finedb.port' })
  .min(1025, { message: 'input.finedb.port' })
  .max(65535, { message: 'input.finedb.port' });

const PortListSchema = z
  .array(FinePortSchema)
  .min(1, { message: 'input.finedb.ports.empty' })
  .max(16, { message: 'input.finedb.ports.many' })
  .refine((ports) => new Set(ports).size === ports.length, { message: 'input.finedb.ports.duplicate' });

const JdbcUrlSchema = z
  .string()
  .trim()
  .max(2000, { message: 'input.finedb.jdbcUrl' })
  .regex(/^jdbc:[A-Za-z0-9]+:\S+$/, { message: 'input.finedb.jdbcUrl' });

const ClassNameSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+$/, { message: 'input.finedb.driverClass' });

/** Where FineDB is and how to reach it; everything but the install is found from the install when left out. */
export const FineDbConnectionSchema = z.strictObject({
  /** The product install (holding webapps/webroot/WEB-INF), its webroot, or WEB-INF itself. */
  install: AbsolutePathSchema,
  /** Overrides the JDBC URL read from WEB-INF/config/db.properties (jdbc:sqlite:<file> uses SQLite). */
  jdbcUrl: JdbcUrlSchema.optional(),
  /** Driver jars to add to the class path (the install's WEB-INF/lib is searched too). */
  driverJars: z.array(AbsolutePathSchema).max(20, { message: 'input.finedb.driverJars.many' }).optional(),
  driverClass: ClassNameSchema.optional(),
  user: z.string().max(256, { message: 'input.finedb.user' }).optional(),
  /** Database password (secret: never echoed). Needed when db.properties stores it encrypted. */
  password: z.string().max(1024, { message: 'input.finedb.password' }).optional(),
  /**
   * The java that runs the bridge. Default: a system JRE owned by root. The bridge runs as the
   * account that owns the FineDB folder, never as root on an install another account owns.
   */
  java: AbsolutePathSchema.optional(),
  /** Use the install's bundled JRE (searched inside the install folder only), still run as the install's account. */
  installJava: z.boolean().optional(),
});
export type FineDbConnectionInput = z.input<typeof FineDbConnectionSchema>;
export type FineDbConnection = z.output<typeof FineDbConnectionSchema>;

export const KEYSTORE_FORMATS = ['PKCS12', 'JKS'] as const;

/** Method one (seed 000): SSL on the web server; the WebSocket serves TLS from the same keystore. */
export const SslRowsSchema = z.strictObject({
  keyStore: AbsolutePathSchema,
  keyStorePassword: z
    .string()
    .min(1, { message: 'input.finedb.keyStorePassword.empty' })
    .max(1024, { message: 'input.finedb.keyStorePassword.long' })
    .refine((p) => p === p.trim(), { message: 'input.finedb.keyStorePassword.spaces' }),
  keyStoreFormat: z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), z.enum(KEYSTORE_FORMATS, { message: 'input.finedb.keyStoreFormat' })),
});

/** Method two (seed 000): nginx terminates TLS on the request port(s) and proxies to the WebSocket port(s). */
export const ProxyRowsSchema = z.strictObject({
  websocketPorts: PortListSchema,
  requestPorts: PortListSchema,
});

export const FineDbSetSchema = FineDbConnectionSchema.extend({
  ssl: SslRowsSchema.optional(),
  proxy: ProxyRowsSchema.optional(),
  /** Reset the WebSocket settings to their defaults first (required before a certificate is replaced); automatic when the keystore changes. */
  reset: z.boolean().default(false),
  /** Overrides what the install's JARs say: the JAR date (YYYY-MM-DD) decides requestPort vs requestPorts. */
  jarDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'input.finedb.jarDate' }).optional(),
  /** Overrides whether the install uses the web container's own WebSocket (11.0.2+): then no port rows are written. */
  containerWebSocket: z.boolean().optional(),
  /** Compute and validate everything, write nothing. */
  dryRun: z.boolean().default(false),
})
  .refine((v) => v.ssl !== undefined || v.proxy !== undefined || v.reset, { message: 'input.finedb.nothing', path: ['ssl'] })
  .refine((v) => v.proxy === undefined || !v.proxy.requestPorts.some((p) => v.proxy!.websocketPorts.includes(p)), {
    message: 'input.finedb.ports.overlap',
    path: ['proxy', 'requestPorts'],
  });
export type FineDbSetInput = z.input<typeof FineDbSetSchema>;
export type FineDbSetRequest = z.output<typeof FineDbSetSchema>;

export const FineDbInspectSchema = z.strictObject({ install: AbsolutePathSchema });

/** List backups: all of them, or those of one install's FineDB. */
export const FineDbBackupsSchema = z.strictObject({ install: AbsolutePathSchema.optional() });

export const FineDbRestoreSchema = FineDbConnectionSchema.extend({
  /** Backup id (the folder name under <data>/backups/finedb/) or the absolute path of that folder. */
  backup: z.string().trim().min(1, { message: 'input.finedb.backup' }).max(4096, { message: 'input.finedb.backup' }).refine((v) => !v.includes('\0'), { message: 'input.finedb.backup' }),
});

export interface FineConfRowOut {
  readonly id: string;
  /** The value; secret rows (WebSocketConfig.keyStorePassword) are shown as "••••". */
  readonly value: string;
}

export interface FineDbLocation {
  readonly kind: 'embedded-hsqldb' | 'external' | 'sqlite';
  /** File path (embedded, SQLite) or JDBC URL with any password parameter masked (external). */
  readonly where: string;
}

export interface FineDbInfo {
  readonly driver: { readonly className: string; readonly name: string; readonly version: string };
  readonly database: { readonly product: string; readonly version: string };
}

export interface FineInstallOut {
  readonly dir: string;
  readonly product: 'finereport' | 'finebi' | 'finedatalink';
  readonly webInf: string;
  readonly version?: string;
  readonly jarDate?: string;
  readonly containerWebSocket: boolean;
  readonly finedb: FineDbLocation & { readonly passwordEncrypted?: boolean };
}

export interface FineDbNote {
  /** i18n key of the note. */
  readonly code: string;
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

export interface FineDbInspectOutput {
  readonly install: FineInstallOut;
  /** The keys this install reads for each method, spelled exactly as the product reads them. */
  readonly keys: { readonly ssl: readonly string[]; readonly proxy: readonly string[] };
  readonly defaultPorts: { readonly websocket: number; readonly forward: number };
  readonly notes: readonly FineDbNote[];
}

export interface FineDbGetOutput {
  readonly install: FineInstallOut;
  readonly info: FineDbInfo;
  /** Rows of fine_conf_entity whose id starts with WebSocketConfig (secret values masked). */
  readonly rows: readonly FineConfRowOut[];
  readonly notes: readonly FineDbNote[];
}

export interface FineDbBackupOutput {
  readonly id: string;
  readonly path: string;
  readonly kind: 'files' | 'rows';
  readonly files?: readonly { readonly name: string; readonly size: number; readonly sha256: string }[];
  readonly rows?: readonly (FineConfRowOut & { readonly present: boolean })[];
}

export interface FineDbSetOutput {
  readonly install: FineInstallOut;
  readonly dryRun: boolean;
  readonly info?: FineDbInfo;
  /** The shared plan (method finedb-set): fineDbRows with the values read before the write (secrets as references). */
  readonly plan: Plan;
  readonly deleted: readonly string[];
  readonly written: readonly FineConfRowOut[];
  /** Rows not written, and why (container WebSocket). */
  readonly skipped: readonly FineConfRowOut[];
  readonly backup?: FineDbBackupOutput;
  readonly verified: boolean;
  readonly notes: readonly FineDbNote[];
}

export interface FineDbBackupEntry {
  readonly id: string;
  readonly path: string;
  readonly createdAt?: string;
  readonly kind?: 'files' | 'rows';
  readonly location?: FineDbLocation;
  readonly install?: string;
  /** Files (files backup) or rows (rows backup) held. */
  readonly items: number;
  readonly bytes: number;
  /** The backup's description cannot be read: it cannot be restored. */
  readonly damaged: boolean;
}

export interface FineDbBackupsOutput {
  /** Where backups are kept. */
  readonly root: string;
  readonly backups: readonly FineDbBackupEntry[];
}

export interface FineDbRestoreOutput {
  readonly backup: string;
  readonly kind: 'files' | 'rows';
  readonly restored: readonly string[];
  readonly verified: boolean;
}

const CONNECT_ERRORS = [
  'FINE_INSTALL_NOT_FOUND',
  'FINE_JARS_MISSING',
  'FINEDB_FILE_UNREADABLE',
  'FINEDB_MISSING',
  'FINEDB_PASSWORD_ENCRYPTED',
  'FINEDB_DRIVER_JAR_MISSING',
  'FINEDB_DRIVER_NOT_FOUND',
  'FINEDB_DRIVER_CLASS_NOT_LOADED',
  'FINEDB_URL_NOT_ACCEPTED',
  'FINEDB_BRIDGE_MISSING',
  'FINEDB_JAVA_NOT_FOUND',
  'FINEDB_JAVA_UNTRUSTED',
  'FINEDB_INSTALL_JAVA_NOT_FOUND',
  'FINEDB_BRIDGE_FAILED',
  'FINEDB_BRIDGE_TIMEOUT',
  'FINEDB_AUTH_FAILED',
  'FINEDB_UNREACHABLE',
  'FINEDB_TABLE_MISSING',
  'FINEDB_LOCKED',
  'FINEDB_LOCKED_UNKNOWN',
  'FINEDB_LOCK_FILE_STRANGE',
  'FINEDB_SQL_ERROR',
  // From the file-system port: a database file or db.properties that is a link, not a regular file, too large, unreadable, or could not be written back.
  'FILE_UNREADABLE',
  'FILE_NOT_REGULAR',
  'FILE_TOO_LARGE',
  'FILE_IS_SYMLINK',
  'FILE_WRITE_FAILED',
  'FILE_OWNER_NOT_KEPT',
] as const;
const CONNECT_INPUT_ERRORS = ['FINE_INSTALL_NOT_FOUND', 'FINE_JARS_MISSING', 'FINEDB_PASSWORD_ENCRYPTED', 'FINEDB_DRIVER_JAR_MISSING', 'FINEDB_DRIVER_NOT_FOUND', 'FINEDB_JAVA_UNTRUSTED', 'FINEDB_INSTALL_JAVA_NOT_FOUND'] as const;

export const finedbOperations = {
  /** What the install is and which FineDB keys it reads (nothing is opened). */
  finedbInspect: defineOperation<FineDbInspectOutput>()({
    input: FineDbInspectSchema,
    errors: ['INVALID_INPUT', 'FINE_INSTALL_NOT_FOUND', 'FINE_JARS_MISSING', 'FINEDB_FILE_UNREADABLE'],
    inputErrors: ['FINE_INSTALL_NOT_FOUND', 'FINE_JARS_MISSING'],
  }),
  /** Read the WebSocketConfig.* rows (an embedded HSQLDB is read from a copy: the live files are never touched). */
  finedbGet: defineOperation<FineDbGetOutput>()({
    input: FineDbConnectionSchema,
    errors: ['INVALID_INPUT', ...CONNECT_ERRORS],
    inputErrors: [...CONNECT_INPUT_ERRORS],
  }),
  /** Back up FineDB: the embedded database files, or the old values of every WebSocketConfig row. */
  finedbBackup: defineOperation<FineDbBackupOutput>()({
    input: FineDbConnectionSchema,
    errors: ['INVALID_INPUT', ...CONNECT_ERRORS, 'FINEDB_BACKUP_FAILED'],
    inputErrors: [...CONNECT_INPUT_ERRORS],
  }),
  /** Write the rows of method one (ssl) and/or two (proxy): validate, back up, one transaction, read back. */
  finedbSet: defineOperation<FineDbSetOutput>()({
    input: FineDbSetSchema,
    errors: ['INVALID_INPUT', ...CONNECT_ERRORS, 'FINEDB_BACKUP_FAILED', 'FINEDB_KEYSTORE_MISSING', 'FINEDB_LEGACY_ONE_PORT', 'FINEDB_NOTHING_TO_WRITE', 'FINEDB_READBACK_MISMATCH', 'FINEDB_CHANGED_SINCE_PLAN', 'FINEDB_SECRET_MISSING', 'FINEDB_BACKUP_CORRUPT', 'FINEDB_BACKUP_MISMATCH'],
    inputErrors: [...CONNECT_INPUT_ERRORS, 'FINEDB_KEYSTORE_MISSING', 'FINEDB_LEGACY_ONE_PORT', 'FINEDB_NOTHING_TO_WRITE'],
  }),
  /** List the FineDB backups (all, or those of one install), newest first. */
  finedbBackups: defineOperation<FineDbBackupsOutput>()({
    input: FineDbBackupsSchema,
    errors: ['INVALID_INPUT', 'FINE_INSTALL_NOT_FOUND', 'FINE_JARS_MISSING', 'FINEDB_FILE_UNREADABLE', 'FILE_UNREADABLE'],
    inputErrors: ['FINE_INSTALL_NOT_FOUND', 'FINE_JARS_MISSING'],
  }),
  /** Put a backup back: files byte-identical (embedded, SQLite) or row values identical (external). */
  finedbRestore: defineOperation<FineDbRestoreOutput>()({
    input: FineDbRestoreSchema,
    errors: ['INVALID_INPUT', ...CONNECT_ERRORS, 'FINEDB_BACKUP_NOT_FOUND', 'FINEDB_BACKUP_MISMATCH', 'FINEDB_BACKUP_CORRUPT', 'FINEDB_READBACK_MISMATCH'],
    inputErrors: [...CONNECT_INPUT_ERRORS, 'FINEDB_BACKUP_NOT_FOUND', 'FINEDB_BACKUP_MISMATCH'],
  }),
} as const;
