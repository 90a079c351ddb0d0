import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

/**
 * Test-only certificate factory (node-forge): a CA, leaves signed by it with any
 * names and dates, and self-signed leaves. The product's own certificate engine
 * lives in main/engine/certs; this keeps the health tests independent of it.
 */
export interface Pem {
  readonly cert: string;
  readonly key: string;
}

export interface LeafOptions {
  readonly names: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

const DAY = 86_400_000;

function keyPair(): forge.pki.rsa.KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function serial(): string {
  return `01${forge.util.bytesToHex(forge.random.getBytesSync(15))}`;
}

export function makeCa(commonName = 'wss-setup test CA'): Pem & { readonly forgeCert: forge.pki.Certificate; readonly forgeKey: forge.pki.rsa.PrivateKey } {
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 3650 * DAY);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey), forgeCert: cert, forgeKey: keys.privateKey };
}

function leaf(options: LeafOptions, issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | null): Pem {
  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * DAY);
  cert.setSubject([{ name: 'commonName', value: options.names[0] ?? 'localhost' }]);
  cert.setIssuer(issuer ? issuer.cert.subject.attributes : cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: options.names.map((n) => (/^[\d.]+$/.test(n) || n.includes(':') ? { type: 7, ip: n } : { type: 2, value: n })),
    },
  ]);
  cert.sign(issuer ? issuer.key : keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

export function makeLeaf(ca: { forgeCert: forge.pki.Certificate; forgeKey: forge.pki.rsa.PrivateKey }, options: LeafOptions): Pem {
  return leaf(options, { cert: ca.forgeCert, key: ca.forgeKey });
}

export function makeSelfSigned(options: LeafOptions): Pem {
  return leaf(options, null);
}

export const days = (n: number): Date => new Date(Date.now() + n * DAY);
