import { t } from '../../../../../shared/i18n/index.js';
import { Field } from '../../Field.js';
import { StepFooter } from '../../StepFooter.js';
import type { Settings } from '../../state.js';
import type { StepProps } from '../../types.js';
import { useProblems } from '../../use-problems.js';
import { planRequest } from './plan-input.js';

const DEFAULTS: Record<string, Record<string, string>> = {
  'nginx-proxy': { httpsPort: '443', httpPort: '80', forwardPort: '38889', websocketPort: '38888', app: '127.0.0.1:8080' },
  'apache-proxy': { httpsPort: '443', httpPort: '80', forwardPort: '38889', websocketPort: '38888', app: '127.0.0.1:8080' },
  'tomcat-ssl': { httpsPort: '8443' },
};

/** Step 4: ports, address, redirect, CORS; a problem names its field and highlights it until it changes. */
export function SettingsStep({ lang, state, update, go, secrets }: StepProps) {
  const problems = useProblems();
  const s = state.settings;
  const proxy = state.method !== 'tomcat-ssl';
  const defaults = DEFAULTS[state.method ?? 'nginx-proxy'] ?? {};
  const set = (name: keyof Settings, value: string | boolean) => {
    problems.clear(`settings-${name}`);
    update({ settings: { ...s, [name]: value } });
  };
  const text = (name: 'httpsPort' | 'httpPort' | 'forwardPort' | 'websocketPort' | 'app' | 'listenAddress' | 'wsPath', hint?: string) => (
    <Field
      id={`settings-${name}`}
      label={t(lang, `wizard.settings.${name}`)}
      value={s[name]}
      onChange={(v) => set(name, v)}
      problem={problems.of(`settings-${name}`)}
      {...(hint !== undefined ? { hint } : defaults[name] !== undefined ? { hint: t(lang, 'wizard.settings.default', { value: defaults[name] }) } : {})}
    />
  );
  const next = () => {
    const { problems: found } = planRequest(state, secrets, lang);
    problems.show(found);
    if (found.length === 0) go('review');
  };
  return (
    <>
      <p className="wss-intro">{t(lang, 'wizard.settings.intro')}</p>
      <div className="wss-form">
        {text('httpsPort')}
        {proxy && text('forwardPort')}
        {proxy && text('websocketPort')}
        {proxy && text('app')}
        {text('listenAddress')}
        {!proxy && text('wsPath', t(lang, 'wizard.settings.wsPath.hint'))}
        <label className="wss-check">
          <input type="checkbox" checked={s.redirectHttp} onChange={(e) => set('redirectHttp', e.target.checked)} /> {t(lang, 'wizard.settings.redirect')}
        </label>
        {/* Method one redirects through Tomcat's own web.xml (a CONFIDENTIAL constraint); no port to give. */}
        {!proxy && s.redirectHttp && <p className="wss-hint">{t(lang, 'wizard.settings.redirect.tomcat')}</p>}
        {proxy && (
          <>
            {s.redirectHttp && text('httpPort')}
            {state.method === 'nginx-proxy' && (
              <label className="wss-check">
                <input type="checkbox" checked={s.cors} onChange={(e) => set('cors', e.target.checked)} /> {t(lang, 'wizard.settings.cors')}
              </label>
            )}
          </>
        )}
      </div>
      <ul className="wss-problems" role="alert">
        {problems.problems.map((p) => (
          <li key={p.field}>
            <a href={`#${p.field}`}>{p.text}</a>
          </li>
        ))}
      </ul>
      <StepFooter lang={lang} blocker={null} onBack={() => go('certificate')} onNext={next} />
    </>
  );
}
