import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import {
  hostNameProblem,
  type CertIssueOutput,
  type CertSummary,
  type CertTrustOutput,
  type OutputFile,
  type OutputFormat,
} from '../../../../shared/contract/certs.js';
import type { Finding } from '../../../../shared/contract/check.js';
import type { Lang } from '../../../../shared/contract/common.js';
import type { OpError, Result } from '../../../../shared/contract/result.js';
import { t } from '../../../../shared/i18n/index.js';
import type { PanelProps } from '../types.js';

type Mode = 'local' | 'csr' | 'import';
type ImportKind = 'pem' | 'pkcs12' | 'jks';

/** Splits the names box (lines, commas) and reports each bad name with its own message. */
function parseNames(text: string, lang: Lang): { names: string[]; problems: string[] } {
  const names = text
    .split(/[\n,]/)
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const problems = names.flatMap((n) => {
    const problem = hostNameProblem(n);
    return problem === null ? [] : [t(lang, problem, { value: n })];
  });
  if (names.length === 0) problems.push(t(lang, 'certs.input.names.empty'));
  return { names, problems };
}

/**
 * The certificate step of the wizard: a local CA and a server certificate for the names the
 * admin types (prefilled with this machine's), or a CSR for a public/company CA, or an import;
 * then the inspection findings, and trusting the CA on this machine and on the clients.
 */
