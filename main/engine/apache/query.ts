import type { Directive, Node, Section } from './ast.js';
import { valuesOf } from './ast.js';
import { compareVersions, moduleId, type ApacheTree } from './load.js';

/** A directive or container and the file it is written in. */
export interface Located<N extends Directive | Section = Directive | Section> {
  readonly node: N;
  readonly file: string;
}

export interface Where {
  readonly file: string;
  readonly line: number;
}

export const whereOf = (l: Located): Where => ({ file: l.file, line: l.node.line });
const lower = (s: string) => s.toLowerCase();
export const isNamed = (l: Located, name: string): boolean => lower(l.node.name) === lower(name);
const CONDITIONALS = new Set(['ifmodule', 'ifdefine', 'ifversion', 'iffile', 'ifdirective', 'ifsection']);

/**
 * The directives and containers of one level as httpd sees them: Include/IncludeOptional
 * replaced by the files they read, the contents of true conditionals (<IfModule> ...) in place,
 * false ones left out. The include directives and conditionals themselves are not returned.
 */
export function expand(tree: ApacheTree, nodes: readonly Node[], file: string, depth = 0): Located[] {
  const out: Located[] = [];
  for (const node of nodes) {
    if (node.kind === 'comment' || node.kind === 'blank') continue;
    if (node.kind === 'section') {
      if (CONDITIONALS.has(lower(node.name))) {
        if (node.active !== false) out.push(...expand(tree, node.children, file, depth));
        continue;
      }
      out.push({ node, file });
      continue;
    }
    const name = lower(node.name);
    if ((name === 'include' || name === 'includeoptional') && node.resolved !== undefined) {
      if (depth > 64) continue;
      for (const path of node.resolved) {
        const included = tree.files.get(path);
        if (included !== undefined) out.push(...expand(tree, included.nodes, path, depth + 1));
      }
      continue;
    }
    out.push({ node, file });
  }
  return out;
}

/**
 * Answers computed once per tree read: a loaded tree is not changed afterwards (planners edit a
 * clone), so the server-config level and the vhost list are kept with it.
 */
const topCache = new WeakMap<ApacheTree, Located[]>();
const vhostCache = new WeakMap<ApacheTree, VirtualHostInfo[]>();

/** The server-config level: everything outside containers, includes followed. */
export function topLevel(tree: ApacheTree): Located[] {
  let top = topCache.get(tree);
  if (top === undefined) {
    top = expand(tree, tree.files.get(tree.mainPath)!.nodes, tree.mainPath);
    topCache.set(tree, top);
  }
  return top;
}

export const childrenOf = (tree: ApacheTree, l: Located<Section>): Located[] => expand(tree, l.node.children, l.file);

const sections = (list: readonly Located[], name: string) => list.filter((l): l is Located<Section> => l.node.kind === 'section' && isNamed(l, name));
const directives = (list: readonly Located[], name: string) => list.filter((l): l is Located<Directive> => l.node.kind === 'directive' && isNamed(l, name));

export interface VhostAddress {
  /** null = any address (`*` or `_default_`). */
  readonly address: string | null;
  /** null = any port (`*` or no port). */
  readonly port: number | null;
}

export interface VirtualHostInfo {
  readonly located: Located<Section>;
  readonly addresses: readonly VhostAddress[];
  /** ServerName (host part, lower case) or the main server's when the vhost sets none; null when neither. */
  readonly serverName: string | null;
  readonly aliases: readonly string[];
  /** SSLEngine on inside the vhost. */
  readonly ssl: boolean;
  readonly index: number;
}

/** `*:443`, `_default_:443`, `192.0.2.1:80`, `[::1]:443`, `*`, `host` → address and port. */
export function parseVhostAddress(value: string): VhostAddress {
  let host = value;
  let port: number | null = null;
  const v6 = /^\[([^\]]*)\](?::(\d+|\*))?$/.exec(value);
  if (v6 !== null) {
    host = v6[1]!;
    port = v6[2] === undefined || v6[2] === '*' ? null : Number(v6[2]);
  } else {
    const m = /^(.*?)(?::(\d+|\*))?$/.exec(value)!;
    host = m[1]!;
    port = m[2] === undefined || m[2] === '*' ? null : Number(m[2]);
  }
  const any = host === '*' || host === '_default_' || host === '0.0.0.0' || host === '::';
  return { address: any ? null : lower(host), port };
}

