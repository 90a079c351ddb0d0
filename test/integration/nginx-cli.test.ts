import { lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFineInstall } from '../harness/finereport.js';
import { copyNginxFixture, NGINX_FIXTURES as FIXTURES, writeCertPair } from '../harness/fixtures.js';
import { freePort } from '../harness/ports.js';
import { tempDir } from '../harness/temp.js';
import { runCli } from '../harness/cli.js';

const dir = tempDir('wss-setup-nginx-cli-');
let certPath: string;
let keyPath: string;
let keyPem: string;

beforeAll(() => {
  ({ certPath, keyPath, keyPem } = writeCertPair(dir.path, ['reports.example.com']));
});
afterAll(() => dir.cleanup());

const cli = (argv: string[], lang: 'en' | 'zh-CN' = 'en') => runCli(argv, { lang });

const debian = (): string => copyNginxFixture(dir.path, 'debian');

describe('wss-setup plan nginx-proxy', () => {
  it('prints the diffs, rows, services, checks and the validation; writes nothing', async () => {
    const conf = debian();
    const before = readFileSync(conf, 'utf8');
    const install = join(dir.path, `fine-${Math.random().toString(36).slice(2)}`);
    createFineInstall(install, { finedb: 'none' });
    const r = await cli(['plan', 'nginx-proxy', '--nginx-conf', conf, '--profile', 'finereport', '--install', install, '--server-name', 'reports.example.com', '--cert', certPath, '--key', keyPath, '--https-port', '8443', '--redirect-http', '--http-port', '8080']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`+++ b${join(dirname(conf), 'wss-setup', 'finereport.conf')}`);
    expect(r.stdout).toContain('+\tinclude wss-setup/finereport.conf; # managed by wss-setup');
    // Issue 15: to the server name the certificate covers, never the host the visitor typed.
    expect(r.stdout).toContain('+    return 301 https://reports.example.com:8443$request_uri;');
    // Plan v2 rows: the value read when applied → the new one.
    expect(r.stdout).toContain('WebSocketConfig.requestPorts: (read when applied) → 38889');
    expect(r.stdout).toContain('Validated with nginx -t on a temporary copy: ok');
    expect(r.stdout).not.toContain(keyPem.split('\n')[1]!);
    expect(readFileSync(conf, 'utf8')).toBe(before);
  });

  it('--json prints exactly one JSON document; --out saves the plan atomically', async () => {
    const conf = debian();
    const out = join(dir.path, 'plans', 'plan.json');
    await import('node:fs').then((fs) => fs.mkdirSync(dirname(out), { recursive: true }));
    const r = await cli(['plan', 'nginx-proxy', '--nginx-conf', conf, '--profile', 'pool', '--backend', '127.0.0.1:3001', '--backend', '127.0.0.1:3002', '--balance', 'ip-hash', '--server-name', 'reports.example.com', '--cert', certPath, '--key', keyPath, '--https-port', '8443', '--out', out, '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { ok: boolean; changed: boolean; plan: { files: { path: string }[]; profile: string } };
    expect(doc).toMatchObject({ ok: true, changed: true, plan: { profile: 'pool' } });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(doc.plan);
    expect(readdirSync(dirname(out))).toEqual(['plan.json']);
    expect(readFileSync(out, 'utf8')).not.toContain('PRIVATE KEY');
  });

  it('--out never writes through a symbolic link (the link and the file it points at stay as they are)', async () => {
    const conf = debian();
    const victim = join(dir.path, 'victim.txt');
    writeFileSync(victim, 'not a plan\n');
    const link = join(dir.path, `plan-link-${Math.random().toString(36).slice(2)}.json`);
    symlinkSync(victim, link);
    const r = await cli(['plan', 'nginx-proxy', '--nginx-conf', conf, '--profile', 'generic', '--upstream', '127.0.0.1:9502', '--server-name', 'reports.example.com', '--cert', certPath, '--key', keyPath, '--https-port', '8443', '--out', link, '--json']);
    expect(r.code).not.toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'OUT_UNWRITABLE', evidence: { path: link } } });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('not a plan\n');
  });

  it('bad input: exit 2, one clear line, no stack trace, in Chinese when asked', async () => {
    const conf = debian();
    const r = await cli(['plan', 'nginx-proxy', '--nginx-conf', conf, '--profile', 'generic', '--upstream', '127.0.0.1:1', '--server-name', 'evil.example.com;'], 'zh-CN');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nginx 会当作语法的字符');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const unknown = await cli(['plan', 'haproxy-proxy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown plan "haproxy-proxy"');
    const notNumber = await cli(['plan', 'nginx-proxy', '--nginx-conf', conf, '--profile', 'finereport', '--https-port', 'x443', '--json']);
    expect(notNumber.code).toBe(2);
    expect(JSON.parse(notNumber.stdout)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('a broken configuration: exit 2 naming file and line', async () => {
    const conf = debian();
    writeFileSync(join(dirname(conf), 'conf.d', 'broken.conf'), 'server {\n    listen 80;\n    location / {\n');
    const r = await cli(['plan', 'nginx-proxy', '--nginx-conf', conf, '--profile', 'finereport']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(dirname(conf), 'conf.d', 'broken.conf')}:3`);
  });
});

describe('wss-setup check --nginx-conf', () => {
  it('adds the config-aware findings naming file and line (JSON)', async () => {
    const port = await freePort();
    const conf = join(FIXTURES, 'seed-000/nginx.conf');
    const r = await cli(['check', `wss://127.0.0.1:${port}/`, '--nginx-conf', conf, '--timeout', '2000', '--json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { endpoints: { findings: { code: string; evidence: { file?: string; line?: number } }[] }[] };
    const findings = report.endpoints[0]!.findings;
    expect(findings.map((f) => f.code)).toEqual(['CONNECTION_REFUSED', 'NGINX_NO_MATCHING_SERVER']);
    expect(findings[1]!.evidence).toMatchObject({ file: conf, line: 9 });
  });
});
