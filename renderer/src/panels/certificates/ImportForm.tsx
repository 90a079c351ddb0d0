import type { FormEvent, ReactNode } from 'react';
import { t } from '../../../../shared/i18n/index.js';
import type { CertFormProps, ImportKind } from './cert-form.js';
import { OutputFields } from './OutputFields.js';
import { UploadButton } from '../../wizard/steps/certificate/UploadButton.js';

/**
 * Mode "import": existing PEM + key, PKCS#12 or JKS material, written in the chosen formats or only
 * inspected. In serve mode each file can come from the admin's computer (uploaded into the server's
 * private upload folder; the field then holds its path there).
 */
export function ImportForm(props: CertFormProps & { readonly namesField: ReactNode; readonly onSubmit: (event: FormEvent) => void; readonly onInspect: () => void }) {
  const { fields, set, lang, busy } = props;
  return (
    <form className="wss-form" onSubmit={props.onSubmit} noValidate>
      <label>
        {t(lang, 'certs.panel.import.kind')}
        <select value={fields.importKind} onChange={(e) => set('importKind', e.target.value as ImportKind)}>
          {(['pem', 'pkcs12', 'jks'] as const).map((k) => (
            <option key={k} value={k}>
              {t(lang, `certs.panel.import.${k}`)}
            </option>
          ))}
        </select>
      </label>
      {fields.importKind === 'pem' ? (
        <>
          <label>
            {t(lang, 'certs.panel.import.cert')}
            <input value={fields.certFile} onChange={(e) => set('certFile', e.target.value)} spellCheck={false} />
          </label>
          <UploadButton id="import-certFile" lang={lang} onUploaded={(path) => set('certFile', path)} />
          <label>
            {t(lang, 'certs.panel.import.key')}
            <input value={fields.keyFile} onChange={(e) => set('keyFile', e.target.value)} spellCheck={false} />
          </label>
          <UploadButton id="import-keyFile" lang={lang} onUploaded={(path) => set('keyFile', path)} />
          <label>
            {t(lang, 'certs.panel.import.chain')}
            <input value={fields.chainFile} onChange={(e) => set('chainFile', e.target.value)} spellCheck={false} />
          </label>
          <UploadButton id="import-chainFile" lang={lang} onUploaded={(path) => set('chainFile', path)} />
        </>
      ) : (
        <>
          <label>
            {t(lang, 'certs.panel.import.file')}
            <input value={fields.sourceFile} onChange={(e) => set('sourceFile', e.target.value)} spellCheck={false} />
          </label>
          <UploadButton id="import-sourceFile" lang={lang} onUploaded={(path) => set('sourceFile', path)} />
        </>
      )}
      <label>
        {t(lang, 'certs.panel.import.passphrase')}
        <input type="password" autoComplete="off" value={fields.passphrase} onChange={(e) => set('passphrase', e.target.value)} />
      </label>
      {props.namesField}
      <OutputFields fields={fields} set={set} lang={lang} />
      <div className="wss-row">
        <button type="submit" className="wss-primary" disabled={busy}>
          {t(lang, 'certs.panel.import.run')}
        </button>
        <button type="button" className="wss-nav-item" disabled={busy} onClick={props.onInspect}>
          {t(lang, 'certs.panel.inspect.run')}
        </button>
      </div>
    </form>
  );
}
