import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../shared/contract/check.js';
import { findingText } from '../../renderer/src/components/finding-text.js';
import { diagnoseNginx } from '../../main/engine/nginx/index.js';
import { diagnoseTomcat, loadServerXmlForDiagnosis } from '../../main/engine/tomcat/index.js';
import { realFilePort } from '../../main/engine/ports/index.js';
import { makeBase } from '../harness/tomcat-base.js';
import { tempDir } from '../harness/temp.js';
import { check } from '../../main/engine/health/check.js';
import { realPorts } from '../../main/engine/ports/index.js';
import { t } from '../../shared/i18n/index.js';
import { freePort } from '../harness/ports.js';

const dir = tempDir('wss-setup-finding-lang-');
afterAll(() => dir.cleanup());
const FIXTURES = new URL('../fixtures/tomcat/', import.meta.url).pathname;

/** Each finding of the English run, read in Chinese, equals the Chinese run's, and back. */
function sameBothWays(en: readonly Finding[], zh: readonly Finding[]): void {
  expect(en.map((f) => f.code)).toEqual(zh.map((f) => f.code));
  expect(en.length).toBeGreaterThan(0);
  en.forEach((f, i) => {
    expect(f.message, f.code).not.toBe(zh[i]!.message);
    expect(findingText(f, 'zh-CN'), f.code).toEqual({ message: zh[i]!.message, fix: zh[i]!.fix });
    expect(findingText(zh[i]!, 'en'), f.code).toEqual({ message: f.message, fix: f.fix });
  });
}

/** A check's findings read again in the other language from their code and parameters (the UI switches language without checking again). */
describe('findingText', () => {
  it('renders a probe finding in Chinese from the English run, the same as a Chinese run', async () => {
    const port = await freePort();
    const ctx = (lang: 'en' | 'zh-CN') => ({ lang, ports: realPorts, onProgress: () => undefined }) as unknown as Parameters<typeof check>[1];
    const input = { urls: [`ws://127.0.0.1:${port}/socket.io/?EIO=3&transport=websocket`], timeoutMs: 2000 };
    const en = (await check(input, ctx('en'))).endpoints[0]!.findings[0]!;
    const zh = (await check(input, ctx('zh-CN'))).endpoints[0]!.findings[0]!;
    expect(en.code).toBe('CONNECTION_REFUSED');
    expect(en.message).not.toBe(zh.message);
    expect(findingText(en, 'zh-CN')).toEqual({ message: zh.message, fix: zh.fix });
    expect(findingText(zh, 'en')).toEqual({ message: en.message, fix: en.fix });
  });

  it('renders a parameter that is itself a message (TIMEOUT\'s phase) in the reader\'s language; without parameters it keeps the engine\'s text', () => {
    const params = { host: 'reports.example.com', port: 38888, timeoutMs: 5000, phase: t('en', 'phase.tls'), phaseKey: 'phase.tls' };
    const finding = { code: 'TIMEOUT', severity: 'error' as const, message: t('en', 'finding.TIMEOUT', params), fix: t('en', 'finding.TIMEOUT.fix', params), evidence: {}, params };
    expect(findingText(finding, 'zh-CN').message).toBe(t('zh-CN', 'finding.TIMEOUT', { ...params, phase: t('zh-CN', 'phase.tls') }));
    expect(findingText(finding, 'zh-CN').message).toContain('TLS 握手');
    const { params: _none, ...plain } = finding;
    expect(findingText(plain, 'zh-CN')).toEqual({ message: finding.message, fix: finding.fix });
  });

  it('renders the configuration checks\' findings (nginx, Tomcat) in the other language too, parse reasons included', async () => {
    const conf = join(dir.path, 'nginx.conf');
    writeFileSync(conf, 'events {}\nhttp {\n  server {\n    listen 127.0.0.1:8443 ssl;\n    location /socket.io/ {\n      proxy_pass http://127.0.0.1:38888;\n    }\n  }\n}\n');
    const url = new URL('wss://localhost:8443/socket.io/?EIO=4&transport=websocket');
    sameBothWays(await diagnoseNginx(conf, url, 'en'), await diagnoseNginx(conf, url, 'zh-CN'));
    const broken = join(dir.path, 'broken.conf');
    writeFileSync(broken, 'events {}\nhttp {\n  server {\n');
    sameBothWays(await diagnoseNginx(broken, url, 'en'), await diagnoseNginx(broken, url, 'zh-CN'));

    const xml = join(makeBase(join(dir.path, 'tomcat'), readFileSync(join(FIXTURES, 'server-finereport-legacy.xml'))), 'conf', 'server.xml');
    const loaded = await loadServerXmlForDiagnosis(xml, realFilePort);
    const tomcatUrl = new URL('wss://reports.example.com:8443/webroot/decision');
    sameBothWays(await diagnoseTomcat(xml, tomcatUrl, 'en', loaded), await diagnoseTomcat(xml, tomcatUrl, 'zh-CN', loaded));
  });
});
