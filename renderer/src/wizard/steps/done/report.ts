import type { Lang } from '../../../../../shared/contract/common.js';
import { t } from '../../../../../shared/i18n/index.js';
import type { WizardState } from '../../state.js';

/** The report to save: what changed (sha256 before → after), where the backups are, how to roll back, the checks. */
export function reportText(state: WizardState, lang: Lang): string {
  const run = state.run;
  const lines = [`# ${t(lang, 'wizard.report.title')}`, ''];
  if (run === null) return `${lines.join('\n')}\n`;
  const id = run.runId ?? '-';
  lines.push(t(lang, 'wizard.report.run', { id, method: run.method, profile: run.profile, outcome: run.outcome }), '');
  lines.push(t(lang, 'wizard.report.files'));
  for (const f of run.files) lines.push(`- ${f.path} (${f.action}): ${f.beforeSha256 ?? '-'} → ${f.afterSha256}`);
  lines.push('', t(lang, 'wizard.report.backups', { id }), t(lang, 'wizard.report.rollback', { id }), '', t(lang, 'wizard.report.checks'));
  for (const c of run.checks) lines.push(`- ${c.ok ? 'OK' : 'FAIL'} ${c.url}${c.codes.length > 0 ? ` (${c.codes.join(', ')})` : ''}`);
  for (const e of state.verify?.endpoints ?? []) lines.push(`- ${e.ok ? 'OK' : 'FAIL'} ${e.url}${e.findings.length > 0 ? ` (${e.findings.map((f) => f.code).join(', ')})` : ''}`);
  return `${lines.join('\n')}\n`;
}
