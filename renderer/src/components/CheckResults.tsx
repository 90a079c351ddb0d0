import type { CheckOutput } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t } from '../../../shared/i18n/index.js';
import { EndpointCard } from './EndpointCard.js';

/** A check's verdict: "every endpoint healthy" or how many failed, then one card per endpoint. */
export function CheckResults({ report, lang, testId }: { readonly report: CheckOutput; readonly lang: Lang; readonly testId: string }) {
  const failed = report.endpoints.filter((e) => !e.ok).length;
  return (
    <div className="wss-results" data-testid={testId}>
      <p className={report.ok ? 'wss-summary wss-ok' : 'wss-summary wss-bad'} role="status">
        {report.ok ? t(lang, 'ui.check.allOk') : t(lang, 'ui.check.someFailed', { failed, total: report.endpoints.length })}
      </p>
      {report.endpoints.map((endpoint) => (
        <EndpointCard key={endpoint.url} endpoint={endpoint} lang={lang} />
      ))}
    </div>
  );
}
