import type { ConfFile, Directive, Node } from './ast.js';
import type { NginxTree } from './load.js';

/** A directive and the file it is written in. */
export interface Located {
  readonly directive: Directive;
  readonly file: string;
}

export interface Where {
  readonly file: string;
  readonly line: number;
}

export const whereOf = (l: Located): Where => ({ file: l.file, line: l.directive.line });

/**
 * The directives of one block level, with `include`d files expanded in place
 * (recursively), the way nginx sees them. The include directives themselves are not returned.
 */
export function expand(tree: NginxTree, nodes: readonly Node[], file: string, seen: ReadonlySet<string> = new Set()): Located[] {
  const out: Located[] = [];
  for (const node of nodes) {
    if (node.kind !== 'directive') continue;
    if (node.name === 'include' && node.block === null && node.resolved !== undefined) {
      for (const path of node.resolved) {
        const included = tree.files.get(path);
        if (included === undefined || seen.has(path)) continue;
        out.push(...expand(tree, included.nodes, path, new Set([...seen, path])));
      }
      continue;
    }
    out.push({ directive: node, file });
  }
  return out;
}

export const children = (tree: NginxTree, block: Located): Located[] => (block.directive.block === null || block.directive.opaque !== null ? [] : expand(tree, block.directive.block, block.file));

export function mainFile(tree: NginxTree): ConfFile {
  return tree.files.get(tree.mainPath)!;
}

/** The `http { }` block (nginx allows one). */
export function findHttp(tree: NginxTree): Located | null {
  return expand(tree, mainFile(tree).nodes, tree.mainPath).find((l) => l.directive.name === 'http' && l.directive.block !== null) ?? null;
}

export interface Listen {
  /** null = every address of the family (*, 0.0.0.0 or [::]). */
  readonly address: string | null;
  readonly ipv6: boolean;
  readonly port: number;
  readonly defaultServer: boolean;
  readonly ssl: boolean;
  readonly where: Where;
}

export interface ServerInfo {
  readonly located: Located;
  readonly listens: readonly Listen[];
  /** server_name values in order; [''] when the server has no server_name. */
  readonly names: readonly string[];
  readonly index: number;
}

/** Reads a listen address: 80, 127.0.0.1:80, *:443, [::]:443, localhost:8080, [::1]. unix: sockets give null. */
function parseListen(value: string): { address: string | null; ipv6: boolean; port: number } | null {
  if (value.startsWith('unix:')) return null;
  const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(value);
  if (v6 !== null) {
    const addr = v6[1]!;
    return { address: addr === '::' || addr === '::0' ? null : addr, ipv6: true, port: v6[2] !== undefined ? Number(v6[2]) : 80 };
  }
  if (/^\d+$/.test(value)) return { address: null, ipv6: false, port: Number(value) };
  const m = /^(.*?)(?::(\d+))?$/.exec(value);
  if (m === null) return null;
  const host = m[1]!;
  const port = m[2] !== undefined ? Number(m[2]) : 80;
  const address = host === '*' || host === '0.0.0.0' ? null : host === 'localhost' ? '127.0.0.1' : host;
  return { address, ipv6: false, port };
}

/**
 * Every server's listens and names, per tree, computed once: a plan asks which server answers
 * several times, and a hosting-size tree has a thousand servers. Edits the planner makes add
 * locations and lines inside servers, never servers, so the answer stays true for the tree.
 */
const serverCache = new WeakMap<ReadonlyMap<string, ConfFile>, readonly ServerInfo[]>();

/** Every server of the http block, in configuration order, with listens and names. */
export function servers(tree: NginxTree): readonly ServerInfo[] {
  const known = serverCache.get(tree.files);
  if (known !== undefined) return known;
  const found = readServers(tree);
  serverCache.set(tree.files, found);
  return found;
}

function readServers(tree: NginxTree): ServerInfo[] {
  const http = findHttp(tree);
  if (http === null) return [];
  return children(tree, http)
    .filter((l) => l.directive.name === 'server' && l.directive.block !== null)
    .map((located, index) => {
      const inner = children(tree, located);
      const listens: Listen[] = [];
      const names: string[] = [];
      for (const l of inner) {
        if (l.directive.name === 'listen' && l.directive.args.length > 0) {
          const [first, ...flags] = l.directive.args.map((a) => a.value);
          const parsed = parseListen(first!);
          if (parsed === null) continue;
          listens.push({
            ...parsed,
            defaultServer: flags.includes('default_server') || flags.includes('default'),
            ssl: flags.includes('ssl'),
            where: whereOf(l),
          });
        }
        if (l.directive.name === 'server_name') names.push(...l.directive.args.map((a) => a.value.toLowerCase()));
      }
      if (listens.length === 0) listens.push({ address: null, ipv6: false, port: 80, defaultServer: false, ssl: false, where: whereOf(located) });
      return { located, listens, names: names.length > 0 ? names : [''], index };
    });
}

