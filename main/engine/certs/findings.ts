import type { CertFindingCode } from '../../../shared/contract/certs.js';
import type { Finding, Severity } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t, type Params } from '../../../shared/i18n/index.js';
import { findingParams } from '../common/finding-params.js';

/** A finding with its text in the caller's language (`finding.<CODE>` and `finding.<CODE>.fix`). */
export function certFinding(
  code: CertFindingCode,
  severity: Severity,
  lang: Lang,
  params: Params = {},
  evidence: Readonly<Record<string, unknown>> = {},
): Finding {
  // The params too (certificate names, dates, sizes: never a secret), so a host can show it again in another language.
  return { code, severity, message: t(lang, `finding.${code}`, params), fix: t(lang, `finding.${code}.fix`, params), evidence, params: findingParams(params) };
}
