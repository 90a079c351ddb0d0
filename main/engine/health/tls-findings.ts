import type { DetailedPeerCertificate } from 'node:tls';
import type { FindingCode, Severity, TlsInfo } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t, tIfKnown, type Params } from '../../../shared/i18n/index.js';
import { EXPIRES_SOON_DAYS, UNTRUSTED_ERRORS, coveredNames, describeCertificate, nameMismatch } from './certificate.js';

/** What the TLS handshake established, as read from the socket (see transport.ts `tlsFacts`). */
export interface TlsFacts {
  readonly protocol: string | null;
  readonly cipher: string | null;
  readonly authorized: boolean;
  /** OpenSSL's verification error code (e.g. DEPTH_ZERO_SELF_SIGNED_CERT), null when verified. */
  readonly authorizationError: string | null;
  /** The peer certificate with its chain; null when the server sent none. */
  readonly peer: DetailedPeerCertificate | null;
}

export interface FindingSpec {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly params: Params;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/** Verification errors reported by other findings (dates, host name), not as CERT_UNTRUSTED. */
const NOT_TRUST_ERRORS = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID']);

/**
 * The certificate and protocol findings for one handshake, as a browser would judge it:
 * old protocol, name not covered (ERR_CERT_COMMON_NAME_INVALID), not trusted here, expired, not yet
 * valid, expiring soon. Pure: `now` is given, nothing is read from the network.
 */
export function tlsFindings(facts: TlsFacts, host: string, lang: Lang, now: number): { readonly info: TlsInfo; readonly findings: readonly FindingSpec[] } {
  const findings: FindingSpec[] = [];
  const add = (code: FindingCode, severity: Severity, params: Params, evidence: Record<string, unknown>) => findings.push({ code, severity, params, evidence });
  const peer = facts.peer;
  const info: TlsInfo = {
    protocol: facts.protocol,
    cipher: facts.cipher,
    authorized: facts.authorized,
    authorizationError: facts.authorizationError,
    certificate: peer !== null ? describeCertificate(peer) : null,
  };
  if (peer === null) return { info, findings };
  const cert = info.certificate!;
  const authorizationError = facts.authorizationError;
  const validTo = Date.parse(cert.validTo);
  const validFrom = Date.parse(cert.validFrom);
  const evidence = { subject: cert.subject, san: cert.san, issuer: cert.issuer, validFrom: cert.validFrom, validTo: cert.validTo };
  if (info.protocol === 'TLSv1' || info.protocol === 'TLSv1.1') add('TLS_OLD_PROTOCOL', 'warning', { protocol: info.protocol }, { protocol: info.protocol });
  const mismatch = nameMismatch(host, peer);
  if (mismatch !== null) add('CERT_NAME_MISMATCH', 'error', { names: coveredNames(peer) }, { ...evidence, error: mismatch.message });
  if (authorizationError !== null && UNTRUSTED_ERRORS.has(authorizationError)) {
    const reason = tIfKnown(lang, `cert.reason.${authorizationError}`, { code: authorizationError }) ?? t(lang, 'cert.reason.other', { code: authorizationError });
    const reasonKey = tIfKnown(lang, `cert.reason.${authorizationError}`, { code: authorizationError }) !== undefined ? `cert.reason.${authorizationError}` : 'cert.reason.other';
    add('CERT_UNTRUSTED', 'error', { reason, reasonKey, code: authorizationError }, { ...evidence, authorizationError, selfSigned: cert.selfSigned });
  } else if (authorizationError !== null && !NOT_TRUST_ERRORS.has(authorizationError)) {
    add('CERT_UNTRUSTED', 'error', { reason: t(lang, 'cert.reason.other', { code: authorizationError }), reasonKey: 'cert.reason.other', code: authorizationError }, { ...evidence, authorizationError });
  }
  if (now > validTo) add('CERT_EXPIRED', 'error', { validTo: cert.validTo }, evidence);
  else if (now < validFrom) add('CERT_NOT_YET_VALID', 'error', { validFrom: cert.validFrom }, evidence);
  else {
    const days = Math.floor((validTo - now) / 86_400_000);
    if (days < EXPIRES_SOON_DAYS) add('CERT_EXPIRES_SOON', 'warning', { days, validTo: cert.validTo }, { ...evidence, days });
  }
  return { info, findings };
}
