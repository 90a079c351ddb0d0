import type { FormEvent, ReactNode } from 'react';
import type { OutputFile } from '../../../../shared/contract/certs.js';
import { t } from '../../../../shared/i18n/index.js';
import type { CertFormProps } from './cert-form.js';
import { Files } from './CertResults.js';
import { LocationFields } from './OutputFields.js';
import { inServeMode } from '../../wizard/steps/certificate/UploadButton.js';

/** Mode "CSR": a key and a signing request for a public or company CA, shown to copy. */
export function CsrForm(
  props: CertFormProps & {
    readonly namesField: ReactNode;
    readonly csr: { readonly pem: string; readonly files: readonly OutputFile[] } | null;
    readonly onSubmit: (event: FormEvent) => void;
  },
) {
  const { fields, set, lang, csr } = props;
  return (
    <form className="wss-form" onSubmit={props.onSubmit} noValidate>
      {props.namesField}
      <div className="wss-row">
        <label>
          {t(lang, 'certs.panel.organization')}
          <input value={fields.organization} onChange={(e) => set('organization', e.target.value)} />
        </label>
        <label className="wss-narrow">
          {t(lang, 'certs.panel.country')}
          <input value={fields.country} maxLength={2} onChange={(e) => set('country', e.target.value.toUpperCase())} />
        </label>
      </div>
      <LocationFields fields={fields} set={set} lang={lang} />
      <button type="submit" className="wss-primary" disabled={props.busy}>
        {t(lang, 'certs.panel.csr.create')}
      </button>
      {csr !== null && (
        <div className="wss-csr">
          <Files files={csr.files} lang={lang} />
          <p>{t(lang, 'certs.panel.csr.copy')}</p>
          <pre className="wss-pem">{csr.pem}</pre>
          {inServeMode() &&
            csr.files
              .filter((f) => f.kind === 'csr')
              .map((f) => (
                <p key={f.path}>
                  <a href={`api/download/csr?path=${encodeURIComponent(f.path)}`} download>
                    {t(lang, 'wizard.cert.downloadCsr')}
                  </a>
                </p>
              ))}
        </div>
      )}
    </form>
  );
}
