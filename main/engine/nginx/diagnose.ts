import type { Finding, FindingCode, Severity } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t, type Params } from '../../../shared/i18n/index.js';
import { loadTree, type NginxTree } from './load.js';
import { effectiveProxy, effectiveTls, findHttp, header, passesUpgrade, selectLocation, selectServer, weakTls, whereOf, type Where } from './query.js';
import { findingParams } from '../common/finding-params.js';

/**
 * Config-aware diagnosis for one WebSocket URL: which server and location of the
 * configuration answer it, and what in their (inherited) settings breaks a WebSocket.
 * Every finding names the file and line at fault. Never throws.
 */
export async function diagnoseNginx(confPath: string, url: URL, lang: Lang, loaded?: NginxTree): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (code: FindingCode, severity: Severity, at: Where, params: Params = {}, evidence: Record<string, unknown> = {}) => {
    const all = { file: at.file, line: at.line, ...params };
    findings.push({ code, severity, message: t(lang, `finding.${code}`, all), fix: t(lang, `finding.${code}.fix`, all), evidence: { file: at.file, line: at.line, ...evidence }, params: findingParams(all) });
  };
  let tree = loaded;
  if (tree === undefined) {
    const result = await loadTree(confPath);
    if (!result.ok) {
      const p = result.problem;
      add('NGINX_CONF_INVALID', 'error', { file: p.file, line: p.line }, { reason: t(lang, `nginx.parse.${p.reason}`, { detail: p.detail }), reasonKey: `nginx.parse.${p.reason}`, detail: p.detail }, { reason: p.reason, detail: p.detail });
      return findings;
    }
    tree = result.tree;
  }
  const secure = url.protocol === 'wss:';
  const port = url.port !== '' ? Number(url.port) : secure ? 443 : 80;
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  const address = /^[\d.]+$/.test(host) || host.includes(':') ? host : undefined;
  const http = findHttp(tree);
  const match = http === null ? null : selectServer(tree, { port, host, ...(address !== undefined ? { address } : {}) });
  if (http === null || match === null) {
    add('NGINX_NO_MATCHING_SERVER', 'error', http !== null ? whereOf(http) : { file: tree.mainPath, line: 1 }, { port, host });
    return findings;
  }
  const server = match.server.located;
  const serverWhere = whereOf(server);
  const path = url.pathname;
  const location = selectLocation(tree, server, path);
  if (location === null) {
    add('NGINX_NO_MATCHING_LOCATION', 'error', serverWhere, { path, port, host }, { server: match.how });
  } else {
    const chain = location.chain.map((l) => l.located);
    const answering = chain[chain.length - 1]!;
    const at = whereOf(answering);
    const settings = effectiveProxy(tree, [http, server, ...chain]);
    const evidence = { location: location.chain.map((l) => `${l.modifier} ${l.pattern}`.trim()), server: match.how };
    if (settings.proxyPass.value === null || !passesUpgrade(settings)) {
      const upgrade = header(settings, 'Upgrade');
      const connection = header(settings, 'Connection');
      const inheritedFrom = settings.headersWhere !== null && settings.headersWhere.line !== at.line ? `${settings.headersWhere.file}:${settings.headersWhere.line}` : '';
      add('NGINX_NO_UPGRADE_HEADERS', 'error', at, { path, location: evidence.location.at(-1) ?? '' }, {
        ...evidence,
        proxyPass: settings.proxyPass.value,
        upgrade: upgrade?.value ?? null,
        connection: connection?.value ?? null,
        headersFrom: inheritedFrom === '' ? null : inheritedFrom,
      });
    }
    if (settings.proxyPass.value !== null && settings.httpVersion.value !== '1.1' && settings.httpVersion.value !== '2') {
      add('NGINX_HTTP10_UPSTREAM', 'error', settings.httpVersion.where ?? at, { version: settings.httpVersion.value }, { ...evidence, version: settings.httpVersion.value, default: settings.httpVersion.where === null });
    }
    if (settings.readTimeout.value < 60 && settings.readTimeout.where !== null) {
      add('NGINX_SHORT_READ_TIMEOUT', 'warning', settings.readTimeout.where, { seconds: settings.readTimeout.value }, { ...evidence, seconds: settings.readTimeout.value });
    }
  }
  if (secure) {
    const tls = effectiveTls(tree, [http, server]);
    const weak = weakTls(tls);
    if (weak.protocols.length > 0 && tls.protocols?.where) add('NGINX_WEAK_TLS', 'warning', tls.protocols.where, { weak: weak.protocols.join(' ') }, { protocols: weak.protocols });
    if (weak.ciphers.length > 0 && tls.ciphers?.where) add('NGINX_WEAK_TLS', 'warning', tls.ciphers.where, { weak: weak.ciphers.join(':') }, { ciphers: weak.ciphers });
  }
  return findings;
}
