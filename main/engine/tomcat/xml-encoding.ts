import iconv from 'iconv-lite';

/** Encodings a server.xml is read and written in (the Plan's FileEdit encodings). */
export type XmlEncoding = 'utf8' | 'latin1' | 'gbk' | 'gb18030' | 'utf16le';

export interface DecodedXml {
  /** The text without its byte-order mark. */
  readonly text: string;
  readonly encoding: XmlEncoding;
  /** The byte-order mark written before the text (kept as it was). */
  readonly bom: Buffer;
  /** The encoding named in the XML declaration, as written (null when none). */
  readonly declared: string | null;
}

export type DecodeProblem =
  | { readonly reason: 'unsupported-encoding'; readonly declared: string }
  | { readonly reason: 'not-round-trip'; readonly declared: string };

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const UTF16LE_BOM = Buffer.from([0xff, 0xfe]);

/** Our name for an encoding label of an XML declaration (IANA names, case-insensitive), or null. */
export function encodingOf(label: string): XmlEncoding | null {
  const l = label.trim().toLowerCase().replace(/_/g, '-');
  if (l === 'utf-8' || l === 'utf8') return 'utf8';
  if (l === 'iso-8859-1' || l === 'latin1' || l === 'iso8859-1' || l === 'us-ascii' || l === 'ascii') return 'latin1';
  if (l === 'gbk' || l === 'gb2312' || l === 'cp936' || l === 'windows-936' || l === 'x-gbk') return 'gbk';
  if (l === 'gb18030') return 'gb18030';
  if (l === 'utf-16' || l === 'utf-16le') return 'utf16le';
  return null;
}

/**
 * Decodes a server.xml as Tomcat's parser would: a BOM wins, else the encoding of the XML
 * declaration (read from the ASCII-compatible prefix), else UTF-8. The bytes must come back
 * identical when the text is encoded again; otherwise the file is not edited (an edit would
 * change bytes we did not intend to touch).
 */
export function decodeXml(bytes: Buffer): { ok: true; value: DecodedXml } | { ok: false; problem: DecodeProblem } {
  let bom = Buffer.alloc(0);
  let body = bytes;
  let forced: XmlEncoding | null = null;
  if (bytes.subarray(0, 3).equals(UTF8_BOM)) {
    bom = UTF8_BOM;
    forced = 'utf8';
  } else if (bytes.subarray(0, 2).equals(UTF16LE_BOM)) {
    bom = UTF16LE_BOM;
    forced = 'utf16le';
  }
  body = bytes.subarray(bom.length);
  const head = forced === 'utf16le' ? iconv.decode(body.subarray(0, 400), 'utf16le') : body.subarray(0, 200).toString('latin1');
  const m = /^<\?xml[^>]*?\sencoding\s*=\s*(["'])([A-Za-z0-9._-]+)\1/.exec(head);
  const declared = m?.[2] ?? null;
  let encoding: XmlEncoding = forced ?? 'utf8';
  if (forced === null && declared !== null) {
    const named = encodingOf(declared);
    if (named === null) return { ok: false, problem: { reason: 'unsupported-encoding', declared } };
    encoding = named;
  }
  const text = decode(body, encoding);
  if (!encode(text, encoding).equals(body)) return { ok: false, problem: { reason: 'not-round-trip', declared: declared ?? encoding } };
  return { ok: true, value: { text, encoding, bom, declared } };
}

export function decode(bytes: Buffer, encoding: XmlEncoding): string {
  return encoding === 'utf8' || encoding === 'latin1' ? bytes.toString(encoding) : iconv.decode(bytes, encoding, { stripBOM: false });
}

export function encode(text: string, encoding: XmlEncoding): Buffer {
  return encoding === 'utf8' || encoding === 'latin1' ? Buffer.from(text, encoding) : iconv.encode(text, encoding, { addBOM: false });
}

/** Can every character of `text` be written in `encoding`? (latin1 and GBK cannot hold everything.) */
export function canEncode(text: string, encoding: XmlEncoding): boolean {
  return decode(encode(text, encoding), encoding) === text;
}

/** The bytes of a decoded file with its text replaced: same BOM, same encoding. */
export function encodeXml(doc: Pick<DecodedXml, 'bom' | 'encoding'>, text: string): Buffer {
  return Buffer.concat([doc.bom, encode(text, doc.encoding)]);
}
