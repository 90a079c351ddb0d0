import type { CertTrustOutput } from '../../../../shared/contract/certs.js';
import { t } from '../../../../shared/i18n/index.js';
import type { CertFormProps } from './cert-form.js';

/** Trusting the local CA: this machine's store (install/remove), an export for clients, and the steps per client. */
export function TrustSection(
  props: CertFormProps & { readonly ca: CertTrustOutput; readonly exported: string | null; readonly onTrust: (action: 'install' | 'remove') => void; readonly onExport: () => void },
) {
  const { ca, fields, set, lang, busy } = props;
  return (
    <div className="wss-trust">
      <h3>{t(lang, 'certs.panel.trust.title')}</h3>
      <p>{t(lang, ca.installed ? 'certs.report.installed' : 'certs.report.notInstalled', { fingerprint: ca.caFingerprint256, path: ca.anchorPath ?? '' })}</p>
      <div className="wss-row">
        <button type="button" className="wss-nav-item" disabled={busy || ca.store === 'unsupported'} onClick={() => props.onTrust('install')}>
          {t(lang, 'certs.panel.trust.install')}
        </button>
        <button type="button" className="wss-nav-item" disabled={busy || ca.store === 'unsupported'} onClick={() => props.onTrust('remove')}>
          {t(lang, 'certs.panel.trust.remove')}
        </button>
      </div>
      <div className="wss-row">
        <label>
          {t(lang, 'certs.panel.trust.export')}
          <input value={fields.exportFile} onChange={(e) => set('exportFile', e.target.value)} spellCheck={false} placeholder="/tmp/wss-setup-local-ca.crt" />
        </label>
        <button type="button" className="wss-nav-item" disabled={busy || fields.exportFile.trim() === ''} aria-describedby={fields.exportFile.trim() === '' ? 'certs-export-why' : undefined} onClick={props.onExport}>
          {t(lang, 'certs.panel.trust.exportRun')}
        </button>
        {fields.exportFile.trim() === '' && (
          <span id="certs-export-why" className="wss-why">
            {t(lang, 'certs.panel.trust.exportWhy')}
          </span>
        )}
      </div>
      {props.exported !== null && <p>{t(lang, 'certs.report.exported', { path: props.exported })}</p>}
      {ca.steps.map((step) => (
        <details key={step.id} className="wss-step-card">
          <summary>{step.title}</summary>
          <p>{step.text}</p>
          {step.commands.length > 0 && <pre className="wss-pem">{step.commands.join('\n')}</pre>}
        </details>
      ))}
    </div>
  );
}