/** The host part of a ServerName value: `https://www.example.com:443` → www.example.com. */
export function serverNameHost(value: string): string {
  const noScheme = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const v6 = /^\[([^\]]*)\]/.exec(noScheme);
  if (v6 !== null) return lower(v6[1]!);
  return lower(noScheme.replace(/:\d+$/, '').replace(/\.$/, ''));
}

const flag = (list: readonly Located[], name: string): Located<Directive> | undefined => [...directives(list, name)].reverse()[0];

/** Every <VirtualHost> of the configuration, in the order httpd reads them. */
export function virtualHosts(tree: ApacheTree): VirtualHostInfo[] {
  const cached = vhostCache.get(tree);
  if (cached !== undefined) return cached;
  const list = readVirtualHosts(tree);
  vhostCache.set(tree, list);
  return list;
}

function readVirtualHosts(tree: ApacheTree): VirtualHostInfo[] {
  const top = topLevel(tree);
  const mainName = flag(top, 'ServerName');
  const mainHost = mainName !== undefined && valuesOf(mainName.node)[0] !== undefined ? serverNameHost(valuesOf(mainName.node)[0]!) : null;
  return sections(top, 'VirtualHost').map((located, index) => {
    const inner = childrenOf(tree, located);
    const name = flag(inner, 'ServerName');
    const aliases = directives(inner, 'ServerAlias').flatMap((l) => valuesOf(l.node).map(lower));
    const engine = flag(inner, 'SSLEngine');
    return {
      located,
      addresses: valuesOf(located.node).map(parseVhostAddress),
      serverName: name !== undefined && valuesOf(name.node)[0] !== undefined ? serverNameHost(valuesOf(name.node)[0]!) : mainHost,
      aliases,
      ssl: engine !== undefined && lower(valuesOf(engine.node)[0] ?? '') === 'on',
      index,
    };
  });
}

/** ServerAlias wildcards: * and ? as in fnmatch, case-insensitive. */
function wildcardMatch(pattern: string, host: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === host;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(host);
}

export type VhostMatchKind = 'name' | 'alias' | 'default';

export interface VhostMatch {
  readonly vhost: VirtualHostInfo;
  readonly how: VhostMatchKind;
  /** 'ip' when the vhost was chosen by an exact address, 'wildcard' for *:port. */
  readonly by: 'ip' | 'wildcard';
}

/**
 * Which <VirtualHost> answers a request for `host` arriving on `port` (at `address` when known),
 * by httpd's rules: the vhosts whose address list best matches the connection (an exact IP:port
 * before *:port; a missing port matches any), then the first of them in configuration order whose
 * ServerName or ServerAlias matches the Host header, else the first of them (the default for that
 * address and port). null: no vhost matches, the main server answers.
 */
export function selectVirtualHost(tree: ApacheTree, query: { host: string; port: number; address?: string }): VhostMatch | null {
  return selectFrom(virtualHosts(tree), query);
}

export function selectFrom(all: readonly VirtualHostInfo[], query: { host: string; port: number; address?: string }): VhostMatch | null {
  const host = lower(query.host).replace(/\.$/, '').replace(/^\[|\]$/g, '');
  // httpd's address match, most specific first: IP:port, IP:*, *:port, *:* (a missing port is *).
  const tiers: { by: 'ip' | 'wildcard'; test: (a: VhostAddress) => boolean }[] = [];
  if (query.address !== undefined) {
    const address = lower(query.address);
    tiers.push({ by: 'ip', test: (a) => a.address === address && a.port === query.port }, { by: 'ip', test: (a) => a.address === address && a.port === null });
  }
  tiers.push({ by: 'wildcard', test: (a) => a.address === null && a.port === query.port }, { by: 'wildcard', test: (a) => a.address === null && a.port === null });
  // Without the local address, a vhost bound to a specific IP is the best guess when nothing else takes the port.
  if (query.address === undefined) tiers.push({ by: 'ip', test: (a) => a.port === query.port || a.port === null });
  let by: 'ip' | 'wildcard' = 'wildcard';
  let candidates: VirtualHostInfo[] = [];
  for (const tier of tiers) {
    candidates = all.filter((v) => v.addresses.some(tier.test));
    by = tier.by;
    if (candidates.length > 0) break;
  }
  if (candidates.length === 0) return null;
  for (const vhost of candidates) {
    if (vhost.serverName !== null && vhost.serverName === host) return { vhost, how: 'name', by };
    if (vhost.aliases.some((a) => wildcardMatch(a, host))) return { vhost, how: 'alias', by };
  }
  return { vhost: candidates[0]!, how: 'default', by };
}

