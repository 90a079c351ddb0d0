import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Directive, Section } from '../../main/engine/apache/ast.js';
import { decode, loadTree, parseEnvvars } from '../../main/engine/apache/load.js';
import { parseText, splitWords } from '../../main/engine/apache/parse.js';
import { printFile } from '../../main/engine/apache/print.js';
import { listens, topLevel, virtualHosts } from '../../main/engine/apache/query.js';
import { APACHE_FIXTURES, copyApacheFixture, filesUnder } from '../harness/apache.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir('wss-setup-apache-parse-');
afterAll(() => dir.cleanup());

// magic is mod_mime_magic's data file; seed 001 as published is broken on purpose (one line, no closing >).
const corpus = filesUnder(APACHE_FIXTURES).filter((p) => !p.endsWith('/magic') && !p.endsWith('/as-published.conf'));

describe('lossless round trip over the corpus', () => {
  it('has the corpus the issue asks for', () => {
    const names = corpus.map((p) => relative(APACHE_FIXTURES, p));
    for (const expected of [
      'debian/apache2.conf',
      'debian/ports.conf',
      'debian/sites-available/default-ssl.conf',
      'debian/mods-available/ssl.conf',
      'rhel/conf/httpd.conf',
      'rhel/conf.d/ssl.conf',
      'rhel/conf.modules.d/00-proxy.conf',
      'windows/conf/httpd.conf',
      'seed-001/omk-ssl.conf',
      'features/conf.d/20-crlf.conf',
    ]) {
      expect(names).toContain(expected);
    }
    expect(readFileSync(join(APACHE_FIXTURES, 'windows/conf/httpd.conf'), 'latin1')).toMatch(/\r\n/);
  });

  it.each(corpus.map((p) => [relative(APACHE_FIXTURES, p), p]))('%s: parse then print is byte-identical', (_name, path) => {
    const bytes = readFileSync(path);
    const { text, encoding } = decode(bytes);
    const parsed = parseText(text, path, encoding);
    if (!parsed.ok) throw new Error(`${path}: ${JSON.stringify(parsed.problem)}`);
    expect(Buffer.from(printFile(parsed.file), encoding).equals(bytes)).toBe(true);
  });

  it.each(['debian', 'rhel', 'windows', 'features'])('%s: the whole tree (includes followed) prints back byte for byte', async (name) => {
    const { root, main } = copyApacheFixture(dir.path, name);
    const env = name === 'debian' ? parseEnvvars(readFileSync(join(root, 'envvars'), 'utf8')) : {};
    const loaded = await loadTree(main, { env, serverRoot: name === 'debian' ? root : undefined });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    expect(loaded.tree.files.size).toBeGreaterThan(name === 'windows' ? 0 : 1);
    for (const [path, file] of loaded.tree.files) expect(Buffer.from(printFile(file), file.encoding).equals(readFileSync(path))).toBe(true);
  });
});

