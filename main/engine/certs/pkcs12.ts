import type { KeyObject } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { EngineError } from '../common/engine-error.js';
import { nodePrivateKeyFromPkcs8Der } from './keys.js';

export interface Pkcs12Options {
  readonly password: string;
  readonly alias: string;
  readonly encryption: 'aes256' | '3des';
}

/**
 * A PKCS#12 keystore (Tomcat, FineDB WebSocketConfig.keyStoreFormat=PKCS12) holding the key
 * and its certificate chain, leaf first. node-forge handles RSA keys only.
 */
export function buildPkcs12(keyPem: string, certPems: readonly string[], options: Pkcs12Options): Uint8Array {
  let key: forge.pki.PrivateKey;
  let certs: forge.pki.Certificate[];
  try {
    key = forge.pki.privateKeyFromPem(keyPem);
    certs = certPems.map((pem) => forge.pki.certificateFromPem(pem));
  } catch {
    throw new EngineError('CERT_KEYSTORE_RSA_ONLY');
  }
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, options.password, {
    algorithm: options.encryption,
    friendlyName: options.alias,
    generateLocalKeyId: true,
    // The iteration count OpenSSL 3 uses for `openssl pkcs12 -export` (PKCS12_DEFAULT_ITER).
    count: 2048,
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export interface Pkcs12Content {
  readonly key: KeyObject | null;
  readonly certs: readonly X509Certificate[];
}

/** Reads a PKCS#12 / PFX (as made by openssl, Windows, keytool or this module). */
export function readPkcs12(bytes: Uint8Array, password: string, path: string): Pkcs12Content {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (error) {
    const message = error instanceof Error ? error.message : '';
    if (/password|MAC could not be verified|decrypt/i.test(message)) throw new EngineError('CERT_WRONG_PASSPHRASE', { path }, { path, format: 'pkcs12' });
    throw new EngineError('CERT_PKCS12_INVALID', { path }, { path });
  }
  let key: KeyObject | null = null;
  const certs: X509Certificate[] = [];
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      const raw = (bag as { asn1?: forge.asn1.Asn1 }).asn1;
      if (bag.type === forge.pki.oids.certBag) {
        const der = bag.cert ? forge.asn1.toDer(forge.pki.certificateToAsn1(bag.cert)).getBytes() : raw ? forge.asn1.toDer(raw).getBytes() : null;
        if (der !== null) certs.push(new X509Certificate(Buffer.from(der, 'binary')));
      } else if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        if (key !== null) continue;
        const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : raw;
        if (info) key = nodePrivateKeyFromPkcs8Der(Buffer.from(forge.asn1.toDer(info).getBytes(), 'binary'));
      }
    }
  }
  return { key, certs };
}