type ServerMatchKind = 'exact' | 'wildcard-leading' | 'wildcard-trailing' | 'regex' | 'default';

export interface ServerMatch {
  readonly server: ServerInfo;
  readonly how: ServerMatchKind;
  readonly listen: Listen;
}

/** PCRE as nginx writes it, as a JS RegExp when the syntax allows; null otherwise. */
function toRegExp(pcre: string, caseless = false): RegExp | null {
  try {
    return new RegExp(pcre.replace(/\(\?P</g, '(?<'), caseless ? 'i' : '');
  } catch {
    return null;
  }
}

/**
 * Which server answers a connection to `port` (on `address` when known) for Host `host`,
 * by nginx's rules: servers on the most specific matching address, then exact name,
 * longest leading wildcard, longest trailing wildcard, first matching regex, and
 * finally the default server of that address:port (default_server, else the first).
 */
export function selectServer(tree: NginxTree, query: { port: number; host: string; address?: string; ssl?: boolean }): ServerMatch | null {
  const all = servers(tree);
  const host = query.host.toLowerCase().replace(/\.$/, '');
  const ipv6 = query.address?.includes(':') ?? false;
  const onPort = (pred: (l: Listen) => boolean) =>
    all.flatMap((server) => server.listens.filter((l) => l.port === query.port && (query.ssl === undefined || l.ssl === query.ssl) && pred(l)).map((listen) => ({ server, listen })));
  let candidates = query.address !== undefined ? onPort((l) => l.address === query.address) : [];
  if (candidates.length === 0) candidates = onPort((l) => l.address === null && l.ipv6 === ipv6);
  if (candidates.length === 0) candidates = onPort(() => true);
  if (candidates.length === 0) return null;
  const pick = (how: ServerMatchKind, test: (name: string) => number): ServerMatch | null => {
    let best: { c: (typeof candidates)[number]; score: number } | null = null;
    for (const c of candidates) {
      for (const name of c.server.names) {
        const score = test(name);
        if (score > 0 && (best === null || score > best.score)) best = { c, score };
      }
    }
    return best === null ? null : { server: best.c.server, listen: best.c.listen, how };
  };
  const exact = pick('exact', (n) => (!n.startsWith('~') && !n.includes('*') && !n.startsWith('.') && n === host ? 1 : 0));
  if (exact !== null) return exact;
  const leading = pick('wildcard-leading', (n) => {
    if (n.startsWith('*.')) return host.endsWith(n.slice(1)) ? n.length : 0;
    if (n.startsWith('.')) return host === n.slice(1) || host.endsWith(n) ? n.length : 0;
    return 0;
  });
  if (leading !== null) return leading;
  const trailing = pick('wildcard-trailing', (n) => (n.endsWith('.*') && !n.startsWith('~') && host.startsWith(n.slice(0, -1)) ? n.length : 0));
  if (trailing !== null) return trailing;
  for (const c of candidates) {
    for (const name of c.server.names) {
      if (!name.startsWith('~')) continue;
      if (toRegExp(name.slice(1), true)?.test(host) === true) return { server: c.server, listen: c.listen, how: 'regex' };
    }
  }
  const def = candidates.find((c) => c.listen.defaultServer) ?? candidates[0]!;
  return { server: def.server, listen: def.listen, how: 'default' };
}

type LocationModifier = '=' | '^~' | '~' | '~*' | '' | '@';

interface LocationInfo {
  readonly located: Located;
  readonly modifier: LocationModifier;
  readonly pattern: string;
}

function locationInfo(located: Located): LocationInfo | null {
  const values = located.directive.args.map((a) => a.value);
  if (values.length === 2) {
    const mod = values[0]!;
    if (mod === '=' || mod === '^~' || mod === '~' || mod === '~*') return { located, modifier: mod, pattern: values[1]! };
    return null;
  }
  if (values.length !== 1) return null;
  const v = values[0]!;
  if (v.startsWith('@')) return { located, modifier: '@', pattern: v };
  if (v.startsWith('=')) return { located, modifier: '=', pattern: v.slice(1) };
  if (v.startsWith('^~')) return { located, modifier: '^~', pattern: v.slice(2) };
  if (v.startsWith('~*')) return { located, modifier: '~*', pattern: v.slice(2) };
  if (v.startsWith('~')) return { located, modifier: '~', pattern: v.slice(1) };
  return { located, modifier: '', pattern: v };
}

export function locationsOf(tree: NginxTree, block: Located): LocationInfo[] {
  return children(tree, block)
    .filter((l) => l.directive.name === 'location' && l.directive.block !== null)
    .map(locationInfo)
    .filter((l): l is LocationInfo => l !== null);
}

export interface LocationMatch {
  /** Outermost first; the last one answers the request. */
  readonly chain: readonly LocationInfo[];
}

/**
 * Which location answers `path` inside a server, by nginx's algorithm: an exact `=`
 * match wins; otherwise the longest prefix is remembered and its nested locations
 * searched; `^~` stops there; otherwise regex locations are tried in order (those
 * nested in the prefix first), and the remembered prefix answers when none matches.
 */
export function selectLocation(tree: NginxTree, server: Located, path: string): LocationMatch | null {
  const found = findIn(tree, server, path);
  return found === null ? null : { chain: found.chain };
}

function findIn(tree: NginxTree, block: Located, path: string): { chain: LocationInfo[]; final: boolean } | null {
  const locations = locationsOf(tree, block);
  const exact = locations.find((l) => l.modifier === '=' && l.pattern === path);
  if (exact !== undefined) return { chain: [exact], final: true };
  let prefix: LocationInfo | null = null;
  for (const l of locations) {
    if ((l.modifier === '' || l.modifier === '^~') && path.startsWith(l.pattern) && (prefix === null || l.pattern.length > prefix.pattern.length)) prefix = l;
  }
  let best: { chain: LocationInfo[]; final: boolean } | null = null;
  if (prefix !== null) {
    const nested = findIn(tree, prefix.located, path);
    if (nested?.final === true) return { chain: [prefix, ...nested.chain], final: true };
    best = { chain: [prefix, ...(nested?.chain ?? [])], final: prefix.modifier === '^~' };
    if (best.final) return best;
  }
  for (const l of locations) {
    if (l.modifier !== '~' && l.modifier !== '~*') continue;
    if (toRegExp(l.pattern, l.modifier === '~*')?.test(path) === true) {
      const nested = findIn(tree, l.located, path);
      return { chain: [l, ...(nested?.chain ?? [])], final: true };
    }
  }
  return best;
}

/** nginx time: 60, 60s, 1m30s, 500ms, 1h, 2d; seconds or null. */
export function parseDuration(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text);
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2592000, y: 31536000 };
  let total = 0;
  let rest = text;
  while (rest.length > 0) {
    const m = /^(\d+)(ms|s|m|h|d|w|M|y)/.exec(rest);
    if (m === null) return null;
    total += Number(m[1]) * unit[m[2]!]!;
    rest = rest.slice(m[0].length);
  }
  return text.length > 0 ? total : null;
}

