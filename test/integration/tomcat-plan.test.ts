import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lang } from '../../shared/contract/common.js';
import { parsePlan } from '../../shared/contract/plan.js';
import type { TomcatSslPlanInput, TomcatSslPlanOutput } from '../../shared/contract/tomcat.js';
import { configtest } from '../../main/engine/tomcat/configtest.js';
import { materializeServerXml } from '../../main/engine/tomcat/secret-mask.js';
import { readServerXml } from '../../main/engine/tomcat/server-xml.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { realProcessPort } from '../../main/engine/ports/index.js';
import { createFineInstall } from '../harness/finereport.js';
import { freePorts } from '../harness/ports.js';
import { makeBase, makeKeystore } from '../harness/tomcat-base.js';
import { CATALINA_HOME, tomcatAvailable } from '../harness/tomcat.js';
import { tempDir } from '../harness/temp.js';

const FIXTURES = new URL('../fixtures/tomcat/', import.meta.url).pathname;
const dir = tempDir('wss-setup-tomcat-plan-');
const PASSWORD = 'correct horse 42';
let n = 0;
const fresh = (serverXml?: Buffer | string) => makeBase(join(dir.path, `base-${n++}`), serverXml);

const previousData = process.env.WSS_SETUP_DATA_DIR;
beforeAll(() => {
  if (!tomcatAvailable()) throw new Error('Debian tomcat10 + tomcat10-examples are required (apt-get install tomcat10 tomcat10-examples)');
  // The configtest memo (and the local CA) live in the data folder: this test's own.
  process.env.WSS_SETUP_DATA_DIR = join(dir.path, 'data');
});
afterAll(() => {
  if (previousData === undefined) delete process.env.WSS_SETUP_DATA_DIR;
  else process.env.WSS_SETUP_DATA_DIR = previousData;
  dir.cleanup();
});

async function plan(input: TomcatSslPlanInput, lang: Lang = 'en'): Promise<TomcatSslPlanOutput> {
  const result = await runOperation('planTomcatSsl', input, { lang });
  if (!result.ok) throw new Error(`plan failed: ${JSON.stringify(result.error)}`);
  return result.value;
}
async function planError(input: unknown, lang: Lang = 'en') {
  const result = await runOperation('planTomcatSsl', input, { lang });
  if (result.ok) throw new Error('expected an error');
  return result.error;
}

