import { useState, type FormEvent } from 'react';
import type { CheckOutput, EndpointReport, Finding } from '../../../../shared/contract/check.js';
import type { OpError } from '../../../../shared/contract/result.js';
import { wsUrlProblem } from '../../../../shared/contract/url.js';
import { t } from '../../../../shared/i18n/index.js';
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
  const [running, setRunning] = useState(false);
  const [report, setReport] = useState<CheckOutput | null>(null);
  const [error, setError] = useState<OpError | null>(null);
  const [problems, setProblems] = useState<readonly LineProblem[]>([]);
  const [step, setStep] = useState<string | null>(null);

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
    setRunning(true);
    setReport(null);
    setError(null);
    setStep(null);
    const result = await api.check(
      {
      urls: lines.map((l) => l.text),
      ...(origin.trim() !== '' ? { origin: origin.trim() } : {}),
      ...(caFile.trim() !== '' ? { caFile: caFile.trim() } : {}),
      ...(/^\d+$/.test(timeoutMs.trim()) ? { timeoutMs: Number(timeoutMs.trim()) } : {}),
      },
      { onProgress: (event) => setStep(event.message) },
    );
    setRunning(false);
    if (result.ok) setReport(result.value);
    else setError(result.error);
  };

  const failed = report?.endpoints.filter((e) => !e.ok).length ?? 0;

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
        {problems.length > 0 && (
          <ul className="wss-problems" role="alert">
            {problems.map((p) => (
              <li key={`${p.line}-${p.message}`}>
                {t(lang, 'ui.check.line', { line: p.line })}: {p.message}
              </li>
            ))}
          </ul>
        )}
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
        {running && (
          <p className="wss-progress" role="status">
            <span className="wss-spinner" aria-hidden="true" /> {step ?? t(lang, 'ui.check.running', { count: lines.length })}
          </p>
        )}
      </form>
      {error !== null && (
        <div className="wss-op-error" role="alert">
          <strong>{t(lang, 'ui.error')}</strong>
          <p>{error.message}</p>
          {error.fix !== undefined && <p className="wss-fix">{error.fix}</p>}
        </div>
      )}
      {report !== null && (
        <div className="wss-results" data-testid="results">
          <p className={report.ok ? 'wss-summary wss-ok' : 'wss-summary wss-bad'} role="status">
            {report.ok ? t(lang, 'ui.check.allOk') : t(lang, 'ui.check.someFailed', { failed, total: report.endpoints.length })}
          </p>
          {report.endpoints.map((endpoint) => (
            <EndpointCard key={endpoint.url} endpoint={endpoint} lang={lang} />
          ))}
        </div>
      )}
    </section>
  );
}

function EndpointCard({ endpoint, lang }: { endpoint: EndpointReport; lang: PanelProps['lang'] }) {
  const timings = Object.entries(endpoint.timings).filter(([, v]) => typeof v === 'number');
  const cert = endpoint.tls?.certificate;
  return (
    <article className={endpoint.ok ? 'wss-endpoint wss-ok' : 'wss-endpoint wss-bad'} data-ok={endpoint.ok}>
      <header>
        <span className="wss-badge">{endpoint.ok ? `✔ ${t(lang, 'report.ok')}` : `✖ ${t(lang, 'report.failed')}`}</span>
        <code className="wss-url">{endpoint.url}</code>
      </header>
      <dl className="wss-facts">
        <dt>{t(lang, 'ui.check.timings')}</dt>
        <dd>{timings.map(([k, v]) => `${k} ${Math.round(v as number)} ms`).join(' · ')}</dd>
        {endpoint.http !== null && (
          <>
            <dt>{t(lang, 'ui.check.status')}</dt>
            <dd>{endpoint.http.status ?? '-'}</dd>
          </>
        )}
        {cert && (
          <>
            <dt>{t(lang, 'ui.check.certificate')}</dt>
            <dd>
              {cert.subject} · {cert.san.join(', ')} · {cert.issuer} · {cert.validTo.slice(0, 10)}
            </dd>
          </>
        )}
        <dt>{t(lang, 'ui.check.echo')}</dt>
        <dd>{endpoint.echo}</dd>
      </dl>
      {endpoint.findings.length === 0 ? (
        <p className="wss-none">{t(lang, 'ui.check.noFindings')}</p>
      ) : (
        <ul className="wss-findings">
          {endpoint.findings.map((f) => (
            <FindingItem key={f.code} finding={f} lang={lang} />
          ))}
        </ul>
      )}
    </article>
  );
}

function FindingItem({ finding, lang }: { finding: Finding; lang: PanelProps['lang'] }) {
  return (
    <li className={`wss-finding wss-${finding.severity}`} data-code={finding.code}>
      <div className="wss-finding-head">
        <span className="wss-severity">{t(lang, `severity.${finding.severity}`)}</span> <code>{finding.code}</code>
      </div>
      <p className="wss-message">{finding.message}</p>
      <p className="wss-fix">
        <strong>{t(lang, 'ui.check.fix')}:</strong> {finding.fix}
      </p>
      {Object.keys(finding.evidence).length > 0 && (
        <details>
          <summary>{t(lang, 'ui.check.evidence')}</summary>
          <pre>{JSON.stringify(finding.evidence, null, 2)}</pre>
        </details>
      )}
    </li>
  );
}
