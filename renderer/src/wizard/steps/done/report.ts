import type { Lang } from '../../../../../shared/contract/common.js';
import { t } from '../../../../../shared/i18n/index.js';
import { rowValueText } from '../../../../../shared/i18n/plan-text.js';
import type { WizardState } from '../../state.js';

/** The report to save: what changed (files sha256 before → after, FineDB rows with secrets masked), where the backups are, how to roll back, the checks. */
export function reportText(state: WizardState, lang: Lang): string {
  const run = state.run;
  const lines = [`# ${t(lang, 'wizard.report.title')}`, ''];
  if (run === null) return `${lines.join('\n')}\n`;
  const id = run.runId ?? '-';
  lines.push(t(lang, 'wizard.report.run', { id, method: run.method, profile: run.profile, outcome: run.outcome }), '');
  lines.push(t(lang, 'wizard.report.files'));
  for (const f of run.files) lines.push(`- ${f.path} (${f.action}): ${f.beforeSha256 ?? '-'} → ${f.afterSha256}`);
  const rows = state.plan?.fineDbRows ?? [];
  if (rows.length > 0) {
    lines.push('', t(lang, 'wizard.report.rows'));
    for (const r of rows) lines.push(`- ${r.install}: ${r.id}: ${rowValueText(lang, r.before, 'before')} → ${rowValueText(lang, r.after, 'after')}`);
  }
  lines.push('', t(lang, 'wizard.report.backups', { id }), t(lang, 'wizard.report.rollback', { id }));
  if (run.checks.length > 0) {
    lines.push('', t(lang, 'wizard.report.checks.apply'));
    for (const c of run.checks) lines.push(`- ${c.ok ? 'OK' : 'FAIL'} ${c.url}${c.codes.length > 0 ? ` (${c.codes.join(', ')})` : ''}`);
  }
  const verified = state.verify?.endpoints ?? [];
  if (verified.length > 0) {
    lines.push('', t(lang, 'wizard.report.checks.verify'));
    for (const e of verified) lines.push(`- ${e.ok ? 'OK' : 'FAIL'} ${e.url}${e.findings.length > 0 ? ` (${e.findings.map((f) => f.code).join(', ')})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
