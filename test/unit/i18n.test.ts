import { describe, expect, it } from 'vitest';
import { FINDING_CODES, operations } from '../../shared/contract/index.js';
import { catalogKeys, langFromEnv, t } from '../../shared/i18n/index.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogs', () => {
  it('every English text exists in Simplified Chinese with the same placeholders, and nothing extra', () => {
    const en = catalogKeys('en');
    const zh = new Set(catalogKeys('zh-CN'));
    for (const key of en) {
      expect(zh.has(key), key).toBe(true);
      expect(t('zh-CN', key).trim(), key).not.toBe('');
      expect(placeholders(t('zh-CN', key)), key).toEqual(placeholders(t('en', key)));
    }
    expect([...zh].filter((k) => !en.includes(k))).toEqual([]);
  });

  it('every health finding code has a message and a fix in both languages', () => {
    for (const code of FINDING_CODES) {
      for (const lang of ['en', 'zh-CN'] as const) {
        expect(catalogKeys(lang), `${lang} finding.${code}`).toContain(`finding.${code}`);
        expect(catalogKeys(lang), `${lang} finding.${code}.fix`).toContain(`finding.${code}.fix`);
      }
    }
  });

  it('every error code an operation declares has text', () => {
    for (const [name, spec] of Object.entries(operations)) {
      for (const code of spec.errors) expect(catalogKeys('en'), `${name}: error.${code}`).toContain(`error.${code}`);
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('en', 'input.port.range', { value: 70000 })).toContain('70000');
    expect(t('en', 'input.port.range')).toContain('{value}');
    expect(t('en', 'no.such.key')).toBe('no.such.key');
  });

  it('picks Chinese from a zh LANG and English otherwise', () => {
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(langFromEnv({ LANG: 'en_US.UTF-8' })).toBe('en');
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8', WSS_SETUP_LANG: 'en' })).toBe('en');
    expect(langFromEnv({})).toBe('en');
  });
});
