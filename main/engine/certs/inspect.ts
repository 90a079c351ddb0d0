import { X509Certificate, type KeyObject } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import { hostNameKind, MAX_SERVER_DAYS, PUBLIC_MAX_DAYS, type CertSummary } from '../../../shared/contract/certs.js';
import type { Finding } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { EXPIRES_SOON_DAYS } from '../health/index.js';
import { issuedBy, orderChain } from './chain.js';
import { formatDn, isSelfSigned, isWeakSignature, keyInfo, samePublicKey, sanEntries, signatureAlgorithm, summarize } from './describe.js';
import { certFinding } from './findings.js';

const DAY = 86_400_000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EKU = '2.5.29.37.0';

export interface InspectMaterial {
  /** Certificates in the order they were given (a server sends them in this order). */
  readonly certs: readonly X509Certificate[];
  readonly key: KeyObject | null;
  /** Names the admin will use. */
  readonly names?: readonly string[];
  /** Trust anchors besides the system roots (local CA, --ca). */
  readonly anchors?: readonly X509Certificate[];
  readonly now?: Date;
  readonly lang: Lang;
}

export interface InspectResult {
  readonly ok: boolean;
  readonly leaf: X509Certificate;
  readonly chain: readonly X509Certificate[];
  readonly certificate: CertSummary;
  readonly keyMatches: boolean | null;
  readonly findings: readonly Finding[];
}

let systemRoots: X509Certificate[] | undefined;
function roots(): X509Certificate[] {
  systemRoots ??= rootCertificates.flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  return systemRoots;
}

/** True when the name (DNS, wildcard or IP) is covered by the certificate's subjectAltName, as browsers decide. */
export function covers(x: X509Certificate, name: string): boolean {
  if (hostNameKind(name) === 'ip') return x.checkIP(name) !== undefined;
  if (name.startsWith('*.')) return sanEntries(x).some((e) => e.toLowerCase() === `dns:${name.toLowerCase()}`);
  return x.checkHost(name, { subject: 'never' }) !== undefined;
}

/**
 * Everything the wizard and the health check want to know about certificate material: does the
 * key belong to the certificate, is the chain complete and in order, does the SAN cover each
 * name, validity, algorithms and key sizes. Each problem is a finding with a fix.
 */
