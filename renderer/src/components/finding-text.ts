import type { Finding } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { tIfKnown } from '../../../shared/i18n/index.js';

/**
 * A finding in the reader's language: rendered again from its code and parameters when it has
 * them (results stay readable after switching language), else as the engine wrote it. A parameter
 * `<name>Key` names a message that is itself the value of `<name>` (a phase, a certificate reason).
 */
export function findingText(finding: Finding, lang: Lang): { readonly message: string; readonly fix: string } {
  if (finding.params === undefined) return { message: finding.message, fix: finding.fix };
  const params: Record<string, string | number> = { ...finding.params };
  for (const [name, key] of Object.entries(finding.params)) {
    if (name.endsWith('Key') && typeof key === 'string') params[name.slice(0, -3)] = tIfKnown(lang, key, finding.params) ?? String(params[name.slice(0, -3)] ?? '');
  }
  return { message: tIfKnown(lang, `finding.${finding.code}`, params) ?? finding.message, fix: tIfKnown(lang, `finding.${finding.code}.fix`, params) ?? finding.fix };
}
