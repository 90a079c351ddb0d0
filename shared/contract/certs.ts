import { z } from 'zod';
import type { Finding } from './check.js';
import { AbsolutePathSchema } from './common.js';
import { defineOperation } from './operation.js';

/**
 * The certs module: a local CA kept in the app's data directory, server certificates it signs,
 * CSRs for a public or company CA, imports (PEM, encrypted PEM, PKCS#12, JKS), keystores for
 * each server, inspection with findings, and the OS trust store.
 *
 * Outputs carry paths, fingerprints, subjects, SANs, validity and findings; never key material
 * or passwords. Validation messages are i18n keys (shared/i18n/<lang>/certs.ts); messages of
 * secret fields never contain the {value} placeholder, so a password is never echoed back.
 */

// ---------------------------------------------------------------------------------------------
// Host names (shared with the renderer, which validates as the admin types)

export type HostNameProblem =
  | 'certs.input.name.empty'
  | 'certs.input.name.space'
  | 'certs.input.name.long'
  | 'certs.input.name.label'
  | 'certs.input.name.emptyLabel'
  | 'certs.input.name.char'
  | 'certs.input.name.hyphen'
  | 'certs.input.name.wildcard'
  | 'certs.input.name.wildcardTld'
  | 'certs.input.name.trailingDot'
  | 'certs.input.name.ip'
  | 'certs.input.name.brackets'
  | 'certs.input.name.idn';

export type HostNameKind = 'dns' | 'ip';

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isIpv4(name: string): boolean {
  const m = IPV4.exec(name);
  return m !== null && m.slice(1).every((part) => Number(part) <= 255 && (part === '0' || !part.startsWith('0')));
}

/** IPv6 literal without brackets, checked with the WHATWG URL parser (works in Node and the browser). */
export function isIpv6(name: string): boolean {
  if (!name.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(name)) return false;
  try {
    return new URL(`http://[${name}]/`).hostname !== '';
  } catch {
    return false;
  }
}

export function hostNameKind(name: string): HostNameKind {
  return isIpv4(name) || isIpv6(name) ? 'ip' : 'dns';
}

/**
 * The first problem of a name the certificate must cover (an i18n key taking {value}), or null.
 * RFC 1123 labels; a wildcard only as the whole left-most label above at least two labels
 * (`*.example.com`); IPv4 and IPv6 literals.
 */
export function hostNameProblem(name: string): HostNameProblem | null {
  if (name === '') return 'certs.input.name.empty';
  if (/\s/.test(name)) return 'certs.input.name.space';
  if (name.startsWith('[') || name.endsWith(']')) return 'certs.input.name.brackets';
  if (name.includes(':')) return isIpv6(name) ? null : 'certs.input.name.ip';
  if (/^[\d.]+$/.test(name)) return isIpv4(name) ? null : 'certs.input.name.ip';
  // eslint-disable-next-line no-control-regex
  if (/[^\x00-\x7f]/.test(name)) return 'certs.input.name.idn';
  if (name.length > 253) return 'certs.input.name.long';
  if (name.endsWith('.')) return 'certs.input.name.trailingDot';
  const labels = name.split('.');
  for (const [index, label] of labels.entries()) {
    if (label === '') return 'certs.input.name.emptyLabel';
    if (label.includes('*')) {
      if (index !== 0 || label !== '*') return 'certs.input.name.wildcard';
      if (labels.length < 3) return 'certs.input.name.wildcardTld';
      continue;
    }
    if (label.length > 63) return 'certs.input.name.label';
    if (!/^[A-Za-z0-9-]+$/.test(label)) return 'certs.input.name.char';
    if (!LABEL.test(label)) return 'certs.input.name.hyphen';
  }
  return null;
}

export const HostNameSchema = z.string({ message: 'certs.input.name.empty' }).superRefine((value, ctx) => {
  const problem = hostNameProblem(value);
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem, input: value });
});

/** Normal form of a name: DNS names in lower case, IPv6 compressed the way URL parsing does. */
export function normalizeHostName(name: string): string {
  if (isIpv6(name)) return new URL(`http://[${name}]/`).hostname.slice(1, -1);
  return name.toLowerCase();
}

