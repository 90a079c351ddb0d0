import type { Arg, ConfFile, Directive, FileEncoding, Node, ParseProblem } from './ast.js';

export type ParseResult = { readonly ok: true; readonly file: ConfFile } | { readonly ok: false; readonly problem: ParseProblem };

const LUA_BLOCK = /_by_lua_block$|^lua_block$/;

const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** What nginx does to a token when it copies it: \" \' \\ lose the backslash, \t \r \n become control characters. */
export function unescapeToken(raw: string): string {
  const body = raw.length >= 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0] ? raw.slice(1, -1) : raw;
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      const n = body[i + 1]!;
      if (n === '"' || n === "'" || n === '\\') {
        out += n;
        i++;
        continue;
      }
      if (n === 't' || n === 'r' || n === 'n') {
        out += n === 't' ? '\t' : n === 'r' ? '\r' : '\n';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * Parses the text of one configuration file into a lossless tree, following
 * nginx's own tokenizer (ngx_conf_read_token): quotes, backslash escapes,
 * `${var}`, comments anywhere between tokens, lua blocks as opaque text.
 * Never throws: a syntax error is returned with its file and line.
 */
export function parseText(text: string, path: string, encoding: FileEncoding = 'utf8'): ParseResult {
  let i = 0;
  let line = 1;
  let ws = '';
  const root: Node[] = [];
  const stack: { nodes: Node[]; owner: Directive | null }[] = [{ nodes: root, owner: null }];
  let current: Directive | null = null;
  const fail = (reason: ParseProblem['reason'], detail: string, at = line): ParseResult => ({ ok: false, problem: { file: path, line: at, reason, detail } });
  const top = () => stack[stack.length - 1]!;

  while (i < text.length) {
    const c = text[i]!;
    if (isSpace(c)) {
      let j = i;
      while (j < text.length && isSpace(text[j])) {
        if (text.charCodeAt(j) === 10) line++;
        j++;
      }
      ws += text.slice(i, j);
      i = j;
      continue;
    }
    if (c === '#') {
      let end = text.indexOf('\n', i);
      if (end < 0) end = text.length;
      const comment = text.slice(i, end);
      if (current !== null) ws += comment;
      else {
        top().nodes.push({ kind: 'comment', ws, text: comment, line });
        ws = '';
      }
      i = end;
      continue;
    }
    if (c === ';') {
      if (current === null) return fail('unexpected-char', ';');
      current.endWs = ws;
      ws = '';
      top().nodes.push(current);
      current = null;
      i++;
      continue;
    }
    if (c === '{') {
      if (current === null) return fail('unexpected-char', '{');
      const directive: Directive = current;
      directive.endWs = ws;
      ws = '';
      current = null;
      top().nodes.push(directive);
      i++;
      if (LUA_BLOCK.test(directive.name)) {
        const end = luaBlockEnd(text, i);
        if (end < 0) return fail('unclosed-block', '}', directive.line);
        const body = text.slice(i, end);
        directive.opaque = body;
        directive.block = [];
        line += countNewlines(body);
        i = end + 1;
        continue;
      }
      directive.block = [];
      stack.push({ nodes: directive.block, owner: directive });
      continue;
    }
    if (c === '}') {
      if (current !== null) return fail('unexpected-char', '}');
      if (stack.length === 1) return fail('unexpected-close', '}');
      const frame = stack.pop()!;
      frame.owner!.closeWs = ws;
      ws = '';
      i++;
      continue;
    }
    // A token: quoted string or word.
    const startLine = line;
    let raw: string;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\\') j++;
        j++;
      }
      if (j >= text.length) return fail('unclosed-quote', c, startLine);
      raw = text.slice(i, j + 1);
      const next = text[j + 1];
      if (next !== undefined && !isSpace(next) && next !== ';' && next !== '{' && next !== ')') {
        line += countNewlines(raw);
        return fail('unexpected-char', next);
      }
      i = j + 1;
    } else {
      let j = i;
      let variable = false;
      while (j < text.length) {
        const ch = text[j]!;
        if (ch === '{' && variable) {
          variable = false;
          j++;
          continue;
        }
        variable = false;
        if (ch === '\\') {
          j += 2;
          continue;
        }
        if (ch === '$') {
          variable = true;
          j++;
          continue;
        }
        if (isSpace(ch) || ch === ';' || ch === '{') break;
        j++;
      }
      if (j > text.length) j = text.length;
      raw = text.slice(i, j);
      i = j;
    }
    line += countNewlines(raw);
    if (current === null) {
      current = { kind: 'directive', ws, name: raw, args: [], endWs: '', block: null, closeWs: '', opaque: null, line: startLine };
    } else {
      const arg: Arg = { ws, raw, value: unescapeToken(raw) };
      current.args.push(arg);
    }
    ws = '';
  }
  if (current !== null) return fail('unexpected-end', ';');
  if (stack.length > 1) return fail('unclosed-block', '}', stack[stack.length - 1]!.owner!.line);
  return { ok: true, file: { path, nodes: root, trailing: ws, encoding } };
}

function countNewlines(text: string): number {
  let n = 0;
  for (let k = text.indexOf('\n'); k >= 0; k = text.indexOf('\n', k + 1)) n++;
  return n;
}

/**
 * Index of the `}` closing a lua block whose body starts at `from`, skipping Lua
 * strings ('..', "..", [[..]], [==[..]==]) and comments (-- and --[[ ]]); -1 if unclosed.
 */
function luaBlockEnd(text: string, from: number): number {
  let depth = 0;
  let i = from;
  const longBracket = (at: number): number => {
    // returns the level of a long bracket opening at `at` ([[ or [=*[), or -1
    if (text[at] !== '[') return -1;
    let j = at + 1;
    while (text[j] === '=') j++;
    return text[j] === '[' ? j - at - 1 : -1;
  };
  const skipLong = (at: number, level: number): number => {
    const close = `]${'='.repeat(level)}]`;
    const end = text.indexOf(close, at + level + 2);
    return end < 0 ? -1 : end + close.length;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '-' && text[i + 1] === '-') {
      const level = longBracket(i + 2);
      if (level >= 0) {
        const end = skipLong(i + 2, level);
        if (end < 0) return -1;
        i = end;
      } else {
        const end = text.indexOf('\n', i);
        i = end < 0 ? text.length : end + 1;
      }
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') {
        if (text[j] === '\\') j++;
        j++;
      }
      i = j + 1;
      continue;
    }
    if (c === '[') {
      const level = longBracket(i);
      if (level >= 0) {
        const end = skipLong(i, level);
        if (end < 0) return -1;
        i = end;
        continue;
      }
    }
    if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
    i++;
  }
  return -1;
}