export function inspectMaterial(input: InspectMaterial): InspectResult {
  const { lang } = input;
  const now = input.now ?? new Date();
  const ordered = orderChain(input.certs, input.key);
  const { leaf, chain } = ordered;
  const findings: Finding[] = [];
  const subjectOf = (x: X509Certificate) => formatDn(x.subject) || formatDn(x.issuer);

  if (ordered.keyMatches === false) {
    findings.push(certFinding('CERT_KEY_MISMATCH', 'error', lang, { subject: subjectOf(leaf) }, { leafFingerprint256: leaf.fingerprint256 }));
  }

  // Order: a server sends the first certificate as its own; the rest should follow issuer by issuer.
  const given = input.certs;
  const expected = [leaf, ...chain];
  if (given[0] !== leaf) {
    findings.push(certFinding('CERT_CHAIN_ORDER', 'error', lang, { first: subjectOf(given[0]!), leaf: subjectOf(leaf) }, { given: given.map(subjectOf), expected: expected.map(subjectOf) }));
  } else if (given.filter((c) => expected.includes(c)).some((c, i) => c !== expected[i])) {
    findings.push(certFinding('CERT_CHAIN_ORDER', 'warning', lang, { first: subjectOf(given[0]!), leaf: subjectOf(leaf) }, { given: given.map(subjectOf), expected: expected.map(subjectOf) }));
  }
  if (ordered.unrelated.length > 0) {
    findings.push(certFinding('CERT_CHAIN_UNRELATED', 'warning', lang, { subjects: ordered.unrelated.map(subjectOf).join('; ') }, { fingerprints256: ordered.unrelated.map((c) => c.fingerprint256) }));
  }
  for (const b of ordered.broken) {
    findings.push(certFinding('CERT_CHAIN_BROKEN', 'error', lang, { subject: subjectOf(b.cert), issuer: subjectOf(b.claimedIssuer) }, { fingerprint256: b.cert.fingerprint256, issuerFingerprint256: b.claimedIssuer.fingerprint256 }));
  }

  // Completeness: the last certificate sent must be a root, or be issued by a root the clients have.
  const last = chain.at(-1) ?? leaf;
  const leafSelfSigned = isSelfSigned(leaf);
  let publicRoot = false;
  if (!isSelfSigned(last) && ordered.broken.length === 0) {
    const anchor = [...(input.anchors ?? []), ...roots()].find((a) => issuedBy(last, a));
    if (anchor === undefined && last !== leaf && last.ca) {
      // Leaf and intermediate(s) are all there and the last one is a CA: nothing is missing from
      // what a server sends; its issuer (normally the root) is just not one this machine trusts.
      findings.push(certFinding('CERT_ROOT_UNTRUSTED', 'warning', lang, { subject: subjectOf(last), issuer: formatDn(last.issuer) }, { issuer: formatDn(last.issuer) }));
    } else if (anchor === undefined) {
      findings.push(certFinding('CERT_CHAIN_INCOMPLETE', 'error', lang, { subject: subjectOf(last), issuer: formatDn(last.issuer) }, { issuer: formatDn(last.issuer) }));
    } else {
      publicRoot = roots().includes(anchor);
    }
  } else if (chain.length > 0) {
    publicRoot = roots().some((r) => r.fingerprint256 === last.fingerprint256);
  }
  if (leafSelfSigned) findings.push(certFinding('CERT_SELF_SIGNED_LEAF', 'warning', lang, { subject: subjectOf(leaf) }));
  if (chain.some((c) => samePublicKey(c.publicKey, leaf.publicKey))) {
    findings.push(certFinding('CERT_CA_SHARES_KEY', 'warning', lang, { subject: subjectOf(leaf) }));
  }
  if (leaf.ca) findings.push(certFinding('CERT_LEAF_IS_CA', 'error', lang, { subject: subjectOf(leaf) }));

  // Names.
  const san = sanEntries(leaf);
  if (san.length === 0) {
    findings.push(certFinding('CERT_NO_SAN', 'error', lang, { subject: subjectOf(leaf) }));
  } else {
    const coveredList = san.map((e) => e.replace(/^(DNS|IP):/, '')).join(', ');
    for (const name of input.names ?? []) {
      if (!covers(leaf, name)) findings.push(certFinding('CERT_SAN_MISSING', 'error', lang, { name, names: coveredList }, { name, san }));
    }
  }

  // Validity of every certificate sent; length of the leaf's validity.
  for (const x of expected) {
    const from = new Date(x.validFrom);
    const to = new Date(x.validTo);
    const evidence = { subject: subjectOf(x), validFrom: from.toISOString(), validTo: to.toISOString() };
    if (to.getTime() < now.getTime()) findings.push(certFinding('CERT_EXPIRED', 'error', lang, { validTo: to.toISOString() }, evidence));
    else if (from.getTime() > now.getTime()) findings.push(certFinding('CERT_NOT_YET_VALID', 'error', lang, { validFrom: from.toISOString() }, evidence));
    else if (to.getTime() - now.getTime() < EXPIRES_SOON_DAYS * DAY) {
      findings.push(certFinding('CERT_EXPIRES_SOON', 'warning', lang, { days: Math.floor((to.getTime() - now.getTime()) / DAY), validTo: to.toISOString() }, evidence));
    }
  }
  if (!leafSelfSigned) {
    const days = Math.round((new Date(leaf.validTo).getTime() - new Date(leaf.validFrom).getTime()) / DAY);
    const max = publicRoot ? PUBLIC_MAX_DAYS : MAX_SERVER_DAYS;
    if (days > max) findings.push(certFinding('CERT_VALIDITY_TOO_LONG', 'warning', lang, { days, max }, { days, max }));
  }

  // Algorithms: key sizes of every certificate sent, signatures except a root's own.
  for (const x of expected) {
    const key = keyInfo(x.publicKey);
    const weak = (key.type === 'rsa' || key.type === 'rsa-pss' || key.type === 'dsa') ? (key.bits ?? 0) < 2048 : key.type === 'ec' ? (key.bits ?? 0) < 256 : false;
    if (weak) findings.push(certFinding('CERT_WEAK_KEY', 'error', lang, { subject: subjectOf(x), type: key.type.toUpperCase(), bits: key.bits ?? '?' }, { keyType: key.type, keyBits: key.bits }));
    const algorithm = signatureAlgorithm(x);
    if (!isSelfSigned(x) && isWeakSignature(algorithm)) findings.push(certFinding('CERT_WEAK_SIGNATURE', 'error', lang, { subject: subjectOf(x), algorithm }, { algorithm }));
  }

  // Purpose.
  const eku = leaf.keyUsage;
  if (eku === undefined) {
    if (!leafSelfSigned) findings.push(certFinding('CERT_NO_SERVER_AUTH', 'warning', lang, { subject: subjectOf(leaf) }, { extendedKeyUsage: null }));
  } else if (!eku.includes(SERVER_AUTH) && !eku.includes(ANY_EKU)) {
    findings.push(certFinding('CERT_NO_SERVER_AUTH', 'error', lang, { subject: subjectOf(leaf) }, { extendedKeyUsage: eku }));
  }

  return {
    ok: !findings.some((f) => f.severity === 'error'),
    leaf,
    chain,
    certificate: summarize(leaf),
    keyMatches: ordered.keyMatches,
    findings,
  };
}
