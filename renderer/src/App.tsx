import { useMemo, useRef, useState, type ComponentType } from 'react';
import { operationNames } from '../../shared/contract/index.js';
import { LANGS, type Lang } from '../../shared/contract/common.js';
import { t, type MessageKey } from '../../shared/i18n/index.js';
import { createApi } from './api.js';
import { UnfinishedRunBanner } from './components/UnfinishedRunBanner.js';
import { CertificatesPanel } from './panels/certificates/CertificatesPanel.js';
import { CheckPanel } from './panels/check/CheckPanel.js';
import type { PanelProps } from './panels/types.js';
import { CheckMySetup } from './wizard/CheckMySetup.js';
import { Wizard } from './wizard/Wizard.js';

interface PanelEntry {
  readonly id: string;
  readonly titleKey: MessageKey;
  readonly component: ComponentType<PanelProps>;
}

/** The step-by-step wizard first, then the tools usable on their own. */
const PANELS: readonly PanelEntry[] = [
  { id: 'wizard', titleKey: 'wizard.nav.steps', component: Wizard },
  { id: 'mysetup', titleKey: 'wizard.checkMySetup', component: CheckMySetup },
  { id: 'certificates', titleKey: 'certs.panel.title', component: CertificatesPanel },
  { id: 'check', titleKey: 'ui.nav.check', component: CheckPanel },
];

function initialLang(): Lang {
  const stored = window.localStorage.getItem('wss-setup.lang');
  if (stored === 'en' || stored === 'zh-CN') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const langRef = useRef(lang);
  langRef.current = lang;
  const api = useMemo(() => createApi(operationNames, () => langRef.current), []);
  const [active, setActive] = useState(PANELS[0]!.id);
  const panel = PANELS.find((p) => p.id === active) ?? PANELS[0]!;
  const Active = panel.component;

  const changeLang = (next: Lang) => {
    window.localStorage.setItem('wss-setup.lang', next);
    document.documentElement.lang = next;
    setLang(next);
  };

  return (
    <div className="wss-app">
      <header className="wss-header">
        <div>
          <h1>{t(lang, 'ui.title')}</h1>
          <p className="wss-subtitle">{t(lang, 'ui.subtitle')}</p>
        </div>
        <label className="wss-lang">
          {t(lang, 'ui.language')}{' '}
          <select value={lang} onChange={(e) => changeLang(e.target.value as Lang)} aria-label={t(lang, 'ui.language')}>
            {LANGS.map((l) => (
              <option key={l} value={l}>
                {l === 'en' ? 'English' : '简体中文'}
              </option>
            ))}
          </select>
        </label>
      </header>
      <nav className="wss-nav" aria-label={t(lang, 'wizard.nav.tools')}>
        {PANELS.map((p) => (
          <button key={p.id} type="button" className={p.id === active ? 'wss-nav-item wss-active' : 'wss-nav-item'} aria-pressed={p.id === active} onClick={() => setActive(p.id)}>
            {t(lang, p.titleKey)}
          </button>
        ))}
      </nav>
      <UnfinishedRunBanner api={api} lang={lang} />
      <main className="wss-main">
        <Active api={api} lang={lang} />
      </main>
    </div>
  );
}
