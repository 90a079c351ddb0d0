import { useRef, useState } from 'react';
import { APPLY_STEPS, applyStepOf } from '../../../../../shared/contract/apply.js';
import { t, tIfKnown } from '../../../../../shared/i18n/index.js';
import { ErrorBox } from '../../../components/ErrorBox.js';
import { useOperation } from '../../../hooks/use-operation.js';
import { Field } from '../../Field.js';
import { secretNames } from '../../secret-names.js';
import { StepFooter } from '../../StepFooter.js';
import type { ApplyLine } from '../../state.js';
import type { StepProps } from '../../types.js';
import { ApplyResult } from './ApplyResult.js';

type Status = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
type Line = ApplyLine;

/** Step 6: apply as a transaction, each step's progress live with a line per service, file, certificate and row; on failure the rollback and the old setup answering. */
export function ApplyStep({ api, lang, state, update, go, secrets, setSecret }: StepProps) {
  const operation = useOperation();
  const [live, setLive] = useState<Readonly<Record<string, Status>>>({});
  // The finer lines (a service stopping, a file written, a row…) under the step they belong to, as codes with params.
  const [lines, setLines] = useState<Readonly<Record<string, readonly Line[]>>>({});
  const current = useRef<string>('preflight');
  // The same lines, kept with the run in the wizard state when the apply ends (a reload shows them again).
  const collected = useRef<Record<string, Line[]>>({});
  const plan = state.plan;
  const names = plan === null ? [] : secretNames(plan);
  const missing = names.filter((n) => (secrets[n] ?? '') === '');
  const apply = async () => {
    if (plan === null) return;
    setLive({});
    setLines({});
    collected.current = {};
    current.current = 'preflight';
    update({ run: null, applyLines: null, verify: null });
    const given = Object.fromEntries(names.map((n) => [n, secrets[n] ?? '']));
    const value = await operation.run(t(lang, 'wizard.busy'), () =>
      api.apply(
        { planText: JSON.stringify(plan), secrets: given },
        {
          onProgress: (event) => {
            const step = applyStepOf(event.step);
            if (step === null) {
              const line: Line = { key: event.step, params: event.params ?? {}, message: event.message };
              const under = current.current;
              collected.current[under] = [...(collected.current[under] ?? []), line];
              setLines((all) => ({ ...all, [under]: [...(all[under] ?? []), line] }));
              return;
            }
            current.current = step;
            setLive((was) => {
              const next: Record<string, Status> = { ...was };
              for (const [k, v] of Object.entries(next)) if (v === 'running') next[k] = 'done';
              next[step] = 'running';
              return next;
            });
          },
        },
      ),
    );
    if (value !== null) update({ run: value, applyLines: collected.current });
  };
  // This page's lines while it runs; after a reload, the ones kept with the run.
  const shown = Object.keys(lines).length > 0 ? lines : (state.applyLines ?? {});
  const reported = new Map((state.run?.steps ?? []).map((s) => [s.name, s.status as Status]));
  const statusOf = (step: string): Status => reported.get(step) ?? live[step] ?? 'pending';
  const busy = operation.busy !== null;
  const blocker = busy ? 'wizard.why.busy' : state.run?.outcome !== 'applied' ? 'wizard.why.applied' : null;
  return (
    <>
      <p className="wss-intro">{t(lang, 'wizard.apply.intro')}</p>
      <div className="wss-form">
        {names.map((n) => (
          <Field key={n} id={`secret-${n}`} type="password" label={t(lang, 'wizard.apply.secret', { name: n })} value={secrets[n] ?? ''} onChange={(v) => setSecret(n, v)} />
        ))}
      </div>
      <button type="button" className="wss-primary" disabled={busy || plan === null || missing.length > 0} aria-describedby={missing.length > 0 ? 'apply-why' : undefined} onClick={() => void apply()}>
        {t(lang, 'wizard.apply.run')}
      </button>
      {missing.length > 0 && (
        <span id="apply-why" className="wss-why">
          {t(lang, 'wizard.field.required')} ({missing.join(', ')})
        </span>
      )}
      <ol className="wss-apply-steps" aria-live="polite" data-testid="apply-steps">
        {APPLY_STEPS.map((step) => {
          const status = statusOf(step);
          return (
            <li key={step} className={`wss-apply-${status}`} data-step={step} data-status={status}>
              {tIfKnown(lang, `progress.apply.${step}`) ?? step} — <span>{t(lang, `wizard.apply.status.${status}`)}</span>
              {(shown[step] ?? []).length > 0 && (
                <ul className="wss-apply-items">
                  {(shown[step] ?? []).map((line, i) => (
                    <li key={i} data-item={line.key} className={line.key === 'progress.apply.rollback' ? 'wss-apply-rollback' : undefined}>
                      {tIfKnown(lang, line.key, line.params) ?? line.message}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      <ErrorBox error={operation.error} />
      {state.run !== null && <ApplyResult run={state.run} lang={lang} />}
      <StepFooter lang={lang} blocker={blocker} onBack={() => go('review')} onNext={() => go('verify')} />
    </>
  );
}
