import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseTomcat, loadServerXmlForDiagnosis } from '../../main/engine/tomcat/index.js';
import { realFilePort } from '../../main/engine/ports/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { createFineInstall } from '../harness/finereport.js';
import { freePorts } from '../harness/ports.js';
import { makeBase, makeKeystore } from '../harness/tomcat-base.js';
import { tempDir } from '../harness/temp.js';

const FIXTURES = new URL('../fixtures/tomcat/', import.meta.url).pathname;
const dir = tempDir('wss-setup-tomcat-diagnose-');
afterAll(() => dir.cleanup());
let n = 0;
const serverXmlOf = (text: string | Buffer) => join(makeBase(join(dir.path, `b${n++}`), text), 'conf', 'server.xml');
const codes = async (path: string, url: string) => (await diagnoseTomcat(path, new URL(url), 'en', await loadServerXmlForDiagnosis(path, realFilePort))).map((f) => `${f.code}@${String(f.evidence.line)}`);

describe('config-aware findings for check on Tomcat (method one)', () => {
  it('a wss:// URL on a plain connector names the connector line; ws:// on it and other ports say nothing', async () => {
    const path = serverXmlOf(readFileSync(join(FIXTURES, 'server-debian-tomcat10.xml')));
    expect(await codes(path, 'wss://localhost:8080/examples/websocket/echoAnnotation')).toEqual(['TOMCAT_NO_TLS_CONNECTOR@70']);
    expect(await codes(path, 'ws://localhost:8080/x')).toEqual([]);
    expect(await codes(path, 'wss://localhost:38889/socket.io/')).toEqual([]);
  });

  it("legacy keystore attributes on Tomcat 10 and a keystore that is missing are named with their lines", async () => {
    const path = serverXmlOf(readFileSync(join(FIXTURES, 'server-finereport-legacy.xml')));
    expect(await codes(path, 'wss://reports.example.com:8443/webroot/decision')).toEqual(['TOMCAT_LEGACY_TLS_IGNORED@22', 'TOMCAT_KEYSTORE_UNREADABLE@25']);
  });

  it('a PKCS12 keystore whose password in server.xml is wrong, and a right one', async () => {
    const base = join(dir.path, 'p12');
    const xml = (pw: string) => `<?xml version="1.0"?>\n<Server port="-1">\n  <Service name="Catalina">\n    <Connector port="9443" SSLEnabled="true" scheme="https" secure="true">\n      <SSLHostConfig>\n        <Certificate certificateKeystoreFile="conf/s.p12" certificateKeystorePassword="${pw}" certificateKeystoreType="PKCS12" />\n      </SSLHostConfig>\n    </Connector>\n  </Service>\n</Server>\n`;
    makeBase(base, xml('not-it'));
    makeKeystore(join(base, 'conf', 's.p12'), 'right-password');
    const path = join(base, 'conf', 'server.xml');
    const findings = await diagnoseTomcat(path, new URL('wss://localhost:9443/'), 'zh-CN', await loadServerXmlForDiagnosis(path, realFilePort));
    expect(findings.map((f) => [f.code, f.evidence.line, f.evidence.reason])).toEqual([['TOMCAT_KEYSTORE_UNREADABLE', 6, 'wrong-password']]);
    expect(findings[0]!.message).toContain('无法用 server.xml 中的密码打开');
    expect(JSON.stringify(findings)).not.toContain('not-it');
    makeBase(base, xml('right-password'));
    expect(await codes(path, 'wss://localhost:9443/')).toEqual([]);
  });

  it('a server.xml that is not well-formed is a finding with line and column, not a failure', async () => {
    const path = serverXmlOf('<Server>\n  <Service>\n</Server>\n');
    const f = await diagnoseTomcat(path, new URL('wss://localhost:8443/'), 'en', await loadServerXmlForDiagnosis(path, realFilePort));
    expect(f.map((x) => [x.code, x.evidence.line])).toEqual([['TOMCAT_CONF_INVALID', 3]]);
  });

  it("FineDB's keystore row: relative, or another keystore than Tomcat serves (read from the embedded database's files, no JVM)", async () => {
    const fineCase = async (name: string, keyStore: string) => {
      const install = join(dir.path, name);
      createFineInstall(install, { version: '10.0.20', rows: [{ id: 'WebSocketConfig.protocol', value: 'SSL' }, { id: 'WebSocketConfig.keyStore', value: keyStore }] });
      makeBase(install, readFileSync(join(FIXTURES, 'server-finereport-legacy.xml')));
      return codes(join(install, 'conf', 'server.xml'), 'wss://reports.example.com:38888/socket.io/?EIO=3&transport=websocket');
    };
    expect(await fineCase('fr-relative', 'conf/fr.keystore')).toEqual(['TOMCAT_FINEDB_KEYSTORE_RELATIVE@25']);
    expect(await fineCase('fr-other', '/etc/ssl/other.jks')).toEqual(['TOMCAT_FINEDB_KEYSTORE_MISMATCH@25']);
    expect(await fineCase('fr-same', join(dir.path, 'fr-same', 'conf', 'fr.keystore'))).toEqual([]);
  });

  it('check --server-xml adds the findings to the live report', async () => {
    const [port] = (await freePorts(1)) as [number];
    const path = serverXmlOf(`<Server port="-1">\n  <Service name="Catalina">\n    <Connector port="${port}" protocol="HTTP/1.1" />\n  </Service>\n</Server>\n`);
    const result = await runOperation('check', { urls: [`wss://127.0.0.1:${port}/`], serverXml: path, timeoutMs: 2000 });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.endpoints[0]!.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['CONNECTION_REFUSED', 'TOMCAT_NO_TLS_CONNECTOR']));
  });
});
