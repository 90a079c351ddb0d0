/**
 * The lossless model of an Apache httpd configuration file. httpd reads its configuration
 * line by line (a backslash right before the newline continues a line; `#` starts a comment
 * only at the start of a line), so every node keeps the exact text of its logical line
 * (`raw`, continuations included) and the line ending after it (`eol`). Printing an untouched
 * tree gives the input back byte for byte; an edit replaces a node's `raw`.
 */

interface LineBase {
  /** The logical line exactly as written (indentation and any `\`+newline continuations), without its final line ending. */
  raw: string;
  /** '\n', '\r\n', or '' for a last line without a newline. */
  eol: string;
  /** 1-based line where the logical line starts. */
  readonly line: number;
}

export interface Directive extends LineBase {
  readonly kind: 'directive';
  /** The directive name as written (httpd compares names case-insensitively). */
  name: string;
  /** Arguments as httpd reads them (quotes removed, \\ and \" unescaped), before ${VAR} substitution. */
  args: string[];
  /** Arguments after ${VAR} substitution with the Defines in force where the line was read; set by the loader. */
  expanded?: string[];
  /** For Include / IncludeOptional read by the loader: the files it resolved to, in httpd's order. Not printed. */
  resolved?: string[];
}

export interface Comment extends LineBase {
  readonly kind: 'comment';
}

export interface Blank extends LineBase {
  readonly kind: 'blank';
}

export interface CloseLine {
  raw: string;
  eol: string;
  readonly line: number;
}

/** A container: `<Name args>` ... `</Name>`. */
export interface Section extends LineBase {
  readonly kind: 'section';
  name: string;
  args: string[];
  expanded?: string[];
  children: Node[];
  close: CloseLine;
  /**
   * For conditional containers (IfModule, IfDefine, IfVersion, IfFile, ...): whether httpd reads
   * their contents, as the loader evaluated it at this point of the configuration. Not printed.
   */
  active?: boolean;
}

export type Node = Directive | Comment | Blank | Section;

export type FileEncoding = 'utf8' | 'latin1';

export interface ConfFile {
  /** Absolute path as httpd opens it (the include path, not a symlink's target). */
  readonly path: string;
  nodes: Node[];
  readonly encoding: FileEncoding;
}

/** Why a configuration could not be read (errors as data, with file and line). */
export interface ParseProblem {
  readonly file: string;
  readonly line: number;
  readonly reason:
    | 'section-unclosed'
    | 'section-missing-gt'
    | 'section-mismatch'
    | 'unexpected-close'
    | 'include-unreadable'
    | 'include-no-match'
    | 'include-depth'
    | 'file-unreadable'
    | 'file-too-large';
  readonly detail: string;
}

export const isDirective = (node: Node): node is Directive => node.kind === 'directive';
export const isSection = (node: Node): node is Section => node.kind === 'section';

/** The arguments the server sees: after ${VAR} substitution when the loader evaluated the line. */
export const valuesOf = (node: Directive | Section): string[] => node.expanded ?? node.args;

export const nameIs = (node: Node, name: string): boolean => (node.kind === 'directive' || node.kind === 'section') && node.name.toLowerCase() === name.toLowerCase();
