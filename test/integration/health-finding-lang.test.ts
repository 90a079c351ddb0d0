import { describe, expect, it } from 'vitest';
import { findingText } from '../../renderer/src/components/finding-text.js';
import { check } from '../../main/engine/health/check.js';
import { realPorts } from '../../main/engine/ports/index.js';
import { t } from '../../shared/i18n/index.js';
import { freePort } from '../harness/ports.js';

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
});
