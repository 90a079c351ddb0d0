import { useEffect, useState } from 'react';
import type { Lang } from '../../../shared/contract/common.js';
import { t } from '../../../shared/i18n/index.js';
import type { Api } from '../api.js';

/**
 * Crash recovery, as every CLI command says it: when an apply was cut off (the process killed, the
 * power lost), the journal holds an unfinished run and no apply is allowed until it is recovered.
 * The banner names the run and offers to put back the state before it.
 */
export function UnfinishedRunBanner({ api, lang }: { readonly api: Api; readonly lang: Lang }) {
  const [runs, setRuns] = useState<readonly string[]>([]);
  const [state, setState] = useState<'idle' | 'busy' | 'done' | 'failed'>('idle');
  const [message, setMessage] = useState('');

  useEffect(() => {
    let live = true;
    void api.applyHistory({}).then((r) => {
      if (live && r.ok) setRuns(r.value.unfinished);
    });
    return () => {
      live = false;
    };
  }, [api]);

  if (runs.length === 0 && state !== 'done') return null;
  const recover = async () => {
    setState('busy');
    const r = await api.applyRecover({});
    if (r.ok && (r.value.restore?.manual.length ?? 0) === 0) {
      setState('done');
      setRuns([]);
    } else {
      setState('failed');
      setMessage(r.ok ? t(lang, 'ui.unfinished.manual') : r.error.message);
    }
  };
  if (state === 'done') {
    return (
      <div className="wss-banner wss-banner-ok" role="status">
        {t(lang, 'ui.unfinished.recovered')}
      </div>
    );
  }
  return (
    <div className="wss-banner wss-banner-warn" role="alert">
      <p>{t(lang, 'ui.unfinished.text', { run: runs.join(', ') })}</p>
      <button type="button" onClick={() => void recover()} disabled={state === 'busy'}>
        {t(lang, state === 'busy' ? 'ui.unfinished.recovering' : 'ui.unfinished.recover')}
      </button>
      {state === 'failed' ? <p className="wss-error">{message}</p> : null}
    </div>
  );
}
