import type { Lang } from '../../../shared/contract/common.js';
import { describeErrno, errnoOf } from '../common/errno.js';
import { EngineError } from '../common/engine-error.js';
import type { FilePort } from '../ports/index.js';
import { readServerXml, type ServerXml } from './server-xml.js';

const MAX_BYTES = 16 * 1024 * 1024;

/** server.xml read and parsed, or an EngineError saying what is wrong and where (line and column). */
/** Read through the file port: a regular file, never through a symlink in its last component, at most 16 MiB. */
export async function readServerXmlFile(fs: FilePort, path: string, lang: Lang = 'en'): Promise<ServerXml> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path, { maxBytes: MAX_BYTES });
  } catch (error) {
    const code = error instanceof EngineError ? String(error.evidence.errno ?? error.code) : errnoOf(error);
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
