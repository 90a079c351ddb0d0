import { useState, type FormEvent } from 'react';
import type { CheckOutput } from '../../../../shared/contract/check.js';
import { wsUrlProblem } from '../../../../shared/contract/url.js';
import { t } from '../../../../shared/i18n/index.js';
import { ErrorBox } from '../../components/ErrorBox.js';
import { CheckResults } from '../../components/CheckResults.js';
import { ProblemList } from '../../components/ProblemList.js';
import { Progress } from '../../components/Progress.js';
import { useOperation } from '../../hooks/use-operation.js';
import type { PanelProps } from '../types.js';

interface LineProblem {
  readonly line: number;
  readonly message: string;
}

/** "Check a WebSocket": URL list, optional page origin and CA, results with each finding's message and fix. */
export function CheckPanel({ api, lang }: PanelProps) {
  const [urls, setUrls] = useState('');
  const [origin, setOrigin] = useState('');
  const [caFile, setCaFile] = useState('');
  const [timeoutMs, setTimeoutMs] = useState('8000');
  const [report, setReport] = useState<CheckOutput | null>(null);
  const [problems, setProblems] = useState<readonly LineProblem[]>([]);
  const operation = useOperation();

  const lines = urls
    .split('\n')
    .map((text, index) => ({ text: text.trim(), line: index + 1 }))
    .filter((l) => l.text !== '');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = lines.flatMap((l) => {
      const problem = wsUrlProblem(l.text);
      return problem === null ? [] : [{ line: l.line, message: t(lang, problem, { value: l.text }) }];
    });
    if (lines.length === 0) found.push({ line: 1, message: t(lang, 'input.urls.empty') });
    setProblems(found);
    if (found.length > 0) return;
    setReport(null);
    const input = {
      urls: lines.map((l) => l.text),
      ...(origin.trim() !== '' ? { origin: origin.trim() } : {}),
      ...(caFile.trim() !== '' ? { caFile: caFile.trim() } : {}),
      ...(/^\d+$/.test(timeoutMs.trim()) ? { timeoutMs: Number(timeoutMs.trim()) } : {}),
    };
    const value = await operation.run(t(lang, 'ui.check.running', { count: lines.length }), (onProgress) => api.check(input, { onProgress }));
    if (value !== null) setReport(value);
  };
  const running = operation.busy !== null;


  return (
    <section className="wss-panel" aria-labelledby="check-heading">
      <h2 id="check-heading">{t(lang, 'ui.check.heading')}</h2>
      <p className="wss-intro">{t(lang, 'ui.check.intro')}</p>
      <form onSubmit={submit} className="wss-form" noValidate>
        <label>
          {t(lang, 'ui.check.urls')}
          <textarea
            name="urls"
            rows={4}
            spellCheck={false}
            value={urls}
            placeholder={t(lang, 'ui.check.urlsPlaceholder')}
            onChange={(e) => setUrls(e.target.value)}
            aria-invalid={problems.length > 0}
          />
        </label>
        <ProblemList problems={problems.map((p) => ({ key: `${p.line}-${p.message}`, text: `${t(lang, 'ui.check.line', { line: p.line })}: ${p.message}` }))} />
        <label>
          {t(lang, 'ui.check.origin')}
          <input name="origin" type="text" spellCheck={false} value={origin} placeholder={t(lang, 'ui.check.originPlaceholder')} onChange={(e) => setOrigin(e.target.value)} />
        </label>
        <div className="wss-row">
          <label>
            {t(lang, 'ui.check.ca')}
            <input name="caFile" type="text" spellCheck={false} value={caFile} placeholder={t(lang, 'ui.check.caPlaceholder')} onChange={(e) => setCaFile(e.target.value)} />
          </label>
          <label className="wss-narrow">
            {t(lang, 'ui.check.timeout')}
            <input name="timeoutMs" type="text" inputMode="numeric" value={timeoutMs} onChange={(e) => setTimeoutMs(e.target.value)} />
          </label>
        </div>
        <button type="submit" className="wss-primary" disabled={running}>
          {t(lang, 'ui.check.run')}
        </button>
        <Progress message={operation.busy} />
      </form>
      <ErrorBox error={operation.error} title={t(lang, 'ui.error')} />
      {report !== null && <CheckResults report={report} lang={lang} testId="results" />}
    </section>
  );
}
