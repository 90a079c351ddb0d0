import type { FormEvent, ReactNode } from 'react';
import type { CertTrustOutput } from '../../../../shared/contract/certs.js';
import { t } from '../../../../shared/i18n/index.js';
import type { CertFormProps } from './cert-form.js';
import { OutputFields } from './OutputFields.js';

/** Mode "local CA": the CA's state (create it when missing) and the server certificate form. */
export function LocalCertForm(
  props: CertFormProps & {
    readonly ca: CertTrustOutput | null;
    readonly caMissing: boolean;
    readonly namesField: ReactNode;
    readonly onCreateCa: () => void;
    readonly onSubmit: (event: FormEvent) => void;
  },
) {
  const { ca, caMissing, busy, lang } = props;
  return (
    <>
      <div className="wss-ca">
        <h3>{t(lang, 'certs.panel.ca.title')}</h3>
        {ca !== null ? (
          <p>
            {t(lang, 'certs.panel.ca.present', { path: ca.caPath })} — <code>{ca.caFingerprint256}</code>
          </p>
        ) : (
          caMissing && (
            <p>
              {t(lang, 'certs.panel.ca.none')}{' '}
              <button type="button" className="wss-primary" disabled={busy} onClick={props.onCreateCa}>
                {t(lang, 'certs.panel.ca.create')}
              </button>
            </p>
          )
        )}
      </div>
      <form className="wss-form" onSubmit={props.onSubmit} noValidate>
        {props.namesField}
        <OutputFields fields={props.fields} set={props.set} lang={lang} />
        <button type="submit" className="wss-primary" disabled={busy || ca === null}>
          {t(lang, 'certs.panel.issue')}
        </button>
      </form>
    </>
  );
}
