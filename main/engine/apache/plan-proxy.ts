import { constants, existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { ApachePlanOutput, ApachePlanRequest } from '../../../shared/contract/apache.js';
import type { Lang } from '../../../shared/contract/common.js';
import { PLAN_VERSION, type CertificateAction, type FileEdit, type FineDbRowChange, type Plan, type PlanNote, type PlannedCheck, type PlanText, type ServiceAction } from '../../../shared/contract/plan.js';
import { tIfKnown } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { describeErrno, errnoOf } from '../common/errno.js';
import { DEFAULT_PORTS, inspectInstall, methodTwoRows, usesLegacyRequestPort, type FineProduct } from '../fine/index.js';
import { realPathInside } from '../common/inside-tree.js';
import { ownedFileText, ownedState } from '../common/owned-file.js';
import { sha256Hex as sha256 } from '../ports/index.js';
import { unifiedDiff } from '../common/unified-diff.js';
import type { ConfFile, Directive, Node, Section } from './ast.js';
import { valuesOf } from './ast.js';
import { diagnoseApache } from './diagnose.js';
import { appendMarked, cloneTree, eolOf, insertMarked, isMarked, lineEndingOf, quoteArg, setDirective, uncomment } from './edit.js';
import { compareVersions, loadTree, parseEnvvars, serverRootRelative, type ApacheTree, type LoadOptions } from './load.js';
import { editOpCommonJson, editOpCommonNmis, opCommonKind } from './opcommon.js';
import { fileBytes, printFile } from './print.js';
import { aliasMatch, forwardsProto, listens, selectVirtualHost, type Located } from './query.js';
import { tlsLines } from './tls-profile.js';
import { apacheTestTree, apacheVersion, findApacheBinary } from './validate.js';

type Params = Record<string, string | number | boolean>;
const text = (code: string, params: Params = {}): PlanText => ({ code, params });

/** What the profiles contribute; the shared steps (modules, owned file, include line, diffs, apachectl -t) do the rest. */
interface Draft {
  readonly lang: Lang;
  readonly input: ApachePlanRequest;
  readonly tree: ApacheTree;
  /** The tree after the module edits (what httpd will read): for Listen and vhost decisions. */
  modulesTree: ApacheTree;
  readonly work: ApacheTree;
  readonly upgradeParam: boolean;
  readonly touched: Map<string, PlanText>;
  /** New files; `link` (Debian's mods-enabled entries): made as a symlink with that text, `content` being what httpd then reads through it. */
  readonly created: Map<string, { content: string; reason: PlanText; link?: string }>;
  readonly ownedTop: string[];
  readonly ownedBody: string[];
  readonly notes: PlanNote[];
  readonly rows: FineDbRowChange[];
  readonly checks: PlannedCheck[];
  readonly services: ServiceAction[];
  readonly extraFiles: FileEdit[];
  /** Ports the planned virtual hosts answer on (Listen lines, and what proves Apache started). */
  readonly ports: Set<number>;
  readonly certPath: string;
  readonly keyPath: string;
  readonly ownedPath: string;
}

const note = (code: string, severity: PlanNote['severity'], params: Params = {}, evidence: Record<string, unknown> = {}): PlanNote => ({ code, severity, params, evidence });
const whereText = (file: string, line: number) => `${file}:${line}`;
const host = (names: readonly string[]) => names.find((n) => !n.includes('*')) ?? 'localhost';

/** The `planApacheProxy` operation: read, compute every change, validate with httpd -t on a temp copy; write nothing. */
export async function planApacheProxy(input: ApachePlanRequest, ctx: OpContext): Promise<ApachePlanOutput> {
  const lang = ctx.lang;
  const bin = findApacheBinary(input.apacheBin);
  if (bin === null) throw new EngineError('APACHE_BINARY_NOT_FOUND', { path: input.apacheBin ?? 'apache2' }, {});
  const version = await apacheVersion(ctx.ports, bin);
  const mainPath = resolve(input.apacheConf);
  const envvars = join(input.serverRoot ?? dirname(mainPath), 'envvars');
  const env = existsSync(envvars) ? parseEnvvars(readFileSync(envvars, 'utf8')) : {};
  const loadOptions: LoadOptions = { env, version, ...(input.serverRoot !== undefined ? { serverRoot: input.serverRoot } : {}) };
  const tree = await readTree(mainPath, loadOptions, lang);
  const root = tree.serverRoot;
  const name = input.name ?? input.profile;
  const ownedPath = join(root, 'wss-setup', `${name}.conf`);
  const ownedRef = `wss-setup/${name}.conf`;
  const upgradeParam = version !== null && compareVersions(version, '2.4.47') >= 0;

  // Certificates: the admin's PEM files, or one the certs module issues at apply time.
  const certificates: CertificateAction[] = [];
  const pendingCerts: { cert: string; key: string }[] = [];
  let certPath: string;
  let keyPath: string;
  const notes: PlanNote[] = [];
  if (input.certPath !== undefined && input.keyPath !== undefined) {
    for (const path of [input.certPath, input.keyPath]) {
      try {
        await access(path, constants.R_OK);
      } catch (error) {
        const code = errnoOf(error);
        throw new EngineError('APACHE_CERT_UNREADABLE', { path, reason: describeErrno(code, lang) }, { path, errno: code });
      }
    }
    certPath = input.certPath;
    keyPath = input.keyPath;
    certificates.push({ kind: 'use-existing', certPath, keyPath });
  } else {
    certPath = join(root, 'wss-setup', 'certs', `${name}.crt`);
    keyPath = join(root, 'wss-setup', 'certs', `${name}.key`);
    const names = input.serverNames.filter((n) => !n.includes('*'));
    certificates.push({ kind: 'issue', names: names.length > 0 ? names : ['localhost'], outputs: { pem: { certPath, keyPath } } });
    pendingCerts.push({ cert: certPath, key: keyPath });
    notes.push(note('CERT_TO_ISSUE', 'info', { cert: certPath, key: keyPath }, { certPath, keyPath }));
  }

  const draft: Draft = {
    lang,
    input,
    tree,
    modulesTree: tree,
    work: cloneTree(tree),
    upgradeParam,
    touched: new Map(),
    created: new Map(),
    ownedTop: [],
    ownedBody: [],
    notes,
    rows: [],
    checks: [],
    services: [],
    extraFiles: [],
    ports: new Set(),
    certPath,
    keyPath,
    ownedPath,
  };

  // Modules, the distribution's way; then read the tree again as httpd will (IfModule, Listen).
  const wanted = ['ssl', 'proxy', 'proxy_http', 'headers', ...(upgradeParam ? [] : ['proxy_wstunnel']), ...(input.redirectHttp ? ['alias'] : [])];
  enableModules(draft, wanted);
  draft.modulesTree = await reread(mainPath, loadOptions, draft, new Map());

  switch (input.profile) {
    case 'finereport':
      await planFineReport(input, draft);
      break;
    case 'opcharts':
      await planOpCharts(input, draft, ctx);
      break;
    case 'generic':
      planGeneric(input, draft);
      break;
    default: {
      const never: never = input;
      throw new Error(`unknown profile ${String(never)}`);
    }
  }

  // Listen lines httpd does not have yet (after the modules are enabled).
  const have = new Set(listens(draft.modulesTree).map((l) => l.port));
  const ports = new Set<number>([...draft.ports, ...draft.checks.map((c) => Number(new URL(c.url).port || 443))]);
  if (input.redirectHttp && draft.ownedBody.some((l) => l.startsWith('# HTTP -> HTTPS'))) ports.add(input.httpPort);
  for (const port of [...ports].sort((a, b) => a - b)) if (!have.has(port)) draft.ownedTop.push(`Listen ${input.listenAddress !== undefined ? `${input.listenAddress}:` : ''}${port}`);

  // The owned file and the single Include line in the main file.
  const overrides = new Map<string, string>();
  const files: FileEdit[] = [];
  const ownedLines = [...draft.ownedTop, ...(draft.ownedTop.length > 0 && draft.ownedBody.length > 0 ? [''] : []), ...draft.ownedBody];
  if (ownedLines.length > 0) {
    const content = ownedFileText(input.profile, `${ownedLines.join('\n')}\n`);
    const before = existsSync(ownedPath) ? readFileSync(ownedPath, 'utf8') : null;
    if (before !== null && ownedState(before) !== 'ours') throw new EngineError('APACHE_OWNED_FILE_EDITED', { path: ownedPath }, { path: ownedPath, state: ownedState(before) });
    if (before !== content) files.push(fileEdit(insideRoot(tree, ownedPath), before, content, 'utf8', true, text('apache.reason.owned', { profile: input.profile })));
    overrides.set(ownedPath, content);
    const included = [...draft.work.files.values()].some((f) => hasInclude(f.nodes, [ownedRef, ownedPath]));
    if (!included) {
      const main = draft.work.files.get(mainPath)!;
      appendMarked(main.nodes, null, [`Include ${ownedRef}`], eolOf(main.nodes));
      draft.touched.set(mainPath, text('apache.reason.include', { file: ownedRef }));
    }
  }
  for (const [path, entry] of draft.created) {
    files.push(entry.link !== undefined ? linkEdit(insideRoot(tree, path), entry.link, entry.reason) : fileEdit(insideRoot(tree, path), null, entry.content, 'utf8', false, entry.reason));
    overrides.set(path, entry.content);
  }
  for (const [path, reason] of draft.touched) {
    const original = tree.files.get(path)!;
    const edited = draft.work.files.get(path)!;
    const before = printFile(original);
    const after = printFile(edited);
    if (before === after) continue;
    overrides.set(path, after);
    files.push({ ...fileEdit(insideRoot(tree, path), before, after, edited.encoding, false, reason), beforeSha256: sha256(fileBytes(original)), afterSha256: sha256(fileBytes(edited)) });
  }
  files.push(...draft.extraFiles);

  // Validate: the edited tree reads again, and the real httpd -t passes on a temporary copy.
  const validations: Plan['validations'] = [];
  const apacheFiles = files.filter((f) => f.kind === 'apache');
  if (apacheFiles.length > 0) {
    const edited = await reread(mainPath, loadOptions, draft, overrides);
    const foreign = missingModuleFile(edited);
    if (/^[A-Za-z]:[\\/]/.test(root) || foreign !== null) {
      validations.push({ tool: 'none', ok: true, output: '' });
      draft.notes.push(note('APACHE_NOT_VALIDATED', 'warning', { root, module: foreign ?? '' }, { root, module: foreign }));
    } else {
      const result = await apacheTestTree(ctx.ports, edited, { bin, extraFiles: overrides, pendingCerts });
      if (!result.ok) {
        const baseline = await apacheTestTree(ctx.ports, tree, { bin });
        if (!baseline.ok) throw new EngineError('APACHE_CONF_BROKEN', { output: baseline.output }, { output: baseline.output });
        throw new EngineError('APACHE_TEST_FAILED', { output: result.output }, { output: result.output });
      }
      validations.push({ tool: 'apachectl -t', ok: true, output: result.output });
    }
    draft.services.unshift(apacheService(draft, bin, mainPath));
  }
  await selfDiagnose(draft, mainPath, loadOptions, overrides);
  const changed = files.length > 0;
  if (!changed) draft.notes.push(note('NO_CHANGES', 'info'));

  const plan: Plan = {
    planVersion: PLAN_VERSION,
    method: 'apache-proxy',
    profile: input.profile,
    createdAt: new Date().toISOString(),
    // The real ServerRoot: the planned paths (links included, which must stay inside it) are real paths too.
    target: { kind: 'apache', paths: { mainConf: mainPath, serverRoot: realOr(root) } },
    files,
    certificates: changed ? certificates : [],
    fineDbRows: draft.rows,
    services: changed ? draft.services : draft.services.filter((s) => s.id !== 'apache'),
    validations,
    checks: draft.checks,
    notes: draft.notes,
  };
  return { plan, changed };
}

/**
 * The plan checks itself with the diagnosis `check --apache-conf` runs: on the configuration as it
 * will be, each planned WebSocket URL must reach a ProxyPass that carries the upgrade. What still
 * stops it (a general ProxyPass in the main server configuration, inherited before the vhost's
 * own rules; a rule inside an included file) is said as an error note naming file and line.
 */
async function selfDiagnose(draft: Draft, mainPath: string, options: LoadOptions, overrides: Map<string, string>): Promise<void> {
  if (draft.checks.length === 0) return;
  const planned = await reread(mainPath, options, draft, overrides);
  for (const check of draft.checks) {
    const url = new URL(check.url);
    const findings = await diagnoseApache(mainPath, url, draft.lang, planned);
    for (const f of findings.filter((x) => x.severity === 'error')) {
      const where = `${String(f.evidence.file)}:${String(f.evidence.line)}`;
      draft.notes.push(note('APACHE_PLAN_STILL_BLOCKED', 'error', { url: check.url, finding: f.code, where }, { finding: f.code, file: f.evidence.file, line: f.evidence.line }));
    }
  }
}

/** A symlink the plan makes (no content of its own; apply creates it exclusively and a rollback removes it). */
function linkEdit(path: string, linkTarget: string, reason: PlanText): FileEdit {
  return { path, action: 'link', kind: 'apache', beforeSha256: null, afterSha256: sha256(Buffer.alloc(0)), content: '', encoding: 'utf8', lineEnding: 'lf', diff: '', owned: false, linkTarget, reason };
}

function fileEdit(path: string, before: string | null, after: string, encoding: 'utf8' | 'latin1', owned: boolean, reason: PlanText, kind: FileEdit['kind'] = 'apache'): FileEdit {
  return {
    path,
    action: before === null ? 'create' : 'modify',
    kind,
    beforeSha256: before === null ? null : sha256(Buffer.from(before, encoding)),
    afterSha256: sha256(Buffer.from(after, encoding)),
    content: after,
    encoding,
    lineEnding: lineEndingOf(before ?? after),
    diff: unifiedDiff(before ?? '', after, before === null ? '/dev/null' : `a${path}`, `b${path}`),
    owned,
    ...(before === null ? { mode: 0o644 } : {}),
    reason,
  };
}

async function readTree(path: string, options: LoadOptions, lang: Lang): Promise<ApacheTree> {
  const loaded = await loadTree(path, options);
  if (loaded.ok) return loaded.tree;
  const p = loaded.problem;
  if (p.reason === 'file-unreadable' && p.file === path) throw new EngineError('APACHE_CONF_UNREADABLE', { path: p.file, reason: describeErrno(p.detail, lang) }, { path: p.file, errno: p.detail });
  const reason = tIfKnown(lang, `apache.parse.${p.reason}`, { detail: p.detail }) ?? p.reason;
  throw new EngineError('APACHE_CONF_INVALID', { file: p.file, line: p.line, reason }, { file: p.file, line: p.line, reason: p.reason, detail: p.detail });
}

/** The tree as httpd will read it with the planned files (module entries, owned file, edits). */
async function reread(mainPath: string, options: LoadOptions, draft: Draft, overrides: Map<string, string>): Promise<ApacheTree> {
  const all = new Map(overrides);
  for (const [path, entry] of draft.created) if (!all.has(path)) all.set(path, entry.content);
  for (const path of draft.touched.keys()) if (!all.has(path)) all.set(path, printFile(draft.work.files.get(path)!));
  const loaded = await loadTree(mainPath, { ...options, overrides: all });
  if (!loaded.ok) throw new Error(`planned configuration does not read: ${JSON.stringify(loaded.problem)}`);
  return loaded.tree;
}

/** A LoadModule file this machine does not have: the tree belongs to another machine or platform, httpd -t cannot judge it here. */
function missingModuleFile(tree: ApacheTree): string | null {
  for (const file of tree.files.values()) {
    const found = loadModules(file.nodes).find((d) => {
      const path = valuesOf(d)[1];
      return path !== undefined && !existsSync(serverRootRelative(tree.serverRoot, path));
    });
    if (found !== undefined) return valuesOf(found)[1]!;
  }
  return null;
}

const loadModules = (nodes: readonly Node[]): Directive[] =>
  nodes.flatMap((n) => (n.kind === 'directive' && n.name.toLowerCase() === 'loadmodule' ? [n] : n.kind === 'section' && n.active !== false ? loadModules(n.children) : []));

function hasInclude(nodes: readonly Node[], targets: readonly string[]): boolean {
  return nodes.some((n) => (n.kind === 'directive' && /^include(optional)?$/i.test(n.name) && targets.includes(valuesOf(n)[0] ?? '')) || (n.kind === 'section' && hasInclude(n.children, targets)));
}

const realOr = (path: string): string => {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
};

/** The real path of a file the plan writes; refuses anything outside the ServerRoot. */
function insideRoot(tree: ApacheTree, path: string): string {
  const { real, inside } = realPathInside(tree.serverRoot, path);
  if (!inside) throw new EngineError('APACHE_EDIT_OUTSIDE_TREE', { path, real, root: tree.serverRoot }, { path, real, root: tree.serverRoot });
  return real;
}

function apacheService(draft: Draft, bin: string, mainPath: string): ServiceAction {
  const dir = dirname(bin);
  const apachectl = draft.input.apachectl ?? [join(dir, 'apachectl'), join(dir, 'apache2ctl')].find((p) => existsSync(p)) ?? bin;
  const ports = [...new Set([...draft.ports, ...draft.checks.map((c) => Number(new URL(c.url).port || 443))])].sort((a, b) => a - b);
  return {
    id: 'apache',
    service: { kind: 'apache', apachectl, conf: mainPath, root: draft.tree.serverRoot },
    action: 'stop-start',
    ready: ports.map((port) => ({ host: '127.0.0.1', port })),
    mustBeFree: [],
    reason: text('apache.reason.restart'),
  };
}

// ---------------------------------------------------------------------------------------------
// Modules

/** Debian's "# Depends: a b" lines of a mods-available .load file. */
const dependsOf = (content: string) => (/^#\s*Depends:\s*(.*)$/m.exec(content)?.[1] ?? '').split(/[\s,]+/).filter((d) => d !== '');

function enableModules(draft: Draft, wanted: readonly string[]): void {
  const tree = draft.tree;
  const root = tree.serverRoot;
  const debian = existsSync(join(root, 'mods-available')) && existsSync(join(root, 'mods-enabled'));
  const missing = (m: string) => !tree.modules.has(`${m}_module`);
  const enabled: string[] = [];
  if (debian) {
    const queue = [...wanted];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const m = queue.shift()!;
      if (seen.has(m)) continue;
      seen.add(m);
      if (!missing(m)) continue;
      const load = join(root, 'mods-available', `${m}.load`);
      if (!existsSync(load)) throw new EngineError('APACHE_MODULE_UNAVAILABLE', { module: m, path: load }, { module: m, path: load });
      const content = readFileSync(load, 'utf8');
      queue.push(...dependsOf(content));
      for (const ext of ['load', 'conf']) {
        const available = join(root, 'mods-available', `${m}.${ext}`);
        const target = join(root, 'mods-enabled', `${m}.${ext}`);
        // A link as a2enmod makes it (a2dismod removes only links); a dangling link already there counts as there.
        if (existsSync(available) && lstatSync(target, { throwIfNoEntry: false }) === undefined) draft.created.set(target, { content: readFileSync(available, 'utf8'), reason: text('apache.reason.moduleLink', { module: m, file: `mods-available/${m}.${ext}` }), link: `../mods-available/${m}.${ext}` });
      }
      enabled.push(m);
    }
    if (enabled.length > 0) draft.notes.push(note('APACHE_MODULES_ENABLED', 'info', { modules: enabled.join(' '), how: 'a2enmod' }, { modules: enabled }));
    return;
  }
  // Elsewhere: uncomment the distribution's own "#LoadModule x_module ..." line, else add one.
  const modulePath = modulesDir(tree);
  for (const m of wanted) {
    if (!missing(m)) continue;
    const found = findCommentedLoadModule(draft.work, m);
    if (found !== null) {
      uncomment(found.nodes, found.index, eolOf(draft.work.files.get(found.file)!.nodes));
      draft.touched.set(found.file, text('apache.reason.loadModule', { module: m }));
    } else {
      const so = `${modulePath}/mod_${m}.so`;
      if (!/^[A-Za-z]:[\\/]/.test(so) && !existsSync(serverRootRelative(root, so))) throw new EngineError('APACHE_MODULE_UNAVAILABLE', { module: m, path: serverRootRelative(root, so) }, { module: m, path: so });
      draft.ownedTop.push(`LoadModule ${m}_module ${quoteArg(so)}`);
    }
    enabled.push(m);
  }
  if (enabled.length > 0) draft.notes.push(note('APACHE_MODULES_ENABLED', 'info', { modules: enabled.join(' '), how: 'LoadModule' }, { modules: enabled }));
}

/** Where this installation keeps its modules: the folder of its first LoadModule line. */
function modulesDir(tree: ApacheTree): string {
  for (const file of tree.files.values()) {
    const found = findDirective(file.nodes, 'LoadModule');
    const path = found === null ? undefined : valuesOf(found)[1];
    if (path !== undefined) return path.slice(0, Math.max(path.lastIndexOf('/'), 0)) || 'modules';
  }
  return 'modules';
}

function findDirective(nodes: readonly Node[], name: string): Directive | null {
  for (const n of nodes) {
    if (n.kind === 'directive' && n.name.toLowerCase() === name.toLowerCase()) return n;
    if (n.kind === 'section') {
      const inner = findDirective(n.children, name);
      if (inner !== null) return inner;
    }
  }
  return null;
}

function findCommentedLoadModule(tree: ApacheTree, m: string): { file: string; nodes: Node[]; index: number } | null {
  const re = new RegExp(`^\\s*#\\s*LoadModule\\s+${m}_module\\s+\\S+\\s*$`);
  for (const [file, conf] of tree.files) {
    const index = conf.nodes.findIndex((n) => n.kind === 'comment' && re.test(n.raw));
    if (index >= 0) return { file, nodes: conf.nodes, index };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Virtual hosts

/** The ProxyPass / ProxyPassReverse pair that carries a WebSocket to `backend` at `path`. */
function wsLines(draft: Draft, path: string, backend: string, backendPath = path): { pass: string; reverse: string } {
  const timeout = `timeout=${draft.input.readTimeoutSeconds}`;
  return draft.upgradeParam
    ? { pass: `ProxyPass ${path} http://${backend}${backendPath} upgrade=websocket ${timeout}`, reverse: `ProxyPassReverse ${path} http://${backend}${backendPath}` }
    : { pass: `ProxyPass ${path} ws://${backend}${backendPath} ${timeout}`, reverse: `ProxyPassReverse ${path} http://${backend}${backendPath}` };
}

function vhostLines(draft: Draft, port: number, title: string, body: readonly string[]): string[] {
  const input = draft.input;
  const [first, ...aliases] = input.serverNames;
  return [
    `# ${title}`,
    `<VirtualHost ${input.listenAddress ?? '*'}:${port}>`,
    `    ServerName ${first}`,
    ...(aliases.length > 0 ? [`    ServerAlias ${aliases.join(' ')}`] : []),
    ...tlsLines(draft.certPath, draft.keyPath, quoteArg).map((l) => `    ${l}`),
    '    ProxyRequests Off',
    '    ProxyPreserveHost On',
    '    RequestHeader set X-Forwarded-Proto "https"',
    ...body.map((l) => `    ${l}`),
    '</VirtualHost>',
    '',
  ];
}

function redirectLines(draft: Draft): string[] {
  const input = draft.input;
  if (!input.redirectHttp) return [];
  const name = host(input.serverNames);
  const existing = selectVirtualHost(draft.modulesTree, { host: name, port: input.httpPort });
  if (existing !== null && existing.how !== 'default' && existing.vhost.located.file !== draft.ownedPath) {
    const w = existing.vhost.located;
    draft.notes.push(note('APACHE_REDIRECT_SKIPPED', 'warning', { where: whereText(w.file, w.node.line), port: input.httpPort }, { file: w.file, line: w.node.line }));
    return [];
  }
  const target = `https://${name}${input.httpsPort === 443 ? '' : `:${input.httpsPort}`}/`;
  return ['# HTTP -> HTTPS', `<VirtualHost ${input.listenAddress ?? '*'}:${input.httpPort}>`, `    ServerName ${input.serverNames[0]}`, `    Redirect permanent / ${target}`, '</VirtualHost>', ''];
}

/** An existing TLS vhost that answers the name on the port by name (not as a mere default). */
function existingVhost(draft: Draft, port: number): Located<Section> | null {
  const match = selectVirtualHost(draft.modulesTree, { host: host(draft.input.serverNames), port });
  if (match === null || match.how === 'default' || match.vhost.located.file === draft.ownedPath) return null;
  return match.vhost.located;
}

/** The same section in the work tree (a clone) as `located` in the read tree. */
function workSection(draft: Draft, located: Located<Section>): Section {
  const file = draft.work.files.get(located.file);
  const find = (nodes: Node[]): Section | null => {
    for (const n of nodes) {
      if (n.kind !== 'section') continue;
      if (n.line === located.node.line && n.name === located.node.name) return n;
      const inner = find(n.children);
      if (inner !== null) return inner;
    }
    return null;
  };
  const found = file === undefined ? null : find(file.nodes);
  if (found === null) throw new Error(`section not found again: ${located.file}:${located.node.line}`);
  return found;
}

const isProxyPass = (n: Node): n is Directive => n.kind === 'directive' && n.name.toLowerCase() === 'proxypass';
const carriesWs = (d: Directive) => /^wss?:\/\//i.test(valuesOf(d)[1] ?? '') || valuesOf(d).slice(2).some((p) => p.toLowerCase() === 'upgrade=websocket');

/**
 * Puts the WebSocket ProxyPass for `path` into an existing TLS vhost, in place and marked: before
 * the first ProxyPass that would also match the path (a general "ProxyPass /" shadows any rule
 * after it), moving the admin's own rule for the path there when it sits behind such a rule; then
 * its ProxyPassReverse and X-Forwarded-Proto https when missing.
 */
function wsInPlace(draft: Draft, located: Located<Section>, path: string, backend: string | undefined, fallback?: string): void {
  const section = workSection(draft, located);
  const nodes = section.children;
  const file = draft.work.files.get(located.file)!;
  const eol = eolOf(file.nodes);
  const exactIndex = nodes.findIndex((n) => isProxyPass(n) && valuesOf(n)[0] === path);
  const exact = exactIndex >= 0 ? (nodes[exactIndex] as Directive) : null;
  let target = backend;
  let backendPath = path;
  if (target === undefined && exact !== null) {
    const m = /^[a-z]+:\/\/([^/]+)(\/.*)?$/i.exec(valuesOf(exact)[1] ?? '');
    if (m !== null) {
      target = m[1]!;
      backendPath = m[2] ?? '/';
    }
  }
  target ??= fallback;
  if (target === undefined) throw new EngineError('APACHE_UPSTREAM_REQUIRED', { path }, { path, file: located.file, line: located.node.line });
  const lines = wsLines(draft, path, target, backendPath);
  const shadowIndex = nodes.findIndex((n, k) => k !== exactIndex && isProxyPass(n) && aliasMatch(path, valuesOf(n)[0] ?? '') > 0);
  let changed = false;
  let at: number;
  if (exact !== null && (shadowIndex < 0 || exactIndex < shadowIndex)) {
    at = exactIndex;
    if (!carriesWs(exact)) {
      setDirective(nodes, exactIndex, lines.pass, eol);
      at = exactIndex + 1;
      changed = true;
    }
  } else {
    if (exact !== null) {
      const from = isMarked(nodes, exactIndex) ? exactIndex - 1 : exactIndex;
      nodes.splice(from, exactIndex - from + 1);
    }
    const before = nodes.findIndex((n) => isProxyPass(n) && aliasMatch(path, valuesOf(n)[0] ?? '') > 0);
    if (before >= 0) {
      insertMarked(nodes, before, section, [lines.pass], eol);
      at = before + 1;
    } else {
      appendMarked(nodes, section, [lines.pass], eol);
      at = nodes.length - 1;
    }
    changed = true;
  }
  const hasReverse = nodes.some((n) => n.kind === 'directive' && n.name.toLowerCase() === 'proxypassreverse' && valuesOf(n)[0] === path);
  if (!hasReverse) {
    insertMarked(nodes, at + 1, section, [lines.reverse], eol);
    changed = true;
  }
  if (!forwardsProto(draft.modulesTree, located)) {
    appendMarked(nodes, section, ['RequestHeader set X-Forwarded-Proto "https"'], eol);
    changed = true;
  }
  if (changed) {
    draft.touched.set(located.file, text('apache.reason.vhost', { path, where: whereText(located.file, located.node.line) }));
    draft.notes.push(note('APACHE_VHOST_EDITED', 'info', { path, where: whereText(located.file, located.node.line) }, { file: located.file, line: located.node.line }));
  }
}

// ---------------------------------------------------------------------------------------------
// Profiles

const PRODUCT_NAMES: Readonly<Record<FineProduct, string>> = { finereport: 'FineReport', finebi: 'FineBI', finedatalink: 'FineDataLink' };

/** The Tomcat base of an install laid out as one (<base>/webapps/webroot/WEB-INF); null otherwise. */
function tomcatBaseOf(webInf: string): string | null {
  const parts = webInf.split(sep);
  if (parts.length < 4 || parts.at(-1) !== 'WEB-INF' || parts.at(-2) !== 'webroot' || parts.at(-3) !== 'webapps') return null;
  return parts.slice(0, -3).join(sep);
}

async function planFineReport(input: Extract<ApachePlanRequest, { profile: 'finereport' }>, draft: Draft): Promise<void> {
  const install = input.install !== undefined ? await inspectInstall(input.install) : undefined;
  const product: FineProduct = input.product ?? install?.product ?? 'finereport';
  const jarDate = input.jarDate ?? install?.jarDate;
  const container = input.containerWebSocket ?? install?.containerWebSocket ?? false;
  const wsPort = input.websocketPort ?? DEFAULT_PORTS[product].websocket;
  const forward = input.forwardPort ?? DEFAULT_PORTS[product].forward;
  const name = host(input.serverNames);
  for (const port of container ? [input.httpsPort] : [input.httpsPort, forward]) {
    const existing = existingVhost(draft, port);
    if (existing !== null) throw new EngineError('APACHE_VHOST_CONFLICT', { port, where: whereText(existing.file, existing.node.line) }, { port, file: existing.file, line: existing.node.line });
  }
  const app = container ? [wsLines(draft, '/', input.app, '/').pass, `ProxyPassReverse / http://${input.app}/`] : [`ProxyPass / http://${input.app}/`, `ProxyPassReverse / http://${input.app}/`];
  draft.ownedBody.push(...vhostLines(draft, input.httpsPort, `${PRODUCT_NAMES[product]} over HTTPS`, app));
  draft.ports.add(input.httpsPort);
  if (container) {
    draft.notes.push(note('FINE_CONTAINER_WEBSOCKET', 'info', { product: PRODUCT_NAMES[product], port: input.httpsPort }));
  } else {
    const ws = wsLines(draft, '/', `${input.websocketHost}:${wsPort}`, '/');
    draft.ownedBody.push(...vhostLines(draft, forward, `${PRODUCT_NAMES[product]} WebSocket over TLS (${forward} -> ${wsPort})`, [ws.pass, ws.reverse]));
    draft.ports.add(forward);
    // Only checks that must pass after apply: the push service behind the forwarding port (the page's
    // root is no WebSocket endpoint, and a container WebSocket's path belongs to the product).
    draft.checks.push({ url: `wss://${name}:${forward}/socket.io/?EIO=4&transport=websocket`, proves: text('apache.check.forward', { forward, port: wsPort }) });
    draft.notes.push(note('SECOND_PORT_TRUST', 'info', { forward }));
    const legacy = usesLegacyRequestPort(jarDate);
    if (legacy) draft.notes.push(note('FINE_LEGACY_REQUEST_PORT', 'info', { jarDate: jarDate ?? '' }));
    const rows = methodTwoRows({ websocketPorts: [wsPort], requestPorts: [forward], legacyRequestPort: legacy });
    if (install !== undefined) {
      // The value each row has now is read when the plan is applied (reading FineDB needs the product stopped).
      for (const row of rows) draft.rows.push({ install: install.dir, product, id: row.id, after: row.value, phase: 'after-certificates', reason: text('apache.reason.row', { id: row.id }) });
      // The product reads the rows at start-up: stopped and started like nginx's planner does it.
      const base = tomcatBaseOf(install.webInf);
      const ports = [{ host: '127.0.0.1', port: Number(input.app.slice(input.app.lastIndexOf(':') + 1)) }, { host: '127.0.0.1', port: wsPort }];
      if (base !== null) draft.services.push({ id: product, service: { kind: 'catalina', home: base, base }, action: 'stop-start', ready: ports, mustBeFree: ports, reason: text('plan.reason.productRestart', { product: PRODUCT_NAMES[product] }) });
      else draft.notes.push(note('FINE_RESTART_BY_HAND', 'warning', { product: PRODUCT_NAMES[product], dir: install.dir }, { dir: install.dir, webInf: install.webInf }));
    } else draft.notes.push(note('FINE_ROWS_BY_HAND', 'warning', { product: PRODUCT_NAMES[product], rows: rows.map((r) => `${r.id}=${r.value}`).join(', '), ws: wsPort, forward }, { rows, product }));
  }
  draft.ownedBody.push(...redirectLines(draft));
}

/** Seed 001: OMK's web service. */
const OMK_DEFAULT = '127.0.0.1:8042';

async function planOpCharts(input: Extract<ApachePlanRequest, { profile: 'opcharts' }>, draft: Draft, ctx: OpContext): Promise<void> {
  const name = host(input.serverNames);
  const existing = existingVhost(draft, input.httpsPort);
  if (existing !== null) wsInPlace(draft, existing, input.path, input.omk, OMK_DEFAULT);
  else {
    const omk = input.omk ?? OMK_DEFAULT;
    const ws = wsLines(draft, input.path, omk);
    draft.ownedBody.push(...vhostLines(draft, input.httpsPort, 'opCharts / OMK over HTTPS, events WebSocket first', [ws.pass, ws.reverse, `ProxyPass / http://${omk}/`, `ProxyPassReverse / http://${omk}/`]));
    draft.ownedBody.push(...redirectLines(draft));
  }
  draft.checks.push({ url: `wss://${name}:${input.httpsPort}${input.path}`, proves: text('apache.check.path', { path: input.path, port: input.httpsPort }) });
  if (input.opCommon !== undefined) {
    const path = input.opCommon;
    let bytes: Buffer;
    try {
      bytes = await ctx.ports.fs.readFile(path, { maxBytes: 8 * 1024 * 1024 });
    } catch (error) {
      const code = error instanceof EngineError ? error.code : errnoOf(error);
      throw new EngineError('APACHE_OPCOMMON_UNREADABLE', { path, reason: describeErrno(code, draft.lang) }, { path, reason: code });
    }
    const encoding = Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes) ? 'utf8' : 'latin1';
    const before = bytes.toString(encoding);
    const kind = opCommonKind(path);
    const edit = kind === 'json' ? editOpCommonJson(before, input.httpsPort) : editOpCommonNmis(before, input.httpsPort);
    if (!edit.ok) throw new EngineError('APACHE_OPCOMMON_NO_KEY', { path, reason: edit.reason }, { path, reason: edit.reason });
    if (edit.text !== before) {
      draft.extraFiles.push(fileEdit(path, before, edit.text, encoding, false, text('apache.reason.opCommon', { port: input.httpsPort, before: edit.before }), kind));
      draft.services.push({ id: 'omkd', service: { kind: 'systemd', unit: input.omkService }, action: 'stop-start', ready: [], mustBeFree: [], reason: text('apache.reason.omkRestart') });
    }
  } else draft.notes.push(note('APACHE_OPCOMMON_NOT_GIVEN', 'warning', { port: input.httpsPort }));
}

function planGeneric(input: Extract<ApachePlanRequest, { profile: 'generic' }>, draft: Draft): void {
  const name = host(input.serverNames);
  const existing = existingVhost(draft, input.httpsPort);
  if (existing !== null) wsInPlace(draft, existing, input.path, input.upstream);
  else {
    if (input.upstream === undefined) throw new EngineError('APACHE_UPSTREAM_REQUIRED', { path: input.path }, { path: input.path });
    const ws = wsLines(draft, input.path, input.upstream);
    const app = input.app !== undefined ? [`ProxyPass / http://${input.app}/`, `ProxyPassReverse / http://${input.app}/`] : [];
    draft.ownedBody.push(...vhostLines(draft, input.httpsPort, `WebSocket over TLS at ${input.path}`, [ws.pass, ws.reverse, ...app]));
    draft.ownedBody.push(...redirectLines(draft));
  }
  draft.checks.push({ url: `wss://${name}:${input.httpsPort}${input.path}`, proves: text('apache.check.path', { path: input.path, port: input.httpsPort }) });
}

export type { ConfFile };
