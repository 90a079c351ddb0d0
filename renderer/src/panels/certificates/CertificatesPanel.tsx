import { useEffect, useState, type FormEvent } from 'react';
import type { CertIssueOutput, CertSummary, CertTrustOutput, OutputFile } from '../../../../shared/contract/certs.js';
import type { Finding } from '../../../../shared/contract/check.js';
import { t } from '../../../../shared/i18n/index.js';
import { ErrorBox } from '../../components/ErrorBox.js';
import { ProblemList } from '../../components/ProblemList.js';
import { Progress } from '../../components/Progress.js';
import { useFields } from '../../hooks/use-fields.js';
import { useOperation } from '../../hooks/use-operation.js';
import type { PanelProps } from '../types.js';
import { csrInputOf, INITIAL_FIELDS, outputsOf, parseNames, sourceOf, type Mode } from './cert-form.js';
import { Files, Inspection } from './CertResults.js';
import { CsrForm } from './CsrForm.js';
import { ImportForm } from './ImportForm.js';
import { LocalCertForm } from './LocalCertForm.js';
import { NamesField } from './NamesField.js';
import { TrustSection } from './TrustSection.js';

/**
 * The certificate step of the wizard: a local CA and a server certificate for the names the
 * admin types (empty at start, this machine's names offered as suggestions), or a CSR for a public/company CA, or an import;
 * then the inspection findings, and trusting the CA on this machine and on the clients.
 */
export function CertificatesPanel({ api, lang, onUse }: PanelProps & { readonly onUse?: (files: readonly OutputFile[]) => void }) {
  const [mode, setMode] = useState<Mode>('local');
  const [fields, set, patch] = useFields(INITIAL_FIELDS);
  const operation = useOperation();
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [ca, setCa] = useState<{ status: CertTrustOutput | null; missing: boolean }>({ status: null, missing: false });
  const [issued, setIssued] = useState<CertIssueOutput | null>(null);
  const [inspected, setInspected] = useState<{ certificate: CertSummary; findings: readonly Finding[] } | null>(null);
  const [csr, setCsr] = useState<{ pem: string; files: readonly OutputFile[] } | null>(null);
  const [exported, setExported] = useState<string | null>(null);
  const busy = operation.busy !== null;
  const busyLabel = t(lang, 'certs.panel.busy');

  const refreshCa = async () => {
    const result = await api.certTrust({ action: 'status' });
    if (result.ok) setCa({ status: result.value, missing: false });
    else {
      setCa({ status: null, missing: result.error.code === 'CERT_CA_MISSING' });
      if (result.error.code !== 'CERT_CA_MISSING') operation.setError(result.error);
    }
  };
  useEffect(() => {
    void refreshCa();
    // Load once per panel; the api object is stable for the session.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  /** The names, or null (with the problems shown) when one is bad; an empty list is allowed for imports. */
  const checkNames = (required: boolean) => {
    const parsed = parseNames(fields.names, lang);
    const found = required ? parsed.problems : parsed.problems.filter((p) => p !== t(lang, 'certs.input.names.empty'));
    setProblems(found);
    return found.length === 0 ? parsed.names : null;
  };
  const showIssued = (value: CertIssueOutput) => {
    setIssued(value);
    setInspected({ certificate: value.certificate, findings: value.findings });
    // The keystore now holds the password; the page need not.
    patch({ password: '', passphrase: '' });
  };

  const createCa = async () => {
    const value = await operation.run(busyLabel, (onProgress) => api.certCa({ ifExists: 'reuse' }, { onProgress }));
    if (value !== null) await refreshCa();
  };
  const issue = async (event: FormEvent) => {
    event.preventDefault();
    const names = checkNames(true);
    if (names === null) return;
    setIssued(null);
    const value = await operation.run(busyLabel, (onProgress) => api.certServer({ names, ...outputsOf(fields) }, { onProgress }));
    if (value !== null) showIssued(value);
  };
  const requestCsr = async (event: FormEvent) => {
    event.preventDefault();
    const names = checkNames(true);
    if (names === null) return;
    setCsr(null);
    const value = await operation.run(busyLabel, (onProgress) => api.certCsr(csrInputOf(fields, names), { onProgress }));
    if (value === null) return;
    setCsr({ pem: value.csrPem, files: value.files });
    // The CA's answer is imported with the key made here.
    const key = value.files.find((f) => f.kind === 'key');
    if (key !== undefined) set('keyFile', key.path);
  };
  const runImport = async (event: FormEvent) => {
    event.preventDefault();
    const names = checkNames(false);
    if (names === null) return;
    setIssued(null);
    const input = { source: sourceOf(fields), ...(names.length > 0 ? { names } : {}), ...outputsOf(fields) };
    const value = await operation.run(busyLabel, (onProgress) => api.certImport(input, { onProgress }));
    if (value !== null) showIssued(value);
  };
  const inspectOnly = async () => {
    const names = checkNames(false);
    if (names === null) return;
    const value = await operation.run(busyLabel, () => api.certInspect({ source: sourceOf(fields), ...(names.length > 0 ? { names } : {}) }));
    if (value !== null) setInspected({ certificate: value.certificate, findings: value.findings });
  };
  const trust = async (action: 'install' | 'remove') => {
    const value = await operation.run(busyLabel, (onProgress) => api.certTrust({ action }, { onProgress }));
    if (value !== null) setCa({ status: value, missing: false });
  };
  const exportCa = async () => {
    const value = await operation.run(busyLabel, () => api.certExport({ outFile: fields.exportFile.trim() }));
    if (value !== null) setExported(value.path);
  };

  const form = { fields, set, lang, busy };
  // Empty at start: the machine's names are offered, never filled in (an imported certificate for one name is not checked against six).
  const namesField = <NamesField api={api} fields={fields} set={set} lang={lang} invalid={problems.length > 0} />;

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
        <LocalCertForm {...form} ca={ca.status} caMissing={ca.missing} namesField={namesField} onCreateCa={() => void createCa()} onSubmit={(e) => void issue(e)} />
      )}
      {mode === 'csr' && <CsrForm {...form} namesField={namesField} csr={csr} onSubmit={(e) => void requestCsr(e)} />}
      {mode === 'import' && <ImportForm {...form} namesField={namesField} onSubmit={(e) => void runImport(e)} onInspect={() => void inspectOnly()} />}

      <ProblemList problems={problems.map((p) => ({ key: p, text: p }))} />
      <Progress message={operation.busy} />
      <ErrorBox error={operation.error} />

      {issued !== null && <Files files={issued.files} lang={lang} onUse={onUse} />}
      {inspected !== null && <Inspection certificate={inspected.certificate} findings={inspected.findings} lang={lang} />}
      {ca.status !== null && <TrustSection {...form} ca={ca.status} exported={exported} onTrust={(action) => void trust(action)} onExport={() => void exportCa()} />}
    </section>
  );
}