describe('what the reader sees, as httpd reads it', () => {
  it('splits words like ap_getword_conf: quotes, \\" and \\\\ inside quotes, backslashes kept outside', () => {
    expect(splitWords(`LogFormat "%h \\"%r\\" %>s 'x'" quoted`)).toEqual(['LogFormat', `%h "%r" %>s 'x'`, 'quoted']);
    expect(splitWords(`RequestHeader set X-Note 'it\\'s "quoted"'`)).toEqual(['RequestHeader', 'set', 'X-Note', `it's "quoted"`]);
    expect(splitWords('Alias /a\\b C:\\\\dir')).toEqual(['Alias', '/a\\b', 'C:\\dir']);
    expect(splitWords('ErrorDocument 404 "unclosed rest')).toEqual(['ErrorDocument', '404', 'unclosed rest']);
  });

  it('features: continuations, Define and ${VAR}, conditionals, includes of folders and globs, dot files and non-matches skipped', async () => {
    const { root, main } = copyApacheFixture(dir.path, 'features');
    const loaded = await loadTree(main, { version: '2.4.62' });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    const tree = loaded.tree;
    expect([...tree.files.keys()].map((p) => relative(root, p))).toEqual([
      'httpd.conf',
      'extra-dir/a.conf',
      'extra-dir/sub/b.conf',
      'conf.d/10-site.conf',
      'conf.d/20-crlf.conf',
      'conf.d/30-latin1-no-final-newline.conf',
      'snippets/a-proxy.conf',
      'snippets/b-mixed.conf',
    ]);
    expect(tree.files.get(join(root, 'conf.d/30-latin1-no-final-newline.conf'))!.encoding).toBe('latin1');
    // "Listen \ 443 https" is one directive; the comment ending in a backslash swallows the next line.
    expect(listens(tree).map((l) => [l.port, l.protocol, l.where.line])).toEqual([
      [80, null, 7],
      [443, 'https', 8],
    ]);
    const names = topLevel(tree).filter((l) => l.node.name === 'ServerName').map((l) => (l.node as Directive).expanded);
    expect(names).toEqual([['reports.example.com']]);
    expect(tree.defines.has('MODERN')).toBe(true);
    expect(tree.defines.has('NO_SSL')).toBe(true);
    const site = virtualHosts(tree)[0]!;
    expect(site.serverName).toBe('reports.example.com');
    const proxy = (site.located.node as Section).children.find((n): n is Directive => n.kind === 'directive' && n.name === 'ProxyPass')!;
    expect(proxy.expanded).toEqual(['/app', 'http://127.0.0.1:8080/app', 'timeout=600', 'keepalive=On']);
    expect(proxy.line).toBe(4);
  });

  it('a false <IfDefine> is kept in the tree but its Include is not followed', async () => {
    const { main } = copyApacheFixture(dir.path, 'features');
    const loaded = await loadTree(main);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    const file = loaded.tree.files.get(main)!;
    const negative = file.nodes.find((n): n is Section => n.kind === 'section' && n.args[0] === '!WITH_EXTRA')!;
    expect(negative.active).toBe(false);
    expect((negative.children.find((n) => n.kind === 'directive') as Directive).resolved).toBeUndefined();
  });

  it('Debian: the envvars are read (never run) and every ${APACHE_*} resolves; modules come from mods-enabled', async () => {
    const { root, main } = copyApacheFixture(dir.path, 'debian');
    const env = parseEnvvars(readFileSync(join(root, 'envvars'), 'utf8'));
    expect(env.APACHE_LOG_DIR).toBe('/var/log/apache2');
    const loaded = await loadTree(main, { env });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    expect(loaded.tree.undefinedVars).toEqual([]);
    expect(loaded.tree.modules.has('mpm_event_module')).toBe(true);
    expect(loaded.tree.modules.has('ssl_module')).toBe(false);
    // ports.conf: Listen 443 only inside <IfModule ssl_module>, which is false until ssl is enabled.
    expect(listens(loaded.tree).map((l) => l.port)).toEqual([80]);
    expect(virtualHosts(loaded.tree).map((v) => relative(root, v.located.file))).toEqual(['sites-enabled/000-default.conf']);
  });

  it('RHEL: ServerRoot set in httpd.conf resolves conf.modules.d and conf.d; README in conf.d is not read', async () => {
    const { root, main } = copyApacheFixture(dir.path, 'rhel');
    const loaded = await loadTree(main);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    expect(loaded.tree.serverRoot).toBe(root);
    expect([...loaded.tree.files.keys()].map((p) => relative(root, p))).toContain('conf.modules.d/00-proxy.conf');
    expect([...loaded.tree.files.keys()].map((p) => relative(root, p))).not.toContain('conf.d/README');
    expect(loaded.tree.modules.has('proxy_wstunnel_module')).toBe(true);
    expect(listens(loaded.tree).map((l) => [l.port, l.protocol])).toEqual([
      [80, null],
      [443, 'https'],
    ]);
  });

  it('Windows: Define SRVROOT and ServerRoot "${SRVROOT}"; commented LoadModule lines are comments', async () => {
    const { root, main } = copyApacheFixture(dir.path, 'windows');
    const loaded = await loadTree(main);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
    expect(loaded.tree.serverRoot).toBe(root);
    expect(loaded.tree.modules.has('proxy_module')).toBe(false);
    expect(loaded.tree.modules.has('alias_module')).toBe(true);
  });
});

describe('broken input is reported with file and line, never thrown', () => {
  const cases: [string, string, number, string][] = [
    ['unclosed section', '<VirtualHost *:80>\n  ServerName a\n', 1, 'section-unclosed'],
    ['closing the wrong section', '<VirtualHost *:80>\n<Location />\n</VirtualHost>\n</Location>\n', 3, 'section-mismatch'],
    ['stray closing tag', 'Listen 80\n</VirtualHost>\n', 2, 'unexpected-close'],
    ['section without >', 'Listen 80\n<VirtualHost *:80\n</VirtualHost>\n', 2, 'section-missing-gt'],
  ];
  it.each(cases)('%s', (_name, text, line, reason) => {
    const parsed = parseText(text, '/etc/apache2/broken.conf');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatchObject({ file: '/etc/apache2/broken.conf', line, reason });
  });

  it('seed 001 as published on one line: the <VirtualHost> line has no closing >', () => {
    const path = join(APACHE_FIXTURES, 'seed-001/as-published.conf');
    const parsed = parseText(readFileSync(path, 'utf8'), path);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatchObject({ line: 1, reason: 'section-missing-gt' });
  });

  it('Include of a missing file names the including line; IncludeOptional does not fail; Include of an empty wildcard fails', async () => {
    const root = join(dir.path, 'includes');
    mkdirSync(join(root, 'empty'), { recursive: true });
    writeFileSync(join(root, 'a.conf'), 'IncludeOptional missing.conf\nIncludeOptional empty/*.conf\nInclude missing.conf\n');
    const a = await loadTree(join(root, 'a.conf'));
    expect(a.ok).toBe(false);
    if (!a.ok) expect(a.problem).toMatchObject({ file: join(root, 'a.conf'), line: 3, reason: 'include-unreadable' });
    writeFileSync(join(root, 'b.conf'), 'Include empty/*.conf\n');
    const b = await loadTree(join(root, 'b.conf'));
    expect(b.ok).toBe(false);
    if (!b.ok) expect(b.problem).toMatchObject({ line: 1, reason: 'include-no-match' });
  });

  it('an error inside an included file names that file; an include cycle stops at the depth limit', async () => {
    const root = join(dir.path, 'bad');
    mkdirSync(join(root, 'conf.d'), { recursive: true });
    writeFileSync(join(root, 'main.conf'), 'Include conf.d/*.conf\n');
    writeFileSync(join(root, 'conf.d', 'x.conf'), '\n<VirtualHost *:80>\n');
    const loaded = await loadTree(join(root, 'main.conf'));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problem).toMatchObject({ file: join(root, 'conf.d', 'x.conf'), line: 2, reason: 'section-unclosed' });
    writeFileSync(join(root, 'a.conf'), 'Include b.conf\n');
    writeFileSync(join(root, 'b.conf'), 'Include loop.conf\n');
    symlinkSync('a.conf', join(root, 'loop.conf'));
    const cycle = await loadTree(join(root, 'a.conf'));
    expect(cycle.ok).toBe(false);
    if (!cycle.ok) expect(cycle.problem.reason).toBe('include-depth');
  });
});

