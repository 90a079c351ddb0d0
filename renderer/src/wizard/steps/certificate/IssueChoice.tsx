import { t } from '../../../../../shared/i18n/index.js';
import type { StepProps } from '../../types.js';
import { LocalCa } from './LocalCa.js';

/** Where the planner puts the issued files (the exact paths are on Review): next to the configuration it edits. */
export function issueFolder(state: StepProps['state']): string {
  const dir = (path: string) => path.replace(/[\\/][^\\/]*$/, '');
  if (state.method === 'tomcat-ssl') return state.target.catalinaBase !== '' ? `${state.target.catalinaBase}/conf/wss-setup` : '';
  const conf = state.method === 'apache-proxy' ? state.target.apacheConf : state.target.nginxConf;
  return conf !== '' ? `${dir(conf)}/wss-setup/certs` : '';
}

/**
 * A certificate from the local CA, recorded as a choice: the plan carries an `issue` action and
 * apply issues it (nothing is written at this step). Only the local CA itself, a prerequisite that
 * is wss-setup's own and no part of the server's configuration, may be created here.
 */
export function IssueChoice({ api, lang, state, onCa }: Pick<StepProps, 'api' | 'lang' | 'state'> & { readonly onCa: (caPath: string | null) => void }) {
  const tomcat = state.method === 'tomcat-ssl';
  const folder = issueFolder(state);
  return (
    <>
      <div className="wss-note-info" data-testid="issue-choice">
        <p>{t(lang, tomcat ? 'wizard.cert.issueAtApply.tomcat' : 'wizard.cert.issueAtApply.pem', { folder: folder !== '' ? folder : t(lang, 'wizard.cert.issueFolderUnknown') })}</p>
        <p>{t(lang, 'wizard.cert.issueReview')}</p>
      </div>
      <LocalCa api={api} lang={lang} onStatus={onCa} />
    </>
  );
}
