import { t } from '../../../../../shared/i18n/index.js';
import { StepFooter } from '../../StepFooter.js';
import type { StepProps } from '../../types.js';
import { METHODS, recommend, unavailable } from './recommend.js';

/** Step 2: method one, two or Apache, the recommendation with its reason; unavailable ones say why. */
export function MethodStep({ lang, state, update, go }: StepProps) {
  const recommended = recommend(state);
  const impossible = recommended.method === null;
  const blocker = impossible ? 'wizard.why.methodImpossible' : state.method === null || unavailable(state, state.method) !== null ? 'wizard.why.method' : null;
  return (
    <>
      <p className="wss-intro">{t(lang, 'wizard.method.intro')}</p>
      <p className={impossible ? 'wss-note-error' : 'wss-note-info'} data-testid="recommendation">
        {t(lang, recommended.reason)}
      </p>
      <fieldset className="wss-methods">
        <legend>{t(lang, 'wizard.step.method')}</legend>
        {METHODS.map((m) => {
          const why = unavailable(state, m);
          return (
            <label key={m} className={state.method === m ? 'wss-method wss-chosen' : 'wss-method'}>
              <input type="radio" name="method" value={m} checked={state.method === m} disabled={why !== null} onChange={() => update({ method: m })} />
              <span>
                <strong>{t(lang, `wizard.method.${m}`)}</strong>
                {recommended.method === m && <span className="wss-tag">{t(lang, 'wizard.method.recommended')}</span>}
                <br />
                {t(lang, `wizard.method.${m}.desc`)}
                {why !== null && <span className="wss-why"> {t(lang, 'wizard.method.unavailable', { reason: t(lang, why) })}</span>}
              </span>
            </label>
          );
        })}
      </fieldset>
      <StepFooter lang={lang} blocker={blocker} onBack={() => go('detect')} onNext={() => go('certificate')} />
    </>
  );
}