export interface ProxyPassRule {
  readonly located: Located<Directive>;
  /** The URL path it matches (for ProxyPassMatch: the regex); inside <Location>: the Location's path. */
  readonly path: string;
  readonly regex: boolean;
  /** The backend URL, or "!" for an exclusion. */
  readonly target: string;
  /** key=value parameters (upgrade=websocket, timeout=..., ...), keys in lower case. */
  readonly params: Readonly<Record<string, string>>;
  /** Where it is written: main server, vhost, or a <Location>. */
  readonly scope: 'server' | 'vhost' | 'location';
}

function proxyRules(list: readonly Located[], scope: ProxyPassRule['scope'], location?: { path: string; regex: boolean }): ProxyPassRule[] {
  const out: ProxyPassRule[] = [];
  for (const l of list) {
    if (l.node.kind !== 'directive') continue;
    const name = lower(l.node.name);
    if (name !== 'proxypass' && name !== 'proxypassmatch') continue;
    const values = valuesOf(l.node);
    let path: string;
    let rest: string[];
    if (location !== undefined) {
      path = location.path;
      rest = values;
    } else {
      path = values[0] ?? '';
      rest = values.slice(1);
    }
    const params: Record<string, string> = {};
    for (const p of rest.slice(1)) {
      const eq = p.indexOf('=');
      if (eq > 0) params[lower(p.slice(0, eq))] = p.slice(eq + 1);
    }
    out.push({ located: l as Located<Directive>, path, regex: name === 'proxypassmatch' || (location?.regex ?? false), target: rest[0] ?? '', params, scope });
  }
  return out;
}

/**
 * The ProxyPass rules in force in a vhost (or the main server when `vhost` is null), in the order
 * mod_proxy tries them: the main server's list first, then the vhost's (ProxyPassInherit on).
 */
export function proxyPasses(tree: ApacheTree, vhost: Located<Section> | null): ProxyPassRule[] {
  const top = topLevel(tree);
  const serverRules = proxyRules(top, 'server');
  if (vhost === null) return serverRules;
  const inner = childrenOf(tree, vhost);
  const inherit = flag(inner, 'ProxyPassInherit');
  const own = proxyRules(inner, 'vhost');
  return inherit !== undefined && lower(valuesOf(inherit.node)[0] ?? '') === 'off' ? own : [...serverRules, ...own];
}

/** <Location>/<LocationMatch> containers of a level, with the ProxyPass written inside them. */
export function locationRules(tree: ApacheTree, level: readonly Located[]): ProxyPassRule[] {
  const out: ProxyPassRule[] = [];
  for (const l of level) {
    if (l.node.kind !== 'section') continue;
    const name = lower(l.node.name);
    if (name !== 'location' && name !== 'locationmatch') continue;
    const values = valuesOf(l.node);
    const regex = name === 'locationmatch' || values[0] === '~';
    const path = values[0] === '~' ? (values[1] ?? '') : (values[0] ?? '');
    out.push(...proxyRules(childrenOf(tree, l as Located<Section>), 'location', { path, regex }));
  }
  return out;
}

/** mod_proxy's alias_match: literal prefix, any run of slashes matching any run; the length matched, or 0. */
export function aliasMatch(uri: string, alias: string): number {
  let a = 0;
  let u = 0;
  while (a < alias.length && u < uri.length) {
    if (alias[a] === '/') {
      if (uri[u] !== '/') return 0;
      while (alias[a] === '/') a++;
      while (uri[u] === '/') u++;
    } else if (uri[u++] !== alias[a++]) return 0;
  }
  if (a < alias.length) return 0;
  return u;
}

