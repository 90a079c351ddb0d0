import { useEffect, useState } from 'react';
import type { RunSummary } from '../../../shared/contract/apply.js';
import type { CheckOutput } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import type { Result } from '../../../shared/contract/result.js';
import { wsUrlProblem } from '../../../shared/contract/url.js';
import { t } from '../../../shared/i18n/index.js';
import type { Api } from '../api.js';
import { CheckResults } from '../components/CheckResults.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { Progress } from '../components/Progress.js';
import { useOperation } from '../hooks/use-operation.js';

/** The last applied run's checks, run again now (trusting the local CA when there is one). */
async function checkLastRun(api: Api, onProgress: Parameters<Api['check']>[1]): Promise<Result<{ readonly report: CheckOutput | null; readonly run?: RunSummary }>> {
  const history = await api.applyHistory({});
  if (!history.ok) return history;
  const last = history.value.runs.find((r) => r.kind === 'apply' && r.state === 'applied');
  if (last === undefined) return { ok: true, value: { report: null } };
  const shown = await api.applyShow({ run: last.id });
  if (!shown.ok) return shown;
  const urls = [...new Set(shown.value.checks.map((c) => c.url))].filter((u) => wsUrlProblem(u) === null);
  if (urls.length === 0) return { ok: true, value: { report: null, run: last } };
  const ca = await api.certTrust({ action: 'status' });
  const checked = await api.check({ urls, ...(ca.ok ? { caFile: ca.value.caPath } : {}) }, onProgress);
  return checked.ok ? { ok: true, value: { report: checked.value, run: last } } : checked;
}

/** "Check my setup": the post-install health check, opened any time later. */
export function CheckMySetup({ api, lang }: { readonly api: Api; readonly lang: Lang }) {
  const operation = useOperation();
  const [report, setReport] = useState<CheckOutput | null | undefined>(undefined);
  const [lastRun, setLastRun] = useState<RunSummary | null>(null);
  const run = async () => {
    const value = await operation.run(t(lang, 'wizard.busy'), (onProgress) => checkLastRun(api, { onProgress }));
    if (value !== null) {
      setReport(value.report);
      setLastRun(value.run ?? null);
    }
  };
  useEffect(() => {
    void run();
    // once when opened
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <section className="wss-panel" aria-labelledby="mysetup-heading">
      <h2 id="mysetup-heading">{t(lang, 'wizard.checkMySetup')}</h2>
      <button type="button" className="wss-secondary" disabled={operation.busy !== null} onClick={() => void run()}>
        {t(lang, 'wizard.verify.run')}
      </button>
      <Progress message={operation.busy} />
      <ErrorBox error={operation.error} />
      {lastRun !== null && (
        <p data-testid="mysetup-run" data-run={lastRun.id}>
          {t(lang, 'wizard.checkMySetup.run', { id: lastRun.id, method: lastRun.method, at: lastRun.finishedAt ?? lastRun.startedAt })}
        </p>
      )}
      {report === null && <p className="wss-none">{t(lang, 'wizard.checkMySetup.none')}</p>}
      {report !== undefined && report !== null && <CheckResults report={report} lang={lang} testId="mysetup-results" />}
    </section>
  );
}
