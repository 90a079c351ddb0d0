import { t } from '../../../../../shared/i18n/index.js';
import { downloadText } from '../../download.js';
import { StepFooter } from '../../StepFooter.js';
import type { StepProps } from '../../types.js';
import { History } from './History.js';
import { reportText } from './report.js';

/** Step 8: the report to save and the history with rollback. */
export function DoneStep(props: StepProps) {
  const { lang, state, go } = props;
  const report = reportText(state, lang);
  return (
    <>
      <p className="wss-intro">{t(lang, 'wizard.done.intro')}</p>
      <pre className="wss-report" data-testid="report" tabIndex={0}>
        {report}
      </pre>
      <button type="button" className="wss-primary" onClick={() => downloadText(`wss-setup-report-${state.run?.runId ?? 'draft'}.md`, report, 'text/markdown')}>
        {t(lang, 'wizard.done.save')}
      </button>
      <History {...props} />
      <StepFooter lang={lang} blocker={null} onBack={() => go('verify')} />
    </>
  );
}
