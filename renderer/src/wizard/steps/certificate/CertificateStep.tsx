import { useState } from 'react';
import { t } from '../../../../../shared/i18n/index.js';
import { CertificatesPanel } from '../../../panels/certificates/CertificatesPanel.js';
import { NameSuggestions } from '../../../components/NameSuggestions.js';
import { Field } from '../../Field.js';
import { StepFooter } from '../../StepFooter.js';
import type { CertChoice } from '../../state.js';
import type { StepProps } from '../../types.js';
import { namesOf } from '../../validate.js';
import { certificateBlocker } from './blocker.js';
import { IssueChoice } from './IssueChoice.js';
import { UploadButton } from './UploadButton.js';
import { filesForPlan } from './use-files.js';

/** Step 3: the certificate as a choice the plan carries (issued at Apply, or the admin's files); names explicit, machine names only suggested. */
export function CertificateStep(props: StepProps) {
  const { api, lang, state, update, go, secrets, setSecret } = props;
  const [caPath, setCaPath] = useState<string | null | undefined>(undefined);
  // Files the tools below wrote and the admin chose for the plan (cleared by the next choice).
  const [used, setUsed] = useState<string | null>(null);
  const cert = state.cert;
  const setCert = (patch: Partial<CertChoice>) => update({ cert: { ...cert, ...patch } });
  const tomcat = state.method === 'tomcat-ssl';
  return (
    <>
      <p className="wss-intro">{t(lang, 'wizard.cert.intro')}</p>
      <fieldset className="wss-modes">
        <legend>{t(lang, 'wizard.step.certificate')}</legend>
        {(['issue', 'existing'] as const).map((m) => (
          <label key={m} className="wss-check">
            <input type="radio" name="cert-mode" value={m} checked={cert.mode === m} onChange={() => {
                setUsed(null);
                setCert({ mode: m, certPath: '', keyPath: '', keystore: '' });
              }}
            /> {t(lang, `wizard.cert.mode.${m}`)}
          </label>
        ))}
      </fieldset>
      {used !== null && (
        <p className="wss-note-info" role="status" data-testid="cert-used">
          {used}
        </p>
      )}
      <div className="wss-form">
        <Field id="cert-names" label={t(lang, 'wizard.cert.names')} value={cert.names} onChange={(v) => setCert({ names: v })} multiline>
          <NameSuggestions api={api} lang={lang} names={cert.names} onAdd={(name) => setCert({ names: [...namesOf(cert.names), name].join('\n') })} />
        </Field>
        {tomcat && (
          <Field
            id="cert-password"
            type="password"
            label={t(lang, 'wizard.cert.password')}
            hint={t(lang, cert.mode === 'issue' ? 'wizard.cert.password.issue' : 'wizard.cert.password.existing')}
            value={secrets.keystorePassword ?? ''}
            onChange={(v) => setSecret('keystorePassword', v)}
          />
        )}
        {cert.mode === 'issue' && <IssueChoice api={api} lang={lang} state={state} onCa={setCaPath} />}
        {cert.mode === 'existing' && !tomcat && (
          <>
            <Field id="cert-certPath" label={t(lang, 'wizard.cert.certPath')} value={cert.certPath} onChange={(v) => setCert({ certPath: v })}>
              <UploadButton id="cert-certPath" lang={lang} onUploaded={(path) => setCert({ certPath: path })} />
            </Field>
            <Field id="cert-keyPath" label={t(lang, 'wizard.cert.keyPath')} value={cert.keyPath} onChange={(v) => setCert({ keyPath: v })}>
              <UploadButton id="cert-keyPath" lang={lang} onUploaded={(path) => setCert({ keyPath: path })} />
            </Field>
          </>
        )}
        {cert.mode === 'existing' && tomcat && (
          <Field id="cert-keystore" label={t(lang, 'wizard.cert.keystore')} value={cert.keystore} onChange={(v) => setCert({ keystore: v })}>
            <UploadButton id="cert-keystore" lang={lang} onUploaded={(path) => setCert({ keystore: path })} />
          </Field>
        )}
      </div>
      <details className="wss-tools">
        <summary>{t(lang, 'wizard.cert.tools')}</summary>
        <CertificatesPanel
          api={api}
          lang={lang}
          onUse={(files) => {
            const choice = filesForPlan(files);
            if (choice === null) return;
            setCert(choice);
            // Only what this method serves: the keystore for method one, the PEM pair in front of it.
            const served = (tomcat ? [choice.keystore] : [choice.certPath, choice.keyPath]).filter((f) => f !== '');
            setUsed(served.length > 0 ? t(lang, 'wizard.cert.usedFiles', { files: served.join(', ') }) : t(lang, tomcat ? 'wizard.cert.usedNoKeystore' : 'wizard.cert.usedNoPair'));
          }}
        />
      </details>
      <StepFooter lang={lang} blocker={certificateBlocker(props, cert.mode === 'issue' ? caPath : null)} onBack={() => go('method')} onNext={() => go('settings')} />
    </>
  );
}
