import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { CertSourceSchema } from '../../../shared/contract/certs.js';
import type { Lang } from '../../../shared/contract/common.js';
import type * as z from '../../../shared/contract/z.js';
import { EngineError } from '../common/engine-error.js';
import { describeErrno, errnoOf } from '../common/errno.js';
import { jksToPkcs12, requireKeytool } from './keytool.js';
import { certificatesFromPem, isEncryptedKey, isKeyBlock, pemBlocks, type PemBlock } from './pem.js';
import { readPkcs12 } from './pkcs12.js';
import type { FilePort } from '../ports/index.js';
import type { KeytoolPorts } from './keytool.js';
import { realpath } from 'node:fs/promises';

export type CertSourceRequest = z.output<typeof CertSourceSchema>;

export interface Material {
  /** Certificates in the order found (file order; the PEM cert file first, then chain files). */
  readonly certs: readonly X509Certificate[];
  readonly key: KeyObject | null;
}

/** Certificate material is small: a bigger "certificate" is the wrong file (or /dev/zero). */
const MAX_MATERIAL_BYTES = 4 * 1024 * 1024;

/**
 * A regular file of at most 4 MiB (never a FIFO or device, which would block or never end). A
 * path the admin named is read where its links lead (Let's Encrypt's live/ names are links into
 * archive/); the FilePort then reads that real file without following anything further.
 */
async function readInputFile(fs: FilePort, path: string, lang: Lang): Promise<Buffer> {
  try {
    const real = await realpath(path).catch(() => path);
    return await fs.readFile(real, { maxBytes: MAX_MATERIAL_BYTES });
  } catch (error) {
    if (error instanceof EngineError && error.code !== 'FILE_UNREADABLE') throw error;
    const errno = error instanceof EngineError ? String((error.evidence as { errno?: unknown }).errno ?? 'EIO') : errnoOf(error);
    throw new EngineError('CERT_FILE_UNREADABLE', { path, reason: describeErrno(errno, lang) }, { path, errno });
  }
}

/** PEM certificates of a file; a single DER certificate (.cer/.der) is accepted too. */
async function readCertificates(fs: FilePort, path: string, lang: Lang): Promise<X509Certificate[]> {
  const bytes = await readInputFile(fs, path, lang);
  let certs: X509Certificate[] = [];
  try {
    certs = certificatesFromPem(bytes.toString('utf8'));
  } catch {
    throw new EngineError('CERT_NOT_PEM', { path }, { path, reason: 'unparsable' });
  }
  if (certs.length === 0) {
    try {
      certs = [new X509Certificate(bytes)];
    } catch {
      throw new EngineError('CERT_NOT_PEM', { path }, { path });
    }
  }
  return certs;
}

/** A private key from a PEM block; encrypted keys need their passphrase. Messages never carry it. */
function parsePrivateKey(block: PemBlock, passphrase: string | undefined, path: string): KeyObject {
  const encrypted = isEncryptedKey(block);
  if (encrypted && (passphrase === undefined || passphrase === '')) throw new EngineError('CERT_PASSPHRASE_REQUIRED', { path }, { path });
  try {
    return encrypted ? createPrivateKey({ key: block.text, format: 'pem', passphrase: passphrase ?? '' }) : createPrivateKey({ key: block.text, format: 'pem' });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (encrypted && /BAD_DECRYPT|DECRYPT|INTERRUPTED/i.test(`${code} ${(error as Error).message}`)) {
      throw new EngineError('CERT_WRONG_PASSPHRASE', { path }, { path, format: 'pem' });
    }
    throw new EngineError('CERT_KEY_INVALID', { path }, { path });
  }
}

async function readPrivateKey(fs: FilePort, path: string, passphrase: string | undefined, lang: Lang): Promise<KeyObject> {
  const text = (await readInputFile(fs, path, lang)).toString('utf8');
  const block = pemBlocks(text).find(isKeyBlock);
  if (block === undefined) throw new EngineError('CERT_KEY_INVALID', { path }, { path, reason: 'no-key-block' });
  return parsePrivateKey(block, passphrase, path);
}

export interface MaterialDeps {
  /** Where keytool is looked for (JAVA_HOME, PATH); the process environment by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Reads any supported source into certificates + key (never logs or returns the secrets). */
export async function loadMaterial(source: CertSourceRequest, lang: Lang, ports: KeytoolPorts, deps: MaterialDeps = {}): Promise<Material> {
  const { fs } = ports;
  switch (source.kind) {
    case 'pem': {
      const certs = await readCertificates(fs, source.certFile, lang);
      for (const chainFile of source.chainFiles) certs.push(...(await readCertificates(fs, chainFile, lang)));
      let key: KeyObject | null = null;
      if (source.keyFile !== undefined) {
        key = await readPrivateKey(fs, source.keyFile, source.passphrase, lang);
      } else {
        // A combined file (certificate + key) is common; use its key when no key file is named.
        const block = pemBlocks((await readInputFile(fs, source.certFile, lang)).toString('utf8')).find(isKeyBlock);
        if (block !== undefined) key = parsePrivateKey(block, source.passphrase, source.certFile);
      }
      return { certs, key };
    }
    case 'pkcs12': {
      const bytes = await readInputFile(fs, source.file, lang);
      const content = readPkcs12(bytes, source.password, source.file);
      if (content.certs.length === 0) throw new EngineError('CERT_NO_LEAF', { path: source.file }, { path: source.file });
      return { certs: content.certs, key: content.key };
    }
    case 'jks': {
      await readInputFile(fs, source.file, lang);
      const env = deps.env ?? process.env;
      const keytool = requireKeytool(env);
      const p12 = await jksToPkcs12(keytool, source.file, source.password, { keyPassword: source.keyPassword, alias: source.alias, javaHome: env.JAVA_HOME }, ports);
      const content = readPkcs12(p12.bytes, p12.password, source.file);
      if (content.certs.length === 0) throw new EngineError('CERT_NO_LEAF', { path: source.file }, { path: source.file });
      return { certs: content.certs, key: content.key };
    }
  }
}
