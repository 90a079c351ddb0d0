import type { Lang } from '../../../shared/contract/common.js';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { describeErrno, errnoOf } from '../common/errno.js';
import { EngineError } from '../common/engine-error.js';
import { readServerXml, type ServerXml } from './server-xml.js';

const MAX_BYTES = 16 * 1024 * 1024;

/** Reads a regular file without following a symlink in its last component, at most 16 MiB. */
export async function readRegularFile(path: string, maxBytes = MAX_BYTES): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'EINVAL' });
    if (st.size > maxBytes) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** server.xml read and parsed, or an EngineError saying what is wrong and where (line and column). */
export async function readServerXmlFile(path: string, lang: Lang = 'en'): Promise<ServerXml> {
  let bytes: Buffer;
  try {
    bytes = await readRegularFile(path);
  } catch (error) {
    const code = errnoOf(error);
    throw new EngineError('TOMCAT_SERVER_XML_UNREADABLE', { path, reason: describeErrno(code, lang) }, { path, errno: code });
  }
  const read = readServerXml(path, bytes);
  if (read.ok) return read.value;
  const p = read.problem;
  switch (p.reason) {
    case 'not-well-formed':
      throw new EngineError('TOMCAT_SERVER_XML_INVALID', { file: path, line: p.line, column: p.column, detail: p.detail }, { file: path, line: p.line, column: p.column, detail: p.detail });
    case 'not-a-server':
      throw new EngineError('TOMCAT_NOT_A_SERVER_XML', { file: path, root: p.root }, { file: path, root: p.root });
    default:
      throw new EngineError('TOMCAT_SERVER_XML_ENCODING', { file: path, encoding: p.declared }, { file: path, encoding: p.declared, reason: p.reason });
  }
}
