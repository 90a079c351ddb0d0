import type { CertIssueOutput, CertSummary, OutputFile } from '../../../../../shared/contract/certs.js';
import type { Finding } from '../../../../../shared/contract/check.js';
import { t } from '../../../../../shared/i18n/index.js';
import { formatFindings } from '../../format-findings.js';
import type { CliIO } from '../../io.js';

/** One certificate: subject, issuer, names, validity, key, signature, fingerprint. */
function formatSummary(c: CertSummary, io: CliIO, label: string): string[] {
  return [
    `${label}: ${c.subject}`,
    `  ${t(io.lang, 'certs.report.chain')}: ${c.issuer}`,
    ...(c.san.length > 0 ? [`  ${t(io.lang, 'certs.report.names')}: ${c.san.join(', ')}`] : []),
    `  ${t(io.lang, 'certs.report.valid')}: ${c.validFrom} → ${c.validTo}`,
    `  ${t(io.lang, 'certs.report.key')}: ${c.keyType.toUpperCase()} ${c.keyBits ?? '?'}; ${t(io.lang, 'certs.report.signature')}: ${c.signatureAlgorithm}`,
    `  ${t(io.lang, 'certs.report.fingerprint')}: ${c.fingerprint256}`,
  ];
}

export const certificateSummary = (c: CertSummary, io: CliIO) => formatSummary(c, io, t(io.lang, 'certs.report.certificate'));
export const chainSummaries = (chain: readonly CertSummary[], io: CliIO) => chain.flatMap((c) => formatSummary(c, io, t(io.lang, 'certs.report.chain')));

export function formatFiles(files: readonly OutputFile[], io: CliIO): string[] {
  return [`${t(io.lang, 'certs.report.files')}:`, ...files.map((f) => `  ${f.path}${f.secret ? `  (${t(io.lang, 'certs.report.secret')})` : ''}`)];
}

/** The findings, or "No problems found.", then how many errors and warnings. */
export function formatCertFindings(findings: readonly Finding[], io: CliIO): string[] {
  if (findings.length === 0) return [t(io.lang, 'certs.report.noFindings')];
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  return [...formatFindings(findings, io.lang), t(io.lang, 'certs.report.summary', { errors, warnings })];
}

/** What server and import print: the files written, the certificate and its chain, the findings. */
export function issueText(out: CertIssueOutput, io: CliIO): string[] {
  return [...formatFiles(out.files, io), '', ...certificateSummary(out.certificate, io), ...chainSummaries(out.chain, io), '', ...formatCertFindings(out.findings, io)];
}