describe('plan tomcat-ssl on Debian tomcat10', () => {
  it('adds a Mozilla-intermediate connector with an issued PKCS12 keystore, passes configtest, and the plan holds no password', async () => {
    const base = fresh();
    const before = readFileSync(join(base, 'conf', 'server.xml'));
    const out = await plan({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD, serverNames: ['localhost'] });
    expect(out.changed).toBe(true);
    expect(readFileSync(join(base, 'conf', 'server.xml')).equals(before)).toBe(true);
    const p = out.plan;
    expect(p.method).toBe('tomcat-ssl');
    expect(p.validations).toEqual([expect.objectContaining({ tool: 'configtest', ok: true })]);
    expect(p.certificates).toEqual([{ kind: 'issue', names: ['localhost'], outputs: { pkcs12: { path: join(base, 'conf', 'wss-setup', 'server.p12'), password: { secretRef: 'keystorePassword' } } } }]);
    const file = p.files[0]!;
    expect(file.kind).toBe('server-xml');
    expect(file.content).toContain('<SSLHostConfig protocols="TLSv1.2+TLSv1.3"');
    expect(file.content).toContain('certificateKeystorePassword="@@wss-setup-secret:keystorePassword@@"');
    // Only the inserted lines differ: everything before and after is the original text.
    const original = before.toString('utf8');
    const added = file.content.length - original.length;
    const at = file.content.indexOf('    <!-- HTTPS for pages and wss');
    expect(file.content.slice(0, at)).toBe(original.slice(0, at));
    expect(file.content.slice(at + added)).toBe(original.slice(at));
    // apply's preflight: the content in its encoding is exactly the bytes afterSha256 names.
    expect(createHash('sha256').update(Buffer.from(file.content, 'utf8')).digest('hex')).toBe(file.afterSha256);
    const json = JSON.stringify(out);
    expect(json).not.toContain(PASSWORD);
    const reread = parsePlan(JSON.stringify(p));
    expect(reread.ok).toBe(true);
    const filled = materializeServerXml(file.content, original, { keystorePassword: PASSWORD });
    expect(filled).toContain(`certificateKeystorePassword="${PASSWORD}"`);
    // Up: the new HTTPS connector (with its page) and Debian's HTTP connector answer; stopped: both closed.
    expect(p.services[0]).toMatchObject({ id: 'tomcat', service: { kind: 'catalina', home: CATALINA_HOME, base } });
    expect(p.services[0]!.ready).toEqual([{ host: '127.0.0.1', port: 8443, url: 'https://localhost:8443/' }, { host: '127.0.0.1', port: 8080 }]);
    expect(p.services[0]!.mustBeFree).toEqual([{ host: '127.0.0.1', port: 8443 }, { host: '127.0.0.1', port: 8080 }]);
    // A plain Tomcat has no WebSocket path wss-setup could know: no check, and a note saying how to add one.
    expect(p.checks).toEqual([]);
    expect(p.notes.map((x) => x.code)).toContain('TOMCAT_NO_WS_CHECK');
  });

  it('--ws-path adds the same-port wss check (validated: absolute path, no query, fragment, dot segments or spaces)', async () => {
    const base = fresh();
    const out = await plan({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD, serverNames: ['reports.example.com'], httpsPort: 18443, address: '127.0.0.1', wsPath: '/examples/websocket/echoAnnotation' });
    expect(out.plan.checks).toEqual([
      { url: 'wss://reports.example.com:18443/examples/websocket/echoAnnotation', proves: { code: 'tomcat.check.wssPath', params: { path: '/examples/websocket/echoAnnotation', port: 18443 } }, origin: 'https://reports.example.com:18443', ca: expect.stringMatching(/ca/) },
    ]);
    expect(out.plan.notes.map((x) => x.code)).not.toContain('TOMCAT_NO_WS_CHECK');
    expect(out.plan.services[0]!.ready[0]).toEqual({ host: '127.0.0.1', port: 18443, url: 'https://reports.example.com:18443/' });
    for (const wsPath of ['examples/websocket/echo', '/ws?token=x', '/ws#x', '/a/../b', '/a/./b', '/a b', '//evil.example/x', '/%zz', '/a\\b', `/${'a'.repeat(600)}`]) {
      const error = await planError({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD, wsPath });
      expect(error.code, wsPath).toBe('INVALID_INPUT');
      expect(error.message, wsPath).toContain('absolute path such as /examples/websocket/echoAnnotation');
    }
    const zh = await planError({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD, wsPath: '/ws?x=1' }, 'zh-CN');
    expect(zh.message).toContain('WebSocket 路径');
  });

  it('refuses a keystore that does not open with the password, naming it; nothing written, no password in the error', async () => {
    const base = fresh();
    const ks = join(base, 'conf', 'given.p12');
    makeKeystore(ks, 'the-right-one');
    const error = await planError({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystore: ks, keystorePassword: 'the-wrong-one' });
    expect(error.code).toBe('TOMCAT_KEYSTORE_WRONG_PASSWORD');
    expect(error.message).toContain(ks);
    expect(JSON.stringify(error)).not.toMatch(/the-wrong-one|the-right-one/);
    const ok = await plan({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystore: ks, keystorePassword: 'the-right-one', httpsPort: 18443, wsPath: '/ws' });
    expect(ok.plan.certificates).toEqual([{ kind: 'use-existing', keystorePath: ks, keystoreFormat: 'PKCS12' }]);
    // A self-signed keystore: the check trusts only what the machine trusts (no local CA added).
    expect(ok.plan.checks.map((c) => [c.url, c.ca])).toEqual([['wss://localhost:18443/ws', undefined]]);
  });

  it('refuses an HTTPS port another program holds', async () => {
    const base = fresh();
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen(0, r));
    const port = (server.address() as { port: number }).port;
    try {
      const error = await planError({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD, httpsPort: port });
      expect(error.code).toBe('TOMCAT_PORT_IN_USE');
      expect(error.message).toContain(String(port));
    } finally {
      server.close();
    }
  });

  it('refuses the port of a plain HTTP connector and a port below the unprivileged start without --allow-privileged-port', async () => {
    const base = fresh();
    expect((await planError({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD, httpsPort: 8080 })).code).toBe('TOMCAT_PORT_PLAIN_CONNECTOR');
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
    if (low > 443) expect((await planError({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD, httpsPort: 443 })).code).toBe('TOMCAT_PRIVILEGED_PORT');
  });

  it('reports a server.xml that is not well-formed with file, line and column, in both languages', async () => {
    const bad = '<?xml version="1.0"?>\n<Server port="-1">\n  <Service name="Catalina">\n    <Connector port="8080" protocol="HTTP/1.1">\n  </Service>\n</Server>\n';
    const base = fresh(bad);
    const error = await planError({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD });
    expect(error.code).toBe('TOMCAT_SERVER_XML_INVALID');
    expect(error.evidence).toMatchObject({ line: 5 });
    expect(error.message).toContain(`${join(base, 'conf', 'server.xml')}:5:`);
    const zh = await planError({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD }, 'zh-CN');
    expect(zh.message).toContain('格式正确');
    expect(readFileSync(join(base, 'conf', 'server.xml'), 'utf8')).toBe(bad);
  });

  it('validates input: a password with ${ or too short, both or neither target', async () => {
    expect((await planError({ catalinaBase: '/x', keystorePassword: 'abc' })).message).toContain('6');
    expect((await planError({ catalinaBase: '/x', keystorePassword: 'pre${catalina.base}' })).code).toBe('INVALID_INPUT');
    expect((await planError({ keystorePassword: PASSWORD })).code).toBe('INVALID_INPUT');
  });
});

