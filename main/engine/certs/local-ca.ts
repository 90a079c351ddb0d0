import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import type * as z from '../../../shared/contract/z.js';
import type { CertCaInputSchema, CertCaOutput } from '../../../shared/contract/certs.js';
import { t } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { describeErrno } from '../common/errno.js';
import { dataDir } from '../common/paths.js';
import type { FilePort } from '../ports/index.js';
import { assertOwnFile, assertTrustedFolder } from './trusted-folder.js';
import { summarize } from './describe.js';
import { generateRsaKey, randomSerial, signWithNodeKey } from './keys.js';
import { writeFilesAtomically } from './write-files.js';

const DAY = 86_400_000;

export interface LocalCaPaths {
  readonly dir: string;
  readonly cert: string;
  readonly key: string;
}

/** <dataDir>/ca/ca.crt and ca.key (owner-only). */
export function localCaPaths(env: Readonly<Record<string, string | undefined>> = process.env): LocalCaPaths {
  const dir = join(dataDir(env), 'ca');
  return { dir, cert: join(dir, 'ca.crt'), key: join(dir, 'ca.key') };
}

export interface LocalCa {
  readonly paths: LocalCaPaths;
  readonly certPem: string;
  readonly x509: X509Certificate;
  readonly forgeCert: forge.pki.Certificate;
  readonly key: KeyObject;
}

async function readIfPresent(fs: FilePort, path: string): Promise<string | null> {
  if ((await fs.lstat(path)) === null) return null;
  await assertOwnFile(path);
  return fs.readText(path, { maxBytes: 1024 * 1024 });
}

/**
 * The local CA, or null when none was created yet. CERT_DATA_DIR_UNSAFE when its folder (or one
 * above it) or its files belong to, or can be changed by, another account: root must never sign
 * with, or trust, a CA someone else could have put there. CERT_CA_INVALID when its files are damaged.
 */
export async function findLocalCa(fs: FilePort, paths: LocalCaPaths = localCaPaths()): Promise<LocalCa | null> {
  await assertTrustedFolder(paths.dir);
  let certPem: string | null;
  let keyPem: string | null;
  try {
    certPem = await readIfPresent(fs, paths.cert);
    keyPem = await readIfPresent(fs, paths.key);
  } catch (error) {
    if (error instanceof EngineError && error.code === 'CERT_DATA_DIR_UNSAFE') throw error;
    throw new EngineError('CERT_CA_INVALID', { path: paths.dir }, { path: paths.dir, reason: error instanceof EngineError ? error.code : 'EIO' });
  }
  if (certPem === null && keyPem === null) return null;
  try {
    if (certPem === null || keyPem === null) throw new Error('incomplete');
    const x509 = new X509Certificate(certPem);
    const key = createPrivateKey(keyPem);
    if (!x509.ca || !x509.checkPrivateKey(key)) throw new Error('not-a-ca-with-its-key');
    return { paths, certPem, x509, forgeCert: forge.pki.certificateFromPem(certPem), key };
  } catch (error) {
    throw new EngineError('CERT_CA_INVALID', { path: paths.dir }, { path: paths.dir, reason: (error as Error).message });
  }
}

export async function requireLocalCa(fs: FilePort, paths: LocalCaPaths = localCaPaths()): Promise<LocalCa> {
  const ca = await findLocalCa(fs, paths);
  if (ca === null) throw new EngineError('CERT_CA_MISSING', { path: paths.dir }, { path: paths.dir });
  return ca;
}

export type CaRequest = z.output<typeof CertCaInputSchema>;

/** The `certCa` operation: a CA with its own key (CA:true, keyCertSign), 10 years by default. */
export async function certCa(input: CaRequest, ctx: OpContext): Promise<CertCaOutput> {
  const paths = localCaPaths();
  // A damaged CA can only be replaced explicitly; reusing or keeping it is an error.
  const { fs } = ctx.ports;
  await assertTrustedFolder(paths.dir);
  const existing = input.ifExists === 'replace' ? null : await findLocalCa(fs, paths);
  if (existing !== null) {
    if (input.ifExists === 'fail') throw new EngineError('CERT_CA_EXISTS', { path: paths.cert }, { path: paths.cert });
    return { created: false, certPath: paths.cert, keyPath: paths.key, certificate: summarize(existing.x509) };
  }
  ctx.onProgress({ operation: 'certCa', step: 'progress.certs.key', message: t(ctx.lang, 'progress.certs.key', { bits: input.keySize }) });
  const key = await generateRsaKey(input.keySize);
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.forgePublic;
  cert.serialNumber = randomSerial();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60_000);
  cert.validity.notAfter = new Date(now - 60_000 + Math.round(input.validityYears * 365.25) * DAY);
  const attrs: forge.pki.CertificateField[] = [{ name: 'commonName', value: input.commonName ?? `wss-setup local CA (${hostname()})`.slice(0, 64) }];
  if (input.organization !== undefined) attrs.push({ name: 'organizationName', value: input.organization });
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signWithNodeKey(cert, key.node);
  const certPem = forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
  try {
    await fs.mkdir(paths.dir, { mode: 0o700 });
  } catch (error) {
    const errno = error instanceof EngineError ? String((error.evidence as { errno?: unknown }).errno ?? error.code) : 'EIO';
    throw new EngineError('CERT_WRITE_FAILED', { path: paths.dir, reason: describeErrno(errno, ctx.lang) }, { path: paths.dir, errno });
  }
  // Checked again once it exists: nobody else may have made it (or a part of it) in between.
  await assertTrustedFolder(paths.dir);
  await writeFilesAtomically(
    [
      { path: paths.key, content: key.pkcs8Pem, secret: true },
      { path: paths.cert, content: certPem, secret: false },
    ],
    { overwrite: input.ifExists === 'replace', lang: ctx.lang },
    ctx.ports,
  );
  return { created: true, certPath: paths.cert, keyPath: paths.key, certificate: summarize(new X509Certificate(certPem)) };
}
