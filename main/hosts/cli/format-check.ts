import type { CheckOutput, EndpointReport } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t } from '../../../shared/i18n/index.js';
import { formatFindings } from './format-findings.js';

/** Plain-text rendering of a check report for the terminal. */
export function formatCheckReport(report: CheckOutput, lang: Lang): string {
  const lines: string[] = [];
  for (const endpoint of report.endpoints) lines.push(...formatEndpoint(endpoint, lang), '');
  const healthy = report.endpoints.filter((e) => e.ok).length;
  lines.push(t(lang, 'report.summary', { ok: healthy, total: report.endpoints.length }));
  return `${lines.join('\n')}\n`;
}

function formatEndpoint(e: EndpointReport, lang: Lang): string[] {
  const status = e.ok ? `✔ ${t(lang, 'report.ok')}` : `✖ ${t(lang, 'report.failed')}`;
  const lines = [`${e.url}  ${status}`];
  const timings = Object.entries(e.timings)
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => `${k} ${Math.round(v as number)} ms`)
    .join(', ');
  lines.push(`  ${t(lang, 'report.timings')}: ${timings}`);
  const cert = e.tls?.certificate;
  if (cert) {
    lines.push(`  ${t(lang, 'report.certificate')}: ${cert.subject}; SAN ${cert.san.join(', ') || '-'}; ${cert.issuer}; ${cert.validFrom} → ${cert.validTo}`);
    if (e.tls?.protocol) lines.push(`  TLS: ${e.tls.protocol} ${e.tls.cipher ?? ''}`.trimEnd());
  }
  lines.push(...formatFindings(e.findings, lang, '  '));
  return lines;
}
