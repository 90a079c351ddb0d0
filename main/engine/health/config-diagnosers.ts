import type { Finding } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';

/**
 * Config-aware diagnosis for the health check: a module that understands a server's
 * configuration (nginx today; Tomcat's server.xml and Apache httpd next) explains a live
 * failure by the file and line at fault. Health never imports those modules: each registers
 * itself here, at the composition root (main/engine/diagnosers.ts), and `check` looks it up
 * by kind when the admin names a configuration (`--nginx-conf`, …).
 *
 * How to register one (e.g. Tomcat, in main/engine/diagnosers.ts):
 *
 *   registerConfigDiagnoser('tomcat', async (serverXml, lang) => {
 *     const { diagnoseTomcat, loadServerXml } = await import('./tomcat/index.js'); // loaded only when used
 *     const loaded = await loadServerXml(serverXml);      // read once for every URL of this check
 *     return (url) => diagnoseTomcat(serverXml, url, lang, loaded);
 *   });
 *
 * The contract for a diagnoser:
 * - `prepare(configPath, lang)` runs once per check, before any URL is diagnosed; read and parse
 *   the configuration there, so a check of many URLs reads it once.
 * - It never throws and never rejects for a problem in the configuration: a missing, unreadable or
 *   broken file becomes a finding (e.g. NGINX_CONF_INVALID naming file and line), per URL.
 * - The returned function gives the findings for one URL (codes listed in shared/contract/check.ts
 *   FINDING_CODES, text in shared/i18n/<lang>/<module>.ts), and is called concurrently for many URLs.
 * - It only reads: nothing is written, no process is started.
 * Then add the kind to `ConfigKind`, the input field to CheckInputSchema and its mapping in
 * check.ts `configsOf`.
 */
export type ConfigKind = 'nginx' | 'tomcat' | 'apache';

export type DiagnoseUrl = (url: URL) => Promise<readonly Finding[]>;

export type ConfigDiagnoser = (configPath: string, lang: Lang) => Promise<DiagnoseUrl>;

const registry = new Map<ConfigKind, ConfigDiagnoser>();

/** Makes `diagnoser` the one for `kind` (a second registration replaces the first). */
export function registerConfigDiagnoser(kind: ConfigKind, diagnoser: ConfigDiagnoser): void {
  registry.set(kind, diagnoser);
}

/** The diagnoser registered for `kind`, if any. */
export function configDiagnoser(kind: ConfigKind): ConfigDiagnoser | undefined {
  return registry.get(kind);
}
