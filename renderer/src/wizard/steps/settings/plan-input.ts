import type { Lang } from '../../../../../shared/contract/common.js';
import type { InputOf } from '../../../../../shared/contract/index.js';
import { isWsPath } from '../../../../../shared/contract/ws-path.js';
import type { WizardState } from '../../state.js';
import { namesOf, ProblemCollector, type FieldProblem } from '../../validate.js';

export type PlanRequest =
  | { readonly op: 'planNginxProxy'; readonly input: InputOf<'planNginxProxy'> }
  | { readonly op: 'planTomcatSsl'; readonly input: InputOf<'planTomcatSsl'> }
  | { readonly op: 'planApacheProxy'; readonly input: InputOf<'planApacheProxy'> };

const defined = <T extends object>(value: T): T => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;

/**
 * The planner's input from the wizard state, or the problems (each naming its field's label).
 * Only what the admin typed is sent; empty fields take the planner's defaults. A certificate from
 * the local CA is sent as no certificate at all: the planner then plans to issue one at Apply.
 */
export function planRequest(state: WizardState, secrets: Readonly<Record<string, string>>, lang: Lang): { readonly request: PlanRequest | null; readonly problems: readonly FieldProblem[] } {
  const c = new ProblemCollector(lang);
  const s = state.settings;
  const names = namesOf(state.cert.names);
  const issue = state.cert.mode === 'issue';
  const httpsPort = c.port('settings-httpsPort', 'wizard.settings.httpsPort', s.httpsPort);
  const install = c.path('target-install', 'wizard.detect.install', state.target.install, false);
  let request: PlanRequest | null = null;
  if (state.method === 'tomcat-ssl') {
    const base = c.path('target-catalinaBase', 'wizard.detect.catalinaBase', state.target.catalinaBase, install === undefined);
    const catalinaHome = c.path('target-catalinaHome', 'wizard.detect.catalinaHome', state.target.catalinaHome, false);
    // Issued: no keystore given, the planner names one and carries an `issue` action (the local CA signs it at Apply).
    const keystore = issue ? undefined : c.path('cert-keystore', 'wizard.cert.keystore', state.cert.keystore, true);
    const wsPath = s.wsPath.trim();
    if (wsPath !== '' && !isWsPath(wsPath)) c.add('settings-wsPath', 'wizard.settings.wsPath', 'wizard.field.wsPath');
    const password = secrets.keystorePassword ?? '';
    if (password === '') c.add('cert-password', 'wizard.cert.password', 'wizard.field.required');
    request = {
      op: 'planTomcatSsl',
      input: defined({ ...(base !== undefined ? { catalinaBase: base, catalinaHome } : { install }), httpsPort, serverNames: names, keystore, keystorePassword: password, address: s.listenAddress.trim() || undefined, wsPath: wsPath || undefined, redirectHttp: s.redirectHttp || undefined }),
    };
  } else if (state.method === 'nginx-proxy' || state.method === 'apache-proxy') {
    // Issued: no files given, the planner names them next to the configuration and carries an `issue` action.
    const certPath = issue ? undefined : c.path('cert-certPath', 'wizard.cert.certPath', state.cert.certPath, true);
    const keyPath = issue ? undefined : c.path('cert-keyPath', 'wizard.cert.keyPath', state.cert.keyPath, true);
    const forwardPort = c.port('settings-forwardPort', 'wizard.settings.forwardPort', s.forwardPort);
    const websocketPort = c.port('settings-websocketPort', 'wizard.settings.websocketPort', s.websocketPort);
    const httpPort = c.port('settings-httpPort', 'wizard.settings.httpPort', s.httpPort);
    const common = { profile: 'finereport' as const, serverNames: names, httpsPort, certPath, keyPath, install, forwardPort, websocketPort, httpPort, redirectHttp: s.redirectHttp, app: s.app.trim() || undefined };
    if (state.method === 'nginx-proxy') {
      const nginxConf = c.path('target-nginxConf', 'wizard.detect.nginxConf', state.target.nginxConf, true) ?? '';
      const nginxBin = c.path('target-nginxBin', 'wizard.detect.nginxBin', state.target.nginxBin, false);
      request = { op: 'planNginxProxy', input: defined({ ...common, nginxConf, nginxBin, cors: s.cors, listenAddress: s.listenAddress.trim() || undefined }) };
    } else {
      const apacheConf = c.path('target-apacheConf', 'wizard.detect.apacheConf', state.target.apacheConf, true) ?? '';
      request = { op: 'planApacheProxy', input: defined({ ...common, apacheConf, listenAddress: s.listenAddress.trim() || undefined }) };
    }
  }
  return { request: c.problems.length === 0 ? request : null, problems: c.problems };
}
