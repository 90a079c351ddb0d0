import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { ConfFile, Directive, FileEncoding, Node, ParseProblem, Section } from './ast.js';
import { parseText, splitWords, logicalText, sectionHead } from './parse.js';
import { errnoOf } from '../common/errno.js';

/** A configuration tree: the main file and every file httpd would read, each parsed losslessly. */
export interface ApacheTree {
  /** Absolute path of the main configuration file (httpd -f). */
  readonly mainPath: string;
  /** ServerRoot in force at the end of reading (relative Include paths resolve against it). */
  readonly serverRoot: string;
  /** Every file read, by the path httpd opens it with, in the order first included. */
  readonly files: Map<string, ConfFile>;
  /** Define'd variables at the end of reading (plus -D names). */
  readonly defines: ReadonlyMap<string, string>;
  /** Module identifiers (ssl_module, ...) loaded at the end of reading, static ones included. */
  readonly modules: ReadonlySet<string>;
  /** The environment ${VAR} falls back to (Debian's envvars, for example). */
  readonly env: Readonly<Record<string, string>>;
  /** httpd's version when known (e.g. "2.4.62"): used for <IfVersion> and upgrade=websocket. */
  readonly version: string | null;
  /** ${VAR} references that were defined nowhere: httpd leaves them as written and warns. */
  readonly undefinedVars: readonly { file: string; line: number; name: string }[];
}

export type LoadResult = { readonly ok: true; readonly tree: ApacheTree } | { readonly ok: false; readonly problem: ParseProblem };

export interface LoadOptions {
  /** ServerRoot to start with (httpd -d); default: the main file's folder (Debian's compiled-in root is /etc/apache2). */
  readonly serverRoot?: string;
  /** -D names. */
  readonly defines?: readonly string[];
  /** The environment for ${VAR} (never process.env implicitly). */
  readonly env?: Readonly<Record<string, string>>;
  /** Modules compiled into the binary (httpd -l); default: Debian's static set. */
  readonly staticModules?: readonly string[];
  readonly version?: string | null;
  /** Contents to use instead of disk (edited or planned files); a path here also takes part in glob matches. */
  readonly overrides?: ReadonlyMap<string, string>;
  /** Cap per file (default 16 MiB). */
  readonly maxBytes?: number;
}

/** Debian's apache2 -l: core.c mod_so.c mod_watchdog.c http_core.c mod_log_config.c mod_logio.c mod_version.c mod_unixd.c */
export const DEBIAN_STATIC_MODULES = ['core_module', 'so_module', 'watchdog_module', 'http_module', 'log_config_module', 'logio_module', 'version_module', 'unixd_module'];

const MAX_DEPTH = 64;
const CONDITIONALS = new Set(['ifmodule', 'ifdefine', 'ifversion', 'iffile', 'ifdirective', 'ifsection']);

/** Decodes bytes as UTF-8 when that is lossless, otherwise as latin1 (one char per byte). */
export function decode(bytes: Buffer): { text: string; encoding: FileEncoding } {
  const text = bytes.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(bytes)) return { text, encoding: 'utf8' };
  return { text: bytes.toString('latin1'), encoding: 'latin1' };
}

