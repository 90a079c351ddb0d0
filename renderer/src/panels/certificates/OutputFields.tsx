import type { OutputFormat } from '../../../../shared/contract/certs.js';
import { t } from '../../../../shared/i18n/index.js';
import { wantsPassword, type CertFormProps } from './cert-form.js';

/** Where the files go: the folder (absolute) and the base name, shared by certificates and CSRs. */
export function LocationFields({ fields, set, lang }: Omit<CertFormProps, 'busy'>) {
  return (
    <div className="wss-row">
      <label>
        {t(lang, 'certs.panel.outDir')}
        <input value={fields.outDir} onChange={(e) => set('outDir', e.target.value)} spellCheck={false} placeholder="/etc/wss-setup/certs" />
      </label>
      <label className="wss-narrow">
        {t(lang, 'certs.panel.baseName')}
        <input value={fields.baseName} onChange={(e) => set('baseName', e.target.value)} spellCheck={false} />
      </label>
    </div>
  );
}

/** The location, the formats to write, the keystore password they need, and overwrite. */
export function OutputFields(props: Omit<CertFormProps, 'busy'>) {
  const { fields, set, lang } = props;
  const toggle = (format: OutputFormat) => set('formats', fields.formats.includes(format) ? fields.formats.filter((f) => f !== format) : [...fields.formats, format]);
  return (
    <>
      <LocationFields {...props} />
      <fieldset className="wss-formats">
        <legend>{t(lang, 'certs.panel.formats')}</legend>
        {(['pem', 'pkcs12', 'jks'] as const).map((format) => (
          <label key={format} className="wss-check">
            <input type="checkbox" checked={fields.formats.includes(format)} onChange={() => toggle(format)} /> {t(lang, `certs.panel.format.${format}`)}
          </label>
        ))}
      </fieldset>
      {wantsPassword(fields) && (
        <label>
          {t(lang, 'certs.panel.password')}
          <input type="password" autoComplete="new-password" value={fields.password} onChange={(e) => set('password', e.target.value)} />
        </label>
      )}
      <label className="wss-check">
        <input type="checkbox" checked={fields.overwrite} onChange={(e) => set('overwrite', e.target.checked)} /> {t(lang, 'certs.panel.overwrite')}
      </label>
    </>
  );
}
