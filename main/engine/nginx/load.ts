import { realpathSync } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { ConfFile, Directive, FileEncoding, Node, ParseProblem } from './ast.js';
import { parseText } from './parse.js';
import { errnoOf } from '../common/errno.js';
import { realFilePort, type FilePort } from '../ports/index.js';

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

/** Options for reading. */
export interface LoadOptions {
  /** Contents to use instead of a file's (edited files), without touching disk. */
  readonly overrides?: ReadonlyMap<string, string>;
  /** Files already parsed (by the path nginx opens them with) to use as they are: planning reuses the tree it read. */
  readonly parsed?: ReadonlyMap<string, ConfFile>;
  /** How files are read (default: the real file-system port: regular files only, capped). */
  readonly fs?: Pick<FilePort, 'readFile'>;
}

/** The largest configuration file read (nginx's own files are a few KiB; a generated one rarely 1 MiB). */
export const MAX_CONF_BYTES = 16 * 1024 * 1024;

/**
 * The bytes of one configuration file, as nginx would open it: through symlinks (Debian's
 * sites-enabled are links), but only a regular file, and at most MAX_CONF_BYTES — a device such
 * as /dev/zero or a FIFO is refused at once instead of read forever.
 */
async function readConfBytes(fs: Pick<FilePort, 'readFile'>, path: string): Promise<Buffer> {
  return fs.readFile(realpathSync(path), { maxBytes: MAX_CONF_BYTES });
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
  const fs = options.fs ?? realFilePort;

  const readConf = async (path: string): Promise<ConfFile | ParseProblem> => {
    const override = options.overrides?.get(path);
    const known = override === undefined ? options.parsed?.get(path) : undefined;
    if (known !== undefined) return known;
    let text: string;
    let encoding: FileEncoding = 'utf8';
    if (override !== undefined) text = override;
    else {
      try {
        ({ text, encoding } = decode(await readConfBytes(fs, path)));
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
    // The files of a glob are read at once (bounded), then taken in nginx's order: a tree of a
    // thousand sites costs one round of reads, not a thousand in a row.
    const ahead = prefetch(paths.filter((p) => !files.has(p)), readConf);
    for (const path of paths) {
      let included = files.get(path);
      if (included === undefined) {
        const read = await (ahead.get(path) ?? readConf(path));
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

/** How many files are read at the same time. */
const READ_AHEAD = 32;

/** Starts reading `paths` with at most READ_AHEAD reads in flight; each path's promise settles when its read does. */
function prefetch<T>(paths: readonly string[], read: (path: string) => Promise<T>): Map<string, Promise<T>> {
  const out = new Map<string, Promise<T>>();
  if (paths.length < 2) return out;
  const queue = [...new Set(paths)];
  const settle = new Map<string, (result: Promise<T>) => void>();
  for (const path of queue) out.set(path, new Promise<T>((resolve) => settle.set(path, resolve)));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const path = queue[next++]!;
      const result = read(path);
      settle.get(path)!(result);
      await result.catch(() => undefined);
    }
  };
  for (let k = 0; k < Math.min(READ_AHEAD, queue.length); k++) void worker();
  return out;
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
  // Paths whose last segment was listed by readdir exist; only the others need checking.
  let listed = false;
  for (let k = 1; k < parts.length; k++) {
    const segment = parts[k]!;
    if (segment === '') continue;
    const next: string[] = [];
    listed = hasGlob(segment);
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
  if (listed) return bases.sort();
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
