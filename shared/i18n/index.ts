import type { Lang } from '../contract/common.js';
import type { AnyErrorCode } from '../contract/index.js';
import { apache as enApache } from './en/apache.js';
import { apply as enApply } from './en/apply.js';
import { certs as enCerts } from './en/certs.js';
import { cliHelp as enCliHelp } from './en/cli-help.js';
import { detect as enDetect } from './en/detect.js';
import { common as enCommon } from './en/common.js';
import { finedb as enFinedb } from './en/finedb.js';
import { health as enHealth } from './en/health.js';
import { nginx as enNginx } from './en/nginx.js';
import { plan as enPlan } from './en/plan.js';
import { tomcat as enTomcat } from './en/tomcat.js';
import { wizard as enWizard } from './en/wizard.js';
import { apply as zhApply } from './zh-CN/apply.js';
import { certs as zhCerts } from './zh-CN/certs.js';
import { cliHelp as zhCliHelp } from './zh-CN/cli-help.js';
import { detect as zhDetect } from './zh-CN/detect.js';
import { common as zhCommon } from './zh-CN/common.js';
import { finedb as zhFinedb } from './zh-CN/finedb.js';
import { health as zhHealth } from './zh-CN/health.js';
import { nginx as zhNginx } from './zh-CN/nginx.js';
import { plan as zhPlan } from './zh-CN/plan.js';
import { apache as zhApache } from './zh-CN/apache.js';
import { tomcat as zhTomcat } from './zh-CN/tomcat.js';
import { wizard as zhWizard } from './zh-CN/wizard.js';

/** User-facing text, one catalog per language; code paths only carry keys and params. */
// One catalog a line, in alphabetical order after common, so that modules adding theirs do not collide.
const en = {
  ...enCommon,
  ...enApache,
  ...enApply,
  ...enCerts,
  ...enCliHelp,
  ...enDetect,
  ...enFinedb,
  ...enHealth,
  ...enNginx,
  ...enPlan,
  ...enTomcat,
  ...enWizard,
};

/**
 * Every key the English catalog has. `t()` takes only these, so an unknown
 * literal key is a compile error; a key built at run time (`error.${code}`,
 * `plan.note.${code}`) goes through `hasMessage()` (a type guard) or `tIfKnown()`.
 */
export type MessageKey = keyof typeof en;

const catalogs: Record<Lang, Readonly<Record<MessageKey, string>>> = {
  en,
  'zh-CN': {
    ...zhCommon,
    ...zhApache,
    ...zhApply,
    ...zhCerts,
    ...zhCliHelp,
    ...zhDetect,
    ...zhFinedb,
    ...zhHealth,
    ...zhNginx,
    ...zhPlan,
    ...zhTomcat,
    ...zhWizard,
  },
};

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
  const template = catalogs[lang][key] ?? en[key] ?? key;
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

export function catalogKeys(lang: Lang): MessageKey[] {
  return Object.keys(catalogs[lang]) as MessageKey[];
}
