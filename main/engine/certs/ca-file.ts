import { X509Certificate } from 'node:crypto';
import type { Lang } from '../../../shared/contract/common.js';
import { EngineError } from '../common/engine-error.js';
import { describeErrno } from '../common/errno.js';
import type { FilePort } from '../ports/index.js';
import { certificatesFromPem } from './pem.js';

/**
 * The certificates of a PEM file given as extra trust (--ca): a regular file of at most 1 MiB read
 * through the FilePort. CA_UNREADABLE when it cannot be read, CA_INVALID when it holds no
 * certificate (the same codes and texts as the health check's --ca).
 */
export async function readCaCertificates(fs: FilePort, path: string, lang: Lang): Promise<X509Certificate[]> {
  let text: string;
  try {
    text = await fs.readText(path, { maxBytes: 1024 * 1024 });
  } catch (error) {
    const errno = error instanceof EngineError ? String((error.evidence as { errno?: unknown }).errno ?? error.code) : 'EIO';
    throw new EngineError('CA_UNREADABLE', { path, reason: describeErrno(errno, lang) }, { path, errno });
  }
  let certs: X509Certificate[] = [];
  try {
    certs = certificatesFromPem(text);
  } catch {
    certs = [];
  }
  if (certs.length === 0) throw new EngineError('CA_INVALID', { path }, { path });
  return certs;
}
