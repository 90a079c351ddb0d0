/**
 * The lossless syntax tree of an nginx configuration file. Every byte of the
 * input lives in exactly one field (whitespace and comments included), so that
 * printing an untouched tree gives the input back byte for byte.
 */

/** One argument token: `ws` is the whitespace (and comments) before it, `raw` the token as written. */
export interface Arg {
  ws: string;
  raw: string;
  /** The token as nginx reads it: quotes removed, \" \' \\ \t \r \n unescaped. */
  value: string;
}

export interface Directive {
  readonly kind: 'directive';
  /** Whitespace before the name. */
  ws: string;
  /** The name token as written. */
  name: string;
  args: Arg[];
  /** Whitespace (and comments) before the terminating `;` or the opening `{`. */
  endWs: string;
  /** Children of a `{ }` block; null for a simple directive ended by `;`. */
  block: Node[] | null;
  /** Whitespace before the closing `}` of a block. */
  closeWs: string;
  /** Body of a lua block (`*_by_lua_block { ... }`) kept as opaque text; when set, `block` is empty. */
  opaque: string | null;
  /** 1-based line of the name token. */
  line: number;
  /** For `include`: the files it resolved to (absolute paths, nginx's order). Not printed. */
  resolved?: string[];
}

export interface Comment {
  readonly kind: 'comment';
  ws: string;
  /** The comment from `#` to the end of the line (the newline is not part of it). */
  text: string;
  line: number;
}

export type Node = Directive | Comment;

export type FileEncoding = 'utf8' | 'latin1';

export interface ConfFile {
  /** Absolute path as nginx opens it (the include path, not the symlink target). */
  readonly path: string;
  nodes: Node[];
  /** Whitespace after the last node. */
  trailing: string;
  /** utf8 when the bytes are valid UTF-8, latin1 otherwise (so any bytes round-trip). */
  readonly encoding: FileEncoding;
}

/** Why a configuration could not be read; `file` and `line` say where (errors as data). */
export interface ParseProblem {
  readonly file: string;
  readonly line: number;
  readonly reason:
    | 'unexpected-char'
    | 'unexpected-end'
    | 'unclosed-block'
    | 'unclosed-quote'
    | 'unexpected-close'
    | 'include-unreadable'
    | 'include-depth'
    | 'file-unreadable';
  /** The offending character, or the include path, or the errno. */
  readonly detail: string;
}


