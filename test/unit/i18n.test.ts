import { describe, expect, it } from 'vitest';
import { FINDING_CODES, operations, type ErrorCodeOf } from '../../shared/contract/index.js';
import { catalogKeys, hasMessage, langFromEnv, t, tIfKnown } from '../../shared/i18n/index.js';

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
    // @ts-expect-error an unknown literal key is a compile error (and, forced through, the key itself at run time)
    expect(t('en', 'no.such.key')).toBe('no.such.key');
  });

  it('keys built at run time go through the checked path', () => {
    const code: string = 'CA_INVALID';
    const key = `error.${code}`;
    // @ts-expect-error a key built from a plain string is not a MessageKey until checked
    t('en', key);
    if (!hasMessage(key)) throw new Error('error.CA_INVALID has text');
    expect(t('en', key)).toBe(t('en', 'error.CA_INVALID'));
    expect(tIfKnown('zh-CN', `error.${code}`)).toBe(t('zh-CN', 'error.CA_INVALID'));
    expect(tIfKnown('en', 'error.NO_SUCH_CODE')).toBeUndefined();
  });

  it('error codes are a typed union per operation', () => {
    const ok: ErrorCodeOf<'check'> = 'CA_INVALID';
    // @ts-expect-error a code the check operation does not declare
    const wrong: ErrorCodeOf<'check'> = 'CERT_KEY_MISMATCH';
    expect([ok, wrong]).toHaveLength(2);
    expect(operations.check.errors).toContain(ok);
  });

  it('picks Chinese from a zh LANG and English otherwise', () => {
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8' })).toBe('zh-CN');
    expect(langFromEnv({ LANG: 'en_US.UTF-8' })).toBe('en');
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8', WSS_SETUP_LANG: 'en' })).toBe('en');
    expect(langFromEnv({})).toBe('en');
  });
});