export interface Setting<T> {
  readonly value: T;
  /** Where it is set; null when nginx's default applies. */
  readonly where: Where | null;
}

interface HeaderSetting {
  readonly name: string;
  readonly value: string;
  readonly where: Where | null;
}

interface ProxySettings {
  readonly proxyPass: Setting<string | null>;
  readonly httpVersion: Setting<string>;
  /** The proxy_set_header list in force: one level's list replaces every inherited one. */
  readonly headers: readonly HeaderSetting[];
  /** Where the headers list comes from (null = nginx's defaults). */
  readonly headersWhere: Where | null;
  readonly readTimeout: Setting<number>;
  readonly sendTimeout: Setting<number>;
  readonly connectTimeout: Setting<number>;
}

const DEFAULT_HEADERS: readonly HeaderSetting[] = [
  { name: 'Host', value: '$proxy_host', where: null },
  { name: 'Connection', value: 'close', where: null },
];

/**
 * The proxy settings in force at the end of `levels` (http, server, then locations
 * outermost first), with nginx's inheritance: a level inherits a directive only if it
 * does not set it itself; for proxy_set_header, any one at a level replaces all inherited ones.
 */
export function effectiveProxy(tree: NginxTree, levels: readonly Located[]): ProxySettings {
  let proxyPass: Setting<string | null> = { value: null, where: null };
  let httpVersion: Setting<string> = { value: '1.0', where: null };
  let headers: readonly HeaderSetting[] = DEFAULT_HEADERS;
  let headersWhere: Where | null = null;
  let readTimeout: Setting<number> = { value: 60, where: null };
  let sendTimeout: Setting<number> = { value: 60, where: null };
  let connectTimeout: Setting<number> = { value: 60, where: null };
  levels.forEach((level, index) => {
    const here = children(tree, level);
    const last = (name: string) => [...here].reverse().find((l) => l.directive.name === name && l.directive.args.length > 0);
    const pass = here.find((l) => l.directive.name === 'proxy_pass');
    // proxy_pass is not inherited: only the answering location's own counts.
    if (index === levels.length - 1) proxyPass = pass !== undefined ? { value: pass.directive.args[0]?.value ?? '', where: whereOf(pass) } : { value: null, where: null };
    const version = last('proxy_http_version');
    if (version !== undefined) httpVersion = { value: version.directive.args[0]!.value, where: whereOf(version) };
    const own = here.filter((l) => l.directive.name === 'proxy_set_header' && l.directive.args.length >= 2);
    if (own.length > 0) {
      headers = own.map((l) => ({ name: l.directive.args[0]!.value, value: l.directive.args[1]!.value, where: whereOf(l) }));
      headersWhere = whereOf(own[0]!);
    }
    const timeout = (name: string, current: Setting<number>): Setting<number> => {
      const l = last(name);
      const seconds = l === undefined ? null : parseDuration(l.directive.args[0]!.value);
      return l !== undefined && seconds !== null ? { value: seconds, where: whereOf(l) } : current;
    };
    readTimeout = timeout('proxy_read_timeout', readTimeout);
    sendTimeout = timeout('proxy_send_timeout', sendTimeout);
    connectTimeout = timeout('proxy_connect_timeout', connectTimeout);
  });
  return { proxyPass, httpVersion, headers, headersWhere, readTimeout, sendTimeout, connectTimeout };
}

