import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Directive } from '../../main/engine/nginx/ast.js';
import { decode, loadTree } from '../../main/engine/nginx/load.js';
import { parseText } from '../../main/engine/nginx/parse.js';
import { printFile } from '../../main/engine/nginx/print.js';
import { children, findHttp, mainFile } from '../../main/engine/nginx/query.js';
import { copyNginxFixture } from '../harness/fixtures.js';
import { tempDir } from '../harness/temp.js';

const FIXTURES = new URL('../fixtures/nginx/', import.meta.url).pathname;
const dir = tempDir('wss-setup-nginx-parse-');
afterAll(() => dir.cleanup());

function filesUnder(root: string): string[] {
  return readdirSync(root).flatMap((name) => {
    const path = join(root, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const copyTree = (name: string): string => copyNginxFixture(dir.path, name);

// Two files are broken on purpose: seed 003 as published, and a file the include glob must not match.
const corpus = filesUnder(FIXTURES).filter((p) => !p.includes('/seed-003/as-published') && !p.endsWith('/d-not-matched.conf'));

describe('lossless round trip over the corpus', () => {
  it('has the corpus the issue asks for', () => {
    const names = corpus.map((p) => relative(FIXTURES, p));
    for (const expected of ['debian/nginx.conf', 'debian/sites-available/default', 'seed-000/nginx.conf', 'seed-002/www-https.conf', 'seed-003/nginx-one-line.conf', 'docs/full-example.conf', 'docs/locations.conf', 'features/conf.d/10-site.conf', 'openresty/lua.conf']) {
      expect(names).toContain(expected);
    }
  });

  it.each(corpus.map((p) => [relative(FIXTURES, p), p]))('%s: parse then print is byte-identical', (_name, path) => {
    const bytes = readFileSync(path);
    const { text, encoding } = decode(bytes);
    const parsed = parseText(text, path, encoding);
    if (!parsed.ok) throw new Error(`${path}: ${JSON.stringify(parsed.problem)}`);
    expect(Buffer.from(printFile(parsed.file), encoding).equals(bytes)).toBe(true);
  });

  it.each(['debian', 'seed-000', 'seed-002', 'features'])('%s: the whole tree (includes followed) prints back byte for byte', async (name) => {
    const main = copyTree(name);
    const loaded = await loadTree(main);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    expect(loaded.tree.files.size).toBeGreaterThan(1);
    for (const [path, file] of loaded.tree.files) expect(Buffer.from(printFile(file), file.encoding).equals(readFileSync(path))).toBe(true);
  });
});

describe('what the parser reads', () => {
  it('reads quotes, escapes and ${var} the way nginx does', () => {
    const parsed = parseText(`log_format x "a \\"b\\" \\n" 'c d' \${host}x/\${uri};\nreturn 200 semi\\;colon;\n`, 'x.conf');
    if (!parsed.ok) throw new Error('parse failed');
    const [logFormat, ret] = parsed.file.nodes as Directive[];
    expect(logFormat!.args.map((a) => a.value)).toEqual(['x', 'a "b" \n', 'c d', '${host}x/${uri}']);
    expect(ret!.args.map((a) => a.value)).toEqual(['200', 'semi\\;colon']);
  });

  it('keeps a lua block as opaque text, braces in strings and comments included', () => {
    const parsed = parseText(readFileSync(join(FIXTURES, 'openresty/lua.conf'), 'utf8'), 'lua.conf');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problem));
    const http = parsed.file.nodes.find((n): n is Directive => n.kind === 'directive' && n.name === 'http')!;
    const init = http.block!.find((n): n is Directive => n.kind === 'directive' && n.name === 'init_by_lua_block')!;
    expect(init.opaque).toContain('local t = { a = 1, b = { c = 2 } }');
    const server = http.block!.find((n): n is Directive => n.kind === 'directive' && n.name === 'server')!;
    const names = server.block!.filter((n): n is Directive => n.kind === 'directive').map((d) => d.name);
    expect(names).toEqual(['listen', 'location', 'location']);
  });

  it('follows includes with globs relative to the configuration folder, in sorted order, skipping non-matches', async () => {
    const main = copyTree('features');
    const loaded = await loadTree(main);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    const http = findHttp(loaded.tree)!;
    const includes = http.directive.block!.filter((n): n is Directive => n.kind === 'directive' && n.name === 'include');
    const base = main.slice(0, -'nginx.conf'.length);
    expect(includes.map((d) => (d.resolved ?? []).map((p) => p.slice(base.length)))).toEqual([
      ['mime.types'],
      ['conf.d/10-site.conf', 'conf.d/20-crlf.conf', 'conf.d/30-latin1-no-final-newline.conf'],
      [],
      ['snippets/a-proxy.conf', 'snippets/b-headers.conf'],
    ]);
    // Directives of included files appear in place, at the level of the include.
    const atHttp = children(loaded.tree, http).map((l) => l.directive.name);
    expect(atHttp.filter((n) => n === 'server')).toHaveLength(3);
    expect(atHttp).toContain('proxy_set_header');
    expect(mainFile(loaded.tree).encoding).toBe('utf8');
  });
});

describe('broken input is reported with file and line, never thrown', () => {
  const cases: [string, string, number, string][] = [
    ['missing semicolon (nginx also names the line of the brace)', 'events {}\nhttp {\n  server {\n    listen 80\n  }\n}\n', 5, 'unexpected-char'],
    ['unclosed block', 'http {\n  server {\n    listen 80;\n', 2, 'unclosed-block'],
    ['stray closing brace', 'http { }\n}\n', 2, 'unexpected-close'],
    ['unclosed quote', 'http {\n  add_header X "abc;\n}\n', 2, 'unclosed-quote'],
    ['text glued to a quote', 'add_header X "a"b;\n', 1, 'unexpected-char'],
    ['semicolon without a directive', 'http {\n ;\n}\n', 2, 'unexpected-char'],
    ['statement cut by the end of file', 'user www', 1, 'unexpected-end'],
  ];
  it.each(cases)('%s', (_name, text, line, reason) => {
    const parsed = parseText(text, '/etc/nginx/broken.conf');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem).toMatchObject({ file: '/etc/nginx/broken.conf', line, reason });
  });

  it('seed 003 as published on one line: the comment swallows the rest, reported at line 1', () => {
    const path = join(FIXTURES, 'seed-003/as-published.conf');
    const parsed = parseText(readFileSync(path, 'utf8'), path);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatchObject({ file: path, line: 1, reason: 'unclosed-block' });
  });

  it('an include that does not exist names the including file and line', async () => {
    const root = join(dir.path, 'missing-include');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'nginx.conf'), 'events {}\nhttp {\n    include sites/site.conf;\n}\n');
    const loaded = await loadTree(join(root, 'nginx.conf'));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problem).toMatchObject({ file: join(root, 'nginx.conf'), line: 3, reason: 'include-unreadable' });
  });

  it('an error inside an included file names that file', async () => {
    const root = join(dir.path, 'bad-include');
    mkdirSync(join(root, 'conf.d'), { recursive: true });
    writeFileSync(join(root, 'nginx.conf'), 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n');
    writeFileSync(join(root, 'conf.d', 'a.conf'), 'server {\n    listen 80;\n    location / {\n        return 200 "x;\n}\n');
    const loaded = await loadTree(join(root, 'nginx.conf'));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problem).toMatchObject({ file: join(root, 'conf.d', 'a.conf'), line: 4, reason: 'unclosed-quote' });
  });

  it('an include cycle is stopped', async () => {
    const root = join(dir.path, 'cycle');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'nginx.conf'), 'events {}\nhttp { include loop.conf; }\n');
    writeFileSync(join(root, 'a.conf'), 'include b.conf;\n');
    writeFileSync(join(root, 'b.conf'), 'include a.conf;\n');
    symlinkSync('a.conf', join(root, 'loop.conf'));
    const loaded = await loadTree(join(root, 'nginx.conf'));
    // Files are read once each, so the cycle ends; nginx itself would reject it at run time.
    expect(loaded.ok).toBe(true);
  });
});