describe('Tomcat 10 and the legacy Connector attributes (found out on the real server)', () => {
  it("Debian's Tomcat 10.1 ignores keystoreFile/keystorePass/keystoreType on <Connector>: configtest names them and fails", async () => {
    const base = fresh();
    makeKeystore(join(base, 'conf', 'legacy.p12'), 'changeit');
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Server port="-1" shutdown="SHUTDOWN">\n  <Service name="Catalina">\n    <Connector port="8443" protocol="org.apache.coyote.http11.Http11NioProtocol" SSLEnabled="true" scheme="https" secure="true" keystoreFile="conf/legacy.p12" keystorePass="changeit" keystoreType="PKCS12" />\n    <Engine name="Catalina" defaultHost="localhost"><Host name="localhost" appBase="webapps" /></Engine>\n  </Service>\n</Server>\n`;
    const result = await configtest({ process: realProcessPort, java: 'java', home: CATALINA_HOME, base, decoded: { bom: Buffer.alloc(0), encoding: 'utf8' }, text });
    expect(result.unknownAttributes).toEqual(expect.arrayContaining(['keystoreFile', 'keystorePass', 'keystoreType']));
    expect(result.ok).toBe(false);
  });
});

describe('plan tomcat-ssl on a FineReport-shaped install (seed 000)', () => {
  it('moves the legacy keystore into SSLHostConfig on Tomcat 10, keeps everything else byte for byte, and plans the four rows with the absolute path', async () => {
    const install = join(dir.path, 'finereport');
    createFineInstall(install, { version: '10.0.20' });
    makeBase(install, readFileSync(join(FIXTURES, 'server-finereport-legacy.xml')));
    makeKeystore(join(install, 'conf', 'fr.keystore'), 'fr&1234', 'JKS');
    expect((await planError({ install, catalinaHome: CATALINA_HOME, keystorePassword: 'not-the-password' })).code).toBe('TOMCAT_KEYSTORE_WRONG_PASSWORD');
    const out = await plan({ install, catalinaHome: CATALINA_HOME, keystorePassword: 'fr&1234' });
    const p = out.plan;
    expect(p.profile).toBe('finereport');
    expect(p.validations[0]).toMatchObject({ tool: 'configtest', ok: true });
    const content = p.files[0]!.content;
    expect(content).not.toContain('keystoreFile=');
    expect(content).toContain('certificateKeystoreFile="conf/fr.keystore"');
    expect(content).toContain('certificateKeystoreType="JKS"');
    expect(content).not.toContain('fr&amp;1234');
    expect(p.notes.map((x) => x.code)).toEqual(expect.arrayContaining(['TOMCAT_LEGACY_CONVERTED', 'TOMCAT_KEYSTORE_MADE_ABSOLUTE', 'TOMCAT_WS_OVER_HTTP_STOPS']));
    const keystore = join(install, 'conf', 'fr.keystore');
    expect(p.fineDbRows.map((r) => [r.id, r.before, r.after, r.phase])).toEqual([
      ['WebSocketConfig.protocol', null, 'SSL', 'after-certificates'],
      ['WebSocketConfig.keyStore', null, keystore, 'after-certificates'],
      ['WebSocketConfig.keyStorePassword', null, { secretRef: 'keystorePassword' }, 'after-certificates'],
      ['WebSocketConfig.keyStoreFormat', null, 'JKS', 'after-certificates'],
    ]);
    expect(p.checks[0]).toMatchObject({ url: 'wss://localhost:38888/socket.io/?EIO=3&transport=websocket' });
    // The kept password comes back from the file on disk when apply fills the template.
    const filled = materializeServerXml(content, readFileSync(join(install, 'conf', 'server.xml'), 'utf8'), { keystorePassword: 'fr&1234' })!;
    expect(filled).toContain('certificateKeystorePassword="fr&amp;1234"');
    const read = readServerXml('x', Buffer.from(filled));
    expect(read.ok).toBe(true);
    expect(JSON.stringify(p)).not.toMatch(/fr&(amp;)?1234/);
  });

  it("takes the product's WebSocket port from FineDB's WebSocketConfig.port (the one answering now, else the first) for readiness and the wss check", async () => {
    const [p1, p2] = (await freePorts(2)) as [number, number];
    const install = join(dir.path, 'finereport-ports');
    createFineInstall(install, { version: '10.0.20', rows: [{ id: 'WebSocketConfig.port', value: JSON.stringify([String(p1), String(p2)]) }] });
    makeBase(install, readFileSync(join(FIXTURES, 'server-finereport-legacy.xml')));
    makeKeystore(join(install, 'conf', 'fr.keystore'), 'fr&1234', 'JKS');
    const first = (await plan({ install, catalinaHome: CATALINA_HOME, keystorePassword: 'fr&1234' })).plan;
    expect(first.checks.map((c) => c.url)).toEqual([`wss://localhost:${p1}/socket.io/?EIO=3&transport=websocket`]);
    expect(first.services[0]!.ready.map((e) => e.port)).toEqual([8075, 8443, p1]);
    expect(first.services[0]!.mustBeFree.map((e) => e.port)).toEqual([8075, 8443, p1]);
    expect(first.notes.find((n) => n.code === 'TOMCAT_FINE_WS_PORTS_FIRST')?.params).toEqual({ ports: `${p1}, ${p2}`, port: p1 });
    // The product bound the second port (the first was taken): that one is used.
    const server = createServer().listen(p2, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const second = (await plan({ install, catalinaHome: CATALINA_HOME, keystorePassword: 'fr&1234' })).plan;
      expect(second.checks.map((c) => c.url)).toEqual([`wss://localhost:${p2}/socket.io/?EIO=3&transport=websocket`]);
      expect(second.services[0]!.ready.map((e) => e.port)).toEqual([8075, 8443, p2]);
      expect(second.notes.map((n) => n.code)).toContain('TOMCAT_FINE_WS_PORTS');
    } finally {
      server.close();
    }
  });

  it('FineReport 11.0.2+ (container WebSocket): no rows; a note why no wss check without --ws-path, the same-port check with it', async () => {
    const install = join(dir.path, 'finereport-container');
    createFineInstall(install, { containerWebSocket: true });
    makeBase(install, readFileSync(join(FIXTURES, 'server-finereport-legacy.xml')));
    makeKeystore(join(install, 'conf', 'fr.keystore'), 'fr&1234', 'JKS');
    const bare = (await plan({ install, catalinaHome: CATALINA_HOME, keystorePassword: 'fr&1234' })).plan;
    expect(bare.fineDbRows).toEqual([]);
    expect(bare.checks).toEqual([]);
    expect(bare.notes.map((n) => n.code)).toEqual(expect.arrayContaining(['TOMCAT_FINE_CONTAINER_WEBSOCKET', 'TOMCAT_FINE_CONTAINER_WS_NO_CHECK']));
    expect(bare.services[0]!.ready).toEqual([{ host: '127.0.0.1', port: 8075 }, { host: '127.0.0.1', port: 8443, url: 'https://localhost:8443/webroot/decision' }]);
    const withPath = (await plan({ install, catalinaHome: CATALINA_HOME, keystorePassword: 'fr&1234', wsPath: '/webroot/decision/ws' })).plan;
    expect(withPath.checks.map((c) => c.url)).toEqual(['wss://localhost:8443/webroot/decision/ws']);
    expect(withPath.notes.map((n) => n.code)).not.toContain('TOMCAT_FINE_CONTAINER_WS_NO_CHECK');
  });

  it('resets the WebSocket rows before the certificates and writes them after, when a certificate is replaced', async () => {
    const install = join(dir.path, 'finereport-replace');
    createFineInstall(install, {
      version: '10.0.20',
      rows: [
        { id: 'WebSocketConfig.protocol', value: 'SSL' },
        { id: 'WebSocketConfig.keyStore', value: '/old/place/old.jks' },
        { id: 'WebSocketConfig.keyStorePassword', value: 'old-password' },
        { id: 'WebSocketConfig.keyStoreFormat', value: 'JKS' },
      ],
    });
    makeBase(install);
    const ks = join(install, 'conf', 'new.p12');
    makeKeystore(ks, PASSWORD);
    const p = (await plan({ install, catalinaHome: CATALINA_HOME, keystore: ks, keystorePassword: PASSWORD, httpsPort: 18444 })).plan;
    const phases = p.fineDbRows.map((r) => `${r.phase}:${r.id}:${r.after === null ? 'delete' : 'set'}`);
    expect(phases).toEqual([
      'before-certificates:WebSocketConfig.protocol:delete',
      'before-certificates:WebSocketConfig.keyStore:delete',
      'before-certificates:WebSocketConfig.keyStorePassword:delete',
      'before-certificates:WebSocketConfig.keyStoreFormat:delete',
      'after-certificates:WebSocketConfig.protocol:set',
      'after-certificates:WebSocketConfig.keyStore:set',
      'after-certificates:WebSocketConfig.keyStorePassword:set',
      'after-certificates:WebSocketConfig.keyStoreFormat:set',
    ]);
    expect(p.fineDbRows[1]!.before).toBe('/old/place/old.jks');
    expect(JSON.stringify(p)).not.toContain('old-password');
    expect(parsePlan(JSON.stringify(p)).ok).toBe(true);
  });
});

