import { access, readFile, readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { ConfFile, Directive, FileEncoding, Node, ParseProblem } from './ast.js';
import { parseText } from './parse.js';
import { errnoOf } from '../common/errno.js';

/** A configuration tree: the main file and every file it includes, each parsed losslessly. */
export interface NginxTree {
  /** Absolute path of the main configuration file (nginx -c). */
  readonly mainPath: string;
  /** nginx's configuration prefix: the directory of the main file; relative includes resolve against it. */
  readonly confDir: string;
  /** Every file read, by the path nginx opens it with, in the order first included. */
  readonly files: Map<string, ConfFile>;
}

export type LoadResult = { readonly ok: true; readonly tree: NginxTree } | { readonly ok: false; readonly problem: ParseProblem };

const MAX_DEPTH = 32;

/** Decodes bytes as UTF-8 when that is lossless, otherwise as latin1 (one char per byte). */
export function decode(bytes: Buffer): { text: string; encoding: FileEncoding } {
  const text = bytes.toString('utf8');
  if (Buffer.byteLength(text, 'utf8') === bytes.length && Buffer.from(text, 'utf8').equals(bytes)) return { text, encoding: 'utf8' };
  return { text: bytes.toString('latin1'), encoding: 'latin1' };
}

/** Options for reading: `readText` lets a caller substitute contents (edited files) without touching disk. */
export interface LoadOptions {
  readonly overrides?: ReadonlyMap<string, string>;
}

/**
 * Reads the main file and follows `include` the way nginx does: a relative path
 * resolves against the configuration prefix (the main file's directory), globs
 * expand in sorted order and may match nothing, a plain path must exist.
 */
export async function loadTree(mainPath: string, options: LoadOptions = {}): Promise<LoadResult> {
  const main = resolve(mainPath);
  const confDir = dirname(main);
  const files = new Map<string, ConfFile>();

  const readConf = async (path: string): Promise<ConfFile | ParseProblem> => {
    const override = options.overrides?.get(path);
    let text: string;
    let encoding: FileEncoding = 'utf8';
    if (override !== undefined) text = override;
    else {
      try {
        ({ text, encoding } = decode(await readFile(path)));
      } catch (error) {
        return { file: path, line: 0, reason: 'file-unreadable', detail: errnoOf(error) };
      }
    }
    const parsed = parseText(text, path, encoding);
    return parsed.ok ? parsed.file : parsed.problem;
  };

  const visit = async (file: ConfFile, nodes: Node[], depth: number): Promise<ParseProblem | null> => {
    for (const node of nodes) {
      if (node.kind !== 'directive') continue;
      if (node.name === 'include' && node.block === null && node.args.length === 1) {
        const problem = await followInclude(file, node, depth);
        if (problem !== null) return problem;
      } else if (node.block !== null && node.opaque === null) {
        const problem = await visit(file, node.block, depth);
        if (problem !== null) return problem;
      }
    }
    return null;
  };

  const followInclude = async (file: ConfFile, node: Directive, depth: number): Promise<ParseProblem | null> => {
    if (depth >= MAX_DEPTH) return { file: file.path, line: node.line, reason: 'include-depth', detail: node.args[0]!.value };
    const target = node.args[0]!.value;
    const pattern = isAbsolute(target) ? target : join(confDir, target);
    let paths: string[];
    if (hasGlob(pattern)) paths = await expandGlob(pattern);
    else paths = [pattern];
    node.resolved = paths;
    for (const path of paths) {
      let included = files.get(path);
      if (included === undefined) {
        const read = await readConf(path);
        if (!('nodes' in read)) {
          return read.reason === 'file-unreadable' ? { file: file.path, line: node.line, reason: 'include-unreadable', detail: `${path} (${read.detail})` } : read;
        }
        included = read;
        files.set(path, included);
        const problem = await visit(included, included.nodes, depth + 1);
        if (problem !== null) return problem;
      }
    }
    return null;
  };

  const first = await readConf(main);
  if (!('nodes' in first)) return { ok: false, problem: first };
  files.set(main, first);
  const problem = await visit(first, first.nodes, 0);
  if (problem !== null) return { ok: false, problem };
  return { ok: true, tree: { mainPath: main, confDir, files } };
}

export const hasGlob = (path: string): boolean => /[*?[]/.test(path);

/** Converts one glob path segment to a RegExp (*, ?, [abc], [!abc]). */
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
        if (body.startsWith('!')) body = `^${body.slice(1)}`;
        source += `[${body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** glob(3) as nginx calls it: sorted matches, dot files only when the pattern names them, no match is no error. */
export async function expandGlob(pattern: string): Promise<string[]> {
  const parts = pattern.split(sep);
  let bases = [parts[0] === '' ? sep : parts[0]!];
  for (let k = 1; k < parts.length; k++) {
    const segment = parts[k]!;
    if (segment === '') continue;
    const next: string[] = [];
    for (const base of bases) {
      if (!hasGlob(segment)) {
        next.push(join(base, segment));
        continue;
      }
      let entries: string[];
      try {
        entries = await readdir(base);
      } catch {
        continue;
      }
      const re = segmentRegExp(segment);
      for (const entry of entries.sort()) {
        if (entry.startsWith('.') && !segment.startsWith('.')) continue;
        if (re.test(entry)) next.push(join(base, entry));
      }
    }
    bases = next;
  }
  const existing: string[] = [];
  for (const path of bases) {
    try {
      await access(path);
      existing.push(path);
    } catch {
      // glob(3) only returns paths that exist
    }
  }
  return existing.sort();
}