export const header = (settings: ProxySettings, name: string): HeaderSetting | undefined =>
  [...settings.headers].reverse().find((h) => h.name.toLowerCase() === name.toLowerCase());

/** True when the headers pass a WebSocket upgrade through (Upgrade from the client, Connection naming upgrade). */
export function passesUpgrade(settings: ProxySettings): boolean {
  const upgrade = header(settings, 'Upgrade');
  const connection = header(settings, 'Connection');
  return upgrade !== undefined && /\$http_upgrade/i.test(upgrade.value) && connection !== undefined && /upgrade/i.test(connection.value);
}

interface TlsSettings {
  readonly protocols: Setting<readonly string[]> | null;
  readonly ciphers: Setting<string> | null;
  readonly preferServerCiphers: Setting<string> | null;
}

/** ssl_protocols / ssl_ciphers / ssl_prefer_server_ciphers in force in a server (server level, else http level). */
export function effectiveTls(tree: NginxTree, levels: readonly Located[]): TlsSettings {
  let protocols: Setting<readonly string[]> | null = null;
  let ciphers: Setting<string> | null = null;
  let prefer: Setting<string> | null = null;
  for (const level of levels) {
    for (const l of children(tree, level)) {
      const values = l.directive.args.map((a) => a.value);
      if (l.directive.name === 'ssl_protocols') protocols = { value: values, where: whereOf(l) };
      if (l.directive.name === 'ssl_ciphers' && values[0] !== undefined) ciphers = { value: values[0], where: whereOf(l) };
      if (l.directive.name === 'ssl_prefer_server_ciphers' && values[0] !== undefined) prefer = { value: values[0], where: whereOf(l) };
    }
  }
  return { protocols, ciphers, preferServerCiphers: prefer };
}

const WEAK_PROTOCOLS = new Set(['SSLv2', 'SSLv3', 'TLSv1', 'TLSv1.1']);
const WEAK_CIPHER = /RC4|EXP|SSLv2|LOW|NULL|MD5|^DES|ADH|AECDH|\bDES-CBC-/;

/** The weak parts of TLS settings: old protocols and cipher terms that enable broken ciphers. */
export function weakTls(settings: TlsSettings): { protocols: string[]; ciphers: string[] } {
  const protocols = settings.protocols?.value.filter((p) => WEAK_PROTOCOLS.has(p)) ?? [];
  const ciphers = (settings.ciphers?.value.split(':') ?? []).filter((term) => term !== '' && !term.startsWith('!') && !term.startsWith('-') && WEAK_CIPHER.test(term));
  return { protocols, ciphers };
}