export const HostNamesSchema = z
  .array(HostNameSchema, { message: 'certs.input.names.empty' })
  .min(1, { message: 'certs.input.names.empty' })
  .max(100, { message: 'certs.input.names.many' })
  .transform((names) => [...new Set(names.map(normalizeHostName))]);

// ---------------------------------------------------------------------------------------------
// Shared field schemas

/** A password or passphrase: never echoed in messages (no {value} in these keys). */
export const SecretSchema = z.string({ message: 'certs.input.secret.type' }).max(1024, { message: 'certs.input.secret.long' });

/** Keystore passwords: keytool and Tomcat need at least 6 characters. */
export const KeystorePasswordSchema = z
  .string({ message: 'certs.input.secret.type' })
  .min(6, { message: 'certs.input.password.short' })
  .max(1024, { message: 'certs.input.secret.long' });

const TextFieldSchema = z
  .string()
  .min(1, { message: 'certs.input.text.empty' })
  .max(64, { message: 'certs.input.text.long' })
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\x00-\x1f\x7f]/.test(v), { message: 'certs.input.text.control' });

export const BaseNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'certs.input.baseName' });

export const AliasSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'certs.input.alias' });

export const KEY_TYPES = ['rsa', 'ecdsa-p256'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
export const KeyTypeSchema = z.enum(KEY_TYPES, { message: 'certs.input.keyType' });

export const RSA_SIZES = [2048, 3072, 4096] as const;
export const RsaBitsSchema = z.union([z.literal(2048), z.literal(3072), z.literal(4096)], { message: 'certs.input.keySize' });

/** Longest server certificate validity accepted by Apple platforms for private CAs. */
export const MAX_SERVER_DAYS = 825;
/** Longest validity accepted for publicly trusted certificates since September 2020. */
export const PUBLIC_MAX_DAYS = 398;

export const OUTPUT_FORMATS = ['pem', 'pkcs12', 'jks'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Where and how certificate + key are written (certServer, certImport). */
const outputFields = {
  /** Existing folder the files go to (absolute: FineDB and server configs need absolute paths). */
  outDir: AbsolutePathSchema,
  /** File names: <baseName>.crt (leaf + chain), .key, .p12, .jks. */
  baseName: BaseNameSchema.default('server'),
  formats: z
    .array(z.enum(OUTPUT_FORMATS, { message: 'certs.input.format' }))
    .min(1, { message: 'certs.input.formats.empty' })
    .default(['pem'])
    .transform((f) => [...new Set(f)]),
  /** Password of the PKCS#12 / JKS keystore (needed for those formats). */
  keystorePassword: KeystorePasswordSchema.optional(),
  /** Alias of the key entry in the keystores (Tomcat's certificateKeyAlias). */
  alias: AliasSchema.default('tomcat'),
  /** aes256 for Java 8u301+ (default); 3des for older Java runtimes bundled with old report servers. */
  pkcs12Encryption: z.enum(['aes256', '3des'], { message: 'certs.input.pkcs12Encryption' }).default('aes256'),
  /** Replace files that already exist (otherwise they are left alone and the operation fails). */
  overwrite: z.boolean().default(false),
};

const needsPassword = (o: { formats: readonly OutputFormat[]; keystorePassword?: string | undefined }) =>
  !(o.formats.includes('pkcs12') || o.formats.includes('jks')) || o.keystorePassword !== undefined;
const needsPasswordIssue = { message: 'certs.input.password.required', path: ['keystorePassword'] };

// ---------------------------------------------------------------------------------------------
// Inputs

export const CertSuggestNamesInputSchema = z.strictObject({});

export const CertCaInputSchema = z.strictObject({
  /** Common name of the CA as browsers show it (default: "wss-setup local CA (<host name>)"). */
  commonName: TextFieldSchema.optional(),
  organization: TextFieldSchema.optional(),
  validityYears: z.number({ message: 'certs.input.years' }).int({ message: 'certs.input.years' }).min(1, { message: 'certs.input.years' }).max(25, { message: 'certs.input.years' }).default(10),
  keySize: RsaBitsSchema.default(3072),
  /** When a local CA exists: fail (default), reuse it, or replace it (certificates it signed stop being trusted). */
  ifExists: z.enum(['fail', 'reuse', 'replace'], { message: 'certs.input.ifExists' }).default('fail'),
});

export const CertServerInputSchema = z
  .strictObject({
    /** Every host name and IP the users type (the first DNS name becomes the subject CN). */
    names: HostNamesSchema,
    commonName: TextFieldSchema.optional(),
    organization: TextFieldSchema.optional(),
    keyType: KeyTypeSchema.default('rsa'),
    keySize: RsaBitsSchema.default(2048),
    validityDays: z
      .number({ message: 'certs.input.days' })
      .int({ message: 'certs.input.days' })
      .min(1, { message: 'certs.input.days' })
      .max(MAX_SERVER_DAYS, { message: 'certs.input.days' })
      .default(MAX_SERVER_DAYS),
    ...outputFields,
  })
  .refine(needsPassword, needsPasswordIssue);

export const CountrySchema = z.string().regex(/^[A-Z]{2}$/, { message: 'certs.input.country' });

export const CertCsrInputSchema = z.strictObject({
  names: HostNamesSchema,
  commonName: TextFieldSchema.optional(),
  organization: TextFieldSchema.optional(),
  organizationalUnit: TextFieldSchema.optional(),
  locality: TextFieldSchema.optional(),
  state: TextFieldSchema.optional(),
  country: CountrySchema.optional(),
  keyType: KeyTypeSchema.default('rsa'),
  keySize: RsaBitsSchema.default(2048),
  outDir: AbsolutePathSchema,
  baseName: BaseNameSchema.default('server'),
  overwrite: z.boolean().default(false),
});

/** Existing certificate material: PEM files (key optional for inspect), PKCS#12 / PFX, or JKS. */
export const CertSourceSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('pem'),
      /** Certificate, optionally followed by its chain, in any order. */
      certFile: AbsolutePathSchema,
      /** Private key (PKCS#1, PKCS#8, or encrypted as by `openssl genrsa -des3`). */
      keyFile: AbsolutePathSchema.optional(),
      chainFiles: z.array(AbsolutePathSchema).max(10, { message: 'certs.input.chain.many' }).default([]),
      /** Passphrase of an encrypted key. */
      passphrase: SecretSchema.optional(),
    }),
    z.strictObject({ kind: z.literal('pkcs12'), file: AbsolutePathSchema, password: SecretSchema }),
    z.strictObject({
      kind: z.literal('jks'),
      file: AbsolutePathSchema,
      password: SecretSchema,
      /** Key password when it differs from the store password. */
      keyPassword: SecretSchema.optional(),
      alias: AliasSchema.optional(),
    }),
  ],
  { message: 'certs.input.source' },
);
export type CertSource = z.input<typeof CertSourceSchema>;

