import { join, sep } from 'node:path';
import type { Lang } from '../../../../shared/contract/common.js';
import type { PlanNote } from '../../../../shared/contract/plan.js';
import type { FineInstall } from '../../fine/index.js';
import type { FilePort } from '../../ports/index.js';
import { readConnectors, readServerXmlFile } from '../../tomcat/index.js';
import { note } from './draft.js';

/** Where the report application answers plain HTTP when nothing says otherwise (Tomcat's default connector). */
export const DEFAULT_APP = '127.0.0.1:8080';

/**
 * The Tomcat base of an install laid out as one (<base>/webapps/webroot/WEB-INF); null otherwise.
 * FineReport's own installs are (<install>/server or the Tomcat the admin deployed it in).
 */
export function tomcatBaseOf(install: FineInstall): string | null {
  const parts = install.webInf.split(sep);
  if (parts.length < 4 || parts.at(-1) !== 'WEB-INF' || parts.at(-2) !== 'webroot' || parts.at(-3) !== 'webapps') return null;
  return parts.slice(0, -3).join(sep);
}

/**
 * The address nginx proxies the pages to: --app when given; else the install's Tomcat HTTP
 * connector (conf/server.xml: the first Connector that is neither AJP nor TLS, at its address or
 * 127.0.0.1); else 127.0.0.1:8080. Every way but --app is said in a note.
 */
export async function appAddress(explicit: string | undefined, install: FineInstall | undefined, fs: FilePort, lang: Lang): Promise<{ app: string; note: PlanNote | null }> {
  if (explicit !== undefined) return { app: explicit, note: null };
  const base = install !== undefined ? tomcatBaseOf(install) : null;
  if (install === undefined || base === null) {
    const params = { app: DEFAULT_APP };
    return { app: DEFAULT_APP, note: install === undefined ? note('FINE_APP_ASSUMED', 'info', params, params) : note('FINE_APP_NOT_READ', 'warning', { ...params, file: join(install.dir, 'conf', 'server.xml') }, { ...params, webInf: install.webInf }) };
  }
  const file = join(base, 'conf', 'server.xml');
  try {
    const xml = await readServerXmlFile(fs, file, lang);
    const http = readConnectors(xml.doc, { base, home: base }).find((c) => c.port !== null && c.implementation !== 'ajp' && !c.sslEnabled && c.scheme !== 'https');
    if (http !== undefined && http.port !== null) {
      const host = http.address === undefined || http.address === '0.0.0.0' || http.address === '::' || http.address === '' ? '127.0.0.1' : http.address.includes(':') ? `[${http.address}]` : http.address;
      const app = `${host}:${http.port}`;
      return { app, note: note('FINE_APP_FROM_INSTALL', 'info', { app, where: `${file}:${http.line}` }, { app, file, line: http.line }) };
    }
    return { app: DEFAULT_APP, note: note('FINE_APP_NOT_READ', 'warning', { app: DEFAULT_APP, file }, { file, reason: 'no-http-connector' }) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { app: DEFAULT_APP, note: note('FINE_APP_NOT_READ', 'warning', { app: DEFAULT_APP, file }, { file, reason: typeof code === 'string' ? code : 'unreadable' }) };
  }
}
