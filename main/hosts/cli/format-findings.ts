import type { Lang } from '../../../shared/contract/common.js';
import type { Severity } from '../../../shared/contract/check.js';
import { t } from '../../../shared/i18n/index.js';

/** The mark in front of a finding, by severity. */
export const SEVERITY_MARK: Readonly<Record<Severity, string>> = { error: '✖', warning: '!', info: 'i' };

/** What every finding printed by the CLI has (health check, certificate inspection, nginx diagnosis). */
export interface PrintableFinding {
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  readonly fix: string;
}

/**
 * The CLI's one rendering of findings: per finding a line with mark, code, severity and message,
 * then its fix, both indented by `indent`.
 *
 *   ✖ CERT_SAN_MISSING (error): The certificate does not cover …
 *     → Fix: Issue a new certificate …
 */
export function formatFindings(findings: readonly PrintableFinding[], lang: Lang, indent = ''): string[] {
  return findings.flatMap((f) => [
    `${indent}${SEVERITY_MARK[f.severity]} ${f.code} (${t(lang, `severity.${f.severity}`)}): ${f.message}`,
    `${indent}  → ${t(lang, 'report.fix')}: ${f.fix}`,
  ]);
}
