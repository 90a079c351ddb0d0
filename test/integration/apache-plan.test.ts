import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApachePlanInput, ApachePlanOutput } from '../../shared/contract/apache.js';
import { parsePlan, PlanSchema } from '../../shared/contract/plan.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { diagnoseApache } from '../../main/engine/apache/diagnose.js';
import { apachePlanValidator } from '../../main/engine/apache/plan-validator.js';
import { engineContext } from '../../main/engine/common/context.js';
import { loadTree, parseEnvvars } from '../../main/engine/apache/load.js';
import { createFineInstall } from '../harness/finereport.js';
import { APACHE_FIXTURES, apacheAvailable, copyApacheFixture, snapshotTree, writePlanFiles } from '../harness/apache.js';
import { writeCertPair } from '../harness/fixtures.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir('wss-setup-apache-plan-');
let certPath: string;
let keyPath: string;

beforeAll(() => {
  if (!apacheAvailable()) throw new Error('apache2 is required for these tests (apt-get install apache2)');
  ({ certPath, keyPath } = writeCertPair(dir.path, ['localhost', 'some.example.com', 'reports.example.com']));
});
afterAll(() => dir.cleanup());

async function plan(input: ApachePlanInput): Promise<ApachePlanOutput> {
  const result = await runOperation('planApacheProxy', input, { lang: 'en' });
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  // The plan is the shared Plan: it validates against the contract's schema.
  PlanSchema.parse(result.value.plan);
  return result.value;
}

/** Debian's tree with seed 001's vhost in sites-available, enabled by a link as a2ensite makes it. */
function debianWithSeed(body: string): { root: string; main: string; site: string } {
  const { root, main } = copyApacheFixture(dir.path, 'debian');
  const site = join(root, 'sites-available', 'omk-ssl.conf');
  writeFileSync(site, `<VirtualHost *:443>\n\tSSLEngine on\n\tServerName some.example.com\n\tSSLCertificateFile ${certPath}\n\tSSLCertificateKeyFile ${keyPath}\n${body}</VirtualHost>\n`);
  symlinkSync('../sites-available/omk-ssl.conf', join(root, 'sites-enabled', 'omk-ssl.conf'));
  return { root, main, site };
}

