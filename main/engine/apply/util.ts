import { randomBytes } from 'node:crypto';
import type { Lang } from '../../../shared/contract/common.js';
import { hasMessage, t } from '../../../shared/i18n/index.js';
import type { Clock } from '../ports/index.js';
import { EngineError } from '../common/engine-error.js';

export const newRunId = (clock: Clock): string => `${clock.now().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;

export const iso = (clock: Clock): string => clock.now().toISOString();

/** An error as a code, a rendered message and fix (never a stack trace; params never hold secrets). */
export function describeError(error: unknown, lang: Lang): { code: string; message: string; fix?: string } {
  if (error instanceof EngineError) {
    const key = `error.${error.code}`;
    const fix = `${key}.fix`;
    return { code: error.code, message: hasMessage(key) ? t(lang, key, error.params) : error.code, ...(hasMessage(fix) ? { fix: t(lang, fix, error.params) } : {}) };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL_ERROR', message: t(lang, 'error.INTERNAL_ERROR', { detail }) };
}
