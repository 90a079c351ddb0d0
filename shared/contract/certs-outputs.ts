import type { Finding } from './check.js';
import type { HostNameKind } from './host-names.js';
import type { TrustAction } from './certs-inputs.js';

/** Outputs of the certs operations: paths, fingerprints, subjects, SANs, validity and findings; never key material or passwords. */

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
  'CERT_ROOT_UNTRUSTED',
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
