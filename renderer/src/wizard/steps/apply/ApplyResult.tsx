import type { ApplyOutput } from '../../../../../shared/contract/apply.js';
import type { Lang } from '../../../../../shared/contract/common.js';
import { t, tIfKnown } from '../../../../../shared/i18n/index.js';

/** The outcome: applied, or the failure and what the rollback put back, with the old setup answering (or not). */
export function ApplyResult({ run, lang }: { readonly run: ApplyOutput; readonly lang: Lang }) {
  const key = `wizard.apply.outcome.${run.outcome}`;
  const ok = run.outcome === 'applied';
  return (
    <div className={ok ? 'wss-result wss-ok' : 'wss-result wss-bad'} role="status" data-outcome={run.outcome} data-testid="apply-outcome">
      <p className="wss-summary">{tIfKnown(lang, key) ?? t(lang, 'wizard.apply.outcome.other', { outcome: run.outcome })}</p>
      {run.failure !== undefined && (
        <div className="wss-op-error" data-code={run.failure.code}>
          <strong>{t(lang, 'wizard.apply.failed', { step: tIfKnown(lang, `progress.apply.${run.failure.step}`) ?? run.failure.step })}</strong>
          <p>{run.failure.message}</p>
          {run.failure.fix !== undefined && <p className="wss-fix">{run.failure.fix}</p>}
        </div>
      )}
      {run.restore !== undefined && (
        <div data-testid="restore">
          <h3>{t(lang, 'wizard.apply.restored')}</h3>
          <ul>
            {[...run.restore.files, ...run.restore.fineDb, ...run.restore.services].map((item) => (
              <li key={item}>
                <code>{item}</code>
              </li>
            ))}
          </ul>
          <ul>
            {run.restore.checks.map((c) => (
              <li key={c.url} className={c.ok ? 'wss-note-info' : 'wss-note-error'} data-ok={c.ok}>
                {t(lang, c.ok ? 'wizard.apply.oldAnswering' : 'wizard.apply.oldNotAnswering', { url: c.url })}
              </li>
            ))}
            {run.restore.manual.map((m, i) => (
              <li key={i} className="wss-note-error">
                {tIfKnown(lang, m.code, m.params) ?? m.code}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
