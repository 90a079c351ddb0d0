import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePlan, PLAN_VERSION, PlanSchema, type Plan } from '../../shared/contract/plan.js';
import { main } from '../../main/hosts/cli/main.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir('wss-setup-plan-');
afterAll(() => dir.cleanup());

/** A plan with every kind of action, as a planner would produce it. */
export function samplePlan(): Plan {
  return PlanSchema.parse({
    planVersion: PLAN_VERSION,
    method: 'tomcat-ssl',
    profile: 'finereport',
    createdAt: '2026-11-22T01:00:00.000Z',
    target: { kind: 'tomcat', paths: { catalinaBase: '/opt/FineReport_11.0/server', serverXml: '/opt/FineReport_11.0/server/conf/server.xml' } },
    files: [
      {
        path: '/opt/FineReport_11.0/server/conf/server.xml',
        action: 'modify',
        kind: 'server-xml',
        beforeSha256: 'a'.repeat(64),
        afterSha256: 'b'.repeat(64),
        content: '<Server/>\r\n',
        encoding: 'gbk',
        lineEnding: 'crlf',
        diff: '--- a\n+++ b\n@@ -1 +1 @@\n-<Server>\n+<Server/>\n',
        owned: false,
        reason: { code: 'plan.render.file.modify', params: {} },
      },
    ],
    certificates: [{ kind: 'issue', names: ['reports.example.com'], outputs: { pkcs12: { path: '/opt/FineReport_11.0/server/conf/server.p12', password: { secretRef: 'keystorePassword' } } } }],
    fineDbRows: [
      { install: '/opt/FineReport_11.0', product: 'finereport', id: 'WebSocketConfig.protocol', before: null, after: 'SSL', phase: 'after-certificates', reason: { code: 'plan.render.rows', params: {} } },
      { install: '/opt/FineReport_11.0', product: 'finereport', id: 'WebSocketConfig.keyStorePassword', before: { secretRef: 'oldKeystorePassword' }, after: { secretRef: 'keystorePassword' }, phase: 'after-certificates', reason: { code: 'plan.render.rows', params: {} } },
      { install: '/opt/FineReport_11.0', product: 'finereport', id: 'WebSocketConfig.keyStore', after: '/opt/FineReport_11.0/server/conf/server.p12', phase: 'after-certificates', reason: { code: 'plan.render.rows', params: {} } },
    ],
    services: [
      { id: 'finereport', service: { kind: 'catalina', home: '/opt/FineReport_11.0/server', base: '/opt/FineReport_11.0/server' }, action: 'stop-start', ready: [{ host: '127.0.0.1', port: 8443 }], mustBeFree: [{ host: '127.0.0.1', port: 8443 }], reason: { code: 'plan.render.services', params: {} } },
    ],
    validations: [{ tool: 'configtest', ok: true, output: 'ok' }],
    checks: [{ url: 'wss://reports.example.com:38888/socket.io/?EIO=4&transport=websocket', proves: { code: 'plan.render.checks', params: {} } }],
    notes: [{ code: 'SECOND_PORT_TRUST', severity: 'info', params: { forward: 38888 }, evidence: {} }],
  });
}

function io(lang: 'en' | 'zh-CN'): CliIO & { out: string; err: string } {
  const sink = { out: '', err: '' };
  return Object.assign(sink, { lang, interactive: false, env: {}, stdout: (s: string) => void (sink.out += s), stderr: (s: string) => void (sink.err += s) });
}

