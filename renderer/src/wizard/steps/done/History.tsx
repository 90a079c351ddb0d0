import { useEffect, useState } from 'react';
import type { ApplyOutput, HistoryOutput } from '../../../../../shared/contract/apply.js';
import { t } from '../../../../../shared/i18n/index.js';
import { ErrorBox } from '../../../components/ErrorBox.js';
import { Progress } from '../../../components/Progress.js';
import { useOperation } from '../../../hooks/use-operation.js';
import { Field } from '../../Field.js';
import type { StepProps } from '../../types.js';
import { secretNames } from '../../secret-names.js';
import { ApplyResult } from '../apply/ApplyResult.js';

/** The names an APPLY_SECRET_MISSING refusal lists (its evidence), or null for any other error. */
function missingSecrets(error: { readonly code: string; readonly evidence?: Readonly<Record<string, unknown>> }): string[] | null {
  const names = error.evidence?.names;
  return error.code === 'APPLY_SECRET_MISSING' && Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : null;
}

/**
 * The runs journaled on this machine, each applied one with a Roll back button. A rollback that
 * needs a secret this page no longer holds (after a reload, or a run of another session) asks for it.
 */
export function History({ api, lang, state, secrets, setSecret }: Pick<StepProps, 'api' | 'lang' | 'state' | 'secrets' | 'setSecret'>) {
  const operation = useOperation();
  const [history, setHistory] = useState<HistoryOutput | null>(null);
  const [rolledBack, setRolledBack] = useState<ApplyOutput | null>(null);
  const [asked, setAsked] = useState<{ readonly run: string; readonly names: readonly string[] } | null>(null);
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
    const names = new Set([...(state.plan === null ? [] : secretNames(state.plan)), ...(asked?.run === run ? asked.names : [])]);
    const given = Object.fromEntries([...names].filter((n) => (secrets[n] ?? '') !== '').map((n) => [n, secrets[n]!]));
    let missing: string[] | null = null;
    const value = await operation.run(t(lang, 'wizard.busy'), async (onProgress) => {
      const result = await api.applyRollback({ run, secrets: given }, { onProgress });
      missing = result.ok ? null : missingSecrets(result.error);
      return result;
    });
    if (missing !== null) {
      // The fields below say what is needed, in the page's language (the engine's message names CLI options).
      operation.setError(null);
      setAsked({ run, names: missing });
    }
    if (value !== null) {
      setAsked(null);
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
      {asked !== null && (
        <div className="wss-form" data-testid="rollback-secrets">
          <p id="rollback-secrets-why">{t(lang, 'wizard.done.secretsNeeded', { run: asked.run })}</p>
          {asked.names.map((n) => (
            <Field key={n} id={`rollback-secret-${n}`} type="password" label={t(lang, 'wizard.apply.secret', { name: n })} value={secrets[n] ?? ''} onChange={(v) => setSecret(n, v)} />
          ))}
          <button type="button" className="wss-primary" aria-describedby="rollback-secrets-why" disabled={operation.busy !== null || asked.names.some((n) => (secrets[n] ?? '') === '')} onClick={() => void rollback(asked.run)}>
            {t(lang, 'wizard.done.rollbackWith', { run: asked.run })}
          </button>
        </div>
      )}
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
