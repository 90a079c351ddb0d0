import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readServerXml, serverXmlBytes } from '../../main/engine/tomcat/server-xml.js';
import { attr, descendants, parseXml } from '../../main/engine/tomcat/xml-document.js';
import { XmlEditor } from '../../main/engine/tomcat/xml-edit.js';

const FIXTURES = new URL('../fixtures/tomcat/', import.meta.url).pathname;
const corpus = readdirSync(FIXTURES).filter((n) => n.endsWith('.xml')).sort();

function load(name: string) {
  const bytes = readFileSync(join(FIXTURES, name));
  const read = readServerXml(join(FIXTURES, name), bytes);
  if (!read.ok) throw new Error(`${name}: ${JSON.stringify(read.problem)}`);
  return read.value;
}

/** Bytes before and after the changed region are the original ones. */
function changedRegion(before: Buffer, after: Buffer): { start: number; endBefore: number; endAfter: number } {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let a = before.length;
  let b = after.length;
  while (a > start && b > start && before[a - 1] === after[b - 1]) {
    a--;
    b--;
  }
  return { start, endBefore: a, endAfter: b };
}

describe('server.xml corpus: byte round trip', () => {
  it('holds the Tomcat 8.5, 9, 10.1, 11, Debian, GBK, entity and FineReport files', () => {
    expect(corpus).toEqual(
      expect.arrayContaining(['server-8.5.x.xml', 'server-9.0.x.xml', 'server-10.1.x.xml', 'server-11.0.x.xml', 'server-debian-tomcat10.xml', 'server-gbk-crlf.xml', 'server-entities-doctype.xml', 'server-finereport-legacy.xml']),
    );
  });
  for (const name of corpus) {
    it(`${name} prints back byte for byte, and an edit of one Connector changes only that Connector`, () => {
      const file = load(name);
      expect(serverXmlBytes(file, file.doc.text).equals(file.bytes)).toBe(true);
      const connector = descendants(file.doc.root, 'Connector')[0]!;
      const editor = new XmlEditor(file.doc);
      editor.setAttribute(connector, 'maxThreads', '123');
      const after = serverXmlBytes(file, editor.result());
      expect(after.equals(file.bytes)).toBe(false);
      const region = changedRegion(file.bytes, after);
      const startByte = serverXmlBytes(file, file.doc.text.slice(0, connector.start)).length;
      const endByte = serverXmlBytes(file, file.doc.text.slice(0, connector.startTagEnd)).length;
      expect(region.start).toBeGreaterThanOrEqual(startByte);
      expect(region.endBefore).toBeLessThanOrEqual(endByte);
      const reread = readServerXml(file.path, after);
      expect(reread.ok).toBe(true);
      if (reread.ok) expect(attr(descendants(reread.value.doc.root, 'Connector')[0]!, 'maxThreads')?.value).toBe('123');
    });
  }
});

describe('encodings, entities, line endings', () => {
  it('keeps GBK, CRLF and the Chinese comments; new lines get CRLF and Chinese values are written in GBK', () => {
    const file = load('server-gbk-crlf.xml');
    expect(file.decoded.encoding).toBe('gbk');
    expect(file.doc.lineEnding).toBe('crlf');
    expect(file.doc.text).toContain('帆软报表服务器配置');
    const service = descendants(file.doc.root, 'Service')[0]!;
    const http = descendants(service, 'Connector')[0]!;
    const editor = new XmlEditor(file.doc);
    editor.insertChild(service, '<Connector port="8443" server="报表">\n  <SSLHostConfig />\n</Connector>', http);
    const text = editor.result();
    const bytes = serverXmlBytes(file, text);
    expect(text.replace(/\r\n/g, '').includes('\n')).toBe(false);
    expect(iconv.decode(bytes, 'gbk')).toContain('server="报表"');
    expect(bytes.includes(Buffer.from('报表', 'utf8'))).toBe(false);
    expect(text).toContain('\r\n    <Connector port="8443" server="报表">\r\n      <SSLHostConfig />\r\n    </Connector>\r\n');
  });

  it('reads entity and character references in attributes and keeps them as written when another attribute changes', () => {
    const file = load('server-entities-doctype.xml');
    const connector = descendants(file.doc.root, 'Connector')[0]!;
    expect(attr(connector, 'port')?.value).toBe('8080');
    expect(attr(connector, 'port')?.raw).toBe('&http-port;');
    expect(attr(connector, 'server')?.value).toBe('Example & Sons App');
    const editor = new XmlEditor(file.doc);
    editor.setAttribute(connector, 'redirectPort', '9443');
    editor.setAttribute(connector, 'note', 'a "quoted" <value> & more');
    const text = editor.result();
    expect(text).toContain('port="&http-port;"');
    expect(text).toContain('redirectPort="9443"');
    expect(text).toContain('&#x41;pp" note="a &quot;quoted&quot; &lt;value> &amp; more" />');
    const again = parseXml(text);
    expect(again.ok).toBe(true);
    if (again.ok) expect(attr(descendants(again.doc.root, 'Connector')[0]!, 'note')?.value).toBe('a "quoted" <value> & more');
  });

  it('keeps single quotes of an attribute it rewrites, removes attributes with their leading space', () => {
    const file = load('server-finereport-legacy.xml');
    const tls = descendants(file.doc.root, 'Connector')[1]!;
    expect(attr(tls, 'keystorePass')?.value).toBe('fr&1234');
    const editor = new XmlEditor(file.doc);
    editor.setAttribute(tls, 'keystoreType', "PKCS'12");
    editor.removeAttribute(tls, 'sslProtocol');
    const text = editor.result();
    expect(text).toContain("keystoreType='PKCS&apos;12'");
    expect(text).toContain('clientAuth="false"\n               keystoreFile');
  });

  it('reports a file that is not well-formed with line and column', () => {
    const bad = Buffer.from('<?xml version="1.0"?>\n<Server port="8005">\n  <Service name="Catalina">\n    <Connector port="8080" protocol="HTTP/1.1" >\n  </Service>\n</Server>\n');
    const read = readServerXml('/x/server.xml', bad);
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.problem.reason).toBe('not-well-formed');
      if (read.problem.reason === 'not-well-formed') {
        expect(read.problem.line).toBe(5);
        expect(read.problem.column).toBeGreaterThan(0);
      }
    }
    const unquoted = readServerXml('/x/server.xml', Buffer.from('<Server port=8005/>'));
    expect(!unquoted.ok && unquoted.problem.reason === 'not-well-formed' && unquoted.problem.line === 1).toBe(true);
  });

  it('refuses an unknown declared encoding and a root that is not <Server>', () => {
    const ebcdic = readServerXml('/x', Buffer.from('<?xml version="1.0" encoding="EBCDIC-US"?><Server/>'));
    expect(!ebcdic.ok && ebcdic.problem.reason).toBe('unsupported-encoding');
    const web = readServerXml('/x', Buffer.from('<web-app/>'));
    expect(!web.ok && web.problem.reason).toBe('not-a-server');
  });

  it('keeps a UTF-8 BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<Server port="-1"/>\n')]);
    const read = readServerXml('/x', bytes);
    expect(read.ok).toBe(true);
    if (read.ok) {
      const editor = new XmlEditor(read.value.doc);
      editor.setAttribute(read.value.doc.root, 'port', '8005');
      expect(serverXmlBytes(read.value, editor.result()).equals(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<Server port="8005"/>\n')]))).toBe(true);
    }
  });
});
