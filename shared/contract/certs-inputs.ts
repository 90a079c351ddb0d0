import * as z from './z.js';
import { AbsolutePathSchema } from './common.js';
import { HostNamesSchema } from './host-names.js';

/**
 * Inputs of the certs operations (shared/contract/certs.ts). Validation messages are i18n keys
 * (shared/i18n/<lang>/certs.ts); messages of secret fields never contain the {value}
 * placeholder, so a password is never echoed back.
 */

// ---------------------------------------------------------------------------------------------
// Shared field schemas

/** A password or passphrase: never echoed in messages (no {value} in these keys). */
const SecretSchema = z.string({ message: 'certs.input.secret.type' }).max(1024, { message: 'certs.input.secret.long' });

/** Keystore passwords: keytool and Tomcat need at least 6 characters. */
const KeystorePasswordSchema = z
  .string({ message: 'certs.input.secret.type' })
  .min(6, { message: 'certs.input.password.short' })
  .max(1024, { message: 'certs.input.secret.long' });

const TextFieldSchema = z
  .string()
  .min(1, { message: 'certs.input.text.empty' })
  .max(64, { message: 'certs.input.text.long' })
  // eslint-disable-next-line no-control-regex
  .refine((v) => !/[\x00-\x1f\x7f]/.test(v), { message: 'certs.input.text.control' });

const BaseNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'certs.input.baseName' });

const AliasSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'certs.input.alias' });

const KEY_TYPES = ['rsa', 'ecdsa-p256'] as const;
export type KeyType = (typeof KEY_TYPES)[number];
const KeyTypeSchema = z.enum(KEY_TYPES, { message: 'certs.input.keyType' });

const RsaBitsSchema = z.union([z.literal(2048), z.literal(3072), z.literal(4096)], { message: 'certs.input.keySize' });

/** Longest server certificate validity accepted by Apple platforms for private CAs. */
export const MAX_SERVER_DAYS = 825;
/** What apply issues for a plan's `issue` action (Review shows it): an RSA key of this size, valid this many days (never past the CA's own expiry). */
export const PLAN_ISSUE = { keyType: 'RSA', keyBits: 2048, validityDays: MAX_SERVER_DAYS } as const;
/** Longest validity accepted for publicly trusted certificates since September 2020. */
export const PUBLIC_MAX_DAYS = 398;

const OUTPUT_FORMATS = ['pem', 'pkcs12', 'jks'] as const;
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

const CountrySchema = z.string().regex(/^[A-Z]{2}$/, { message: 'certs.input.country' });

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

const TRUST_ACTIONS = ['install', 'remove', 'status', 'steps'] as const;
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
