import { CertCaInputSchema, CertCsrInputSchema, CertExportInputSchema, CertImportInputSchema, CertInspectInputSchema, CertServerInputSchema, CertSuggestNamesInputSchema, CertTrustInputSchema } from './certs-inputs.js';
import type { CertCaOutput, CertCsrOutput, CertExportOutput, CertInspectOutput, CertIssueOutput, CertSuggestNamesOutput, CertTrustOutput } from './certs-outputs.js';
import { defineOperation } from './operation.js';

/**
 * The certs module: a local CA kept in the app's data directory, server certificates it signs,
 * CSRs for a public or company CA, imports (PEM, encrypted PEM, PKCS#12, JKS), keystores for
 * each server, inspection with findings, and the OS trust store.
 *
 * This file is the module's face: the operations, and everything its callers need from the
 * pieces it is made of — host names (host-names.ts, shared with nginx), inputs
 * (certs-inputs.ts) and outputs (certs-outputs.ts).
 */
export * from './host-names.js';
export * from './certs-inputs.js';
export * from './certs-outputs.js';

// ---------------------------------------------------------------------------------------------
// Operations

/** What the FilePort refuses when reading or replacing a file (a FIFO or device, a symlink, too large). */
const FILE_PORT_ERRORS = ['FILE_NOT_REGULAR', 'FILE_IS_SYMLINK', 'FILE_TOO_LARGE', 'FILE_OWNER_NOT_KEPT'] as const;
const FILE_ERRORS = [...FILE_PORT_ERRORS, 'CERT_FILE_UNREADABLE', 'CERT_NOT_PEM', 'CERT_KEY_INVALID', 'CERT_PASSPHRASE_REQUIRED', 'CERT_WRONG_PASSPHRASE', 'CERT_PKCS12_INVALID', 'CERT_JKS_INVALID', 'CERT_KEYTOOL_MISSING', 'CERT_KEYTOOL_FAILED', 'CERT_NO_LEAF', 'CERT_JKS_ALIAS_NEEDED'] as const;
const WRITE_ERRORS = [...FILE_PORT_ERRORS, 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS', 'CERT_FILE_NOT_MATERIAL', 'CERT_WRITE_INTERFERED', 'CERT_WRITE_FAILED', 'CERT_KEYTOOL_MISSING', 'CERT_KEYTOOL_FAILED', 'CERT_KEYSTORE_RSA_ONLY'] as const;

export const certsOperations = {
  /** Host names and IP addresses of this machine, to prefill the names of a server certificate. */
  certSuggestNames: defineOperation<CertSuggestNamesOutput>()({ input: CertSuggestNamesInputSchema, errors: ['INVALID_INPUT'] }),
  /** Create (or reuse) the local CA in the data directory; its key is owner-only. */
  certCa: defineOperation<CertCaOutput>()({
    input: CertCaInputSchema,
    errors: ['INVALID_INPUT', 'CERT_CA_EXISTS', 'CERT_CA_INVALID', 'CERT_DATA_DIR_UNSAFE', ...WRITE_ERRORS],
    inputErrors: ['CERT_CA_EXISTS', 'CERT_DATA_DIR_UNSAFE'],
    progress: true,
  }),
  /** A server certificate signed by the local CA, written as PEM / PKCS#12 / JKS. */
  certServer: defineOperation<CertIssueOutput>()({
    input: CertServerInputSchema,
    errors: ['INVALID_INPUT', 'CERT_CA_MISSING', 'CERT_CA_INVALID', 'CERT_DATA_DIR_UNSAFE', 'CERT_ECDSA_UNSUPPORTED', ...WRITE_ERRORS],
    inputErrors: ['CERT_CA_MISSING', 'CERT_DATA_DIR_UNSAFE', 'CERT_ECDSA_UNSUPPORTED', 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS', 'CERT_FILE_NOT_MATERIAL', 'FILE_IS_SYMLINK', 'FILE_NOT_REGULAR'],
    progress: true,
  }),
  /** A key and a certificate signing request for a public or company CA. */
  certCsr: defineOperation<CertCsrOutput>()({
    input: CertCsrInputSchema,
    errors: ['INVALID_INPUT', 'CERT_ECDSA_UNSUPPORTED', ...WRITE_ERRORS],
    inputErrors: ['CERT_ECDSA_UNSUPPORTED', 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS', 'CERT_FILE_NOT_MATERIAL', 'FILE_IS_SYMLINK', 'FILE_NOT_REGULAR'],
    progress: true,
  }),
  /** Import existing material (PEM + key, PFX/PKCS#12, JKS) and write what each server needs. */
  certImport: defineOperation<CertIssueOutput>()({
    input: CertImportInputSchema,
    errors: ['INVALID_INPUT', ...FILE_ERRORS, 'CERT_KEY_MISSING', 'CERT_KEY_MISMATCH', 'CERT_EXPIRED', 'CERT_NOT_YET_VALID', ...WRITE_ERRORS],
    inputErrors: [...FILE_ERRORS.filter((c) => c !== 'CERT_KEYTOOL_FAILED'), 'CERT_KEY_MISSING', 'CERT_KEY_MISMATCH', 'CERT_EXPIRED', 'CERT_NOT_YET_VALID', 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS', 'CERT_FILE_NOT_MATERIAL', 'CERT_KEYSTORE_RSA_ONLY'],
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
    errors: ['INVALID_INPUT', 'CERT_CA_MISSING', 'CERT_CA_INVALID', 'CERT_DATA_DIR_UNSAFE', 'CA_UNREADABLE', 'CA_INVALID', 'CERT_NOT_CA', 'CERT_TRUST_UNSUPPORTED', 'CERT_TRUST_PERMISSION', 'CERT_TRUST_FAILED', 'CERT_TRUST_ANCHOR_OTHER', ...WRITE_ERRORS],
    inputErrors: ['CERT_CA_MISSING', 'CERT_DATA_DIR_UNSAFE', 'CA_UNREADABLE', 'CA_INVALID', 'CERT_NOT_CA', 'CERT_TRUST_ANCHOR_OTHER'],
    progress: true,
  }),
  /** Copy the local CA certificate (public) to a file for client machines. */
  certExport: defineOperation<CertExportOutput>()({
    input: CertExportInputSchema,
    errors: ['INVALID_INPUT', 'CERT_CA_MISSING', 'CERT_CA_INVALID', 'CERT_DATA_DIR_UNSAFE', ...WRITE_ERRORS],
    inputErrors: ['CERT_CA_MISSING', 'CERT_DATA_DIR_UNSAFE', 'CERT_DIR_MISSING', 'CERT_FILE_EXISTS', 'CERT_FILE_NOT_MATERIAL', 'FILE_IS_SYMLINK', 'FILE_NOT_REGULAR'],
  }),
} as const;
