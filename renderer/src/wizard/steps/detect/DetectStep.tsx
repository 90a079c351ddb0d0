import { t } from '../../../../../shared/i18n/index.js';
import { ErrorBox } from '../../../components/ErrorBox.js';
import { Progress } from '../../../components/Progress.js';
import { useOperation } from '../../../hooks/use-operation.js';
import { Field } from '../../Field.js';
import { StepFooter } from '../../StepFooter.js';
import type { Target } from '../../state.js';
import type { StepProps } from '../../types.js';
import { DetectFindings } from './DetectFindings.js';
import { prefillTarget, targetOfProduct } from './prefill.js';

const TARGET_FIELDS = [
  ['install', 'wizard.detect.install'],
  ['nginxConf', 'wizard.detect.nginxConf'],
  ['nginxBin', 'wizard.detect.nginxBin'],
  ['catalinaBase', 'wizard.detect.catalinaBase'],
  ['catalinaHome', 'wizard.detect.catalinaHome'],
  ['apacheConf', 'wizard.detect.apacheConf'],
] as const;

/** Step 1: what is on this machine; the paths found (or typed when nothing is found). */
export function DetectStep({ api, lang, state, update, go }: StepProps) {
  const operation = useOperation();
  const detect = async () => {
    const found = await operation.run(t(lang, 'wizard.busy'), (onProgress) => api.detect({}, { onProgress }));
    if (found !== null) update({ detected: found, target: prefillTarget(state.target, found) });
  };
  const setTarget = (name: keyof Target, value: string) => update({ target: { ...state.target, [name]: value } });
  const hasTarget = Object.values(state.target).some((v) => v.trim() !== '');
  const blocker = operation.busy !== null ? 'wizard.why.busy' : state.detected === null && !hasTarget ? 'wizard.why.detect' : null;
  return (
    <>
      <p className="wss-intro">{t(lang, 'wizard.detect.intro')}</p>
      <button type="button" className="wss-primary" onClick={() => void detect()} disabled={operation.busy !== null}>
        {t(lang, 'wizard.detect.run')}
      </button>
      <Progress message={operation.busy} />
      <ErrorBox error={operation.error} />
      {state.detected !== null && <DetectFindings found={state.detected} lang={lang} current={state.target.install} onUse={(p) => update({ target: targetOfProduct(state.target, state.detected!, p) })} />}
      <div className="wss-form">
        {TARGET_FIELDS.map(([name, label]) => (
          <Field key={name} id={`target-${name}`} label={t(lang, label)} value={state.target[name]} onChange={(v) => setTarget(name, v)} />
        ))}
      </div>
      <StepFooter lang={lang} blocker={blocker} onNext={() => go('method')} />
    </>
  );
}
