import { useEffect, useState } from 'react';
import type { ApplyOutput, HistoryOutput } from '../../../../../shared/contract/apply.js';
import { t } from '../../../../../shared/i18n/index.js';
import { ErrorBox } from '../../../components/ErrorBox.js';
import { Progress } from '../../../components/Progress.js';
import { useOperation } from '../../../hooks/use-operation.js';
import type { StepProps } from '../../types.js';
import { secretNames } from '../../secret-names.js';
import { ApplyResult } from '../apply/ApplyResult.js';

/** The runs journaled on this machine, each applied one with a Roll back button. */
export function History({ api, lang, state, secrets }: Pick<StepProps, 'api' | 'lang' | 'state' | 'secrets'>) {
  const operation = useOperation();
  const [history, setHistory] = useState<HistoryOutput | null>(null);
  const [rolledBack, setRolledBack] = useState<ApplyOutput | null>(null);
  const refresh = async () => {
    const value = await operation.run(t(lang, 'wizard.busy'), () => api.applyHistory({}));
    if (value !== null) setHistory(value);
  };
  useEffect(() => {
    void refresh();
    // once on mount
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const rollback = async (run: string) => {
    const names = state.plan === null ? [] : secretNames(state.plan);
    const given = Object.fromEntries(names.filter((n) => secrets[n] !== undefined).map((n) => [n, secrets[n]!]));
    const value = await operation.run(t(lang, 'wizard.busy'), (onProgress) => api.applyRollback({ run, secrets: given }, { onProgress }));
    if (value !== null) {
      setRolledBack(value);
      await refresh();
    }
  };
  return (
    <section className="wss-history" aria-labelledby="history-heading">
      <h3 id="history-heading">
        {t(lang, 'wizard.done.history')}{' '}
        <button type="button" className="wss-secondary" onClick={() => void refresh()} disabled={operation.busy !== null}>
          {t(lang, 'wizard.done.refresh')}
        </button>
      </h3>
      <Progress message={operation.busy} />
      <ErrorBox error={operation.error} />
      {history !== null && history.runs.length === 0 && <p className="wss-none">{t(lang, 'wizard.done.noHistory')}</p>}
      <ul data-testid="history">
        {history?.runs.map((r) => (
          <li key={r.id} data-run={r.id} data-state={r.state}>
            {t(lang, 'wizard.done.run', { id: r.id, kind: r.kind, method: r.method, state: r.state })}{' '}
            {r.kind === 'apply' && r.state === 'applied' && (
              <button type="button" className="wss-secondary" disabled={operation.busy !== null} onClick={() => void rollback(r.id)}>
                {t(lang, 'wizard.done.rollback')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {rolledBack !== null && (
        <>
          <p role="status" data-testid="rolled-back">
            {t(lang, 'wizard.done.rolledBack', { run: rolledBack.runId ?? '-', outcome: rolledBack.outcome })}
          </p>
          <ApplyResult run={rolledBack} lang={lang} />
        </>
      )}
    </section>
  );
}
