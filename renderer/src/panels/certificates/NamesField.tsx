import { t } from '../../../../shared/i18n/index.js';
import type { CertFormProps } from './cert-form.js';

/** The names the certificate must cover, with a button that refills them from this machine's names. */
export function NamesField({ fields, set, lang, invalid, onSuggest }: Omit<CertFormProps, 'busy'> & { readonly invalid: boolean; readonly onSuggest: () => void }) {
  return (
    <label>
      <span>
        {t(lang, 'certs.panel.names')}{' '}
        <button type="button" className="wss-link" onClick={onSuggest}>
          {t(lang, 'certs.panel.names.suggest')}
        </button>
      </span>
      <textarea rows={4} spellCheck={false} value={fields.names} onChange={(e) => set('names', e.target.value)} aria-invalid={invalid} />
    </label>
  );
}
