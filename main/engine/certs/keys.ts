import { createPrivateKey, createPublicKey, generateKeyPair, sign, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generate = promisify(generateKeyPair);

export interface RsaKey {
  readonly node: KeyObject;
  readonly forgePublic: forge.pki.rsa.PublicKey;
  /** Unencrypted PKCS#8 PEM (what nginx, Apache and Tomcat read). */
  readonly pkcs8Pem: string;
}

/** RSA key from Node's native crypto (off the main thread); node-forge only sees its public half. */
export async function generateRsaKey(bits: number): Promise<RsaKey> {
  const { privateKey } = await generate('rsa', { modulusLength: bits, publicExponent: 0x10001 });
  return rsaKeyFromNode(privateKey);
}

function rsaKeyFromNode(node: KeyObject): RsaKey {
  const pkcs8Pem = node.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = createPublicKey(node).export({ type: 'spki', format: 'pem' }).toString();
  return { node, forgePublic: forge.pki.publicKeyFromPem(publicPem) as forge.pki.rsa.PublicKey, pkcs8Pem };
}

/**
 * Signs a node-forge certificate or CSR (SHA-256 with RSA) with Node's native crypto: forge
 * builds and encodes the to-be-signed structure as usual and hands its bytes to the "digest";
 * the "key" signs those bytes with OpenSSL instead of forge's JavaScript RSA (about 100 times
 * faster for a 3072-bit CA key).
 */
export function signWithNodeKey(target: { sign(key: forge.pki.PrivateKey, md: forge.md.MessageDigest): void }, key: KeyObject): void {
  let data = '';
  const md = {
    algorithm: 'sha256',
    update(bytes: string) {
      data += bytes;
      return md;
    },
  };
  const signer = { sign: () => sign('sha256', Buffer.from(data, 'binary'), key).toString('binary') };
  target.sign(signer as unknown as forge.pki.PrivateKey, md as unknown as forge.md.MessageDigest);
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
