import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NginxPlanInput, NginxPlanOutput } from '../../shared/contract/nginx.js';
import { noteMessage } from '../../shared/i18n/plan-text.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { createFineInstall } from '../harness/finereport.js';
import { copyNginxFixture, writeCertPair } from '../harness/fixtures.js';
import { nginxAvailable } from '../harness/nginx.js';
import { tempDir } from '../harness/temp.js';

/**
 * Issue 9 item 19: `plan nginx-proxy --profile finereport --install <dir>` takes its defaults from
 * the install (the Tomcat HTTP connector in conf/server.xml), says what it assumed (no server
 * name: a certificate for localhost and servers for any name), and lists only checks that must
 * pass after apply (not wss://<host>:443/ of a 10.x install, whose root is no WebSocket endpoint).
 */
const dir = tempDir('wss-setup-nginx-fine-');
let certPath: string;
let keyPath: string;

beforeAll(() => {
  if (!nginxAvailable()) throw new Error('nginx is required for these tests (apt-get install nginx)');
  ({ certPath, keyPath } = writeCertPair(dir.path, ['reports.example.com']));
});
afterAll(() => dir.cleanup());

/** A FineReport 10.x install inside a Tomcat base whose server.xml has a TLS, an AJP and (third) the HTTP connector. */
function install(connector = '<Connector port="9090" protocol="HTTP/1.1" connectionTimeout="20000" redirectPort="8443"/>'): string {
  const home = join(dir.path, `fine-${Math.random().toString(36).slice(2)}`);
  createFineInstall(home, { finedb: 'none' });
  mkdirSync(join(home, 'conf'), { recursive: true });
  writeFileSync(
    join(home, 'conf', 'server.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>
<Server port="8005" shutdown="SHUTDOWN">
  <Service name="Catalina">
    <Connector port="8443" protocol="org.apache.coyote.http11.Http11NioProtocol" SSLEnabled="true" scheme="https" secure="true"/>
    <Connector port="8009" protocol="AJP/1.3" redirectPort="8443"/>
    ${connector}
    <Engine name="Catalina" defaultHost="localhost"/>
  </Service>
</Server>
`,
  );
  return home;
}

async function plan(input: NginxPlanInput): Promise<NginxPlanOutput['plan']> {
  const result = await runOperation('planNginxProxy', input, { lang: 'en' });
  if (!result.ok) throw new Error(`plan failed: ${JSON.stringify(result.error)}`);
  return result.value.plan;
}

const owned = (p: NginxPlanOutput['plan']) => p.files.find((f) => f.owned)!.content;

describe('finereport with --install (issue 9 item 19)', () => {
  it('proxies the pages to the HTTP connector of the install\'s Tomcat, and says where it read it', async () => {
    const home = install();
    const p = await plan({ nginxConf: copyTree(), profile: 'finereport', install: home, serverNames: ['reports.example.com'], certPath, keyPath });
    expect(owned(p)).toContain('        proxy_pass http://127.0.0.1:9090;');
    expect(owned(p)).not.toContain('8080');
    const said = p.notes.find((n) => n.code === 'FINE_APP_FROM_INSTALL')!;
    expect(said.evidence).toMatchObject({ app: '127.0.0.1:9090', file: join(home, 'conf', 'server.xml'), line: 6 });
    expect(noteMessage('en', said).message).toContain(`${join(home, 'conf', 'server.xml')}:6`);
    // The product's restart names its Tomcat and the ports that prove it stopped and started.
    expect(p.services.find((s) => s.id === 'finereport')).toMatchObject({ service: { kind: 'catalina', home, base: home }, ready: [{ host: '127.0.0.1', port: 9090 }, { host: '127.0.0.1', port: 38888 }] });
    expect(p.fineDbRows.map((r) => [r.install, r.id, r.after])).toEqual([
      [home, 'WebSocketConfig.port', '["38888"]'],
      [home, 'WebSocketConfig.requestPorts', '38889'],
    ]);
  });

  it('a connector bound to one address is proxied at that address; --app still wins', async () => {
    const home = install('<Connector address="10.0.0.5" port="9091" protocol="HTTP/1.1"/>');
    expect(owned(await plan({ nginxConf: copyTree(), profile: 'finereport', install: home, serverNames: ['reports.example.com'], certPath, keyPath }))).toContain('proxy_pass http://10.0.0.5:9091;');
    const explicit = await plan({ nginxConf: copyTree(), profile: 'finereport', install: home, app: '127.0.0.1:7070', serverNames: ['reports.example.com'], certPath, keyPath });
    expect(owned(explicit)).toContain('proxy_pass http://127.0.0.1:7070;');
    expect(explicit.notes.map((n) => n.code)).not.toContain('FINE_APP_FROM_INSTALL');
  });

  it('an install without a readable server.xml falls back to 127.0.0.1:8080 and warns', async () => {
    const home = join(dir.path, `bare-${Math.random().toString(36).slice(2)}`);
    createFineInstall(home, { finedb: 'none' });
    const p = await plan({ nginxConf: copyTree(), profile: 'finereport', install: home, serverNames: ['reports.example.com'], certPath, keyPath });
    expect(owned(p)).toContain('proxy_pass http://127.0.0.1:8080;');
    expect(p.notes.find((n) => n.code === 'FINE_APP_NOT_READ')).toMatchObject({ severity: 'warning', params: { app: '127.0.0.1:8080', file: join(home, 'conf', 'server.xml') } });
  });

  it('without --server-name: says that the certificate is for localhost only, never silently', async () => {
    const p = await plan({ nginxConf: copyTree(), profile: 'finereport', install: install() });
    expect(owned(p)).toContain('server_name _;');
    expect(p.certificates).toMatchObject([{ kind: 'issue', names: ['localhost'] }]);
    expect(p.notes.find((n) => n.code === 'CERT_FOR_LOCALHOST_ONLY')?.severity).toBe('warning');
    const withCert = await plan({ nginxConf: copyTree(), profile: 'finereport', install: install(), certPath, keyPath });
    expect(withCert.notes.find((n) => n.code === 'SERVER_NAME_ANY')?.severity).toBe('warning');
  });

  it('lists only checks that must pass: the forwarding port, not the page root of a 10.x install', async () => {
    const p = await plan({ nginxConf: copyTree(), profile: 'finereport', install: install(), serverNames: ['10.1.2.3'], certPath, keyPath });
    expect(p.checks.map((c) => c.url)).toEqual(['wss://10.1.2.3:38889/socket.io/?EIO=4&transport=websocket']);
  });
});

function copyTree(): string {
  return copyNginxFixture(dir.path, 'debian');
}
