import { useEffect, useState } from 'react';
import { t } from '../../../../../shared/i18n/index.js';
import type { StepProps } from '../../types.js';
import { namesOf } from '../../validate.js';

/** This machine's names as buttons that add one name each; nothing is added by itself. */
export function NameSuggestions({ api, lang, names, onAdd }: Pick<StepProps, 'api' | 'lang'> & { readonly names: string; readonly onAdd: (name: string) => void }) {
  const [suggested, setSuggested] = useState<readonly string[]>([]);
  useEffect(() => {
    void api.certSuggestNames({}).then((result) => {
      if (result.ok) setSuggested(result.value.names.map((n) => n.value));
    });
  }, [api]);
  const typed = new Set(namesOf(names));
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
