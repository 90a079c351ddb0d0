import type { MessageKey } from '../../../../../shared/i18n/index.js';
import type { Method, WizardState } from '../../state.js';

export const METHODS: readonly Method[] = ['nginx-proxy', 'tomcat-ssl', 'apache-proxy'];

/** The method to recommend and why (seed 000: nginx present → method two; desktop edition → none). */
export function recommend(state: WizardState): { readonly method: Method | null; readonly reason: MessageKey } {
  const found = state.detected;
  if (found !== null && found.products.length > 0 && found.products.every((p) => p.desktopEdition) && found.tomcats.length === 0) {
    return { method: null, reason: 'wizard.method.reason.desktop' };
  }
  if (state.target.nginxConf.trim() !== '') return { method: 'nginx-proxy', reason: 'wizard.method.reason.nginx' };
  if (state.target.apacheConf.trim() !== '') return { method: 'apache-proxy', reason: 'wizard.method.reason.apache' };
  return { method: 'tomcat-ssl', reason: 'wizard.method.reason.tomcat' };
}

/** Why a method cannot be chosen with what was found or typed, or null. */
export function unavailable(state: WizardState, method: Method): MessageKey | null {
  if (recommend(state).method === null) return 'wizard.method.reason.desktop';
  switch (method) {
    case 'nginx-proxy':
      return state.target.nginxConf.trim() === '' ? 'wizard.method.noNginx' : null;
    case 'tomcat-ssl':
      return state.target.catalinaBase.trim() === '' && state.target.install.trim() === '' ? 'wizard.method.noTomcat' : null;
    case 'apache-proxy':
      return state.target.apacheConf.trim() === '' ? 'wizard.method.noApache' : null;
    default:
      return null;
  }
}
