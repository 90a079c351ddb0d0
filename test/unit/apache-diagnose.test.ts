import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnoseApache } from '../../main/engine/apache/diagnose.js';
import { loadTree } from '../../main/engine/apache/load.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir('wss-setup-apache-diagnose-');
afterAll(() => dir.cleanup());
let counter = 0;

const MODULES = (names: readonly string[]) => names.map((n) => `LoadModule ${n}_module /usr/lib/apache2/modules/mod_${n}.so`).join('\n');
const URL_EVENTS = new URL('wss://some.example.com/en/omk/opCharts/events/log');

/** Seed 001's vhost in a file of its own, with the given modules and vhost body. */
function seedTree(modules: readonly string[], body: string): string {
  const root = join(dir.path, `seed-${counter++}`);
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'httpd.conf'), `${MODULES(modules)}\nListen 443\nInclude sites/*.conf\n`);
  mkdirSync(join(root, 'sites'));
  writeFileSync(join(root, 'sites', 'omk.conf'), `<VirtualHost *:443>\n  SSLEngine on\n  ServerName some.example.com\n${body}</VirtualHost>\n`);
  return join(root, 'httpd.conf');
}

const codes = async (conf: string, url = URL_EVENTS, version: string | null = '2.4.71') => {
  const loaded = await loadTree(conf, { version });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
  return (await diagnoseApache(conf, url, 'en', loaded.tree)).map((f) => [f.code, f.severity, `${String(f.evidence.file).split('/').slice(-2).join('/')}:${String(f.evidence.line)}`]);
};

const SEED = '  ProxyPass "/en/omk/opCharts/events/log" "ws://localhost:8042/en/omk/opCharts/events/log"\n  ProxyRequests off\n  RequestHeader set X-Forwarded-Proto "https"\n';

describe('check --apache-conf: seed 001 and its broken variants', () => {
  it('the seed as written, with proxy_wstunnel loaded: no finding', async () => {
    expect(await codes(seedTree(['ssl', 'proxy', 'proxy_wstunnel', 'headers'], SEED))).toEqual([]);
  });

  it('module not loaded (neither proxy_wstunnel nor proxy_http): named at the ProxyPass line', async () => {
    expect(await codes(seedTree(['ssl', 'proxy', 'headers'], SEED))).toEqual([['APACHE_WSTUNNEL_NOT_LOADED', 'error', 'sites/omk.conf:4']]);
  });

  it('on httpd 2.4.47+ mod_proxy_http alone carries ws:// (it does not before)', async () => {
    const conf = seedTree(['ssl', 'proxy', 'proxy_http', 'headers'], SEED);
    expect(await codes(conf)).toEqual([]);
    expect(await codes(conf, URL_EVENTS, '2.4.46')).toEqual([['APACHE_WSTUNNEL_NOT_LOADED', 'error', 'sites/omk.conf:4']]);
  });

  it('the general ProxyPass first: the WebSocket rule is shadowed, named at the general line', async () => {
    const body = `  ProxyPass / http://localhost:8042/\n${SEED}`;
    const findings = await codes(seedTree(['ssl', 'proxy', 'proxy_http', 'proxy_wstunnel', 'headers'], body));
    expect(findings).toEqual([['APACHE_PROXYPASS_SHADOWED', 'error', 'sites/omk.conf:4']]);
  });

  it('no X-Forwarded-Proto behind TLS: a warning at the vhost', async () => {
    const body = '  ProxyPass "/en/omk/opCharts/events/log" "ws://localhost:8042/en/omk/opCharts/events/log"\n';
    expect(await codes(seedTree(['ssl', 'proxy', 'proxy_wstunnel', 'headers'], body))).toEqual([['APACHE_NO_FORWARDED_PROTO', 'warning', 'sites/omk.conf:1']]);
  });

  it('an http:// ProxyPass without upgrade=websocket answers the handshake as a page; with it, fine; upgrade=websocket before 2.4.47 is unknown', async () => {
    const plain = seedTree(['ssl', 'proxy', 'proxy_http', 'headers'], '  ProxyPass / http://localhost:8042/\n  RequestHeader set X-Forwarded-Proto https\n');
    expect(await codes(plain)).toEqual([['APACHE_NO_WEBSOCKET_PROXY', 'error', 'sites/omk.conf:4']]);
    const upgrade = seedTree(['ssl', 'proxy', 'proxy_http', 'headers'], '  ProxyPass / http://localhost:8042/ upgrade=websocket timeout=30\n  RequestHeader set X-Forwarded-Proto https\n');
    expect(await codes(upgrade)).toEqual([['APACHE_SHORT_PROXY_TIMEOUT', 'warning', 'sites/omk.conf:4']]);
    expect((await codes(upgrade, URL_EVENTS, '2.4.41'))[0]).toEqual(['APACHE_UPGRADE_UNSUPPORTED', 'error', 'sites/omk.conf:4']);
  });

  it('no ProxyPass for the path, an exclusion, no vhost for the port, a broken file: each named', async () => {
    const none = seedTree(['ssl', 'proxy', 'proxy_wstunnel'], '  ProxyPass /other ws://localhost:1/\n');
    expect(await codes(none)).toEqual([['APACHE_NO_PROXY_FOR_PATH', 'error', 'sites/omk.conf:1']]);
    const excluded = seedTree(['ssl', 'proxy', 'proxy_wstunnel'], '  ProxyPass /en !\n  ProxyPass / ws://localhost:1/\n');
    expect(await codes(excluded)).toEqual([['APACHE_NO_PROXY_FOR_PATH', 'error', 'sites/omk.conf:4']]);
    expect((await codes(none, new URL('wss://some.example.com:8443/x')))[0]).toEqual(['APACHE_NO_MATCHING_VHOST', 'error', expect.stringMatching(/httpd\.conf:1$/)]);
    const broken = seedTree(['ssl'], '  <Location /x>\n');
    const findings = await diagnoseApache(broken, URL_EVENTS, 'zh-CN');
    expect(findings.map((f) => [f.code, f.evidence.line])).toEqual([['APACHE_CONF_INVALID', 5]]);
    expect(findings[0]!.message).toContain('无法读取');
  });
});
