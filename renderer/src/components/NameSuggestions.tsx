import { useEffect, useState } from 'react';
import type { Lang } from '../../../shared/contract/common.js';
import { t } from '../../../shared/i18n/index.js';
import type { Api } from '../api.js';

/** The names typed, one a line (commas too), blanks dropped. */
const typedNames = (text: string): string[] => text.split(/[\s,]+/).map((n) => n.trim()).filter((n) => n !== '');

/** This machine's names as buttons that add one name each; nothing is added by itself (the wizard's step and the Certificates panel). */
export function NameSuggestions({ api, lang, names, onAdd }: { readonly api: Api; readonly lang: Lang; readonly names: string; readonly onAdd: (name: string) => void }) {
  const [suggested, setSuggested] = useState<readonly string[]>([]);
  useEffect(() => {
    void api.certSuggestNames({}).then((result) => {
      if (result.ok) setSuggested(result.value.names.map((n) => n.value));
    });
  }, [api]);
  const typed = new Set(typedNames(names));
  const left = suggested.filter((n) => !typed.has(n));
  if (left.length === 0) return null;
  return (
    <div className="wss-suggestions">
      <span>{t(lang, 'wizard.cert.suggestions')}</span>
      {left.map((name) => (
        <button key={name} type="button" className="wss-chip" aria-label={t(lang, 'wizard.cert.addName', { name })} onClick={() => onAdd(name)}>
          + {name}
        </button>
      ))}
    </div>
  );
}
