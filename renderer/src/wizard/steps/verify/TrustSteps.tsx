import type { Lang } from '../../../../../shared/contract/common.js';
import type { Plan } from '../../../../../shared/contract/plan.js';
import { t } from '../../../../../shared/i18n/index.js';
import { inServeMode } from '../certificate/UploadButton.js';

/** How to trust the local CA on the client machines, for every port the plan serves. */
export function TrustSteps({ plan, lang }: { readonly plan: Plan; readonly lang: Lang }) {
  const ports = [...new Set(plan.checks.map((c) => { try { return new URL(c.url).port || (c.url.startsWith('wss') || c.url.startsWith('https') ? '443' : '80'); } catch { return ''; } }).filter((p) => p !== ''))];
  return (
    <section className="wss-trust" aria-labelledby="trust-heading">
      <h3 id="trust-heading">{t(lang, 'wizard.verify.trust')}</h3>
      <p>{t(lang, 'wizard.verify.trustText', { ports: ports.join(', ') })}</p>
      {inServeMode() && (
        <p>
          <a href="api/download/ca.crt" download="ca.crt">
            {t(lang, 'wizard.verify.downloadCa')}
          </a>
        </p>
      )}
      <ul>
        <li>{t(lang, 'wizard.verify.trust.windows')}</li>
        <li>{t(lang, 'wizard.verify.trust.mac')}</li>
        <li>{t(lang, 'wizard.verify.trust.linux')}</li>
      </ul>
    </section>
  );
}