function ruleMatches(rule: ProxyPassRule, path: string): boolean {
  if (rule.regex) {
    try {
      return new RegExp(rule.path).test(path);
    } catch {
      return false;
    }
  }
  // <Location /a> is a plain prefix: it matches /a, /a/ and /ab alike.
  if (rule.scope === 'location') return path.startsWith(rule.path);
  return aliasMatch(path, rule.path) > 0;
}

export interface ProxyMatch {
  /** The rule that wins (null: no ProxyPass matches the path). */
  readonly rule: ProxyPassRule | null;
  /** Every rule that matches the path, in the order tried (the first is the winner). */
  readonly matching: readonly ProxyPassRule[];
}

/**
 * Which ProxyPass answers `path` in a vhost: a ProxyPass inside the last matching <Location>
 * first (per-directory configuration wins), then the server-level list in order — the first rule
 * whose path matches wins, so a general `ProxyPass /` written before a specific one shadows it.
 */
export function selectProxyPass(tree: ApacheTree, vhost: Located<Section> | null, path: string): ProxyMatch {
  const level = vhost === null ? topLevel(tree) : [...topLevel(tree), ...childrenOf(tree, vhost)];
  const inLocations = locationRules(tree, level).filter((r) => ruleMatches(r, path));
  const server = proxyPasses(tree, vhost).filter((r) => ruleMatches(r, path));
  const matching = [...inLocations.reverse(), ...server];
  return { rule: matching[0] ?? null, matching };
}

export interface ListenInfo {
  readonly address: string | null;
  readonly port: number;
  readonly protocol: string | null;
  readonly where: Where;
}

/** The Listen directives httpd reads (true conditionals only). */
export function listens(tree: ApacheTree): ListenInfo[] {
  return directives(topLevel(tree), 'Listen').flatMap((l) => {
    const [value, protocol] = valuesOf(l.node);
    if (value === undefined) return [];
    const parsed = parseVhostAddress(value);
    if (parsed.port === null) {
      if (!/^\d+$/.test(value)) return [];
      return [{ address: null, port: Number(value), protocol: protocol ?? null, where: whereOf(l) }];
    }
    return [{ address: parsed.address, port: parsed.port, protocol: protocol ?? null, where: whereOf(l) }];
  });
}

export const moduleLoaded = (tree: ApacheTree, name: string): boolean => tree.modules.has(moduleId(name));

/** httpd 2.4.47 and later proxy WebSockets through mod_proxy_http with `upgrade=websocket`. */
export const supportsUpgradeParam = (tree: ApacheTree): boolean => tree.version !== null && compareVersions(tree.version, '2.4.47') >= 0;

export interface HeaderRule {
  readonly located: Located<Directive>;
  readonly action: string;
  readonly name: string;
  readonly value: string;
}

/** RequestHeader lines of a level (vhost, plus the main server's, which httpd merges in). */
export function requestHeaders(tree: ApacheTree, vhost: Located<Section> | null): HeaderRule[] {
  const level = vhost === null ? topLevel(tree) : [...topLevel(tree), ...childrenOf(tree, vhost)];
  return directives(level, 'RequestHeader').flatMap((l) => {
    const values = valuesOf(l.node);
    const [action, name, value] = values[0] !== undefined && /^(early)$/i.test(values[0]) ? values.slice(1) : values;
    return action !== undefined && name !== undefined ? [{ located: l, action: lower(action), name, value: value ?? '' }] : [];
  });
}

/** Does a vhost tell the backend the request came over https (X-Forwarded-Proto https)? */
export function forwardsProto(tree: ApacheTree, vhost: Located<Section> | null): boolean {
  return requestHeaders(tree, vhost).some((h) => lower(h.name) === 'x-forwarded-proto' && (h.action === 'set' || h.action === 'add' || h.action === 'setifempty') && /https/i.test(h.value));
}

/** The first value of a directive at a level (last one wins, as in httpd). */
export function lastValue(list: readonly Located[], name: string): { value: string; where: Where } | null {
  const l = flag(list, name);
  return l === undefined ? null : { value: valuesOf(l.node)[0] ?? '', where: whereOf(l) };
}
