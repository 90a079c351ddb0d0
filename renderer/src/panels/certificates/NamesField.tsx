import { t } from '../../../../shared/i18n/index.js';
import type { Api } from '../../api.js';
import { NameSuggestions } from '../../components/NameSuggestions.js';
import type { CertFormProps } from './cert-form.js';

/** The names the certificate must cover: empty at start, this machine's names offered as buttons that add one each. */
export function NamesField({ api, fields, set, lang, invalid }: Omit<CertFormProps, 'busy'> & { readonly api: Api; readonly invalid: boolean }) {
  const add = (name: string) => set('names', [...fields.names.split(/[\n,]/).map((n) => n.trim()).filter((n) => n !== ''), name].join('\n'));
  return (
    <div className="wss-field">
      <label htmlFor="certs-names">{t(lang, 'certs.panel.names')}</label>
      <textarea id="certs-names" rows={4} spellCheck={false} value={fields.names} onChange={(e) => set('names', e.target.value)} aria-invalid={invalid} />
      <NameSuggestions api={api} lang={lang} names={fields.names} onAdd={add} />
    </div>
  );
}
