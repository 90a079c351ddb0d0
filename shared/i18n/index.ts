import type { Lang } from '../contract/common.js';
import type { AnyErrorCode } from '../contract/index.js';
import { en, type MessageKey } from './en/index.js';

export type { MessageKey } from './en/index.js';

/**
 * User-facing text, one catalog per language; code paths only carry keys and params.
 * English is always here (and is the fallback); Simplified Chinese is loaded once a host knows it
 * is wanted: the CLI after reading --lang / LANG, serve mode, the desktop app and the renderer at
 * start (issue 9: an English `wss-setup check` does not parse ~200 KB of Chinese text).
 */
const catalogs: { en: Readonly<Record<MessageKey, string>>; 'zh-CN'?: Readonly<Record<MessageKey, string>> } = { en };

/** Makes a language's catalog available to `t()` (hosts that bundle it call this at start). */
export function registerLanguage(lang: Exclude<Lang, 'en'>, catalog: Readonly<Record<MessageKey, string>>): void {
  catalogs[lang] = catalog;
}

/** Loads a language's catalog if it is not loaded yet. */
export async function loadLanguage(lang: Lang): Promise<void> {
  if (lang === 'zh-CN' && catalogs['zh-CN'] === undefined) registerLanguage('zh-CN', (await import('./zh-CN/index.js')).zhCN);
}

/** Whether `t(lang, …)` speaks that language now (false: it would fall back to English). */
export function languageLoaded(lang: Lang): boolean {
  return catalogs[lang] !== undefined;
}

/** Compile-time check: every error code an operation declares has `error.<CODE>` text (else this is not `true`). */
type MissingErrorText = Exclude<`error.${AnyErrorCode}`, MessageKey>;
export const everyDeclaredErrorHasText: [MissingErrorText] extends [never] ? true : MissingErrorText = true;

export type Params = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** The checked path for keys built at run time: narrows a string to a MessageKey. */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** Text for a key in a language, with {name} placeholders filled; falls back to English, then to the key. */
export function t(lang: Lang, key: MessageKey, params: Params = {}): string {
  const template = catalogs[lang]?.[key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

/** For a key built at run time: its text when the catalog has it, otherwise undefined (the caller chooses the fallback). */
export function tIfKnown(lang: Lang, key: string, params: Params = {}): string | undefined {
  return hasMessage(key) ? t(lang, key, params) : undefined;
}

/** Picks the language from an environment such as LANG=zh_CN.UTF-8. */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): Lang {
  const raw = env.WSS_SETUP_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '';
  return /^zh/i.test(raw) ? 'zh-CN' : 'en';
}

/** The keys a loaded catalog has ([] for a language not loaded). */
export function catalogKeys(lang: Lang): MessageKey[] {
  return Object.keys(catalogs[lang] ?? {}) as MessageKey[];
}