describe('plan apache-proxy on Debian\'s tree', () => {
  it('opcharts, no TLS vhost yet: modules as a2enmod would enable them, one owned file, one Include line, apachectl -t passed, and again = no change', async () => {
    const { root, main } = copyApacheFixture(dir.path, 'debian');
    const before = readFileSync(main, 'utf8');
    const first = await plan({ apacheConf: main, profile: 'opcharts', serverNames: ['some.example.com'], certPath, keyPath, redirectHttp: true });
    const p = first.plan;
    expect(first.changed).toBe(true);
    expect(p.validations).toEqual([expect.objectContaining({ tool: 'apachectl -t', ok: true })]);
    const paths = p.files.map((f) => f.path.slice(root.length + 1));
    expect(paths).toEqual(expect.arrayContaining(['wss-setup/opcharts.conf', 'mods-enabled/ssl.load', 'mods-enabled/ssl.conf', 'mods-enabled/proxy.load', 'mods-enabled/proxy_http.load', 'mods-enabled/headers.load', 'mods-enabled/socache_shmcb.load', 'apache2.conf']));
    // mods-enabled entries are links as a2enmod makes them (a2dismod removes only links), leading into mods-available.
    const ssl = p.files.find((f) => f.path.endsWith('mods-enabled/ssl.load'))!;
    expect(ssl).toMatchObject({ action: 'link', linkTarget: '../mods-available/ssl.load', content: '', beforeSha256: null, kind: 'apache' });
    expect(p.files.filter((f) => f.path.includes('/mods-enabled/')).every((f) => f.action === 'link' && f.linkTarget === `../mods-available/${f.path.slice(f.path.lastIndexOf('/') + 1)}`)).toBe(true);
    const owned = p.files.find((f) => f.owned)!;
    // The WebSocket path comes before the general ProxyPass; httpd 2.4.47+ gets upgrade=websocket.
    const body = owned.content;
    expect(body.indexOf('ProxyPass /en/omk/opCharts/events/log http://127.0.0.1:8042/en/omk/opCharts/events/log upgrade=websocket timeout=3600')).toBeLessThan(body.indexOf('ProxyPass / http://127.0.0.1:8042/'));
    expect(body).toContain('RequestHeader set X-Forwarded-Proto "https"');
    expect(body).toContain('SSLProtocol -all +TLSv1.2 +TLSv1.3');
    expect(body).toContain('Redirect permanent / https://some.example.com/');
    expect(body).not.toMatch(/RC4|SSLv3|TLSv1\.1|EXP/);
    // ports.conf already listens on 443 once ssl is enabled: no second Listen 443.
    expect(body).not.toMatch(/^Listen 443/m);
    const conf = p.files.find((f) => f.path === main)!;
    expect(conf.content).toBe(`${before}# managed by wss-setup\nInclude wss-setup/opcharts.conf\n`);
    expect(p.services.map((s) => s.id)).toEqual(['apache']);
    expect(p.checks.map((c) => c.url)).toEqual(['wss://some.example.com:443/en/omk/opCharts/events/log']);
    expect(p.notes.map((n) => n.code)).toContain('APACHE_OPCOMMON_NOT_GIVEN');
    // The plan checked itself: the planned URL reaches a WebSocket-carrying ProxyPass.
    expect(p.notes.filter((n) => n.severity === 'error')).toEqual([]);
    // Nothing was written by planning.
    expect(readFileSync(main, 'utf8')).toBe(before);
    expect(existsSync(join(root, 'wss-setup'))).toBe(false);

    writePlanFiles(p);
    const again = await plan({ apacheConf: main, profile: 'opcharts', serverNames: ['some.example.com'], certPath, keyPath, redirectHttp: true });
    expect(again.changed).toBe(false);
    expect(again.plan.files).toEqual([]);
    expect(again.plan.notes.map((n) => n.code)).toContain('NO_CHANGES');
  });

  it('a ServerRoot reached through a symlink: the plan names the real root, so its module links (real paths) read back through the schema', async () => {
    const { root } = copyApacheFixture(dir.path, 'debian');
    const linked = `${root}-via-link`;
    symlinkSync(root, linked);
    const result = await plan({ apacheConf: join(linked, 'apache2.conf'), serverRoot: linked, profile: 'opcharts', serverNames: ['some.example.com'], certPath, keyPath });
    expect(result.plan.files.some((f) => f.action === 'link')).toBe(true);
    expect(result.plan.target.paths.serverRoot).toBe(root);
    expect(parsePlan(JSON.stringify(result.plan))).toMatchObject({ ok: true });
  });

  it('seed 001 with the general ProxyPass first: the WebSocket rule is moved above it in place, marked; the diagnosis finds the shadowing before and nothing after', async () => {
    const { root, main, site } = debianWithSeed(
      '\tProxyRequests off\n\tProxyPass / http://localhost:8042/\n\tProxyPassReverse / http://localhost:8042/\n\tProxyPass "/en/omk/opCharts/events/log" "ws://localhost:8042/en/omk/opCharts/events/log"\n\tRequestHeader set X-Forwarded-Proto "https"\n',
    );
    for (const m of ['ssl', 'proxy', 'proxy_http', 'headers', 'socache_shmcb']) symlinkSync(`../mods-available/${m}.load`, join(root, 'mods-enabled', `${m}.load`));
    const env = parseEnvvars(readFileSync(join(root, 'envvars'), 'utf8'));
    const url = new URL('wss://some.example.com/en/omk/opCharts/events/log');
    const read = async () => {
      const loaded = await loadTree(main, { env, version: '2.4.71' });
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
      return (await diagnoseApache(main, url, 'en', loaded.tree)).map((f) => [f.code, f.evidence.line]);
    };
    expect(await read()).toEqual([['APACHE_PROXYPASS_SHADOWED', 7]]);
    const result = await plan({ apacheConf: main, profile: 'opcharts', serverNames: ['some.example.com'], certPath, keyPath });
    const edit = result.plan.files.find((f) => f.path === site)!;
    expect(result.plan.files.map((f) => f.path)).toEqual([site]);
    expect(edit.content).toBe(
      '<VirtualHost *:443>\n\tSSLEngine on\n\tServerName some.example.com\n' +
        `\tSSLCertificateFile ${certPath}\n\tSSLCertificateKeyFile ${keyPath}\n\tProxyRequests off\n` +
        '\t# managed by wss-setup\n\tProxyPass /en/omk/opCharts/events/log http://localhost:8042/en/omk/opCharts/events/log upgrade=websocket timeout=3600\n' +
        '\t# managed by wss-setup\n\tProxyPassReverse /en/omk/opCharts/events/log http://localhost:8042/en/omk/opCharts/events/log\n' +
        '\tProxyPass / http://localhost:8042/\n\tProxyPassReverse / http://localhost:8042/\n\tRequestHeader set X-Forwarded-Proto "https"\n</VirtualHost>\n',
    );
    expect(result.plan.notes.map((n) => n.code)).toContain('APACHE_VHOST_EDITED');
    expect(result.plan.notes.filter((n) => n.severity === 'error')).toEqual([]);
    expect(result.plan.validations[0]).toMatchObject({ tool: 'apachectl -t', ok: true });
    // At apply time the planned files (named by their real path, sites-available/...) are tested again.
    expect(await apachePlanValidator(result.plan, engineContext())).toMatchObject({ tool: 'apachectl -t', ok: true });
    const tampered = { ...result.plan, files: result.plan.files.map((f) => ({ ...f, content: f.content.replace('</VirtualHost>', '\tNoSuchDirective on\n</VirtualHost>') })) };
    const refused = await apachePlanValidator(tampered, engineContext());
    expect(refused?.ok).toBe(false);
    expect(refused?.output).toContain('NoSuchDirective');
    writePlanFiles(result.plan);
    expect(await read()).toEqual([]);
    expect((await plan({ apacheConf: main, profile: 'opcharts', serverNames: ['some.example.com'], certPath, keyPath })).changed).toBe(false);
  });

  it('a general ProxyPass in the main server configuration (tried before every vhost\'s rules) is said as an error note naming its line', async () => {
    const { main } = debianWithSeed('\tProxyPass "/en/omk/opCharts/events/log" "ws://localhost:8042/en/omk/opCharts/events/log"\n\tRequestHeader set X-Forwarded-Proto "https"\n');
    writeFileSync(main, `${readFileSync(main, 'utf8')}<IfModule proxy_module>\nProxyPass / http://localhost:8080/\n</IfModule>\n`);
    const lines = readFileSync(main, 'utf8').split('\n');
    const result = await plan({ apacheConf: main, profile: 'opcharts', serverNames: ['some.example.com'], certPath, keyPath });
    const blocked = result.plan.notes.filter((n) => n.code === 'APACHE_PLAN_STILL_BLOCKED');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.evidence).toMatchObject({ finding: 'APACHE_PROXYPASS_SHADOWED', file: main, line: lines.indexOf('ProxyPass / http://localhost:8080/') + 1 });
  });

  it('opcharts edits only websocket_proxy_port in opCommon.json and opCommon.nmis (byte diff), and stops/starts omkd', async () => {
    const { main } = copyApacheFixture(dir.path, 'debian');
    for (const name of ['opCommon.json', 'opCommon.nmis']) {
      const source = readFileSync(join(APACHE_FIXTURES, 'omk', name), 'utf8');
      const path = join(dir.path, `${Math.random().toString(36).slice(2)}-${name}`);
      writeFileSync(path, source);
      const p = (await plan({ apacheConf: main, profile: 'opcharts', serverNames: ['some.example.com'], certPath, keyPath, opCommon: path })).plan;
      const edit = p.files.find((f) => f.path === path)!;
      expect(edit.kind).toBe(name.endsWith('.json') ? 'json' : 'nmis');
      const expected = name.endsWith('.json') ? source.replace('"websocket_proxy_port": "8042"', '"websocket_proxy_port": "443"') : source.replace("    'websocket_proxy_port' => '8042',", "    'websocket_proxy_port' => '443',");
      expect(expected).not.toBe(source);
      expect(edit.content).toBe(expected);
      expect(edit.diff.split('\n').filter((l) => /^[-+][^-+]/.test(l))).toHaveLength(2);
      expect(p.services.map((s) => s.id)).toEqual(['apache', 'omkd']);
      expect(readFileSync(path, 'utf8')).toBe(source);
    }
  });

  it('finereport: the site and the WebSocket port 38889 -> 38888, the FineDB port rows from the install', async () => {
    const { root, main } = copyApacheFixture(dir.path, 'debian');
    const install = join(dir.path, `fr-${Math.random().toString(36).slice(2)}`);
    createFineInstall(install, {});
    const p = (await plan({ apacheConf: main, profile: 'finereport', serverNames: ['reports.example.com'], certPath, keyPath, install })).plan;
    const owned = p.files.find((f) => f.owned)!.content;
    expect(owned).toContain('<VirtualHost *:443>');
    expect(owned).toContain('<VirtualHost *:38889>');
    expect(owned).toContain('ProxyPass / http://127.0.0.1:38888/ upgrade=websocket timeout=3600');
    expect(owned).toContain('ProxyPass / http://127.0.0.1:8080/');
    expect(owned).toMatch(/^Listen 38889$/m);
    expect(p.fineDbRows.map((r) => [r.id, r.after])).toEqual([
      ['WebSocketConfig.port', '["38888"]'],
      ['WebSocketConfig.requestPorts', '38889'],
    ]);
    expect(p.checks.map((c) => c.url)).toEqual(['wss://reports.example.com:38889/socket.io/?EIO=4&transport=websocket']);
    expect(p.services[0]!.ready.map((r) => r.port)).toEqual([443, 38889]);
    expect(p.notes.filter((n) => n.severity === 'error')).toEqual([]);
    // FineReport reads the rows at start-up: its Tomcat is stopped and started with Apache.
    expect(p.services.map((s) => [s.id, s.service.kind])).toEqual([
      ['apache', 'apache'],
      ['finereport', 'catalina'],
    ]);
    expect(p.validations[0]).toMatchObject({ tool: 'apachectl -t', ok: true });
    expect(existsSync(join(root, 'wss-setup'))).toBe(false);
  });
  it('httpd -t on the temporary copy never writes through a linked folder (sites-enabled linked to a folder outside the tree)', async () => {
    const { root, main } = copyApacheFixture(dir.path, 'debian');
    const outside = join(dir.path, `outside-${Math.random().toString(36).slice(2)}`);
    mkdirSync(outside);
    // A site file outside the tree that names the tree's own path (the copy rewrites such paths).
    const text = `<VirtualHost *:80>\n\tServerName linked.example.com\n\tDocumentRoot ${root}/www\n</VirtualHost>\n`;
    writeFileSync(join(outside, 'linked.conf'), text);
    rmSync(join(root, 'sites-enabled'), { recursive: true });
    symlinkSync(outside, join(root, 'sites-enabled'));
    const before = snapshotTree(outside);
    const p = (await plan({ apacheConf: main, profile: 'opcharts', serverNames: ['some.example.com'], certPath, keyPath })).plan;
    expect(p.validations[0]).toMatchObject({ tool: 'apachectl -t', ok: true });
    expect(snapshotTree(outside)).toEqual(before);
    expect(readFileSync(join(outside, 'linked.conf'), 'utf8')).toBe(text);
  });
});

