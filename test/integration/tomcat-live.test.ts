import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY } from '../../main/engine/fine/index.js';
import { localCaPaths } from '../../main/engine/certs/local-ca.js';
import { readFineDbRows } from '../../main/engine/finedb/index.js';
import { realPorts } from '../../main/engine/ports/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import type { TomcatSslPlanInput } from '../../shared/contract/tomcat.js';
import { createFineInstall, startSandboxWebSocket } from '../harness/finereport.js';
import { freePorts } from '../harness/ports.js';
import { applyForTest } from '../harness/tomcat-apply.js';
import { makeBase, makeKeystore } from '../harness/tomcat-base.js';
import { CATALINA_HOME, startTomcatBase, TOMCAT_EXAMPLES, tomcatAvailable } from '../harness/tomcat.js';
import { tempDir } from '../harness/temp.js';
import { httpGet, httpsGet } from '../harness/http-get.js';
import { wssEcho } from '../harness/ws-echo.js';

const FIXTURES = new URL('../fixtures/tomcat/', import.meta.url).pathname;
const dir = tempDir('wss-setup-tomcat-live-');
const PASSWORD = 'live-keystore-pw';

beforeAll(() => {
  if (!tomcatAvailable()) throw new Error('Debian tomcat10 + tomcat10-examples are required (apt-get install tomcat10 tomcat10-examples)');
  process.env.WSS_SETUP_DATA_DIR = join(dir.path, 'data');
});
afterAll(() => dir.cleanup());

async function plan(input: TomcatSslPlanInput) {
  const result = await runOperation('planTomcatSsl', input, {});
  if (!result.ok) throw new Error(`plan failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

describe('method one live on real Tomcat 10', () => {
  it('plan, apply, start: the https page and the wss echo answer with host-name verification against the local CA; planning again changes nothing', async () => {
    const [httpPort, httpsPort] = await freePorts(2);
    const base = makeBase(
      join(dir.path, 'tomcat'),
      `<?xml version="1.0" encoding="UTF-8"?>\n<!-- practice base for method one -->\n<Server port="-1" shutdown="SHUTDOWN">\n  <Service name="Catalina">\n    <Connector port="${httpPort}" address="127.0.0.1" protocol="HTTP/1.1" connectionTimeout="20000" />\n    <Engine name="Catalina" defaultHost="localhost">\n      <Host name="localhost" appBase="webapps" unpackWARs="false" autoDeploy="false" />\n    </Engine>\n  </Service>\n</Server>\n`,
    );
    symlinkSync(TOMCAT_EXAMPLES, join(base, 'webapps', 'examples'));
    const input: TomcatSslPlanInput = { catalinaBase: base, catalinaHome: CATALINA_HOME, httpsPort, address: '127.0.0.1', serverNames: ['localhost'], keystorePassword: PASSWORD, redirectHttp: true };
    const first = await plan(input);
    expect(first.changed).toBe(true);
    expect(first.plan.validations.map((v) => [v.tool, v.ok])).toEqual([['configtest', true], ['xml', true]]);
    expect(first.plan.files.map((f) => f.kind)).toEqual(['server-xml', 'web-xml']);
    await applyForTest(first.plan, { keystorePassword: PASSWORD });
    expect(readFileSync(join(base, 'conf', 'server.xml'), 'utf8')).toContain(`certificateKeystorePassword="${PASSWORD}"`);

    const tomcat = await startTomcatBase(base, [httpPort!, httpsPort!]);
    try {
      const ca = readFileSync(localCaPaths().cert);
      const page = await httpsGet(`https://localhost:${httpsPort}/examples/`, ca);
      expect(page.status).toBe(200);
      await expect(httpsGet(`https://localhost:${httpsPort}/examples/`, Buffer.from(''))).rejects.toThrow();
      const plain = await httpGet(`http://localhost:${httpPort}/examples/`);
      expect(plain.status).toBe(302);
      expect(plain.location).toBe(`https://localhost:${httpsPort}/examples/`);
      expect(await wssEcho(`wss://localhost:${httpsPort}/examples/websocket/echoAnnotation`, ca, 'hello over wss')).toBe('hello over wss');
      // The WebSocket over plain HTTP is refused now (redirected), as seed 000 says.
      await expect(wssEcho(`ws://localhost:${httpPort}/examples/websocket/echoAnnotation`, ca, 'x')).rejects.toThrow(/302/);
      const check = await runOperation('check', { urls: [`wss://localhost:${httpsPort}/examples/websocket/echoAnnotation`], caFile: localCaPaths().cert });
      expect(check.ok && check.value.ok).toBe(true);
      const again = await plan(input);
      expect(again.changed).toBe(false);
      expect(again.plan.files).toEqual([]);
      expect(again.plan.certificates).toEqual([{ kind: 'use-existing', keystorePath: join(base, 'conf', 'wss-setup', 'server.p12'), keystoreFormat: 'PKCS12' }]);
      expect(again.plan.notes.map((n) => n.code)).toContain('TOMCAT_NO_CHANGES');
    } finally {
      await tomcat.stop();
    }
  });
});

describe('method one on the FineReport-shaped sandbox (seed 000)', () => {
  it('writes the four rows with the absolute keystore path; the sandbox WebSocket restarts with TLS from them; wss ok, ws:// fails', async () => {
    const install = join(dir.path, 'finereport');
    createFineInstall(install, { version: '10.0.20' });
    makeBase(install, readFileSync(join(FIXTURES, 'server-finereport-legacy.xml')));
    const keystore = join(install, 'conf', 'fr.keystore');
    makeKeystore(keystore, 'fr&1234', 'JKS');
    const caPem = join(dir.path, 'fr-self-signed.pem');
    const exported = spawnSync('keytool', ['-exportcert', '-rfc', '-alias', 'tomcat', '-keystore', keystore, '-storepass:env', 'PW'], { env: { ...process.env, PW: 'fr&1234' }, encoding: 'utf8' });
    writeFileSync(caPem, exported.stdout);
    const [wsPort] = await freePorts(1);

    const plain = await startSandboxWebSocket(install, wsPort!);
    expect(plain.tls).toBe(false);
    await plain.close();

    const out = await plan({ install, catalinaHome: CATALINA_HOME, keystorePassword: 'fr&1234' });
    await applyForTest(out.plan, { keystorePassword: 'fr&1234' });
    const rows = new Map((await readFineDbRows(install, { ports: realPorts })).map((r) => [r.id, r.value]));
    expect(rows.get(KEY.protocol)).toBe('SSL');
    expect(rows.get(KEY.keyStore)).toBe(keystore);
    expect(rows.get(KEY.keyStorePassword)).toBe('fr&1234');
    expect(rows.get(KEY.keyStoreFormat)).toBe('JKS');

    const secure = await startSandboxWebSocket(install, wsPort!);
    try {
      expect(secure.tls).toBe(true);
      const url = out.plan.checks[0]!.url.replace(':38888/', `:${wsPort}/`);
      const wss = await runOperation('check', { urls: [url], caFile: caPem, timeoutMs: 5000 });
      expect(wss.ok && wss.value.ok).toBe(true);
      const ws = await runOperation('check', { urls: [url.replace('wss://', 'ws://')], timeoutMs: 5000 });
      expect(ws.ok && ws.value.ok).toBe(false);
      if (ws.ok) expect(ws.value.endpoints[0]!.findings.map((f) => f.code)).toContain('TLS_EXPECTED');
    } finally {
      await secure.close();
    }
    mkdirSync(join(dir.path, 'done'), { recursive: true });
  });
});
