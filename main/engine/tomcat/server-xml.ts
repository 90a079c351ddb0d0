import { decodeXml, encodeXml, type DecodedXml } from './xml-encoding.js';
import { parseXml, type XmlDocument, type XmlSyntaxError } from './xml-document.js';

/** A server.xml read losslessly: its bytes, how they decode, and the parsed document. */
export interface ServerXml {
  readonly path: string;
  readonly bytes: Buffer;
  readonly decoded: DecodedXml;
  readonly doc: XmlDocument;
}

export type ServerXmlProblem =
  | { readonly reason: 'unsupported-encoding' | 'not-round-trip'; readonly declared: string }
  | ({ readonly reason: 'not-well-formed' } & XmlSyntaxError)
  | { readonly reason: 'not-a-server'; readonly root: string };

/** Reads server.xml bytes: decoded in their declared encoding, checked well-formed, root <Server>. */
export function readServerXml(path: string, bytes: Buffer): { ok: true; value: ServerXml } | { ok: false; problem: ServerXmlProblem } {
  const decoded = decodeXml(bytes);
  if (!decoded.ok) return { ok: false, problem: decoded.problem };
  const parsed = parseXml(decoded.value.text);
  if (!parsed.ok) return { ok: false, problem: { reason: 'not-well-formed', ...parsed.error } };
  if (parsed.doc.root.name !== 'Server') return { ok: false, problem: { reason: 'not-a-server', root: parsed.doc.root.name } };
  return { ok: true, value: { path, bytes, decoded: decoded.value, doc: parsed.doc } };
}

/** The bytes of the file with its text replaced (same BOM and encoding). */
export function serverXmlBytes(file: ServerXml, text: string): Buffer {
  return encodeXml(file.decoded, text);
}
