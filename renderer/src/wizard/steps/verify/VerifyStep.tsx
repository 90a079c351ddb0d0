import { useEffect } from 'react';
import { t } from '../../../../../shared/i18n/index.js';
import { CheckResults } from '../../../components/CheckResults.js';
import { ErrorBox } from '../../../components/ErrorBox.js';
import { Progress } from '../../../components/Progress.js';
import { useOperation } from '../../../hooks/use-operation.js';
import { StepFooter } from '../../StepFooter.js';
import type { StepProps } from '../../types.js';
import { runPlanChecks, wsChecks } from './run-checks.js';
import { TrustSteps } from './TrustSteps.js';

/** Step 7: the plan's checks live, each endpoint green or red with cause and fix; the client trust steps. */
export function VerifyStep({ api, lang, state, update, go }: StepProps) {
  const operation = useOperation();
  const plan = state.plan;
  const checks = plan === null ? [] : wsChecks(plan.checks);
  const run = async () => {
    if (plan === null || checks.length === 0) return;
    const value = await operation.run(t(lang, 'wizard.busy'), (onProgress) => runPlanChecks(api, plan.checks, onProgress));
    if (value !== null) update({ verify: value });
  };
  useEffect(() => {
    if (state.verify === null) void run();
    // once when the step opens
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const report = state.verify;
  return (
    <>
      <p className="wss-intro">{t(lang, 'wizard.verify.intro')}</p>
      {checks.length === 0 ? (
        <p className="wss-none">{t(lang, 'wizard.verify.none')}</p>
      ) : (
        <button type="button" className="wss-secondary" disabled={operation.busy !== null} onClick={() => void run()}>
          {t(lang, 'wizard.verify.run')}
        </button>
      )}
      <Progress message={operation.busy} />
      <ErrorBox error={operation.error} />
      {state.run !== null && state.run.checks.length > 0 && (
        <ul className="wss-apply-checks" data-testid="apply-checks" aria-label={t(lang, 'wizard.verify.byApply')}>
          {state.run.checks.map((c) => (
            <li key={c.url} data-ok={c.ok} className={c.ok ? 'wss-note-info' : 'wss-note-error'}>
              {c.ok ? '✔' : '✖'} <code>{c.url}</code> {c.codes.length > 0 && `(${c.codes.join(', ')})`}
            </li>
          ))}
        </ul>
      )}
      {report !== null && <CheckResults report={report} lang={lang} testId="verify-results" />}
      {plan !== null && (state.cert.mode === 'issue' || plan.certificates.some((c) => c.kind === 'issue')) && <TrustSteps plan={plan} lang={lang} />}
      <StepFooter lang={lang} blocker={operation.busy !== null ? 'wizard.why.busy' : null} onBack={() => go('apply')} onNext={() => go('done')} />
    </>
  );
}