export const CertImportInputSchema = z
  .strictObject({
    source: CertSourceSchema,
    /** Names the admin will use; each one not covered is reported. */
    names: HostNamesSchema.optional(),
    ...outputFields,
  })
  .refine(needsPassword, needsPasswordIssue);

export const CertInspectInputSchema = z.strictObject({
  source: CertSourceSchema,
  names: HostNamesSchema.optional(),
  /** Extra trust anchors (PEM) besides the system roots and the local CA. */
  caFile: AbsolutePathSchema.optional(),
});

export const TRUST_ACTIONS = ['install', 'remove', 'status', 'steps'] as const;
export type TrustAction = (typeof TRUST_ACTIONS)[number];

export const CertTrustInputSchema = z.strictObject({
  action: z.enum(TRUST_ACTIONS, { message: 'certs.input.trustAction' }),
  /** CA certificate to trust (default: the local CA). */
  caFile: AbsolutePathSchema.optional(),
  /** File / nickname under which the CA is installed. */
  label: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { message: 'certs.input.label' }).default('wss-setup-local-ca'),
});

export const CertExportInputSchema = z.strictObject({
  /** Where the local CA certificate is written for client machines (.crt). */
  outFile: AbsolutePathSchema,
  format: z.enum(['pem', 'der'], { message: 'certs.input.exportFormat' }).default('pem'),
  overwrite: z.boolean().default(false),
});

// ---------------------------------------------------------------------------------------------
// Outputs

export interface CertSummary {
  readonly subject: string;
  readonly issuer: string;
  /** "DNS:name" / "IP:address" entries. */
  readonly san: readonly string[];
  readonly serialNumber: string;
  readonly fingerprint256: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly keyType: string;
  /** RSA modulus bits or EC curve bits. */
  readonly keyBits: number | null;
  readonly signatureAlgorithm: string;
  readonly isCa: boolean;
  readonly selfSigned: boolean;
}