describe('property: random configurations', () => {
  const word = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.:/$%*-]{0,8}$/);
  const quotedValue = fc.stringMatching(/^[a-z0-9 <>#{}$'-]{0,8}$/);
  const ws = fc.constantFrom(' ', '  ', '\t', ' \\\n  ', '\\\r\n\t');
  const indent = fc.constantFrom('', '  ', '\t', '    ');
  const eol = fc.constantFrom('\n', '\r\n');
  /** A directive line and the words httpd reads from it. */
  const directive = fc
    .tuple(indent, word, fc.array(fc.tuple(ws, fc.oneof(word.map((w) => ({ raw: w, value: w })), quotedValue.map((v) => ({ raw: `"${v}"`, value: v })))), { maxLength: 4 }))
    .map(([i, name, args]) => ({ text: `${i}${name}${args.map(([w, a]) => w + a.raw).join('')}`, words: [name, ...args.map(([, a]) => a.value)] }));
  const comment = fc.tuple(indent, fc.stringMatching(/^[a-z <>{}"']{0,12}$/)).map(([i, s]) => ({ text: `${i}#${s}`, words: null }));
  type Line = { text: string; words: string[] | null };
  const lines: fc.Arbitrary<string> = fc.letrec((tie) => ({
    block: fc.array(
      fc.oneof(
        { depthSize: 'small' },
        fc.tuple(directive, eol).map(([d, e]) => d.text + e),
        fc.tuple(comment, eol).map(([c, e]) => c.text + e),
        fc.constantFrom('\n', '   \n', '\r\n'),
        fc.tuple(fc.constantFrom('VirtualHost', 'IfModule', 'Location', 'Directory'), word, tie('block') as fc.Arbitrary<string>, eol).map(([n, a, body, e]) => `<${n} ${a}>${e}${body}</${n.toLowerCase()}>${e}`),
      ),
      { maxLength: 6 },
    ).map((parts) => parts.join('')),
  })).block;

  it('valid configurations round-trip byte for byte, the last line with or without a newline', () => {
    fc.assert(
      fc.property(lines, fc.boolean(), (text, chop) => {
        const input = chop ? text.replace(/\r?\n$/, '') : text;
        const parsed = parseText(input, 'random.conf');
        return parsed.ok && printFile(parsed.file) === input;
      }),
      { numRuns: 1500 },
    );
  });

  it('each directive is read as the words that were generated (continuations joined)', () => {
    fc.assert(
      fc.property(fc.array(directive, { minLength: 1, maxLength: 5 }), (ds: Line[]) => {
        const parsed = parseText(ds.map((d) => `${d.text}\n`).join(''), 'words.conf');
        if (!parsed.ok) return false;
        const read = parsed.file.nodes.filter((n): n is Directive => n.kind === 'directive').map((d) => [d.name, ...d.args]);
        return JSON.stringify(read) === JSON.stringify(ds.map((d) => d.words));
      }),
      { numRuns: 1000 },
    );
  });

  it('mutated configurations never throw: a value or a parse error with a line', () => {
    const mutated = fc.tuple(lines, fc.array(fc.tuple(fc.nat(), fc.constantFrom('delete', 'insert'), fc.constantFrom('<', '>', '/', '"', '#', '\\', '\n', '\r', ' ')), { minLength: 1, maxLength: 5 })).map(([text, ops]) => {
      let out = text;
      for (const [at, op, ch] of ops) {
        const i = out.length === 0 ? 0 : at % out.length;
        out = op === 'delete' ? out.slice(0, i) + out.slice(i + 1) : out.slice(0, i) + ch + out.slice(i);
      }
      return out;
    });
    fc.assert(
      fc.property(mutated, (text) => {
        const parsed = parseText(text, 'mutated.conf');
        if (parsed.ok) return printFile(parsed.file) === text;
        return parsed.problem.file === 'mutated.conf' && parsed.problem.line >= 1;
      }),
      { numRuns: 3000 },
    );
  });
});