export function CertificatesPanel({ api, lang }: PanelProps) {
  const [mode, setMode] = useState<Mode>('local');
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<OpError | null>(null);
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [ca, setCa] = useState<CertTrustOutput | null>(null);
  const [caMissing, setCaMissing] = useState(false);

  const [names, setNames] = useState('');
  const [outDir, setOutDir] = useState('');
  const [baseName, setBaseName] = useState('server');
  const [formats, setFormats] = useState<readonly OutputFormat[]>(['pem', 'pkcs12']);
  const [password, setPassword] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [country, setCountry] = useState('');
  const [organization, setOrganization] = useState('');
  const [importKind, setImportKind] = useState<ImportKind>('pem');
  const [certFile, setCertFile] = useState('');
  const [keyFile, setKeyFile] = useState('');
  const [chainFile, setChainFile] = useState('');
  const [sourceFile, setSourceFile] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [exportFile, setExportFile] = useState('');

  const [issued, setIssued] = useState<CertIssueOutput | null>(null);
  const [inspected, setInspected] = useState<{ certificate: CertSummary; findings: readonly Finding[] } | null>(null);
  const [csrPem, setCsrPem] = useState<{ pem: string; files: readonly OutputFile[] } | null>(null);
  const [exported, setExported] = useState<string | null>(null);

  /** Runs one operation with the busy line and the error box; returns the value or null. */
  async function call<T>(label: string, run: (onProgress: (e: { message: string }) => void) => Promise<Result<T>>): Promise<T | null> {
    setBusy(label);
    setError(null);
    const result = await run((event) => setBusy(event.message));
    setBusy(null);
    if (result.ok) return result.value;
    setError(result.error);
    return null;
  }

  const refreshCa = async () => {
    const result = await api.certTrust({ action: 'status' });
    if (result.ok) {
      setCa(result.value);
      setCaMissing(false);
    } else {
      setCa(null);
      setCaMissing(result.error.code === 'CERT_CA_MISSING');
      if (result.error.code !== 'CERT_CA_MISSING') setError(result.error);
    }
  };

  useEffect(() => {
    void refreshCa();
    void api.certSuggestNames({}).then((result) => {
      if (result.ok) setNames((current) => (current === '' ? result.value.names.map((n) => n.value).join('\n') : current));
    });
    // Load once per panel; the api object is stable for the session.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const wantsPassword = formats.includes('pkcs12') || formats.includes('jks');
  const outputs = () => ({
    outDir: outDir.trim(),
    baseName: baseName.trim() || 'server',
    formats: [...formats],
    ...(wantsPassword ? { keystorePassword: password } : {}),
    overwrite,
  });
  const checkNames = (required: boolean) => {
    const parsed = parseNames(names, lang);
    const found = required ? parsed.problems : parsed.problems.filter((p) => p !== t(lang, 'certs.input.names.empty'));
    setProblems(found);
    return found.length === 0 ? parsed.names : null;
  };
  const source = () =>
    importKind === 'pem'
      ? {
          kind: 'pem' as const,
          certFile: certFile.trim(),
          ...(keyFile.trim() !== '' ? { keyFile: keyFile.trim() } : {}),
          ...(chainFile.trim() !== '' ? { chainFiles: [chainFile.trim()] } : {}),
          ...(passphrase !== '' ? { passphrase } : {}),
        }
      : importKind === 'pkcs12'
        ? { kind: 'pkcs12' as const, file: sourceFile.trim(), password: passphrase }
        : { kind: 'jks' as const, file: sourceFile.trim(), password: passphrase };

  const createCa = async () => {
    const value = await call(t(lang, 'certs.panel.busy'), (onProgress) => api.certCa({ ifExists: 'reuse' }, { onProgress }));
    if (value !== null) await refreshCa();
  };

  const issue = async (event: FormEvent) => {
    event.preventDefault();
    const list = checkNames(true);
    if (list === null) return;
    setIssued(null);
    const value = await call(t(lang, 'certs.panel.busy'), (onProgress) => api.certServer({ names: list, ...outputs() }, { onProgress }));
    if (value !== null) {
      setIssued(value);
      setInspected({ certificate: value.certificate, findings: value.findings });
      // The keystore now holds the password; the page need not.
      setPassword('');
      setPassphrase('');
    }
  };

  const requestCsr = async (event: FormEvent) => {
    event.preventDefault();
    const list = checkNames(true);
    if (list === null) return;
    setCsrPem(null);
    const value = await call(t(lang, 'certs.panel.busy'), (onProgress) =>
      api.certCsr(
        {
          names: list,
          outDir: outDir.trim(),
          baseName: baseName.trim() || 'server',
          overwrite,
          ...(country.trim() !== '' ? { country: country.trim() } : {}),
          ...(organization.trim() !== '' ? { organization: organization.trim() } : {}),
        },
        { onProgress },
      ),
    );
    if (value !== null) {
      setCsrPem({ pem: value.csrPem, files: value.files });
      // The CA's answer is imported with the key made here.
      const key = value.files.find((f) => f.kind === 'key');
      if (key !== undefined) setKeyFile(key.path);
    }
  };

  const runImport = async (event: FormEvent) => {
    event.preventDefault();
    const list = checkNames(false);
    if (list === null) return;
    setIssued(null);
    const value = await call(t(lang, 'certs.panel.busy'), (onProgress) => api.certImport({ source: source(), ...(list.length > 0 ? { names: list } : {}), ...outputs() }, { onProgress }));
    if (value !== null) {
      setIssued(value);
      setInspected({ certificate: value.certificate, findings: value.findings });
      // The keystore now holds the password; the page need not.
      setPassword('');
      setPassphrase('');
    }
  };

  const inspectOnly = async () => {
    const list = checkNames(false);
    if (list === null) return;
    const value = await call(t(lang, 'certs.panel.busy'), () => api.certInspect({ source: source(), ...(list.length > 0 ? { names: list } : {}) }));
    if (value !== null) setInspected({ certificate: value.certificate, findings: value.findings });
  };

  const trust = async (action: 'install' | 'remove') => {
    const value = await call(t(lang, 'certs.panel.busy'), (onProgress) => api.certTrust({ action }, { onProgress }));
    if (value !== null) setCa(value);
  };

  const exportCa = async () => {
    const value = await call(t(lang, 'certs.panel.busy'), () => api.certExport({ outFile: exportFile.trim() }));
    if (value !== null) setExported(value.path);
  };

  const toggleFormat = (format: OutputFormat) =>
    setFormats((current) => (current.includes(format) ? current.filter((f) => f !== format) : [...current, format]));

  /** Where the files go: the folder (absolute) and the base name, shared by certificates and CSRs. */
  const locationFields: ReactNode = (
    <div className="wss-row">
      <label>
        {t(lang, 'certs.panel.outDir')}
        <input value={outDir} onChange={(e) => setOutDir(e.target.value)} spellCheck={false} placeholder="/etc/wss-setup/certs" />
      </label>
      <label className="wss-narrow">
        {t(lang, 'certs.panel.baseName')}
        <input value={baseName} onChange={(e) => setBaseName(e.target.value)} spellCheck={false} />
      </label>
    </div>
  );

  const outputFields: ReactNode = (
    <>
      {locationFields}
      <fieldset className="wss-formats">
        <legend>{t(lang, 'certs.panel.formats')}</legend>
        {(['pem', 'pkcs12', 'jks'] as const).map((format) => (
          <label key={format} className="wss-check">
            <input type="checkbox" checked={formats.includes(format)} onChange={() => toggleFormat(format)} /> {t(lang, `certs.panel.format.${format}`)}
          </label>
        ))}
      </fieldset>
      {wantsPassword && (
        <label>
          {t(lang, 'certs.panel.password')}
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
      )}
      <label className="wss-check">
        <input type="checkbox" checked={overwrite} onChange={(e) => setOverwrite(e.target.checked)} /> {t(lang, 'certs.panel.overwrite')}
      </label>
    </>
  );

  const namesField: ReactNode = (
    <label>
      <span>
        {t(lang, 'certs.panel.names')}{' '}
        <button
          type="button"
          className="wss-link"
          onClick={() =>
            void api.certSuggestNames({}).then((r) => {
              if (r.ok) setNames(r.value.names.map((n) => n.value).join('\n'));
            })
          }
        >
          {t(lang, 'certs.panel.names.suggest')}
        </button>
      </span>
      <textarea rows={4} spellCheck={false} value={names} onChange={(e) => setNames(e.target.value)} aria-invalid={problems.length > 0} />
    </label>
  );

  return (
    <section className="wss-panel wss-certificates" aria-labelledby="certs-heading">
      <h2 id="certs-heading">{t(lang, 'certs.panel.title')}</h2>
      <p className="wss-intro">{t(lang, 'certs.panel.intro')}</p>

      <nav className="wss-nav" aria-label={t(lang, 'certs.panel.title')}>
        {(['local', 'csr', 'import'] as const).map((m) => (
          <button key={m} type="button" className={m === mode ? 'wss-nav-item wss-active' : 'wss-nav-item'} aria-pressed={m === mode} onClick={() => setMode(m)}>
            {t(lang, `certs.panel.mode.${m}`)}
          </button>
        ))}
      </nav>

      {mode === 'local' && (
        <>
          <div className="wss-ca">
            <h3>{t(lang, 'certs.panel.ca.title')}</h3>
            {ca !== null ? (
              <p>
                {t(lang, 'certs.panel.ca.present', { path: ca.caPath })} — <code>{ca.caFingerprint256}</code>
              </p>
            ) : (
              caMissing && (
                <p>
                  {t(lang, 'certs.panel.ca.none')}{' '}
                  <button type="button" className="wss-primary" disabled={busy !== null} onClick={() => void createCa()}>
                    {t(lang, 'certs.panel.ca.create')}
                  </button>
                </p>
              )
            )}
          </div>
          <form className="wss-form" onSubmit={issue} noValidate>
            {namesField}
            {outputFields}
            <button type="submit" className="wss-primary" disabled={busy !== null || ca === null}>
              {t(lang, 'certs.panel.issue')}
            </button>
          </form>
        </>
      )}

      {mode === 'csr' && (
        <form className="wss-form" onSubmit={requestCsr} noValidate>
          {namesField}
          <div className="wss-row">
            <label>
              {t(lang, 'certs.panel.organization')}
              <input value={organization} onChange={(e) => setOrganization(e.target.value)} />
            </label>
            <label className="wss-narrow">
              {t(lang, 'certs.panel.country')}
              <input value={country} maxLength={2} onChange={(e) => setCountry(e.target.value.toUpperCase())} />
            </label>
          </div>
          {locationFields}
          <button type="submit" className="wss-primary" disabled={busy !== null}>
            {t(lang, 'certs.panel.csr.create')}
          </button>
          {csrPem !== null && (
            <div className="wss-csr">
              <Files files={csrPem.files} lang={lang} />
              <p>{t(lang, 'certs.panel.csr.copy')}</p>
              <pre className="wss-pem">{csrPem.pem}</pre>
            </div>
          )}
        </form>
      )}

      {mode === 'import' && (
        <form className="wss-form" onSubmit={runImport} noValidate>
          <label>
            {t(lang, 'certs.panel.import.kind')}
            <select value={importKind} onChange={(e) => setImportKind(e.target.value as ImportKind)}>
              {(['pem', 'pkcs12', 'jks'] as const).map((k) => (
                <option key={k} value={k}>
                  {t(lang, `certs.panel.import.${k}`)}
                </option>
              ))}
            </select>
          </label>
          {importKind === 'pem' ? (
            <>
              <label>
                {t(lang, 'certs.panel.import.cert')}
                <input value={certFile} onChange={(e) => setCertFile(e.target.value)} spellCheck={false} />
              </label>
              <label>
                {t(lang, 'certs.panel.import.key')}
                <input value={keyFile} onChange={(e) => setKeyFile(e.target.value)} spellCheck={false} />
              </label>
              <label>
                {t(lang, 'certs.panel.import.chain')}
                <input value={chainFile} onChange={(e) => setChainFile(e.target.value)} spellCheck={false} />
              </label>
            </>
          ) : (
            <label>
              {t(lang, 'certs.panel.import.file')}
              <input value={sourceFile} onChange={(e) => setSourceFile(e.target.value)} spellCheck={false} />
            </label>
          )}
          <label>
            {t(lang, 'certs.panel.import.passphrase')}
            <input type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
          </label>
          {namesField}
          {outputFields}
          <div className="wss-row">
            <button type="submit" className="wss-primary" disabled={busy !== null}>
              {t(lang, 'certs.panel.import.run')}
            </button>
            <button type="button" className="wss-nav-item" disabled={busy !== null} onClick={() => void inspectOnly()}>
              {t(lang, 'certs.panel.inspect.run')}
            </button>
          </div>
        </form>
      )}

      {problems.length > 0 && (
        <ul className="wss-problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {busy !== null && (
        <p className="wss-progress" role="status">
          <span className="wss-spinner" aria-hidden="true" /> {busy}
        </p>
      )}
      {error !== null && (
        <div className="wss-op-error" role="alert" data-code={error.code}>
          <p>{error.message}</p>
          {error.fix !== undefined && <p className="wss-fix">{error.fix}</p>}
        </div>
      )}

      {issued !== null && <Files files={issued.files} lang={lang} />}
      {inspected !== null && <Inspection certificate={inspected.certificate} findings={inspected.findings} lang={lang} />}

      {ca !== null && (
        <div className="wss-trust">
          <h3>{t(lang, 'certs.panel.trust.title')}</h3>
          <p>
            {t(lang, ca.installed ? 'certs.report.installed' : 'certs.report.notInstalled', { fingerprint: ca.caFingerprint256, path: ca.anchorPath ?? '' })}
          </p>
          <div className="wss-row">
            <button type="button" className="wss-nav-item" disabled={busy !== null || ca.store === 'unsupported'} onClick={() => void trust('install')}>
              {t(lang, 'certs.panel.trust.install')}
            </button>
            <button type="button" className="wss-nav-item" disabled={busy !== null || ca.store === 'unsupported'} onClick={() => void trust('remove')}>
              {t(lang, 'certs.panel.trust.remove')}
            </button>
          </div>
          <div className="wss-row">
            <label>
              {t(lang, 'certs.panel.trust.export')}
              <input value={exportFile} onChange={(e) => setExportFile(e.target.value)} spellCheck={false} placeholder="/tmp/wss-setup-local-ca.crt" />
            </label>
            <button type="button" className="wss-nav-item" disabled={busy !== null || exportFile.trim() === ''} onClick={() => void exportCa()}>
              {t(lang, 'certs.panel.trust.exportRun')}
            </button>
          </div>
          {exported !== null && <p>{t(lang, 'certs.report.exported', { path: exported })}</p>}
          {ca.steps.map((step) => (
            <details key={step.id} className="wss-step-card">
              <summary>{step.title}</summary>
              <p>{step.text}</p>
              {step.commands.length > 0 && <pre className="wss-pem">{step.commands.join('\n')}</pre>}
            </details>
          ))}
        </div>
      )}
    </section>
  );
}

function Files({ files, lang }: { files: readonly OutputFile[]; lang: Lang }) {
  return (
    <div className="wss-files">
      <h3>{t(lang, 'certs.report.files')}</h3>
      <ul>
        {files.map((f) => (
          <li key={f.path}>
            <code>{f.path}</code>
            {f.secret && <span className="wss-badge"> ({t(lang, 'certs.report.secret')})</span>}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Inspection({ certificate, findings, lang }: { certificate: CertSummary; findings: readonly Finding[]; lang: Lang }) {
  const ok = !findings.some((f) => f.severity === 'error');
  return (
    <article className={ok ? 'wss-endpoint wss-ok' : 'wss-endpoint wss-bad'} data-ok={ok}>
      <header>
        <span className="wss-badge">{ok ? '✔' : '✖'}</span> <code>{certificate.subject}</code>
      </header>
      <dl className="wss-facts">
        <dt>{t(lang, 'certs.report.chain')}</dt>
        <dd>{certificate.issuer}</dd>
        <dt>{t(lang, 'certs.report.names')}</dt>
        <dd>{certificate.san.join(', ') || '-'}</dd>
        <dt>{t(lang, 'certs.report.valid')}</dt>
        <dd>
          {certificate.validFrom} → {certificate.validTo}
        </dd>
        <dt>{t(lang, 'certs.report.key')}</dt>
        <dd>
          {certificate.keyType.toUpperCase()} {certificate.keyBits ?? '?'} · {certificate.signatureAlgorithm}
        </dd>
        <dt>{t(lang, 'certs.report.fingerprint')}</dt>
        <dd>{certificate.fingerprint256}</dd>
      </dl>
      <h4>{t(lang, 'certs.panel.findings')}</h4>
      {findings.length === 0 ? (
        <p className="wss-none">{t(lang, 'certs.report.noFindings')}</p>
      ) : (
        <ul className="wss-findings">
          {findings.map((f, i) => (
            <li key={`${f.code}-${i}`} className={`wss-finding wss-${f.severity}`} data-code={f.code}>
              <div className="wss-finding-head">
                <span className="wss-severity">{t(lang, `severity.${f.severity}`)}</span> <code>{f.code}</code>
              </div>
              <p className="wss-message">{f.message}</p>
              <p className="wss-fix">{f.fix}</p>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