export type OutputFileKind = 'certificate' | 'key' | 'pkcs12' | 'jks' | 'csr' | 'ca-certificate' | 'ca-key';

export interface OutputFile {
  readonly kind: OutputFileKind;
  readonly path: string;
  /** True for files holding a private key (written owner-only). */
  readonly secret: boolean;
}

export interface SuggestedName {
  readonly value: string;
  readonly kind: HostNameKind;
  readonly source: 'hostname' | 'fqdn' | 'loopback' | 'interface';
}

export interface CertSuggestNamesOutput {
  readonly hostname: string;
  readonly names: readonly SuggestedName[];
}

export interface CertCaOutput {
  readonly created: boolean;
  readonly certPath: string;
  readonly keyPath: string;
  readonly certificate: CertSummary;
}

export interface CertIssueOutput {
  readonly files: readonly OutputFile[];
  readonly certificate: CertSummary;
  /** Issuers, leaf's issuer first. */
  readonly chain: readonly CertSummary[];
  readonly findings: readonly Finding[];
}

export interface CertCsrOutput {
  readonly files: readonly OutputFile[];
  readonly subject: string;
  readonly san: readonly string[];
  /** The request itself (public), to paste into a CA's web form. */
  readonly csrPem: string;
}

export interface CertInspectOutput {
  /** False when any finding is an error. */
  readonly ok: boolean;
  readonly certificate: CertSummary;
  /** The other certificates in the order given. */
  readonly chain: readonly CertSummary[];
  /** null when no key was given. */
  readonly keyMatches: boolean | null;
  readonly findings: readonly Finding[];
}

export type TrustStoreKind = 'debian' | 'rhel' | 'windows' | 'unsupported';

export interface TrustStep {
  readonly id: 'os' | 'nss' | 'firefox' | 'client-windows' | 'client-macos' | 'client-debian' | 'client-rhel';
  readonly title: string;
  readonly text: string;
  readonly commands: readonly string[];
}

export interface CertTrustOutput {
  readonly action: TrustAction;
  readonly store: TrustStoreKind;
  /** Whether the CA is in the OS store after the action. */
  readonly installed: boolean;
  readonly anchorPath: string | null;
  readonly caPath: string;
  readonly caFingerprint256: string;
  /** Commands that ran (argv form); empty for status and steps. */
  readonly commands: readonly (readonly string[])[];
  readonly steps: readonly TrustStep[];
}

export interface CertExportOutput {
  readonly path: string;
  readonly certificate: CertSummary;
}

/** Codes of inspection findings; text in shared/i18n/<lang>/certs.ts (`finding.<CODE>`, CERT_EXPIRED… shared with health). */
export const CERT_FINDING_CODES = [
  'CERT_KEY_MISMATCH',
  'CERT_CHAIN_ORDER',
  'CERT_CHAIN_INCOMPLETE',
  'CERT_CHAIN_BROKEN',
  'CERT_CHAIN_UNRELATED',
  'CERT_CA_SHARES_KEY',
  'CERT_SAN_MISSING',
  'CERT_NO_SAN',
  'CERT_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_EXPIRES_SOON',
  'CERT_VALIDITY_TOO_LONG',
  'CERT_WEAK_KEY',
  'CERT_WEAK_SIGNATURE',
  'CERT_NO_SERVER_AUTH',
  'CERT_LEAF_IS_CA',
  'CERT_SELF_SIGNED_LEAF',
] as const;
export type CertFindingCode = (typeof CERT_FINDING_CODES)[number];

// ---------------------------------------------------------------------------------------------
// Operations

const FILE_ERRORS = ['CERT_FILE_UNREADABLE', 'CERT_NOT_PEM', 'CERT_KEY_INVALID', 'CERT_PASSPHRASE_REQUIRED', 'CERT_WRONG_PASSPHRASE', 'CERT_PKCS12_INVALID', 'CERT_JKS_INVALID', 'CERT_KEYTOOL_MISSING', 'CERT_KEYTOOL_FAILED', 'CERT_NO_LEAF', 'CERT_JKS_ALIAS_NEEDED'] as const;
const WRITE_ERRORS = ['CERT_DIR_MISSING', 'CERT_FILE_EXISTS', 'CERT_WRITE_FAILED', 'CERT_KEYTOOL_MISSING', 'CERT_KEYTOOL_FAILED', 'CERT_KEYSTORE_RSA_ONLY'] as const;

