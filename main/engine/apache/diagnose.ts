import { APACHE_FINDING_CODES } from '../../../shared/contract/check.js';
import type { Finding, Severity } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { tIfKnown, type Params } from '../../../shared/i18n/index.js';
import type { Section } from './ast.js';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadTree, parseEnvvars, type ApacheTree, type LoadOptions } from './load.js';
import { childrenOf, forwardsProto, lastValue, moduleLoaded, selectProxyPass, selectVirtualHost, supportsUpgradeParam, topLevel, whereOf, type Located, type ProxyPassRule, type Where } from './query.js';
import { findingParams } from '../common/finding-params.js';

/** Codes of the Apache config-aware findings (text: finding.<CODE> in shared/i18n/<lang>/apache.ts), listed once in the contract. */
export { APACHE_FINDING_CODES };
export type ApacheFindingCode = (typeof APACHE_FINDING_CODES)[number];

const WS_SCHEME = /^wss?:\/\//i;
const where = (w: Where) => `${w.file}:${w.line}`;

/** Would this rule carry a WebSocket upgrade (given the modules and version)? */
export function ruleCarriesWebSocket(tree: ApacheTree, rule: ProxyPassRule): boolean {
  if (rule.target === '!') return false;
  if (WS_SCHEME.test(rule.target)) return moduleLoaded(tree, 'proxy_wstunnel_module') || (supportsUpgradeParam(tree) && moduleLoaded(tree, 'proxy_http_module'));
  // upgrade=websocket came with 2.4.47 (an unknown version gets the benefit of the doubt).
  const upgradeKnown = tree.version === null || supportsUpgradeParam(tree);
  return /^https?:\/\//i.test(rule.target) && (rule.params.upgrade ?? '').toLowerCase() === 'websocket' && upgradeKnown && moduleLoaded(tree, 'proxy_http_module');
}

const wantsWebSocket = (rule: ProxyPassRule) => WS_SCHEME.test(rule.target) || (rule.params.upgrade ?? '').toLowerCase() === 'websocket';

/**
 * Reads a configuration for the diagnosis as httpd would (Debian's envvars next to the main file
 * are read, never run). Reads only: no process is started, so httpd's version stays unknown.
 */
export async function loadForDiagnosis(confPath: string): Promise<ReturnType<typeof loadTree>> {
  const envvars = join(dirname(confPath), 'envvars');
  let env: Record<string, string> = {};
  try {
    env = parseEnvvars(await readFile(envvars, 'utf8'));
  } catch {
    // not Debian's layout
  }
  return loadTree(confPath, { env });
}

/**
 * Config-aware diagnosis for one WebSocket URL behind Apache httpd: which <VirtualHost> and which
 * ProxyPass answer it, and what stops the upgrade — no mod_proxy_wstunnel (nor upgrade=websocket),
 * a general ProxyPass written before the WebSocket one, no X-Forwarded-Proto https behind TLS, a
 * short proxy timeout. Every finding names the file and line at fault. Never throws.
 */
