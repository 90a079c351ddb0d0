import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../shared/contract/plan.js';
import { apacheAvailable, copyApacheFixture } from '../harness/apache.js';
import { writeCertPair } from '../harness/fixtures.js';
import { tempDir } from '../harness/temp.js';
import { runCli } from '../harness/cli.js';

const dir = tempDir('wss-setup-apache-cli-');
let certPath: string;
let keyPath: string;
let keyPem: string;

beforeAll(() => {
  if (!apacheAvailable()) throw new Error('apache2 is required for these tests (apt-get install apache2)');
  ({ certPath, keyPath, keyPem } = writeCertPair(dir.path, ['some.example.com']));
});
afterAll(() => dir.cleanup());

const cli = (argv: string[], lang: 'en' | 'zh-CN' = 'en') => runCli(argv, { lang });

describe('wss-setup plan apache-proxy', () => {
  it('prints the diffs, services, checks and the validation; --out saves a plan that reads back; writes nothing else', async () => {
    const { root, main: conf } = copyApacheFixture(dir.path, 'debian');
    const before = readFileSync(conf, 'utf8');
    const out = join(dir.path, `plan-${Math.random().toString(36).slice(2)}.json`);
    const r = await cli(['plan', 'apache-proxy', '--apache-conf', conf, '--profile', 'opcharts', '--server-name', 'some.example.com', '--cert', certPath, '--key', keyPath, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`+++ b${join(root, 'wss-setup', 'opcharts.conf')}`);
    expect(r.stdout).toContain('+Include wss-setup/opcharts.conf');
    expect(r.stdout).toContain('ProxyPass /en/omk/opCharts/events/log');
    expect(r.stdout).toContain('apachectl -t');
    expect(r.stdout).not.toContain(keyPem.split('\n')[1]!);
    expect(readFileSync(conf, 'utf8')).toBe(before);
    expect(existsSync(join(root, 'wss-setup'))).toBe(false);
    const saved = parsePlan(readFileSync(out, 'utf8'));
    expect(saved.ok).toBe(true);
    if (saved.ok) expect(saved.plan.method).toBe('apache-proxy');
  });

  it('--json prints one document; bad input exits 2 with a message in the chosen language; a broken tree exits 2 naming file:line', async () => {
    const { root, main: conf } = copyApacheFixture(dir.path, 'debian');
    const json = await cli(['plan', 'apache-proxy', '--apache-conf', conf, '--profile', 'generic', '--upstream', '127.0.0.1:9000', '--cert', certPath, '--key', keyPath, '--json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { ok: boolean; changed: boolean; plan: { method: string } };
    expect(doc).toMatchObject({ ok: true, changed: true, plan: { method: 'apache-proxy' } });
    const hostile = await cli(['plan', 'apache-proxy', '--apache-conf', conf, '--profile', 'opcharts', '--server-name', 'a.example.com"\nInclude /etc/shadow'], 'zh-CN');
    expect(hostile.code).toBe(2);
    expect(hostile.stderr + hostile.stdout).toContain('服务器名');
    const badProfile = await cli(['plan', 'apache-proxy', '--apache-conf', conf, '--profile', 'nope', '--json']);
    expect(badProfile.code).toBe(2);
    expect(JSON.parse(badProfile.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const missing = await cli(['plan', 'apache-proxy', '--apache-conf', join(root, 'nope.conf'), '--profile', 'opcharts', '--json']);
    expect(missing.code).toBe(2);
    expect(JSON.parse(missing.stdout)).toMatchObject({ ok: false, error: { code: 'APACHE_CONF_UNREADABLE' } });
  });

  it('--help prints the usage', async () => {
    const r = await cli(['plan', 'apache-proxy', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--apache-conf');
  });
});

describe('wss-setup check --apache-conf', () => {
  it('adds the configuration findings (file:line) to the live check', async () => {
    const { root, main: conf } = copyApacheFixture(dir.path, 'rhel');
    // conf.d/omk.conf holds seed 001 with the general ProxyPass first; nothing listens on that port.
    const r = await cli(['check', 'wss://localhost:1/en/omk/opCharts/events/log', '--apache-conf', conf, '--timeout', '2000', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { endpoints: { findings: { code: string; evidence: Record<string, unknown> }[] }[] };
    const codes = report.endpoints[0]!.findings.map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['CONNECTION_REFUSED', 'APACHE_NO_MATCHING_VHOST']));
    expect(report.endpoints[0]!.findings.find((f) => f.code === 'APACHE_NO_MATCHING_VHOST')!.evidence).toMatchObject({ file: join(root, 'conf', 'httpd.conf'), line: 1 });
    const zh = await cli(['check', 'wss://localhost:1/x', '--apache-conf', conf, '--timeout', '2000'], 'zh-CN');
    expect(zh.stdout).toContain('虚拟主机');
  });
});