describe('other layouts', () => {
  it('Windows httpd.conf (CRLF): the distribution\'s #LoadModule lines are uncommented in place, CRLF kept; not validated here', async () => {
    const { main } = copyApacheFixture(dir.path, 'windows');
    const before = readFileSync(main, 'latin1');
    const p = (await plan({ apacheConf: main, profile: 'generic', serverNames: ['reports.example.com'], certPath, keyPath, upstream: '127.0.0.1:9000', path: '/ws/' })).plan;
    const edit = p.files.find((f) => f.path === main)!;
    expect(edit.lineEnding).toBe('crlf');
    expect(edit.content).toContain('# managed by wss-setup\r\nLoadModule ssl_module modules/mod_ssl.so\r\n');
    expect(edit.content).toContain('# managed by wss-setup\r\nLoadModule proxy_http_module modules/mod_proxy_http.so\r\n');
    expect(edit.content).toContain('# managed by wss-setup\r\nLoadModule headers_module modules/mod_headers.so\r\n');
    // httpd 2.4.47+ carries the WebSocket with upgrade=websocket: mod_proxy_wstunnel stays commented out.
    expect(edit.content).toContain('\r\n#LoadModule proxy_wstunnel_module modules/mod_proxy_wstunnel.so\r\n');
    expect(edit.content.endsWith('# managed by wss-setup\r\nInclude wss-setup/generic.conf\r\n')).toBe(true);
    expect(edit.content.replace(/\r\n/g, '').length).toBeGreaterThan(0);
    expect(edit.content.split('\n').every((l, k, all) => k === all.length - 1 || l.endsWith('\r'))).toBe(true);
    expect(p.validations).toEqual([{ tool: 'none', ok: true, output: '' }]);
    expect(p.notes.map((n) => n.code)).toContain('APACHE_NOT_VALIDATED');
    expect(readFileSync(main, 'latin1')).toBe(before);
  });

  it('RHEL with conf.d: the seed\'s shadowed vhost in conf.d/omk.conf is fixed in place; modules already loaded by conf.modules.d', async () => {
    const { root, main } = copyApacheFixture(dir.path, 'rhel');
    const p = (await plan({ apacheConf: main, profile: 'opcharts', serverNames: ['some.example.com'], certPath, keyPath, omk: 'localhost:8042' })).plan;
    expect(p.files.map((f) => f.path)).toEqual([join(root, 'conf.d', 'omk.conf')]);
    const content = p.files[0]!.content;
    expect(content.indexOf('ProxyPass /en/omk/opCharts/events/log')).toBeLessThan(content.indexOf('ProxyPass / http://localhost:8042/'));
    expect(content).toContain('RequestHeader set X-Forwarded-Proto "https"');
    expect(p.notes.map((n) => n.code)).not.toContain('APACHE_MODULES_ENABLED');
  });
});

