import { PLAN_ISSUE } from '../../../shared/contract/certs-inputs.js';
import type { Lang } from '../../../shared/contract/common.js';
import type { CertOutputs, CertificateAction, Plan } from '../../../shared/contract/plan.js';
import { t } from '../../../shared/i18n/index.js';
import { noteMessage, planText, rowValueText } from '../../../shared/i18n/plan-text.js';
import { SEVERITY_MARK as MARK } from './format-findings.js';

function outputsText(lang: Lang, outputs: CertOutputs): string[] {
  const out: string[] = [];
  if (outputs.pem) out.push(t(lang, 'plan.render.cert.pem', { cert: outputs.pem.certPath, key: outputs.pem.keyPath }));
  if (outputs.pkcs12) out.push(t(lang, 'plan.render.cert.pkcs12', { path: outputs.pkcs12.path, secret: outputs.pkcs12.password.secretRef }));
  if (outputs.jks) out.push(t(lang, 'plan.render.cert.jks', { path: outputs.jks.path, alias: outputs.jks.alias, secret: outputs.jks.password.secretRef }));
  return out;
}

function certificateLines(lang: Lang, c: CertificateAction): string[] {
  switch (c.kind) {
    case 'issue':
      return [
        `  ${t(lang, 'plan.render.cert.issue', { names: c.names.join(', ') })}:`,
        `    ${t(lang, 'plan.render.cert.issueKey', { type: PLAN_ISSUE.keyType, bits: PLAN_ISSUE.keyBits, days: PLAN_ISSUE.validityDays })}`,
        ...outputsText(lang, c.outputs).map((l) => `    ${l}`),
      ];
    case 'import':
      return [`  ${t(lang, 'plan.render.cert.import')}:`, ...outputsText(lang, c.outputs).map((l) => `    ${l}`)];
    case 'use-existing': {
      const parts: string[] = [];
      if (c.certPath) parts.push(t(lang, 'plan.render.cert.pem', { cert: c.certPath, key: c.keyPath ?? '' }));
      if (c.keystorePath) parts.push(t(lang, 'plan.render.cert.keystore', { path: c.keystorePath, format: c.keystoreFormat ?? 'PKCS12' }));
      return [`  ${t(lang, 'plan.render.cert.existing')}: ${parts.join('; ')}`];
    }
    default: {
      const never: never = c;
      return [String(never)];
    }
  }
}

/** A plan for a terminal, in the reader's language: files with their diffs, certificates, rows, services, checks, notes, validation. */
export function formatPlan(plan: Plan, lang: Lang, options: { readonly changed?: boolean } = {}): string {
  const lines: string[] = [t(lang, 'plan.render.header', { method: plan.method, profile: plan.profile, createdAt: plan.createdAt }), ''];
  if (options.changed === false) lines.push(t(lang, 'plan.render.noChanges'), '');
  if (plan.files.length > 0) {
    lines.push(`${t(lang, 'plan.render.files')}:`);
    for (const file of plan.files) lines.push(`  ${file.action === 'create' ? '+' : file.action === 'link' ? '@' : '~'} ${file.path} — ${t(lang, `plan.render.file.${file.action}`, { target: file.linkTarget ?? '' })}: ${planText(lang, file.reason)}`);
    lines.push('');
    for (const file of plan.files) if (file.diff !== '') lines.push(file.diff);
  }
  if (plan.certificates.length > 0) {
    lines.push(`${t(lang, 'plan.render.certificates')}:`);
    for (const c of plan.certificates) lines.push(...certificateLines(lang, c));
  }
  if (plan.fineDbRows.length > 0) {
    lines.push(`${t(lang, 'plan.render.rows')}:`);
    for (const row of plan.fineDbRows) {
      const phase = row.phase === 'before-certificates' ? ` [${t(lang, 'plan.render.row.phase.before-certificates')}]` : '';
      lines.push(`  ${row.id}: ${rowValueText(lang, row.before, 'before')} → ${rowValueText(lang, row.after, 'after')}${phase}`);
    }
  }
  if (plan.services.length > 0) {
    lines.push(`${t(lang, 'plan.render.services')}:`);
    for (const s of plan.services) {
      const ports = s.ready.map((r) => `${r.host}:${r.port}`).join(', ');
      lines.push(`  ${s.id} (${s.service.kind}): ${planText(lang, s.reason)}${ports ? ` — ${t(lang, 'plan.render.service.ready', { ports })}` : ''}`);
    }
  }
  if (plan.checks.length > 0) {
    lines.push(`${t(lang, 'plan.render.checks')}:`);
    for (const c of plan.checks) lines.push(`  ${c.url} — ${planText(lang, c.proves)}`);
  }
  if (plan.notes.length > 0) {
    lines.push(`${t(lang, 'plan.render.notes')}:`);
    for (const n of plan.notes) {
      const { message, fix } = noteMessage(lang, n);
      lines.push(`  ${MARK[n.severity]} ${n.code}: ${message}`);
      if (fix !== null) lines.push(`    → ${fix}`);
    }
  }
  const ran = plan.validations.filter((v) => v.tool !== 'none');
  if (ran.length === 0) lines.push(t(lang, 'plan.render.notValidated'));
  for (const v of ran) {
    if (v.ok) lines.push(t(lang, 'plan.render.validated', { tool: v.tool }));
    else lines.push(t(lang, 'plan.render.validationFailed', { tool: v.tool }), v.output);
  }
  lines.push(t(lang, 'plan.render.applyLater'));
  return `${lines.join('\n')}\n`;
}
