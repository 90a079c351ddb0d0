import { useEffect, useRef, useState, type ComponentType } from 'react';
import type { Lang } from '../../../shared/contract/common.js';
import { t } from '../../../shared/i18n/index.js';
import type { Api } from '../api.js';
import { loadState, saveState, STEPS, withChange, INITIAL_STATE, type StepId, type WizardState } from './state.js';
import { ApplyStep } from './steps/apply/ApplyStep.js';
import { CertificateStep } from './steps/certificate/CertificateStep.js';
import { DetectStep } from './steps/detect/DetectStep.js';
import { DoneStep } from './steps/done/DoneStep.js';
import { MethodStep } from './steps/method/MethodStep.js';
import { ReviewStep } from './steps/review/ReviewStep.js';
import { SettingsStep } from './steps/settings/SettingsStep.js';
import { VerifyStep } from './steps/verify/VerifyStep.js';
import type { StepProps } from './types.js';

const COMPONENTS: Record<StepId, ComponentType<StepProps>> = {
  detect: DetectStep,
  method: MethodStep,
  certificate: CertificateStep,
  settings: SettingsStep,
  review: ReviewStep,
  apply: ApplyStep,
  verify: VerifyStep,
  done: DoneStep,
};

const storage = (): Storage | null => {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
};

/**
 * Secret values typed in this page (keystore password…): memory only, never saved with the state.
 * Kept outside the component so switching to another panel (Check my setup) and back keeps them
 * for Apply and Roll back; a reload forgets them.
 */
const pageSecrets: Record<string, string> = {};

/** The step-by-step wizard: one state across the steps, kept in this tab so a reload resumes where it was. */
export function Wizard({ api, lang }: { readonly api: Api; readonly lang: Lang }) {
  const [state, setState] = useState<WizardState>(() => loadState(storage()) ?? INITIAL_STATE);
  const [secrets, setSecrets] = useState<Readonly<Record<string, string>>>(() => ({ ...pageSecrets }));
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => saveState(storage(), state), [state]);
  const update = (patch: Partial<WizardState>) => setState((current) => withChange(current, patch));
  const go = (step: StepId) => {
    setState((current) => ({ ...current, step }));
    // The new step's heading takes the focus, so keyboard and screen-reader users land on it.
    setTimeout(() => heading.current?.focus(), 0);
  };
  const setSecret = (name: string, value: string) => {
    pageSecrets[name] = value;
    setSecrets((current) => ({ ...current, [name]: value }));
  };
  const Step = COMPONENTS[state.step];
  const index = STEPS.indexOf(state.step);
  return (
    <section className="wss-panel wss-wizard" aria-labelledby="wizard-step-heading" data-step={state.step}>
      <nav aria-label={t(lang, 'wizard.nav.steps')}>
        <ol className="wss-stepper">
          {STEPS.map((step, i) => (
            <li key={step}>
              <button type="button" className={step === state.step ? 'wss-nav-item wss-active' : i < index ? 'wss-nav-item wss-visited' : 'wss-nav-item'} aria-current={step === state.step ? 'step' : undefined} onClick={() => go(step)}>
                <span className="wss-step">{i + 1}</span> {t(lang, `wizard.step.${step}`)}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <h2 id="wizard-step-heading" tabIndex={-1} ref={heading}>
        {index + 1}. {t(lang, `wizard.step.${state.step}`)}
      </h2>
      <Step key={state.step} api={api} lang={lang} state={state} update={update} go={go} secrets={secrets} setSecret={setSecret} />
    </section>
  );
}