export const certsOperations = {
  /** Host names and IP addresses of this machine, to prefill the names of a server certificate. */
  certSuggestNames: defineOperation<CertSuggestNamesOutput>()({ input: CertSuggestNamesInputSchema, errors: ['INVALID_INPUT'] }),
  /** Create (or reuse) the local CA in the data directory; its key is owner-only. */
  certCa: defineOperation<CertCaOutput>()({
    input: CertCaInputSchema,
    errors: ['INVALID_INPUT', 'CERT_CA_EXISTS', 'CERT_CA_INVALID', 'CERT_WRITE_FAILED'],
    inputErrors: ['CERT_CA_EXISTS'],
    progress: true,
  }),
  /** A server certificate signed by the local CA, written as PEM / PKCS#12 / JKS. */
  certServer: defineOperation<CertIssueOutput>()({
    input: CertServerInputSchema,
    errors: ['INVALID_INPUT', 'CERT_CA_MISSING', 'CERT_CA_INVALID', 'CERT_ECDSA_UNSUPPORTED', ...WRITE_ERRORS],
    inputErrors: ['CERT_CA_MISSING', 'CERT_ECDSA_UNSUPPORTED', 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS'],
    progress: true,
  }),
  /** A key and a certificate signing request for a public or company CA. */
  certCsr: defineOperation<CertCsrOutput>()({
    input: CertCsrInputSchema,
    errors: ['INVALID_INPUT', 'CERT_ECDSA_UNSUPPORTED', 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS', 'CERT_WRITE_FAILED'],
    inputErrors: ['CERT_ECDSA_UNSUPPORTED', 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS'],
    progress: true,
  }),
  /** Import existing material (PEM + key, PFX/PKCS#12, JKS) and write what each server needs. */
  certImport: defineOperation<CertIssueOutput>()({
    input: CertImportInputSchema,
    errors: ['INVALID_INPUT', ...FILE_ERRORS, 'CERT_KEY_MISSING', 'CERT_KEY_MISMATCH', 'CERT_EXPIRED', 'CERT_NOT_YET_VALID', ...WRITE_ERRORS],
    inputErrors: [...FILE_ERRORS.filter((c) => c !== 'CERT_KEYTOOL_FAILED'), 'CERT_KEY_MISSING', 'CERT_KEY_MISMATCH', 'CERT_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS', 'CERT_KEYSTORE_RSA_ONLY'],
    progress: true,
  }),
  /** Findings about certificate material: key match, chain, names, validity, algorithms. */
  certInspect: defineOperation<CertInspectOutput>()({
    input: CertInspectInputSchema,
    errors: ['INVALID_INPUT', ...FILE_ERRORS, 'CA_UNREADABLE', 'CA_INVALID'],
    inputErrors: [...FILE_ERRORS.filter((c) => c !== 'CERT_KEYTOOL_FAILED'), 'CA_UNREADABLE', 'CA_INVALID'],
  }),
  /** Install / remove / check the CA in the OS trust store, and the steps for browsers and clients. */
  certTrust: defineOperation<CertTrustOutput>()({
    input: CertTrustInputSchema,
    errors: ['INVALID_INPUT', 'CERT_CA_MISSING', 'CERT_CA_INVALID', 'CA_UNREADABLE', 'CA_INVALID', 'CERT_NOT_CA', 'CERT_TRUST_UNSUPPORTED', 'CERT_TRUST_PERMISSION', 'CERT_TRUST_FAILED'],
    inputErrors: ['CERT_CA_MISSING', 'CA_UNREADABLE', 'CA_INVALID', 'CERT_NOT_CA'],
    progress: true,
  }),
  /** Copy the local CA certificate (public) to a file for client machines. */
  certExport: defineOperation<CertExportOutput>()({
    input: CertExportInputSchema,
    errors: ['INVALID_INPUT', 'CERT_CA_MISSING', 'CERT_CA_INVALID', 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS', 'CERT_WRITE_FAILED'],
    inputErrors: ['CERT_CA_MISSING', 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS'],
  }),
} as const;