describe('plan schema', () => {
  it('round-trips through JSON unchanged', () => {
    const plan = samplePlan();
    const read = parsePlan(JSON.stringify(plan, null, 2));
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.plan).toEqual(plan);
  });

  it('refuses a truncated file, a wrong version, an unknown action kind and a secret value, each with its own code', () => {
    const text = JSON.stringify(samplePlan(), null, 2);
    expect(parsePlan(text.slice(0, text.length / 2))).toMatchObject({ ok: false, error: { code: 'PLAN_TRUNCATED' } });
    expect(parsePlan('')).toMatchObject({ ok: false, error: { code: 'PLAN_TRUNCATED' } });
    expect(parsePlan(JSON.stringify({ ...samplePlan(), planVersion: 1 }))).toMatchObject({ ok: false, error: { code: 'PLAN_VERSION', params: { found: '1', expected: 2 } } });
    const { planVersion: _drop, ...noVersion } = samplePlan();
    expect(parsePlan(JSON.stringify({ ...noVersion, version: 1 }))).toMatchObject({ ok: false, error: { code: 'PLAN_VERSION' } });
    const unknownKind = samplePlan() as unknown as { certificates: { kind: string }[] };
    unknownKind.certificates[0]!.kind = 'steal';
    expect(parsePlan(JSON.stringify(unknownKind))).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID', params: { where: 'certificates.0.kind' } } });
    const secretInRow = samplePlan() as unknown as { fineDbRows: { after: unknown }[] };
    secretInRow.fineDbRows[1]!.after = 'hunter22';
    expect(parsePlan(JSON.stringify(secretInRow))).toMatchObject({ ok: false, error: { code: 'PLAN_SECRET_VALUE', params: { where: 'fineDbRows.1.after' } } });
    const secretInCert = samplePlan() as unknown as { certificates: { outputs: { pkcs12: { password: unknown } } }[] };
    secretInCert.certificates[0]!.outputs.pkcs12.password = 'hunter22';
    expect(parsePlan(JSON.stringify(secretInCert))).toMatchObject({ ok: false, error: { code: 'PLAN_SECRET_VALUE', params: { where: 'certificates.0.outputs.pkcs12.password' } } });
    expect(parsePlan('[1,2]')).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID' } });
    expect(parsePlan('{"planVersion": 2, "method": "nginx-proxy"')).toMatchObject({ ok: false, error: { code: 'PLAN_TRUNCATED' } });
  });

  it('the same saved plan prints in English and in Chinese; secrets only by name', async () => {
    const file = join(dir.path, 'plan.json');
    writeFileSync(file, JSON.stringify(samplePlan(), null, 2));
    const en = io('en');
    expect(await main(['plan', 'show', file], en)).toBe(0);
    expect(en.out).toContain('Certificates:');
    expect(en.out).toContain('issue from the local CA for reports.example.com:\n    a new RSA key of 2048 bits, valid 825 days from apply');
    expect(en.out).toContain('WebSocketConfig.protocol: (no row) → SSL');
    expect(en.out).toContain('WebSocketConfig.keyStore: (read when applied) → /opt/FineReport_11.0/server/conf/server.p12');
    expect(en.out).toContain('•••• (given when applied: keystorePassword)');
    const zh = io('zh-CN');
    expect(await main(['--lang', 'zh-CN', 'plan', 'show', file], zh)).toBe(0);
    expect(zh.out).toContain('证书:');
    expect(zh.out).toContain('新的 RSA 密钥\uff0c2048 位\uff0c自应用起有效 825 天');
    expect(zh.out).toContain('WebSocketConfig.protocol: (无记录) → SSL');
    expect(zh.out).toContain('已在临时副本上用 configtest 验证:通过');
    expect(zh.out).not.toContain('Certificates');
    for (const out of [en.out, zh.out]) expect(out).not.toMatch(/hunter|password":/);
  });

  it('plan show refuses a damaged file with a clear message and exit 2, in either language', async () => {
    const file = join(dir.path, 'cut.json');
    const text = JSON.stringify(samplePlan());
    writeFileSync(file, text.slice(0, 100));
    const en = io('en');
    expect(await main(['plan', 'show', file], en)).toBe(2);
    expect(en.err).toContain('ends too early');
    expect(en.err).not.toMatch(/at .*\.ts:\d+/);
    const zh = io('zh-CN');
    expect(await main(['--lang', 'zh-CN', 'plan', 'show', file, '--json'], zh)).toBe(2);
    expect(JSON.parse(zh.out)).toMatchObject({ ok: false, error: { code: 'PLAN_TRUNCATED' } });
    expect(await main(['plan', 'show', '/dev/zero'], io('en'))).toBe(2);
  });

  it('a link (Debian mods-enabled, as a2enmod makes it): round-trips, only inside the tree, relative, without content; printed in both languages', async () => {
    const root = '/etc/apache2';
    const link = { path: `${root}/mods-enabled/proxy_wstunnel.load`, action: 'link', kind: 'apache', beforeSha256: null, afterSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', content: '', encoding: 'utf8', lineEnding: 'lf', diff: '', owned: false, linkTarget: '../mods-available/proxy_wstunnel.load', reason: { code: 'apache.reason.moduleLink', params: { module: 'proxy_wstunnel', file: 'mods-available/proxy_wstunnel.load' } } };
    const apachePlan = (files: unknown[], serverRoot: string | undefined = root) => ({ ...samplePlan(), method: 'apache-proxy', profile: 'generic', target: { kind: 'apache', paths: { mainConf: `${root}/apache2.conf`, ...(serverRoot !== undefined ? { serverRoot } : {}) } }, files, fineDbRows: [], certificates: [] });
    const good = parsePlan(JSON.stringify(apachePlan([link])));
    expect(good.ok).toBe(true);
    if (good.ok) expect(good.plan.files[0]).toEqual(link);
    const refused = (files: unknown[], serverRoot?: string) => parsePlan(JSON.stringify(apachePlan(files, serverRoot)));
    // Where it leads must stay in the tree; the link itself too; a tree must be named.
    expect(refused([{ ...link, linkTarget: '../../shadow' }])).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID', params: { where: 'files.0.linkTarget', detail: 'plan.invalid.linkOutsideTree' } } });
    expect(refused([{ ...link, linkTarget: '../mods-available/../../../etc/shadow' }])).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID', params: { detail: 'plan.invalid.linkOutsideTree' } } });
    expect(refused([{ ...link, path: '/etc/cron.d/x' }])).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID', params: { detail: 'plan.invalid.linkOutsideTree' } } });
    expect(refused([link], '/etc/apache2/mods-enabled')).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID', params: { detail: 'plan.invalid.linkOutsideTree' } } });
    expect(parsePlan(JSON.stringify({ ...apachePlan([link]), target: { kind: 'apache', paths: { mainConf: `${root}/apache2.conf` } } }))).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID' } });
    // Only relative link text; a link has no content and replaces nothing; only a link has a target.
    expect(refused([{ ...link, linkTarget: '/etc/apache2/mods-available/proxy_wstunnel.load' }])).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID', params: { detail: 'plan.invalid.linkTarget' } } });
    expect(refused([{ ...link, linkTarget: '..\\mods-available\\x.load' }])).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID' } });
    expect(refused([{ ...link, linkTarget: undefined }])).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID', params: { detail: 'plan.invalid.linkTarget' } } });
    expect(refused([{ ...link, action: 'create' }])).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID', params: { detail: 'plan.invalid.linkTarget' } } });
    expect(refused([{ ...link, content: 'LoadModule x' }])).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID', params: { detail: 'plan.invalid.linkContent' } } });
    expect(refused([{ ...link, beforeSha256: 'a'.repeat(64) }])).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID', params: { detail: 'plan.invalid.linkContent' } } });
    expect(refused([{ ...link, unknown: 1 }])).toMatchObject({ ok: false, error: { code: 'PLAN_INVALID' } });
    // Printed: the link and where it leads, in English and Chinese.
    const file = join(dir.path, 'link-plan.json');
    writeFileSync(file, JSON.stringify(apachePlan([link])));
    const en = io('en');
    expect(await main(['plan', 'show', file], en)).toBe(0);
    expect(en.out).toContain(`@ ${root}/mods-enabled/proxy_wstunnel.load — link to ../mods-available/proxy_wstunnel.load`);
    const zh = io('zh-CN');
    expect(await main(['--lang', 'zh-CN', 'plan', 'show', file], zh)).toBe(0);
    expect(zh.out).toContain(`@ ${root}/mods-enabled/proxy_wstunnel.load — 链接到 ../mods-available/proxy_wstunnel.load`);
  });
});
