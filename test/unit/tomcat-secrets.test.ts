import { describe, expect, it } from 'vitest';
import { maskPasswords, materializeServerXml, serverXmlApplyBytes, serverXmlSecretRefs } from '../../main/engine/tomcat/index.js';

const ORIGINAL = '<Server port="-1">\n  <Service name="Catalina">\n    <Connector port="8443" SSLEnabled="true" keystoreFile="conf/a.jks" keystorePass="old&amp;pw" />\n    <Connector port="8009" protocol="AJP/1.3" secret="s3cr3t" />\n  </Service>\n  <GlobalNamingResources><Resource name="db" password="dbpw" /></GlobalNamingResources>\n</Server>\n';

describe('server.xml passwords in plans', () => {
  it('masks every password attribute: values already in the file become keep:<n>, and come back from the file', () => {
    const edited = ORIGINAL.replace('port="8443"', 'port="9443"');
    const masked = maskPasswords(edited, ORIGINAL);
    expect(masked).not.toMatch(/old&amp;pw|dbpw/);
    expect(masked).toContain('keystorePass="@@wss-setup-secret:keep:0@@"');
    expect(masked).toContain('password="@@wss-setup-secret:keep:1@@"');
    expect(materializeServerXml(masked, ORIGINAL, {})).toBe(edited);
    expect(serverXmlSecretRefs(masked)).toEqual([]);
  });

  it('fills keystorePassword from the secrets given, escaped; a missing secret gives null', () => {
    const template = ORIGINAL.replace('keystorePass="old&amp;pw"', 'keystorePass="@@wss-setup-secret:keystorePassword@@"');
    expect(serverXmlSecretRefs(template)).toEqual(['keystorePassword']);
    expect(materializeServerXml(template, ORIGINAL, { keystorePassword: 'a"<b&' })).toContain('keystorePass="a&quot;&lt;b&amp;"');
    expect(materializeServerXml(template, ORIGINAL, {})).toBeNull();
  });

  it('writes a UTF-8 BOM carried as U+FEFF in the content, and GBK text in GBK', () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const current = Buffer.concat([bom, Buffer.from(ORIGINAL)]);
    const out = serverXmlApplyBytes({ content: `\uFEFF${ORIGINAL.replace('old&amp;pw', '@@wss-setup-secret:keystorePassword@@')}`, encoding: 'utf8' }, current, { keystorePassword: 'new' })!;
    expect(out.subarray(0, 3).equals(bom)).toBe(true);
    expect(out.subarray(3).toString('utf8')).toBe(ORIGINAL.replace('old&amp;pw', 'new'));
    const gbk = serverXmlApplyBytes({ content: '<Server><!-- 报表 --></Server>', encoding: 'gbk' }, Buffer.alloc(0), {})!;
    expect(gbk.equals(Buffer.from([...Buffer.from('<Server><!-- '), 0xb1, 0xa8, 0xb1, 0xed, ...Buffer.from(' --></Server>')]))).toBe(true);
  });
});
