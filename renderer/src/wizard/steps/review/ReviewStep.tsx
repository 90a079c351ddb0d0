import { useEffect, useState } from 'react';
import type { OpError, Result } from '../../../../../shared/contract/result.js';
import type { Plan } from '../../../../../shared/contract/plan.js';
import { t } from '../../../../../shared/i18n/index.js';
import { ErrorBox } from '../../../components/ErrorBox.js';
import { Progress } from '../../../components/Progress.js';
import { useOperation } from '../../../hooks/use-operation.js';
import { downloadText } from '../../download.js';
import { StepFooter } from '../../StepFooter.js';
import type { StepProps } from '../../types.js';
import { planRequest } from '../settings/plan-input.js';
import { reviewBlocker } from './blocker.js';
import { PlanDetails } from './PlanDetails.js';

/** Step 5: the plan from the real planner (validated on a temporary copy); nothing is written. */
export function ReviewStep({ api, lang, state, update, go, secrets }: StepProps) {
  const operation = useOperation();
  const [caPath, setCaPath] = useState<string | null | undefined>(undefined);
  const make = async () => {
    const { request, problems } = planRequest(state, secrets, lang);
    if (request === null) {
      // A field of an earlier step is wrong: say which (its label), the admin goes back to fix it.
      operation.setError({ code: 'INVALID_INPUT', message: problems.map((p) => p.text).join(' ') } satisfies OpError);
      return;
    }
    const value = await operation.run(t(lang, 'wizard.review.busy'), (): Promise<Result<{ plan: Plan; changed: boolean }>> => {
      switch (request.op) {
        case 'planNginxProxy':
          return api.planNginxProxy(request.input);
        case 'planTomcatSsl':
          return api.planTomcatSsl(request.input);
        default:
          return api.planApacheProxy(request.input);
      }
    });
    if (value === null) return;
    // A certificate the local CA issues at Apply: the checks trust that CA (the system trust store is left alone).
    const caFile = value.plan.certificates.some((c) => c.kind === 'issue') ? await localCa() : null;
    const plan = caFile === null ? value.plan : { ...value.plan, checks: value.plan.checks.map((c) => (c.ca === undefined ? { ...c, ca: caFile } : c)) };
    update({ plan, run: null, verify: null });
  };
  /** The local CA's certificate (it signs an `issue` action at Apply), or null when there is none. */
  const localCa = async (): Promise<string | null> => {
    const status = await api.certTrust({ action: 'status' });
    const path = status.ok ? status.value.caPath : null;
    setCaPath(path);
    return path;
  };
  useEffect(() => {
    if (state.plan === null) void make();
    else if (state.plan.certificates.some((c) => c.kind === 'issue')) void localCa();
    // make once when the step opens without a plan
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const plan = state.plan;
  return (
    <>
      <p className="wss-intro">{t(lang, 'wizard.review.intro')}</p>
      <div className="wss-actions">
        <button type="button" className="wss-secondary" disabled={operation.busy !== null} onClick={() => void make()}>
          {t(lang, 'wizard.review.make')}
        </button>
        {plan !== null && (
          <button type="button" className="wss-secondary" onClick={() => downloadText('plan.json', `${JSON.stringify(plan, null, 2)}\n`, 'application/json')}>
            {t(lang, 'wizard.review.save')}
          </button>
        )}
      </div>
      <Progress message={operation.busy} />
      <ErrorBox error={operation.error} />
      {plan !== null && plan.files.length === 0 && plan.fineDbRows.length === 0 && <p className="wss-note-info">{t(lang, 'wizard.review.noChanges')}</p>}
      {plan !== null && <PlanDetails plan={plan} lang={lang} caPath={caPath ?? null} />}
      <StepFooter lang={lang} blocker={reviewBlocker(plan, operation.busy !== null, caPath)} onBack={() => go('settings')} onNext={() => go('apply')} />
    </>
  );
}
