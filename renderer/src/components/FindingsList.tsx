import type { Finding } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t } from '../../../shared/i18n/index.js';
import { findingText } from './finding-text.js';

/** Findings with severity, code, message, fix and evidence — the same in every panel. */
export function FindingsList({ findings, lang, empty }: { readonly findings: readonly Finding[]; readonly lang: Lang; readonly empty: string }) {
  if (findings.length === 0) return <p className="wss-none">{empty}</p>;
  return (
    <ul className="wss-findings">
      {findings.map((f, i) => (
        <FindingItem key={`${f.code}-${i}`} finding={f} lang={lang} />
      ))}
    </ul>
  );
}

function FindingItem({ finding, lang }: { readonly finding: Finding; readonly lang: Lang }) {
  const { message, fix } = findingText(finding, lang);
  return (
    <li className={`wss-finding wss-${finding.severity}`} data-code={finding.code}>
      <div className="wss-finding-head">
        <span className="wss-severity">{t(lang, `severity.${finding.severity}`)}</span> <code>{finding.code}</code>
      </div>
      <p className="wss-message">{message}</p>
      <p className="wss-fix">
        <strong>{t(lang, 'ui.check.fix')}:</strong> {fix}
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
