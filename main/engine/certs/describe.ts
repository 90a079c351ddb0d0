import { X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { CertSummary } from '../../../shared/contract/certs.js';

/** "CN=a, O=b" from Node's multi-line distinguished name. */
export function formatDn(dn: string): string {
  return dn.split('\n').filter((l) => l !== '').join(', ');
}

/** "DNS:a, IP Address:1.2.3.4" → ["DNS:a", "IP:1.2.3.4"]. */
export function sanEntries(x: X509Certificate): string[] {
  const raw = x.subjectAltName;
  if (raw === undefined || raw === '') return [];
  return raw
    .split(/,\s*/)
    .map((e) => e.replace(/^IP Address:/, 'IP:'))
    .filter((e) => e !== '');
}

const SIGNATURE_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ed25519',
  '1.3.101.113': 'ed448',
};

/** Signature algorithm of a certificate (its outer AlgorithmIdentifier), by name when known, else the OID. */
export function signatureAlgorithm(x: X509Certificate): string {
  try {
    const asn = forge.asn1.fromDer(forge.util.createBuffer(x.raw.toString('binary')));
    const algId = (asn.value as forge.asn1.Asn1[])[1]!;
    const oid = forge.asn1.derToOid((algId.value as forge.asn1.Asn1[])[0]!.value as string);
    return SIGNATURE_NAMES[oid] ?? oid;
  } catch {
    return 'unknown';
  }
}

export const isWeakSignature = (name: string) => /^(md5|sha1)|SHA1$/i.test(name) || name === 'md2WithRSAEncryption';

const CURVE_BITS: Readonly<Record<string, number>> = { prime256v1: 256, 'P-256': 256, secp384r1: 384, 'P-384': 384, secp521r1: 521, 'P-521': 521, secp256k1: 256 };

export function keyInfo(key: KeyObject): { type: string; bits: number | null } {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails;
  if (details?.modulusLength !== undefined) return { type, bits: details.modulusLength };
  if (details?.namedCurve !== undefined) return { type, bits: CURVE_BITS[details.namedCurve] ?? null };
  if (type === 'ed25519') return { type, bits: 256 };
  if (type === 'ed448') return { type, bits: 448 };
  return { type, bits: null };
}

/** Issued by itself: same name and its own key verifies the signature (key usage is not required, unlike for a CA). */
export function isSelfSigned(x: X509Certificate): boolean {
  try {
    return x.subject === x.issuer && x.verify(x.publicKey);
  } catch {
    return false;
  }
}

/** True when two keys are the same public key (compared as SubjectPublicKeyInfo DER). */
export function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({ type: 'spki', format: 'der' }).equals(b.export({ type: 'spki', format: 'der' }));
}

export function summarize(x: X509Certificate): CertSummary {
  const key = keyInfo(x.publicKey);
  return {
    subject: formatDn(x.subject),
    issuer: formatDn(x.issuer),
    san: sanEntries(x),
    serialNumber: x.serialNumber,
    fingerprint256: x.fingerprint256,
    validFrom: new Date(x.validFrom).toISOString(),
    validTo: new Date(x.validTo).toISOString(),
    keyType: key.type,
    keyBits: key.bits,
    signatureAlgorithm: signatureAlgorithm(x),
    isCa: x.ca,
    selfSigned: isSelfSigned(x),
  };
}
