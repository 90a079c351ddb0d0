import { X509Certificate } from 'node:crypto';

export interface PemBlock {
  readonly type: string;
  readonly text: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/** Every PEM block in a text, in order (whatever else surrounds them is ignored). */
export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(BLOCK)].map((m) => ({ type: m[1]!, text: `${m[0].replace(/\r\n/g, '\n')}\n` }));
}

const isCertificateBlock = (b: PemBlock) => b.type === 'CERTIFICATE' || b.type === 'X509 CERTIFICATE' || b.type === 'TRUSTED CERTIFICATE';
export const isKeyBlock = (b: PemBlock) => /PRIVATE KEY$/.test(b.type);

/** True for "ENCRYPTED PRIVATE KEY" (PKCS#8) and legacy "Proc-Type: 4,ENCRYPTED" keys (openssl genrsa -des3). */
export function isEncryptedKey(block: PemBlock): boolean {
  return block.type === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(block.text);
}

export function certificatesFromPem(text: string): X509Certificate[] {
  return pemBlocks(text).filter(isCertificateBlock).map((b) => new X509Certificate(b.text));
}
