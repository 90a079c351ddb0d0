import type { CertSummary, OutputFile } from '../../../../shared/contract/certs.js';
import type { Finding } from '../../../../shared/contract/check.js';
import type { Lang } from '../../../../shared/contract/common.js';
import { t } from '../../../../shared/i18n/index.js';
import { FindingsList } from '../../components/FindingsList.js';

/** The files written (secrets marked); inside the wizard, a button hands them to its plan. */
export function Files({ files, lang, onUse }: { readonly files: readonly OutputFile[]; readonly lang: Lang; readonly onUse?: ((files: readonly OutputFile[]) => void) | undefined }) {
  return (
    <div className="wss-files">
      <h3>{t(lang, 'certs.report.files')}</h3>
      <ul>
        {files.map((f) => (
          <li key={f.path}>
            <code>{f.path}</code>
            {f.secret && <span className="wss-badge"> ({t(lang, 'certs.report.secret')})</span>}
          </li>
        ))}
      </ul>
      {onUse !== undefined && (
        <button type="button" className="wss-secondary" onClick={() => onUse(files)}>
          {t(lang, 'certs.panel.useInPlan')}
        </button>
      )}
    </div>
  );
}

/** A certificate's facts and the inspection findings. */
export function Inspection({ certificate, findings, lang }: { readonly certificate: CertSummary; readonly findings: readonly Finding[]; readonly lang: Lang }) {
  const ok = !findings.some((f) => f.severity === 'error');
  return (
    <article className={ok ? 'wss-endpoint wss-ok' : 'wss-endpoint wss-bad'} data-ok={ok}>
      <header>
        <span className="wss-badge">{ok ? '✔' : '✖'}</span> <code>{certificate.subject}</code>
      </header>
      <dl className="wss-facts">
        <dt>{t(lang, 'certs.report.chain')}</dt>
        <dd>{certificate.issuer}</dd>
        <dt>{t(lang, 'certs.report.names')}</dt>
        <dd>{certificate.san.join(', ') || '-'}</dd>
        <dt>{t(lang, 'certs.report.valid')}</dt>
        <dd>
          {certificate.validFrom} → {certificate.validTo}
        </dd>
        <dt>{t(lang, 'certs.report.key')}</dt>
        <dd>
          {certificate.keyType.toUpperCase()} {certificate.keyBits ?? '?'} · {certificate.signatureAlgorithm}
        </dd>
        <dt>{t(lang, 'certs.report.fingerprint')}</dt>
        <dd>{certificate.fingerprint256}</dd>
      </dl>
      <h4>{t(lang, 'certs.panel.findings')}</h4>
      <FindingsList findings={findings} lang={lang} empty={t(lang, 'certs.report.noFindings')} />
    </article>
  );
}