export async function diagnoseApache(confPath: string, url: URL, lang: Lang, loaded?: ApacheTree, options: LoadOptions = {}): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (code: ApacheFindingCode, severity: Severity, at: Where, params: Params = {}, evidence: Record<string, unknown> = {}) => {
    const all = { file: at.file, line: at.line, ...params };
    findings.push({ code, severity, message: tIfKnown(lang, `finding.${code}`, all) ?? code, fix: tIfKnown(lang, `finding.${code}.fix`, all) ?? '', evidence: { file: at.file, line: at.line, ...evidence }, params: findingParams(all) });
  };
  let tree = loaded;
  if (tree === undefined) {
    const result = await loadTree(confPath, options);
    if (!result.ok) {
      const p = result.problem;
      add('APACHE_CONF_INVALID', 'error', { file: p.file, line: p.line }, { reason: tIfKnown(lang, `apache.parse.${p.reason}`, { detail: p.detail }) ?? p.reason, reasonKey: `apache.parse.${p.reason}`, detail: p.detail }, { reason: p.reason, detail: p.detail });
      return findings;
    }
    tree = result.tree;
  }
  const secure = url.protocol === 'wss:';
  const port = url.port !== '' ? Number(url.port) : secure ? 443 : 80;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const address = /^[\d.]+$/.test(host) || host.includes(':') ? host : undefined;
  const match = selectVirtualHost(tree, { host, port, ...(address !== undefined ? { address } : {}) });
  const vhost: Located<Section> | null = match?.vhost.located ?? null;
  if (match === null) add('APACHE_NO_MATCHING_VHOST', secure ? 'error' : 'warning', { file: tree.mainPath, line: 1 }, { host, port }, { port, host });
  const at = vhost !== null ? whereOf(vhost) : { file: tree.mainPath, line: 1 };
  const path = url.pathname;
  const proxy = selectProxyPass(tree, vhost, path);
  const evidence = { vhost: match === null ? null : where(at), how: match?.how ?? null, rules: proxy.matching.map((r) => `${where(whereOf(r.located))} ${r.path} ${r.target}`) };
  const winner = proxy.rule;
  if (winner === null || winner.target === '!') {
    add('APACHE_NO_PROXY_FOR_PATH', 'error', winner !== null ? whereOf(winner.located) : at, { path }, evidence);
  } else if (!ruleCarriesWebSocket(tree, winner)) {
    const later = proxy.matching.slice(1).find(wantsWebSocket);
    if (later !== undefined && !wantsWebSocket(winner)) {
      add('APACHE_PROXYPASS_SHADOWED', 'error', whereOf(winner.located), { path, general: winner.path, specific: where(whereOf(later.located)) }, evidence);
    } else if (WS_SCHEME.test(winner.target)) {
      // Without the version, mod_proxy_http alone may carry ws:// (2.4.47+) or not: a warning, not an error.
      const maybe = tree.version === null && moduleLoaded(tree, 'proxy_http_module');
      add('APACHE_WSTUNNEL_NOT_LOADED', maybe ? 'warning' : 'error', whereOf(winner.located), { path, target: winner.target }, { ...evidence, version: tree.version });
    } else if (wantsWebSocket(winner)) {
      add(supportsUpgradeParam(tree) || tree.version === null ? 'APACHE_WSTUNNEL_NOT_LOADED' : 'APACHE_UPGRADE_UNSUPPORTED', 'error', whereOf(winner.located), { path, target: winner.target, version: tree.version ?? '' }, { ...evidence, version: tree.version });
    } else {
      add('APACHE_NO_WEBSOCKET_PROXY', 'error', whereOf(winner.located), { path, target: winner.target }, evidence);
    }
  }
  const tls = secure || (match?.vhost.ssl ?? false);
  if (tls && winner !== null && winner.target !== '!' && !forwardsProto(tree, vhost)) add('APACHE_NO_FORWARDED_PROTO', 'warning', at, { path }, evidence);
  if (winner !== null && winner.target !== '!') {
    const level = vhost === null ? topLevel(tree) : [...topLevel(tree), ...childrenOf(tree, vhost)];
    const param = winner.params.timeout !== undefined ? Number(winner.params.timeout) : null;
    const proxyTimeout = lastValue(level, 'ProxyTimeout');
    const timeout = lastValue(level, 'Timeout');
    const seconds = param ?? (proxyTimeout !== null ? Number(proxyTimeout.value) : timeout !== null ? Number(timeout.value) : 60);
    const from = param !== null ? whereOf(winner.located) : (proxyTimeout?.where ?? timeout?.where ?? null);
    if (from !== null && Number.isFinite(seconds) && seconds < 60) add('APACHE_SHORT_PROXY_TIMEOUT', 'warning', from, { seconds }, { ...evidence, seconds });
  }
  return findings;
}
