import type { EndpointReport } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t, tIfKnown } from '../../../shared/i18n/index.js';
import { FindingsList } from './FindingsList.js';

/** One endpoint's verdict: green or red, timings, status, certificate, echo, and its findings with cause and fix. */
export function EndpointCard({ endpoint, lang }: { endpoint: EndpointReport; lang: Lang }) {
  const timings = Object.entries(endpoint.timings).filter(([, v]) => typeof v === 'number');
  const cert = endpoint.tls?.certificate;
  return (
    <article className={endpoint.ok ? 'wss-endpoint wss-ok' : 'wss-endpoint wss-bad'} data-ok={endpoint.ok}>
      <header>
        <span className="wss-badge">{endpoint.ok ? `✔ ${t(lang, 'report.ok')}` : `✖ ${t(lang, 'report.failed')}`}</span>
        <code className="wss-url">{endpoint.url}</code>
      </header>
      <dl className="wss-facts">
        <dt>{t(lang, 'ui.check.timings')}</dt>
        <dd>{timings.map(([k, v]) => `${tIfKnown(lang, `phase.${k}`) ?? k} ${Math.round(v as number)} ms`).join(' · ')}</dd>
        {endpoint.http !== null && (
          <>
            <dt>{t(lang, 'ui.check.status')}</dt>
            <dd>{endpoint.http.status ?? '-'}</dd>
          </>
        )}
        {cert && (
          <>
            <dt>{t(lang, 'ui.check.certificate')}</dt>
            <dd>
              {cert.subject} · {cert.san.join(', ')} · {cert.issuer} · {cert.validTo.slice(0, 10)}
            </dd>
          </>
        )}
        <dt>{t(lang, 'ui.check.echo')}</dt>
        <dd data-echo={endpoint.echo}>{t(lang, `report.echo.${endpoint.echo}`)}</dd>
      </dl>
      <FindingsList findings={endpoint.findings} lang={lang} empty={t(lang, 'ui.check.noFindings')} />
    </article>
  );
}
