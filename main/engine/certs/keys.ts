import { createPrivateKey, createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generate = promisify(generateKeyPair);

export interface RsaKey {
  readonly node: KeyObject;
  readonly forgePrivate: forge.pki.rsa.PrivateKey;
  readonly forgePublic: forge.pki.rsa.PublicKey;
  /** Unencrypted PKCS#8 PEM (what nginx, Apache and Tomcat read). */
  readonly pkcs8Pem: string;
}

/** RSA key from Node's native crypto (off the main thread), usable by node-forge for signing. */
export async function generateRsaKey(bits: number): Promise<RsaKey> {
  const { privateKey } = await generate('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return rsaKeyFromNode(privateKey);
}

export function rsaKeyFromNode(node: KeyObject): RsaKey {
  const pkcs8Pem = node.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgePrivate = forge.pki.privateKeyFromPem(pkcs8Pem) as forge.pki.rsa.PrivateKey;
  return { node, forgePrivate, forgePublic: forge.pki.setRsaPublicKey(forgePrivate.n, forgePrivate.e), pkcs8Pem };
}

/** Node KeyObject from a forge certificate-request/certificate public key (for comparisons). */
export function nodePublicKey(key: forge.pki.PublicKey): KeyObject {
  return createPublicKey(forge.pki.publicKeyToPem(key));
}

export function nodePrivateKeyFromPkcs8Der(der: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
}

/** Random positive serial number of 16 bytes, as hex for forge. */
export function randomSerial(): string {
  const bytes = forge.random.getBytesSync(16);
  const first = (bytes.charCodeAt(0) & 0x7f) | 0x01;
  return forge.util.bytesToHex(String.fromCharCode(first) + bytes.slice(1));
}