describe('property: random configurations', () => {
  const word = fc.stringMatching(/^[a-z_][a-z0-9_.:/$-]{0,8}$/);
  const quoted = fc.stringMatching(/^[a-z0-9 ;{}#$-]{0,8}$/).map((s) => `"${s}"`);
  const ws = fc.constantFrom(' ', '  ', '\t', '\n', '\n    ', ' \n\t', '\r\n');
  const comment = fc.stringMatching(/^[a-z {};"']{0,12}$/).map((s) => `#${s}`);
  const statement: fc.Arbitrary<string> = fc.letrec((tie) => ({
    stmt: fc.oneof(
      { depthSize: 'small' },
      fc.tuple(word, fc.array(fc.tuple(ws, fc.oneof(word, quoted)), { maxLength: 4 }), fc.constantFrom('', ' ')).map(([n, args, end]) => `${n}${args.map(([w, a]) => w + a).join('')}${end};`),
      fc.tuple(word, fc.array(tie('stmt') as fc.Arbitrary<string>, { maxLength: 4 }), ws).map(([n, body, w]) => `${n} {${body.map((b) => `${w}${b}`).join('')}${w}}`),
      comment.map((c) => `${c}\n`),
    ),
  })).stmt;
  const config = fc.tuple(fc.array(fc.tuple(ws, statement), { maxLength: 8 }), ws).map(([parts, tail]) => parts.map(([w, s]) => w + s).join('') + tail);

  it('valid configurations round-trip byte for byte', () => {
    fc.assert(
      fc.property(config, (text) => {
        const parsed = parseText(text, 'random.conf');
        return parsed.ok && printFile(parsed.file) === text;
      }),
      { numRuns: 1500 },
    );
  });

  it('mutated configurations (deleted, duplicated, inserted characters) never throw: a value or a parse error', () => {
    const mutated = fc.tuple(config, fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'duplicate', 'insert'), fc.constantFrom('{', '}', ';', '"', "'", '#', '\\', '\n', '$', ' ')), { minLength: 1, maxLength: 5 })).map(([text, ops]) => {
      let out = text;
      for (const [at, op, ch] of ops) {
        const i = out.length === 0 ? 0 : at % out.length;
        if (op === 'delete') out = out.slice(0, i) + out.slice(i + 1);
        else if (op === 'duplicate') out = out.slice(0, i) + out.charAt(i) + out.slice(i);
        else out = out.slice(0, i) + ch + out.slice(i);
      }
      return out;
    });
    fc.assert(
      fc.property(mutated, (text) => {
        const parsed = parseText(text, 'mutated.conf');
        if (parsed.ok) return printFile(parsed.file) === text;
        return parsed.problem.file === 'mutated.conf' && parsed.problem.line >= 1 && typeof parsed.problem.reason === 'string';
      }),
      { numRuns: 3000 },
    );
  });
});