describe('refusals: hostile or bad input, nothing written', () => {
  const hostile: [string, Partial<ApachePlanInput>][] = [
    ['a server name with a quote', { serverNames: ['x.example.com" \nInclude /etc/shadow'] }],
    ['a server name with a newline', { serverNames: ['a.example.com\nProxyPass / http://evil/'] }],
    ['a server name with ${VAR}', { serverNames: ['${APACHE_LOG_DIR}'] }],
    ['a path with a space', { path: '/ws/ http://evil/' }],
    ['a path with a quote', { path: '/ws"' }],
    ['a path with ..', { path: '/ws/../admin' }],
    ['a path with <', { path: '/ws</VirtualHost>' }],
    ['a backend with a newline', { omk: '127.0.0.1:8042\nLoadModule x' }],
    ['a certificate path with a space', { certPath: '/tmp/my cert.pem', keyPath: '/tmp/k.pem' }],
  ];
  it.each(hostile)('%s', async (_name, extra) => {
    const { root, main } = copyApacheFixture(dir.path, 'debian');
    const before = snapshotTree(root);
    const result = await runOperation('planApacheProxy', { apacheConf: main, profile: 'opcharts', serverNames: ['some.example.com'], ...extra }, { lang: 'en' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT');
    expect(snapshotTree(root)).toEqual(before);
  });

  it('a broken configuration is named with file and line; an owned file edited by hand is not overwritten', async () => {
    const { root, main } = copyApacheFixture(dir.path, 'debian');
    writeFileSync(join(root, 'sites-available', '000-default.conf'), '<VirtualHost *:80>\n  ServerName x\n');
    const broken = await runOperation('planApacheProxy', { apacheConf: main, profile: 'opcharts' }, { lang: 'zh-CN' });
    expect(broken.ok).toBe(false);
    if (!broken.ok) {
      expect(broken.error.code).toBe('APACHE_CONF_INVALID');
      expect(broken.error.evidence).toMatchObject({ line: 1, reason: 'section-unclosed' });
      expect(broken.error.message).toContain('Apache 配置');
    }
    const fresh = copyApacheFixture(dir.path, 'debian');
    const first = await plan({ apacheConf: fresh.main, profile: 'opcharts', serverNames: ['some.example.com'], certPath, keyPath });
    writePlanFiles(first.plan);
    const owned = join(fresh.root, 'wss-setup', 'opcharts.conf');
    writeFileSync(owned, `${readFileSync(owned, 'utf8')}# my own line\n`);
    const second = await runOperation('planApacheProxy', { apacheConf: fresh.main, profile: 'opcharts', serverNames: ['other.example.com'], certPath, keyPath }, { lang: 'en' });
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.error.code).toBe('APACHE_OWNED_FILE_EDITED');
  });

  it('an unreadable key is refused before anything else', async () => {
    const { main } = copyApacheFixture(dir.path, 'debian');
    const result = await runOperation('planApacheProxy', { apacheConf: main, profile: 'generic', serverNames: ['some.example.com'], certPath: join(dir.path, 'server.crt'), keyPath: join(dir.path, 'missing.key'), upstream: '127.0.0.1:1' }, { lang: 'en' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('APACHE_CERT_UNREADABLE');
  });
});
