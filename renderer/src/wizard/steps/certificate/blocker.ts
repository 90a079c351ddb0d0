import type { MessageKey } from '../../../../../shared/i18n/index.js';
import type { WizardState } from '../../state.js';
import { namesOf } from '../../validate.js';

/**
 * Why Next is disabled on this step, or null. `caPath`: the local CA (undefined while it is being
 * looked up, null when there is none): issuing at Apply needs it.
 */
export function certificateBlocker(props: { readonly state: WizardState; readonly secrets: Readonly<Record<string, string>> }, caPath: string | null | undefined): MessageKey | null {
  const { cert, method } = props.state;
  const tomcat = method === 'tomcat-ssl';
  // Existing files name themselves; an issued certificate covers exactly the names typed.
  if (cert.mode === 'issue' && namesOf(cert.names).length === 0) return 'wizard.why.names';
  if (cert.mode === 'issue') {
    if (caPath === null) return 'wizard.why.ca';
    if (caPath === undefined) return 'wizard.why.busy';
  } else {
    const given = tomcat ? cert.keystore.trim() !== '' : cert.certPath.trim() !== '' && cert.keyPath.trim() !== '';
    if (!given) return 'wizard.why.existing';
  }
  if (tomcat && (props.secrets.keystorePassword ?? '') === '') return 'wizard.why.password';
  return null;
}