describe('the same GBK/CRLF server.xml planned', () => {
  it('writes the connector into the GBK file with CRLF, keeping the Chinese comments', async () => {
    const base = fresh(readFileSync(join(FIXTURES, 'server-gbk-crlf.xml')));
    writeFileSync(join(base, 'marker'), '');
    const p = (await plan({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD, httpsPort: 18445 })).plan;
    const file = p.files[0]!;
    expect(file.encoding).toBe('gbk');
    expect(file.lineEnding).toBe('crlf');
    expect(file.content).toContain('帆软报表服务器配置');
    expect(createHash('sha256').update(iconv.encode(file.content, 'gbk')).digest('hex')).toBe(file.afterSha256);
    expect(file.content.replace(/\r\n/g, '').includes('\n')).toBe(false);
    expect(p.validations[0]!.ok).toBe(true);
  });
});

describe('a server.xml with a UTF-8 byte-order mark', () => {
  it('keeps the BOM: content + encoding are exactly the planned bytes (apply writes nothing else)', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const original = Buffer.concat([bom, readFileSync(join(FIXTURES, 'server-10.1.x.xml'))]);
    const base = fresh(original);
    const file = (await plan({ catalinaBase: base, catalinaHome: CATALINA_HOME, keystorePassword: PASSWORD, httpsPort: 18447 })).plan.files[0]!;
    const bytes = Buffer.from(file.content, 'utf8');
    expect(bytes.subarray(0, 3).equals(bom)).toBe(true);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.afterSha256);
  });
});

