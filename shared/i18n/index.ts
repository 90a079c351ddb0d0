import type { Lang } from '../contract/common.js';
import { certs as enCerts } from './en/certs.js';
import { common as enCommon } from './en/common.js';
import { finedb as enFinedb } from './en/finedb.js';
import { health as enHealth } from './en/health.js';
import { nginx as enNginx } from './en/nginx.js';
import { certs as zhCerts } from './zh-CN/certs.js';
import { common as zhCommon } from './zh-CN/common.js';
import { finedb as zhFinedb } from './zh-CN/finedb.js';
import { health as zhHealth } from './zh-CN/health.js';
import { nginx as zhNginx } from './zh-CN/nginx.js';

/** User-facing text, one catalog per language; code paths only carry keys and params. */
const en = { ...enCommon, ...enHealth, ...enCerts, ...enFinedb, ...enNginx };
export type MessageKey = keyof typeof en;

const catalogs: Record<Lang, Record<string, string>> = {
  en,
  'zh-CN': { ...zhCommon, ...zhHealth, ...zhCerts, ...zhFinedb, ...zhNginx },
};

export type Params = Readonly<Record<string, string | number | boolean | null | undefined>>;

export function hasMessage(key: string): boolean {
  return Object.hasOwn(en, key);
}

/** Text for a key in a language, with {name} placeholders filled; falls back to English, then to the key. */
export function t(lang: Lang, key: MessageKey | string, params: Params = {}): string {
  const template = catalogs[lang][key] ?? (en as Record<string, string>)[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined || value === null ? whole : String(value);
  });
}

/** Picks the language from an environment such as LANG=zh_CN.UTF-8. */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): Lang {
  const raw = env.WSS_SETUP_LANG ?? env.LC_ALL ?? env.LC_MESSAGES ?? env.LANG ?? '';
  return /^zh/i.test(raw) ? 'zh-CN' : 'en';
}

export function catalogKeys(lang: Lang): string[] {
  return Object.keys(catalogs[lang]);
}
