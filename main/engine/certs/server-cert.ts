import { X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type * as z from '../../../shared/contract/z.js';
import { hostNameKind, type CertIssueOutput, type CertServerInputSchema, type KeyType } from '../../../shared/contract/certs.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { summarize } from './describe.js';
import { inspectMaterial } from './inspect.js';
import { generateRsaKey, randomSerial, signWithNodeKey } from './keys.js';
import { requireLocalCa, type LocalCa } from './local-ca.js';
import { preflightOutputs, progress, writeOutputs, type OutputDeps } from './outputs.js';

const DAY = 86_400_000;

export type ServerRequest = z.output<typeof CertServerInputSchema>;

/**
 * node-forge signs and encodes RSA only, and Node's crypto cannot build certificates; rather
 * than hand-assemble ASN.1, ECDSA is refused with a code that says so and offers RSA.
 */
export function assertKeyTypeSupported(keyType: KeyType): void {
  if (keyType !== 'rsa') throw new EngineError('CERT_ECDSA_UNSUPPORTED', { keyType }, { keyType });
}

/** subjectAltName entries for forge: DNS names (type 2) and IP addresses (type 7). */
export function altNames(names: readonly string[]): { type: number; value?: string; ip?: string }[] {
  return names.map((n) => (hostNameKind(n) === 'ip' ? { type: 7, ip: n } : { type: 2, value: n }));
}

/** CN of a server certificate: the given one, else the first DNS name, else the first name. */
export function commonNameFor(names: readonly string[], commonName?: string): string {
  return (commonName ?? names.find((n) => hostNameKind(n) === 'dns') ?? names[0]!).slice(0, 64);
}

export interface SignOptions {
  readonly names: readonly string[];
  readonly commonName?: string | undefined;
  readonly organization?: string | undefined;
  readonly keySize: number;
  readonly validityDays: number;
}

/** A new RSA key and a server certificate for `names` signed by the local CA (never beyond the CA's own expiry). */
export async function signServerCertificate(input: SignOptions, ca: LocalCa, ctx: OpContext, operation: string): Promise<{ readonly key: KeyObject; readonly leaf: X509Certificate; readonly chain: readonly X509Certificate[] }> {
  progress(ctx, operation, 'progress.certs.key', { bits: input.keySize });
  const key = await generateRsaKey(input.keySize);
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.forgePublic;
  cert.serialNumber = randomSerial();
  const notBefore = Date.now() - 60_000;
  const caNotAfter = new Date(ca.x509.validTo).getTime();
  cert.validity.notBefore = new Date(notBefore);
  cert.validity.notAfter = new Date(Math.min(notBefore + input.validityDays * DAY, caNotAfter));
  const subject: forge.pki.CertificateField[] = [{ name: 'commonName', value: commonNameFor(input.names, input.commonName) }];
  if (input.organization !== undefined) subject.push({ name: 'organizationName', value: input.organization });
  cert.setSubject(subject);
  cert.setIssuer(ca.forgeCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: altNames(input.names) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.forgeCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  progress(ctx, operation, 'progress.certs.sign');
  signWithNodeKey(cert, ca.key);
  return { key: key.node, leaf: new X509Certificate(forge.pki.certificateToPem(cert)), chain: [ca.x509] };
}

/** The `certServer` operation: a key and a certificate signed by the local CA, written as PEM / PKCS#12 / JKS. */
export async function certServer(input: ServerRequest, ctx: OpContext, deps: OutputDeps = {}): Promise<CertIssueOutput> {
  assertKeyTypeSupported(input.keyType);
  await preflightOutputs(input, ctx, deps);
  const ca = await requireLocalCa(ctx.ports.fs);
  const { key, leaf } = await signServerCertificate(input, ca, ctx, 'certServer');
  const files = await writeOutputs(input, { key, leaf, chain: [ca.x509] }, ctx, 'certServer', deps);
  const inspected = inspectMaterial({ certs: [leaf, ca.x509], key, names: input.names, anchors: [ca.x509], lang: ctx.lang });
  return { files, certificate: summarize(leaf), chain: [summarize(ca.x509)], findings: inspected.findings };
}
