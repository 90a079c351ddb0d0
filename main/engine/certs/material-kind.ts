import { createPrivateKey, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/** PEM blocks wss-setup writes or reads: certificates, requests, keys, PKCS#7 bundles. */
const MATERIAL_PEM = /-----BEGIN (?:(?:X509 |TRUSTED )?CERTIFICATE|(?:NEW )?CERTIFICATE REQUEST|(?:(?:RSA|EC|DSA|ENCRYPTED) )?PRIVATE KEY|PKCS7)-----/;
/** JKS (0xFEEDFEED) and JCEKS (0xCECECECE) keystores begin with these. */
const KEYSTORE_MAGIC = [Buffer.from([0xfe, 0xed, 0xfe, 0xed]), Buffer.from([0xce, 0xce, 0xce, 0xce])];
const PKCS7_DATA = '1.2.840.113549.1.7.1';
const PKCS7_SIGNED = '1.2.840.113549.1.7.2';

function isPkcs12(bytes: Buffer): boolean {
  try {
    // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo { contentType OID, … }, macData? }
    const pfx = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString("binary")), false);
    const [version, authSafe] = pfx.value as forge.asn1.Asn1[];
    if (version?.type !== forge.asn1.Type.INTEGER || version.value !== '\x03') return false;
    const oid = (authSafe?.value as forge.asn1.Asn1[] | undefined)?.[0];
    if (oid?.type !== forge.asn1.Type.OID) return false;
    const name = forge.asn1.derToOid(oid.value as string);
    return name === PKCS7_DATA || name === PKCS7_SIGNED;
  } catch {
    return false;
  }
}

function parses(build: () => unknown): boolean {
  try {
    build();
    return true;
  } catch {
    return false;
  }
}

/**
 * True when a file's bytes hold a certificate, a request, a private key or a keystore (PEM, DER,
 * PKCS#12, JKS): the only files `--overwrite` may replace. A tool that runs as root must not turn
 * a mistyped path (a user database, a configuration) into a certificate.
 */
export function holdsCertificateMaterial(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  if (KEYSTORE_MAGIC.some((magic) => bytes.subarray(0, 4).equals(magic))) return true;
  if (MATERIAL_PEM.test(bytes.toString('latin1'))) return true;
  if (bytes[0] !== 0x30) return false; // every DER structure below is a SEQUENCE
  return parses(() => new X509Certificate(bytes)) || isPkcs12(bytes) || parses(() => createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' }));
}