describe("Debian's own tomcat10 base (read only)", () => {
  it('is planned as the systemd unit tomcat10.service, whose capability allows ports below 1024', async () => {
    const { existsSync } = await import('node:fs');
    if (!existsSync('/var/lib/tomcat10/conf/server.xml') || !existsSync('/lib/systemd/system/tomcat10.service')) {
      console.log('skipped: Debian tomcat10 base or unit not installed');
      return;
    }
    const { unitForBase } = await import('../../main/engine/tomcat/systemd-unit.js');
    const { realFilePort } = await import('../../main/engine/ports/index.js');
    expect(await unitForBase(realFilePort, '/var/lib/tomcat10')).toEqual({ unit: 'tomcat10.service', user: 'tomcat', bindsLowPorts: true });
    const before = readFileSync('/var/lib/tomcat10/conf/server.xml');
    const p = (await plan({ catalinaBase: '/var/lib/tomcat10', keystorePassword: PASSWORD, httpsPort: 18446 })).plan;
    expect(p.services[0]!.service).toEqual({ kind: 'systemd', unit: 'tomcat10.service' });
    expect(p.validations[0]).toMatchObject({ tool: 'configtest', ok: true });
    expect(readFileSync('/var/lib/tomcat10/conf/server.xml').equals(before)).toBe(true);
  });
});
