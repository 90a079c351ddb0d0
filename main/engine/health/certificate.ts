import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';
import type { CertificateInfo } from '../../../shared/contract/check.js';

/** "CN=a, O=b" from Node's parsed certificate name object. */
export function formatName(name: Readonly<Record<string, string | string[] | undefined>> | undefined): string {
  if (name === undefined) return '';
  return Object.entries(name)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
    .join(', ');
}

/** subjectAltName "DNS:a, IP Address:1.2.3.4" → ["DNS:a", "IP:1.2.3.4"]. */
export function parseSan(subjectaltname: string | undefined): string[] {
  if (subjectaltname === undefined || subjectaltname === '') return [];
  return subjectaltname
    .split(/,\s*/)
    .map((entry) => entry.replace(/^IP Address:/, 'IP:'))
    .filter((entry) => entry !== '');
}

export function describeCertificate(peer: PeerCertificate | DetailedPeerCertificate): CertificateInfo {
  const detailed = peer as DetailedPeerCertificate;
  const issuerCert = detailed.issuerCertificate as DetailedPeerCertificate | undefined;
  const selfSigned = issuerCert === undefined || issuerCert === detailed || issuerCert.fingerprint256 === peer.fingerprint256
    ? formatName(peer.issuer as never) === formatName(peer.subject as never)
    : false;
  return {
    subject: formatName(peer.subject as never),
    san: parseSan(peer.subjectaltname),
    issuer: formatName(peer.issuer as never),
    validFrom: new Date(peer.valid_from).toISOString(),
    validTo: new Date(peer.valid_to).toISOString(),
    selfSigned,
    fingerprint256: peer.fingerprint256,
  };
}

/** Returns null when the certificate covers the host (same rules as browsers and Node). */
export function nameMismatch(host: string, peer: PeerCertificate): Error | null {
  return checkServerIdentity(host, peer) ?? null;
}

/** Names the certificate covers, for the message ("DNS:a, IP:1.2.3.4" or the CN when no SAN). */
export function coveredNames(peer: PeerCertificate): string {
  const san = parseSan(peer.subjectaltname);
  if (san.length > 0) return san.map((s) => s.replace(/^(DNS|IP):/, '')).join(', ');
  const cn = (peer.subject as unknown as Record<string, string | undefined> | undefined)?.CN;
  return cn ?? '-';
}

/** OpenSSL verification errors that mean "the clients will not trust this chain". */
export const UNTRUSTED_ERRORS = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'INVALID_CA',
]);

export const EXPIRES_SOON_DAYS = 30;
