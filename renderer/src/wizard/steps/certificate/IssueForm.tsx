import { t } from '../../../../../shared/i18n/index.js';
import { ErrorBox } from '../../../components/ErrorBox.js';
import { Progress } from '../../../components/Progress.js';
import { useOperation } from '../../../hooks/use-operation.js';
import { Field } from '../../Field.js';
import type { CertChoice } from '../../state.js';
import type { StepProps } from '../../types.js';
import { useProblems } from '../../use-problems.js';
import { namesOf, ProblemCollector } from '../../validate.js';
import { LocalCa } from './LocalCa.js';

/** Default folder for the issued files: next to the configuration the plan edits. */
export function defaultOutDir(state: StepProps['state']): string {
  const dir = (path: string) => path.replace(/[\\/][^\\/]*$/, '');
  if (state.method === 'tomcat-ssl') return state.target.catalinaBase !== '' ? `${state.target.catalinaBase}/conf` : '';
  const conf = state.method === 'apache-proxy' ? state.target.apacheConf : state.target.nginxConf;
  return conf !== '' ? dir(conf) : '';
}

/** Issues the server certificate now (local CA), for the names typed; the plan then serves those files. */
export function IssueForm({ api, lang, state, secrets, setCert }: Pick<StepProps, 'api' | 'lang' | 'state' | 'secrets'> & { readonly setCert: (patch: Partial<CertChoice>) => void }) {
  const operation = useOperation();
  const problems = useProblems();
  const cert = state.cert;
  const tomcat = state.method === 'tomcat-ssl';
  const outDir = cert.outDir !== '' ? cert.outDir : defaultOutDir(state);
  const create = async () => {
    const c = new ProblemCollector(lang);
    const names = namesOf(cert.names);
    if (names.length === 0) c.add('cert-names', 'wizard.cert.names', 'wizard.field.required');
    const dir = c.path('cert-outDir', 'wizard.cert.outDir', outDir, true);
    if (tomcat && (secrets.keystorePassword ?? '') === '') c.add('cert-password', 'wizard.cert.password', 'wizard.field.required');
    problems.show(c.problems);
    if (c.problems.length > 0 || dir === undefined) return;
    const input = { names, outDir: dir, baseName: 'wss-setup', formats: tomcat ? (['pkcs12'] as const) : (['pem'] as const), overwrite: true, ...(tomcat ? { keystorePassword: secrets.keystorePassword } : {}) };
    const value = await operation.run(t(lang, 'wizard.busy'), (onProgress) => api.certServer({ ...input, formats: [...input.formats] }, { onProgress }));
    if (value === null) return;
    const path = (kind: string) => value.files.find((f) => f.kind === kind)?.path ?? '';
    const ca = await api.certTrust({ action: 'status' });
    setCert({ outDir: dir, certPath: path('certificate'), keyPath: path('key'), keystore: path('pkcs12'), caFile: ca.ok ? ca.value.caPath : '' });
  };
  const created = tomcat ? cert.keystore : cert.certPath;
  return (
    <>
      <LocalCa api={api} lang={lang} />
      <Field id="cert-outDir" label={t(lang, 'wizard.cert.outDir')} value={outDir} problem={problems.of('cert-outDir')} onChange={(v) => { problems.clear('cert-outDir'); setCert({ outDir: v }); }} />
      {problems.of('cert-names') !== undefined && <p className="wss-field-problem" role="alert">{problems.of('cert-names')}</p>}
      {problems.of('cert-password') !== undefined && <p className="wss-field-problem" role="alert">{problems.of('cert-password')}</p>}
      <button type="button" className="wss-primary" disabled={operation.busy !== null} onClick={() => void create()}>
        {t(lang, 'wizard.cert.create')}
      </button>
      <Progress message={operation.busy} />
      <ErrorBox error={operation.error} />
      {created !== '' && <p className="wss-note-info" data-testid="cert-created">{t(lang, 'wizard.cert.created', { files: [cert.certPath, cert.keyPath, cert.keystore].filter((f) => f !== '').join(', ') })}</p>}
    </>
  );
}
