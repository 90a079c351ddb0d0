import type { Lang } from '../../../shared/contract/common.js';
import { hasMessage, t } from '../../../shared/i18n/index.js';

/** A file-system error code in words ("no such file"), for messages; unknown codes stay as they are. */
export function describeErrno(code: string, lang: Lang): string {
  const key = `errno.${code}`;
  return hasMessage(key) ? t(lang, key) : code;
}

export function errnoOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}
