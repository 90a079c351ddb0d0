import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

let pair: { readonly cert: string; readonly key: string } | null = null;

/**
 * A self-signed PEM certificate and key that only ever live inside a validator's temporary copy,
 * standing in for a certificate the plan issues at apply time (nginx -t and httpd -t open the
 * files they are given). Made once per process: RSA key generation is the slow part.
 */
export function throwawayPemPair(): { readonly cert: string; readonly key: string } {
  if (pair !== null) return pair;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 3650 * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'wss-setup validation stand-in' }]);
  cert.setIssuer(cert.subject.attributes);
  cert.sign(key, forge.md.sha256.create());
  pair = { cert: forge.pki.certificateToPem(cert), key: keyPem };
  return pair;
}