/** mod_ssl.c / ssl_module → ssl_module (the two spellings <IfModule> accepts). */
export function moduleId(name: string): string {
  const m = /^mod_(.+)\.c$/.exec(name);
  if (m !== null) return `${m[1]}_module`;
  if (name === 'core.c') return 'core_module';
  if (name === 'http_core.c') return 'http_module';
  return name;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Compares dotted versions: -1, 0, 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let k = 0; k < Math.max(pa.length, pb.length); k++) {
    const d = (pa[k] ?? 0) - (pb[k] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

interface State {
  serverRoot: string;
  readonly defines: Map<string, string>;
  readonly modules: Set<string>;
  readonly undefinedVars: { file: string; line: number; name: string }[];
}

/**
 * Reads the main file and everything httpd would read after it, evaluating what httpd
 * evaluates while reading (EXEC_ON_READ): Define/UnDefine and ${VAR}, ServerRoot, LoadModule,
 * <IfModule>/<IfDefine>/<IfVersion>/<IfFile> (contents of a false one are kept in the tree but
 * not followed), and Include/IncludeOptional with wildcards (sorted, dot files only when named,
 * a folder read whole; Include fails on a wildcard matching nothing, IncludeOptional does not).
 */
export async function loadTree(mainPath: string, options: LoadOptions = {}): Promise<LoadResult> {
  const main = resolve(mainPath);
  const env = options.env ?? {};
  const files = new Map<string, ConfFile>();
  const maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
  const state: State = {
    serverRoot: options.serverRoot ?? dirname(main),
    defines: new Map((options.defines ?? []).map((d) => [d, ''])),
    modules: new Set(options.staticModules ?? DEBIAN_STATIC_MODULES),
    undefinedVars: [],
  };
  const version = options.version ?? null;

  const readConf = async (path: string): Promise<ConfFile | ParseProblem> => {
    const cached = files.get(path);
    if (cached !== undefined) return cached;
    // Overrides may be keyed by the path httpd opens or by its real path (plans name real files).
    const override = options.overrides?.get(path) ?? (options.overrides !== undefined ? options.overrides.get(realOrSelf(path)) : undefined);
    let text: string;
    let encoding: FileEncoding = 'utf8';
    if (override !== undefined) text = override;
    else {
      try {
        // Synchronous reads: a tree is hundreds of small files, and each async round trip costs more than the read.
        const info = statSync(path);
        if (info.size > maxBytes) return { file: path, line: 0, reason: 'file-too-large', detail: String(info.size) };
        ({ text, encoding } = decode(readFileSync(path)));
      } catch (error) {
        return { file: path, line: 0, reason: 'file-unreadable', detail: errnoOf(error) };
      }
    }
    const parsed = parseText(text, path, encoding);
    if (!parsed.ok) return parsed.problem;
    files.set(path, parsed.file);
    return parsed.file;
  };

  const substitute = (text: string, file: string, line: number): string =>
    text.replace(/\$\{([^}]+)\}/g, (whole, name: string) => {
      const value = state.defines.get(name) ?? env[name];
      if (value !== undefined) return value;
      state.undefinedVars.push({ file, line, name });
      return whole;
    });

  const walk = async (file: ConfFile, nodes: Node[], depth: number): Promise<ParseProblem | null> => {
    for (const node of nodes) {
      if (node.kind === 'comment' || node.kind === 'blank') continue;
      if (node.kind === 'section') {
        const logical = substitute(logicalText(node.raw), file.path, node.line);
        node.expanded = sectionHead(logical)?.args ?? node.args;
        const lower = node.name.toLowerCase();
        if (CONDITIONALS.has(lower)) {
          node.active = evaluate(node, state, version);
          if (!node.active) continue;
        }
        const problem = await walk(file, node.children, depth);
        if (problem !== null) return problem;
        continue;
      }
      const words = splitWords(substitute(logicalText(node.raw), file.path, node.line));
      node.expanded = words.slice(1);
      const problem = await execOnRead(file, node, depth);
      if (problem !== null) return problem;
    }
    return null;
  };

  const execOnRead = async (file: ConfFile, node: Directive, depth: number): Promise<ParseProblem | null> => {
    const name = node.name.toLowerCase();
    const args = node.expanded ?? node.args;
    switch (name) {
      case 'define':
        if (args[0] !== undefined) state.defines.set(args[0], args[1] ?? '');
        return null;
      case 'undefine':
        if (args[0] !== undefined) state.defines.delete(args[0]);
        return null;
      case 'serverroot':
        if (args[0] !== undefined && isAbsolute(args[0])) state.serverRoot = args[0].replace(/\/+$/, '') || '/';
        return null;
      case 'loadmodule':
        if (args[0] !== undefined) state.modules.add(args[0]);
        return null;
      case 'include':
      case 'includeoptional':
        return include(file, node, name === 'includeoptional', depth);
      default:
        return null;
    }
  };

  const include = async (file: ConfFile, node: Directive, optional: boolean, depth: number): Promise<ParseProblem | null> => {
    const target = (node.expanded ?? node.args)[0];
    if (target === undefined) return null;
    if (depth >= MAX_DEPTH) return { file: file.path, line: node.line, reason: 'include-depth', detail: target };
    const pattern = serverRootRelative(state.serverRoot, target);
    let paths: string[];
    if (hasGlob(pattern)) {
      paths = await expandGlob(pattern, options.overrides);
      if (paths.length === 0 && !optional) return { file: file.path, line: node.line, reason: 'include-no-match', detail: target };
    } else if (options.overrides?.has(pattern) === true) paths = [pattern];
    else {
      let info;
      try {
        info = statSync(pattern);
      } catch (error) {
        if (optional) {
          node.resolved = [];
          return null;
        }
        return { file: file.path, line: node.line, reason: 'include-unreadable', detail: `${pattern} (${errnoOf(error)})` };
      }
      paths = info.isDirectory() ? await filesUnder(pattern) : [pattern];
    }
    node.resolved = paths;
    for (const path of paths) {
      const read = await readConf(path);
      if (!('nodes' in read)) {
        return read.reason === 'file-unreadable' ? { file: file.path, line: node.line, reason: 'include-unreadable', detail: `${path} (${read.detail})` } : read;
      }
      const problem = await walk(read, read.nodes, depth + 1);
      if (problem !== null) return problem;
    }
    return null;
  };

  const first = await readConf(main);
  if (!('nodes' in first)) return { ok: false, problem: first };
  const problem = await walk(first, first.nodes, 0);
  if (problem !== null) return { ok: false, problem };
  return { ok: true, tree: { mainPath: main, serverRoot: state.serverRoot, files, defines: state.defines, modules: state.modules, env, version, undefinedVars: state.undefinedVars } };
}

/** Whether httpd reads the contents of a conditional container at this point. */
function evaluate(section: Section, state: State, version: string | null): boolean {
  const args = section.expanded ?? section.args;
  const lower = section.name.toLowerCase();
  const first = args[0] ?? '';
  const negated = first.startsWith('!');
  const subject = negated ? first.slice(1) : first;
  let result: boolean;
  switch (lower) {
    case 'ifmodule':
      result = state.modules.has(moduleId(subject));
      break;
    case 'ifdefine':
      result = state.defines.has(subject);
      break;
    case 'iffile':
      result = existsSync(serverRootRelative(state.serverRoot, subject));
      break;
    case 'ifversion':
      return version === null ? true : ifVersion(args, version);
    default:
      // <IfDirective>, <IfSection>: true for everything wss-setup reads.
      result = true;
  }
  return negated ? !result : result;
}

function ifVersion(args: readonly string[], version: string): boolean {
  let op = '=';
  let wanted = args[0] ?? '';
  if (args.length >= 2) {
    op = args[0]!;
    wanted = args[1]!;
  }
  const negate = op.startsWith('!');
  if (negate) op = op.slice(1);
  let result: boolean;
  if (op === '~' || (wanted.startsWith('/') && wanted.endsWith('/'))) {
    try {
      result = new RegExp(wanted.replace(/^\/|\/$/g, '')).test(version);
    } catch {
      result = true;
    }
  } else {
    const c = compareVersions(version, wanted);
    result = op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '=' || op === '==' ? prefixEqual(version, wanted) : true;
  }
  return negate ? !result : result;
}

/** <IfVersion 2.4> matches 2.4.x: only the parts given are compared. */
const prefixEqual = (version: string, wanted: string) => {
  const v = version.split('.');
  return wanted.split('.').every((part, k) => (Number.parseInt(v[k] ?? '0', 10) || 0) === (Number.parseInt(part, 10) || 0));
};

/** ap_server_root_relative: absolute paths (also c:/... on Windows configurations) stay, others join ServerRoot. */
export function serverRootRelative(serverRoot: string, path: string): string {
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return path;
  return join(serverRoot, path);
}

export const hasGlob = (path: string): boolean => /[*?[]/.test(path);

/** One fnmatch segment as a RegExp (*, ?, [abc], [!abc]); a leading period must be matched literally. */
function segmentRegExp(segment: string): RegExp {
  let source = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) source += '\\[';
      else {
        let body = segment.slice(i + 1, end);
        if (body.startsWith('!') || body.startsWith('^')) body = `^${body.slice(1)}`;
        source += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** Wildcards in any part of the path, as httpd 2.4 expands them: sorted (strcmp), no dot files unless named. */
export async function expandGlob(pattern: string, overrides?: ReadonlyMap<string, string>): Promise<string[]> {
  const parts = pattern.split(sep);
  let bases = [parts[0] === '' ? sep : parts[0]!];
  for (let k = 1; k < parts.length; k++) {
    const segment = parts[k]!;
    if (segment === '') continue;
    const last = k === parts.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasGlob(segment)) {
        next.push(join(base, segment));
        continue;
      }
      let entries: string[] = [];
      try {
        entries = readdirSync(base);
      } catch {
        // a folder that does not exist matches nothing
      }
      if (last && overrides !== undefined) {
        for (const path of overrides.keys()) if (dirname(path) === base && !entries.includes(basename(path))) entries.push(basename(path));
      }
      const re = segmentRegExp(segment);
      for (const entry of entries.sort(byteOrder)) {
        if (entry.startsWith('.') && !segment.startsWith('.')) continue;
        if (re.test(entry)) next.push(join(base, entry));
      }
    }
    bases = next;
  }
  const out: string[] = [];
  for (const path of bases) {
    if (overrides?.has(path) === true) {
      out.push(path);
      continue;
    }
    try {
      const info = statSync(path);
      if (info.isDirectory()) out.push(...(await filesUnder(path)));
      else out.push(path);
    } catch {
      // only paths that exist
    }
  }
  return out;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every file below a folder (httpd reads an included folder whole, subfolders too), sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort(byteOrder);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry);
    try {
      if (statSync(path).isDirectory()) out.push(...(await filesUnder(path)));
      else out.push(path);
    } catch {
      // vanished
    }
  }
  return out;
}

/**
 * Debian's /etc/apache2/envvars, read (never run) for the APACHE_* variables apache2.conf uses:
 * `export NAME=value` lines, with $SUFFIX taken as empty (the default instance).
 */
export function parseEnvvars(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*export\s+([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m === null) continue;
    let value = m[2]!.trim();
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    value = value.replace(/\$\{?SUFFIX\}?/g, '').replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_w, name: string) => env[name] ?? '');
    env[m[1]!] = value;
  }
  return env;
}
