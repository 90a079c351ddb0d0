import type { PlanNote } from '../../../../shared/contract/plan.js';
import { concreteNames, note, type ProfileContext } from './draft.js';

/**
 * Where the HTTP -> HTTPS redirect sends a visitor: never simply the Host the visitor typed
 * (an IP address or an unknown name would meet a certificate that does not cover it and get
 * ERR_CERT_COMMON_NAME_INVALID, seed 002). Path, query ($request_uri) and the HTTPS port are kept.
 *
 * - one name the certificate covers: that name, written out (seed 000's $server_name);
 * - several covered names: a map keeps the typed host when it is one of them, else the first;
 * - no concrete server name at all: the typed host, with a warning (nothing better is known).
 */
export function redirectTo(c: ProfileContext, serverNames: readonly string[], httpsPort: number, fileName: string): { prefix: string[]; target: string; note: PlanNote } {
  const port = httpsPort === 443 ? '' : `:${httpsPort}`;
  const concrete = concreteNames(serverNames);
  const covered = concrete.filter((n) => c.covers(n));
  const primary = covered[0] ?? concrete[0];
  if (primary === undefined) {
    const target = `https://$host${port}$request_uri`;
    return { prefix: [], target, note: note('REDIRECT_TO_TYPED_HOST', 'warning', { target }, { target }) };
  }
  if (covered.length <= 1) {
    const target = `https://${primary}${port}$request_uri`;
    return { prefix: [], target, note: note('REDIRECT_TO_NAME', 'info', { name: primary, target }, { name: primary, target }) };
  }
  const variable = `$wss_setup_redirect_${fileName.replace(/-/g, '_')}`;
  const target = `https://${variable}${port}$request_uri`;
  const prefix = ['# The host of the redirect: the name typed when the certificate covers it, else the first name', `map $host ${variable} {`, `    default ${primary};`, ...covered.map((n) => `    ${n} ${n};`), '}', ''];
  return { prefix, target, note: note('REDIRECT_TO_COVERED_HOST', 'info', { names: covered.join(', '), name: primary, target }, { names: covered, name: primary, target }) };
}
