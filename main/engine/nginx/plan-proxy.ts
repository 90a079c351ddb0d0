import { X509Certificate } from 'node:crypto';
import { constants, existsSync, readFileSync, realpathSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, dirname, join, sep } from 'node:path';
import type { Lang } from '../../../shared/contract/common.js';
import type { NginxPlanOutput, NginxPlanRequest } from '../../../shared/contract/nginx.js';
import { t, tIfKnown, type Params } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { describeErrno, errnoOf } from '../common/errno.js';
import { DEFAULT_PORTS, inspectInstall, methodTwoRows, usesLegacyRequestPort, type FineProduct } from '../fine/index.js';
import { PLAN_VERSION, type CertificateAction, type FileEdit, type FineDbRowChange, type Plan, type PlanNote, type PlannedCheck, type ServiceAction } from '../plan/types.js';
import { unifiedDiff } from '../plan/unified-diff.js';
import type { Directive, Node } from './ast.js';
import { appendLines, cloneTree, MARKER, sameValues, setArgs } from './edit.js';
import { loadTree, type NginxTree } from './load.js';
import { ownedFileText, ownedState, sha256 } from './owned-file.js';
import { fileBytes, printFile } from './print.js';
import { children, effectiveProxy, effectiveTls, findHttp, locationsOf, passesUpgrade, selectLocation, selectServer, weakTls, whereOf, type Located, type Where } from './query.js';
import { tlsLines } from './tls-profile.js';
import { findNginxBinary, nginxTestTree } from './validate.js';

type FineRequest = Extract<NginxPlanRequest, { profile: 'finereport' }>;
type GenericRequest = Extract<NginxPlanRequest, { profile: 'generic' }>;
type PoolRequest = Extract<NginxPlanRequest, { profile: 'pool' }>;

/** What a profile contributes; the shared steps (owned file, include line, diffs, nginx -t) do the rest. */
interface Draft {
  /** The tree being edited (a clone of what was read). */
  readonly work: NginxTree;
  /** Files of `work` changed in place. */
  readonly touched: Map<string, string>;
  /** Body of the owned include file, or null when the profile needs none. */
  owned: string[] | null;
  readonly notes: PlanNote[];
  readonly rows: FineDbRowChange[];
  readonly checks: PlannedCheck[];
  readonly services: ServiceAction[];
}

const where = (w: Where) => `${w.file}:${w.line}`;

/** The `planNginxProxy` operation: read, compute every change, validate with nginx -t; write nothing. */
export async function planNginxProxy(input: NginxPlanRequest, ctx: OpContext): Promise<NginxPlanOutput> {
  const lang = ctx.lang;
  const tree = await readTree(input.nginxConf, lang);
  const work = cloneTree(tree);
  const http = findHttp(work);
  if (http === null) throw new EngineError('NGINX_NO_HTTP_BLOCK', { file: tree.mainPath }, { file: tree.mainPath });
  const name = input.name ?? input.profile;
  const ownedPath = join(tree.confDir, 'wss-setup', `${name}.conf`);
  const ownedRef = `wss-setup/${name}.conf`;

  const note = (code: string, severity: PlanNote['severity'], params: Params = {}, evidence: Record<string, unknown> = {}): PlanNote => ({
    code,
    severity,
    message: tIfKnown(lang, `plan.note.${code}`, params) ?? `plan.note.${code}`,
    fix: tIfKnown(lang, `plan.note.${code}.fix`, params) ?? `plan.note.${code}.fix`,
    evidence,
  });
  const draft: Draft = { work, touched: new Map(), owned: null, notes: [], rows: [], checks: [], services: [] };

  // Certificates: the admin's PEM files, or a certificate the certs module issues at apply time.
  // Listed in the plan only when a line the plan writes uses them (see `tls` below).
  let certPath: string;
  let keyPath: string;
  let existingCert: X509Certificate | null = null;
  const given = input.certPath !== undefined && input.keyPath !== undefined;
  if (input.certPath !== undefined && input.keyPath !== undefined) {
    for (const path of [input.certPath, input.keyPath]) {
      try {
        await access(path, constants.R_OK);
      } catch (error) {
        const code = errnoOf(error);
        throw new EngineError('NGINX_CERT_UNREADABLE', { path, reason: describeErrno(code, lang) }, { path, errno: code });
      }
    }
    certPath = input.certPath;
    keyPath = input.keyPath;
    existingCert = readCertificate(certPath);
  } else {
    certPath = join(tree.confDir, 'wss-setup', 'certs', `${name}.crt`);
    keyPath = join(tree.confDir, 'wss-setup', 'certs', `${name}.key`);
  }
  const issuedNames = concreteNames(input.serverNames);
  let certUsed = false;
  const tls = (): string[] => {
    certUsed = true;
    return tlsLines(certPath, keyPath);
  };
  /** Does the certificate the new servers serve cover this host name or address? */
  const covers = (host: string): boolean => {
    if (!given) return issuedNames.includes(host);
    if (existingCert === null) return false;
    return /^[\d.]+$/.test(host) || host.startsWith('[') ? existingCert.checkIP(host.replace(/^\[|\]$/g, '')) !== undefined : existingCert.checkHost(host) !== undefined;
  };
  const readTimeout = input.readTimeoutSeconds ?? PROFILE_READ_TIMEOUT[input.profile];

  const ctxt: ProfileContext = { input, lang, tree, work, http, draft, note, tls, covers, issuesCertificate: !given, readTimeout, ownedPath };
  switch (input.profile) {
    case 'finereport':
      await planFineReport(input, ctxt);
      break;
    case 'generic':
      planGeneric(input, ctxt);
      break;
    case 'pool':
      planPool(input, ctxt);
      break;
    default: {
      const never: never = input;
      throw new Error(`unknown profile ${String(never)}`);
    }
  }

  const certificates: CertificateAction[] = [];
  const pending = new Set<string>();
  if (certUsed && given) {
    certificates.push({ kind: 'use-existing', certPath, keyPath });
    for (const host of issuedNames.filter((n) => !covers(n))) draft.notes.push(note('CERT_NOT_FOR_NAME', 'warning', { name: host, cert: certPath }, { name: host, certPath }));
  } else if (certUsed) {
    certificates.push({ kind: 'issue', certPath, keyPath, names: issuedNames.length > 0 ? issuedNames : ['localhost'] });
    pending.add(certPath).add(keyPath);
    draft.notes.unshift(note('CERT_TO_ISSUE', 'info', { cert: certPath, key: keyPath }, { certPath, keyPath }));
  }

  // The owned file and the single include line inside http { }.
  const overrides = new Map<string, string>();
  let ownedEdit: FileEdit | null = null;
  if (draft.owned !== null) {
    const text = ownedFileText(input.profile, `${draft.owned.join('\n')}\n`);
    const before = existsSync(ownedPath) ? readFileSync(ownedPath, 'utf8') : null;
    if (before !== null) {
      const state = ownedState(before);
      if (state.state !== 'ours') throw new EngineError('NGINX_OWNED_FILE_EDITED', { path: ownedPath }, { path: ownedPath, state: state.state });
    }
    if (before !== text) {
      ownedEdit = {
        path: insideTree(tree, ownedPath, lang),
        action: before === null ? 'create' : 'modify',
        beforeSha256: before === null ? null : sha256(before),
        afterSha256: sha256(text),
        content: text,
        encoding: 'utf8',
        diff: unifiedDiff(before ?? '', text, before === null ? '/dev/null' : `a${ownedPath}`, `b${ownedPath}`),
        owned: true,
        reason: t(lang, 'plan.reason.owned', { profile: input.profile }),
      };
    }
    overrides.set(ownedPath, text);
    const hasInclude = [...work.files.values()].some((file) => hasIncludeOf(file.nodes, [ownedRef, ownedPath]));
    if (!hasInclude) {
      appendLines(http.directive, http.directive.block!, [`include ${ownedRef}; ${MARKER}`]);
      draft.touched.set(http.file, t(lang, 'plan.reason.include', { file: ownedRef }));
    }
  }

  // In-place edits: only files inside the configuration tree, only when they changed.
  const files: FileEdit[] = [];
  for (const [path, reason] of draft.touched) {
    const original = tree.files.get(path)!;
    const edited = work.files.get(path)!;
    const before = printFile(original);
    const after = printFile(edited);
    if (before === after) continue;
    const real = insideTree(tree, path, lang);
    overrides.set(path, after);
    files.push({
      path: real,
      action: 'modify',
      beforeSha256: sha256(fileBytes(original)),
      afterSha256: sha256(fileBytes(edited)),
      content: after,
      encoding: edited.encoding,
      diff: unifiedDiff(before, after, `a${real}`, `b${real}`),
      owned: false,
      reason,
    });
  }
  if (ownedEdit !== null) files.unshift(ownedEdit);

  // Validate: the edited tree parses again and passes the real nginx -t on a temporary copy.
  let validation: Plan['validation'] = { tool: 'none', ok: true, output: '' };
  if (files.length > 0) {
    const reread = await loadTree(tree.mainPath, { overrides });
    if (!reread.ok) throw new Error(`edited configuration does not parse: ${JSON.stringify(reread.problem)}`);
    const nginxBin = findNginxBinary(input.nginxBin);
    if (nginxBin === null) throw new EngineError('NGINX_BINARY_NOT_FOUND', { path: input.nginxBin ?? 'nginx' }, {});
    const result = nginxTestTree(reread.tree, { nginxBin, pendingCerts: pending });
    if (!result.ok) {
      const baseline = nginxTestTree(tree, { nginxBin, pendingCerts: pending });
      if (!baseline.ok) throw new EngineError('NGINX_CONF_BROKEN', { output: baseline.output }, { output: baseline.output });
      throw new EngineError('NGINX_TEST_FAILED', { output: result.output }, { output: result.output });
    }
    validation = { tool: 'nginx -t', ok: true, output: result.output };
    draft.services.unshift({ service: 'nginx', action: 'stop-start', reason: t(lang, 'plan.reason.nginxRestart') });
  }
  if (files.length === 0) draft.notes.push(note('NO_CHANGES', 'info'));

  const plan: Plan = {
    version: PLAN_VERSION,
    method: 'nginx-proxy',
    profile: input.profile,
    createdAt: new Date().toISOString(),
    target: { kind: 'nginx', mainConf: tree.mainPath, confDir: tree.confDir },
    files,
    certificates,
    fineDbRows: draft.rows,
    services: draft.services,
    checks: draft.checks,
    notes: draft.notes,
    validation,
  };
  // FineDB rows are the desired values; apply compares them with FineDB and writes only those that differ.
  return { plan, changed: files.length > 0 };
}

/** Is there an include of one of `targets` anywhere in these nodes? */
function hasIncludeOf(nodes: readonly Node[], targets: readonly string[]): boolean {
  return nodes.some((n) => n.kind === 'directive' && ((n.name === 'include' && n.block === null && targets.includes(n.args[0]?.value ?? '')) || (n.block !== null && n.opaque === null && hasIncludeOf(n.block, targets))));
}

async function readTree(path: string, lang: Lang): Promise<NginxTree> {
  const loaded = await loadTree(path);
  if (loaded.ok) return loaded.tree;
  const p = loaded.problem;
  if (p.reason === 'file-unreadable') throw new EngineError('NGINX_CONF_UNREADABLE', { path: p.file, reason: describeErrno(p.detail, lang) }, { path: p.file, errno: p.detail });
  const reason = t(lang, `nginx.parse.${p.reason}`, { detail: p.detail });
  throw new EngineError('NGINX_CONF_INVALID', { file: p.file, line: p.line, reason }, { file: p.file, line: p.line, reason: p.reason, detail: p.detail });
}

/** The real path of a file the plan edits; refuses any file outside the configuration tree. */
function insideTree(tree: NginxTree, path: string, _lang: Lang): string {
  const root = realpathSync(tree.confDir);
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    // A file still to be created: resolve its nearest existing folder.
    let dir = dirname(path);
    const rest = [basename(path)];
    while (!existsSync(dir)) {
      rest.unshift(basename(dir));
      dir = dirname(dir);
    }
    real = join(realpathSync(dir), ...rest);
  }
  if (!real.startsWith(root + sep)) throw new EngineError('NGINX_EDIT_OUTSIDE_TREE', { path, real, confDir: tree.confDir }, { path, real, confDir: tree.confDir });
  return real;
}

interface ProfileContext {
  readonly input: NginxPlanRequest;
  readonly lang: Lang;
  readonly tree: NginxTree;
  readonly work: NginxTree;
  readonly http: Located;
  readonly draft: Draft;
  readonly note: (code: string, severity: PlanNote['severity'], params?: Params, evidence?: Record<string, unknown>) => PlanNote;
  /** The TLS lines of a new server (certificate, key, Mozilla intermediate); marks the certificate as used. */
  readonly tls: () => string[];
  /** True when those lines name a certificate the local CA issues at apply time (no --cert/--key). */
  readonly issuesCertificate: boolean;
  /** Whether the certificate those lines name covers a host name (or IP address). */
  readonly covers: (host: string) => boolean;
  /** proxy_read_timeout for every WebSocket location written: --read-timeout, else the profile's default. */
  readonly readTimeout: number;
  readonly ownedPath: string;
}

/** proxy_read_timeout written into WebSocket locations when --read-timeout is not given (nginx's own default, 60 s, closes idle WebSockets). */
const PROFILE_READ_TIMEOUT: Readonly<Record<NginxPlanRequest['profile'], number>> = { finereport: 3600, generic: 3600, pool: 3600 };

/** Server names a certificate can be issued for and a redirect can point at: no "_", no wildcard, no regex. */
const concreteNames = (names: readonly string[]): string[] => [...new Set(names.filter((n) => n !== '_' && !n.includes('*') && !n.startsWith('~')).map((n) => n.toLowerCase()))];

function readCertificate(path: string): X509Certificate | null {
  try {
    return new X509Certificate(readFileSync(path));
  } catch {
    return null;
  }
}

/**
 * Comments written into the configuration are English on purpose: the file's content (and
 * its recorded hash) must not depend on the language of the user interface.
 */
const PRODUCT_NAMES: Readonly<Record<FineProduct, string>> = { finereport: 'FineReport', finebi: 'FineBI', finedatalink: 'FineDataLink' };

const listenLine = (address: string | undefined, port: number, ssl: boolean) => `listen ${address !== undefined ? `${address}:` : ''}${port}${ssl ? ' ssl' : ''};`;

/** A host name for check URLs: the first concrete server name, else localhost. */
const checkHost = (names: readonly string[]) => names.find((n) => n !== '_' && !n.includes('*') && !n.startsWith('~')) ?? 'localhost';

const hostHeader = (port: number) => (port === 443 ? '$host' : '$host:$server_port');

/** Does the configuration (outside our own file) already define $connection_upgrade with a map? */
function hasUpgradeMap(c: ProfileContext): boolean {
  return children(c.work, c.http).some((l) => l.file !== c.ownedPath && l.directive.name === 'map' && l.directive.args[1]?.value === '$connection_upgrade');
}

function upgradeMap(c: ProfileContext): string[] {
  if (hasUpgradeMap(c)) return [];
  return ['# Connection: upgrade for WebSocket handshakes, close otherwise', 'map $http_upgrade $connection_upgrade {', '    default upgrade;', "    ''      close;", '}', ''];
}

/** A server that is not ours and would answer `host` on `port` (by name, or as the port's default). */
function existingServer(c: ProfileContext, port: number, names: readonly string[], ssl?: boolean) {
  const host = checkHost(names);
  const match = selectServer(c.work, { port, host, ...(ssl !== undefined ? { ssl } : {}) });
  if (match === null || match.server.located.file === c.ownedPath) return null;
  return match;
}

function weakTlsNotes(c: ProfileContext, server: Located): void {
  const tls = effectiveTls(c.work, [c.http, server]);
  const weak = weakTls(tls);
  if (weak.protocols.length > 0 && tls.protocols?.where) {
    c.draft.notes.push(c.note('WEAK_TLS_KEPT', 'warning', { where: where(tls.protocols.where), weak: weak.protocols.join(' ') }, { ...tls.protocols.where, weak: weak.protocols }));
  }
  if (weak.ciphers.length > 0 && tls.ciphers?.where) {
    c.draft.notes.push(c.note('WEAK_TLS_KEPT', 'warning', { where: where(tls.ciphers.where), weak: weak.ciphers.join(':') }, { ...tls.ciphers.where, weak: weak.ciphers }));
  }
}

/**
 * Where the HTTP -> HTTPS redirect sends a visitor: never simply the Host the visitor typed
 * (an IP address or an unknown name would meet a certificate that does not cover it and get
 * ERR_CERT_COMMON_NAME_INVALID, seed 002). Path, query ($request_uri) and the HTTPS port are kept.
 *
 * - one name the certificate covers: that name, written out (seed 000's $server_name);
 * - several covered names: a map keeps the typed host when it is one of them, else the first;
 * - no concrete server name at all: the typed host, with a warning (nothing better is known).
 */
function redirectTo(c: ProfileContext, serverNames: readonly string[], httpsPort: number, fileName: string): { prefix: string[]; target: string; note: PlanNote } {
  const port = httpsPort === 443 ? '' : `:${httpsPort}`;
  const concrete = concreteNames(serverNames);
  const covered = concrete.filter((n) => c.covers(n));
  const primary = covered[0] ?? concrete[0];
  if (primary === undefined) {
    const target = `https://$host${port}$request_uri`;
    return { prefix: [], target, note: c.note('REDIRECT_TO_TYPED_HOST', 'warning', { target }, { target }) };
  }
  if (covered.length <= 1) {
    const target = `https://${primary}${port}$request_uri`;
    return { prefix: [], target, note: c.note('REDIRECT_TO_NAME', 'info', { name: primary, target }, { name: primary, target }) };
  }
  const variable = `$wss_setup_redirect_${fileName.replace(/-/g, '_')}`;
  const target = `https://${variable}${port}$request_uri`;
  const prefix = ['# The host of the redirect: the name typed when the certificate covers it, else the first name', `map $host ${variable} {`, `    default ${primary};`, ...covered.map((n) => `    ${n} ${n};`), '}', ''];
  return { prefix, target, note: c.note('REDIRECT_TO_COVERED_HOST', 'info', { names: covered.join(', '), name: primary, target }, { names: covered, name: primary, target }) };
}

// ---------------------------------------------------------------------------------------------
// FineReport / FineBI / FineDataLink (seed 000)

async function planFineReport(input: FineRequest, c: ProfileContext): Promise<void> {
  const install = input.install !== undefined ? await inspectInstall(input.install) : undefined;
  const product: FineProduct = input.product ?? install?.product ?? 'finereport';
  const jarDate = input.jarDate ?? install?.jarDate;
  const container = input.containerWebSocket ?? install?.containerWebSocket ?? false;
  const wsPort = input.websocketPort ?? DEFAULT_PORTS[product].websocket;
  const forward = input.forwardPort ?? DEFAULT_PORTS[product].forward;
  const names = input.serverNames.join(' ');
  const host = checkHost(input.serverNames);
  const productName = t(c.lang, `plan.product.${product}`);

  const conflict = (port: number) => {
    const match = existingServer(c, port, input.serverNames);
    if (match !== null && (match.how !== 'default' || input.serverNames.every((n) => n === '_'))) {
      const w = whereOf(match.server.located);
      throw new EngineError('NGINX_SERVER_CONFLICT', { port, where: where(w) }, { port, ...w });
    }
  };
  conflict(input.httpsPort);
  if (!container) conflict(forward);

  const forwarded = [
    `proxy_set_header Host ${hostHeader(input.httpsPort)};`,
    'proxy_set_header X-Real-IP $remote_addr;',
    'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    'proxy_set_header X-Forwarded-Proto $scheme;',
  ];
  const upgrade = ['proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', 'proxy_set_header Connection $connection_upgrade;'];
  const body: string[] = [...upgradeMap(c)];
  body.push(
    `# ${PRODUCT_NAMES[product]} over HTTPS: the pages, and the container WebSocket of 11.0.2+ (upgrade headers)`,
    'server {',
    `    ${listenLine(input.listenAddress, input.httpsPort, true)}`,
    `    server_name ${names};`,
    ...c.tls().map((l) => `    ${l}`),
  );
  if (input.cors) {
    // Never Access-Control-Allow-Origin *: the product sets its own origin rules (seed 000).
    body.push('    add_header Access-Control-Allow-Headers X-Requested-With always;', '    add_header Access-Control-Allow-Methods "GET, POST, OPTIONS" always;');
  }
  body.push(
    '',
    '    location / {',
    `        proxy_pass http://${input.app};`,
    ...[...upgrade, ...forwarded].map((l) => `        ${l}`),
    '        proxy_buffering off;',
    '        proxy_connect_timeout 20s;',
    `        proxy_read_timeout ${c.readTimeout}s;`,
    '        proxy_send_timeout 300s;',
    '    }',
    '}',
  );
  if (!container) {
    body.push(
      '',
      `# ${PRODUCT_NAMES[product]} WebSocket over TLS: port ${forward} -> the WebSocket service on ${wsPort}`,
      'server {',
      `    ${listenLine(input.listenAddress, forward, true)}`,
      `    server_name ${names};`,
      ...c.tls().map((l) => `    ${l}`),
      '',
      '    location / {',
      `        proxy_pass http://${input.websocketHost}:${wsPort};`,
      ...[...upgrade, ...forwarded].map((l) => `        ${l}`),
      '        proxy_buffering off;',
      '        proxy_request_buffering off;',
      '        proxy_connect_timeout 20s;',
      `        proxy_read_timeout ${c.readTimeout}s;`,
      `        proxy_send_timeout ${c.readTimeout}s;`,
      '    }',
      '}',
    );
  }
  if (input.redirectHttp) {
    const match = existingServer(c, input.httpPort, input.serverNames, false);
    if (match !== null && (match.how !== 'default' || input.serverNames.every((n) => n === '_'))) {
      const w = whereOf(match.server.located);
      c.draft.notes.push(c.note('REDIRECT_SKIPPED', 'warning', { port: input.httpPort, where: where(w) }, { ...w, port: input.httpPort }));
    } else {
      const redirect = redirectTo(c, input.serverNames, input.httpsPort, input.name ?? input.profile);
      body.push('', ...redirect.prefix, '# HTTP -> HTTPS: path, query and port kept; the host is a name the certificate covers', 'server {', `    ${listenLine(input.listenAddress, input.httpPort, false)}`, `    server_name ${names};`, `    return 301 ${redirect.target};`, '}');
      c.draft.notes.push(redirect.note);
    }
  }
  c.draft.owned = body;

  const installDir = install?.dir ?? input.install;
  if (container) {
    c.draft.notes.push(c.note('FINE_CONTAINER_WEBSOCKET', 'info', { product: productName, port: input.httpsPort }, { version: install?.version ?? null }));
    c.draft.checks.push({ url: `wss://${host}:${input.httpsPort}/`, what: t(c.lang, 'plan.check.page', { port: input.httpsPort }) });
  } else {
    const legacy = usesLegacyRequestPort(jarDate);
    for (const row of methodTwoRows({ websocketPorts: [wsPort], requestPorts: [forward], legacyRequestPort: legacy })) {
      c.draft.rows.push({ ...row, product, ...(installDir !== undefined ? { install: installDir } : {}) });
    }
    if (legacy) c.draft.notes.push(c.note('FINE_LEGACY_REQUEST_PORT', 'info', { jarDate: jarDate ?? '' }, { jarDate }));
    c.draft.services.push({ service: product, action: 'stop-start', reason: t(c.lang, 'plan.reason.productRestart', { product: productName }) });
    c.draft.checks.push(
      { url: `wss://${host}:${input.httpsPort}/`, what: t(c.lang, 'plan.check.page', { port: input.httpsPort }) },
      { url: `wss://${host}:${forward}/socket.io/?EIO=4&transport=websocket`, what: t(c.lang, 'plan.check.forward', { forward, port: wsPort }) },
    );
    if (c.issuesCertificate) c.draft.notes.push(c.note('SECOND_PORT_TRUST', 'info', { forward }, { forward }));
  }
}

// ---------------------------------------------------------------------------------------------
// Generic WebSocket path (seed 002) and upstream pool (seed 003)

interface WsLocation {
  readonly path: string;
  /** proxy_pass target, e.g. http://127.0.0.1:9502; null = keep the existing location's own. */
  readonly proxyPass: string | null;
  readonly extra: readonly string[];
}

function planGeneric(input: GenericRequest, c: ProfileContext): void {
  wsLocation(c, { path: input.path, proxyPass: input.upstream !== undefined ? `http://${input.upstream}` : null, extra: [] });
}

function planPool(input: PoolRequest, c: ProfileContext): void {
  const used = new Set(children(c.work, c.http).filter((l) => l.directive.name === 'upstream' && l.file !== c.ownedPath).map((l) => l.directive.args[0]?.value));
  let upstream = `wss_setup_${(input.name ?? 'pool').replace(/-/g, '_')}`;
  for (let k = 2; used.has(upstream); k++) upstream = `wss_setup_${(input.name ?? 'pool').replace(/-/g, '_')}_${k}`;
  const pool = ['upstream ' + upstream + ' {'];
  if (input.balance === 'ip-hash') pool.push('    ip_hash;');
  for (const backend of input.backends) pool.push(`    server ${backend} max_fails=${input.maxFails} fail_timeout=${input.failTimeoutSeconds}s;`);
  pool.push('}', '');
  const extra: string[] = [];
  if (input.backendTls) {
    extra.push('proxy_ssl_server_name on;', 'proxy_ssl_protocols TLSv1.2 TLSv1.3;');
    if (input.backendServerName !== undefined) extra.push(`proxy_ssl_name ${input.backendServerName};`);
    if (input.backendCa !== undefined) extra.push('proxy_ssl_verify on;', `proxy_ssl_trusted_certificate ${input.backendCa};`, 'proxy_ssl_verify_depth 3;');
    else c.draft.notes.push(c.note('POOL_BACKEND_UNVERIFIED', 'warning'));
  }
  c.draft.notes.push(input.balance === 'ip-hash' ? c.note('POOL_IP_HASH_MOBILE', 'warning') : c.note('POOL_ROUND_ROBIN', 'info'));
  wsLocation(c, { path: input.path, proxyPass: `${input.backendTls ? 'https' : 'http'}://${upstream}`, extra }, [`# WebSocket backends (${input.balance})`, ...pool]);
}

/**
 * Puts a WebSocket location for `spec.path` into the TLS server that answers the name on
 * httpsPort (in place, each line marked), or into a new server in the owned file when
 * there is none. `ownedPrefix` (upstream blocks) always goes to the owned file.
 */
function wsLocation(c: ProfileContext, spec: WsLocation, ownedPrefix: string[] = []): void {
  const input = c.input;
  const host = checkHost(input.serverNames);
  const match = existingServer(c, input.httpsPort, input.serverNames, true);
  c.draft.checks.push({ url: `wss://${host}:${input.httpsPort}${spec.path}`, what: t(c.lang, 'plan.check.path', { path: spec.path, port: input.httpsPort }) });
  const upgradeLines = (connection: string) => ['proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', `proxy_set_header Connection ${connection};`];
  const timeouts = [`proxy_read_timeout ${c.readTimeout}s;`, `proxy_send_timeout ${c.readTimeout}s;`];

  if (match === null) {
    if (spec.proxyPass === null) throw new EngineError('NGINX_UPSTREAM_REQUIRED', { path: spec.path }, { path: spec.path });
    c.draft.owned = [
      ...upgradeMap(c),
      ...ownedPrefix,
      `# WebSocket over TLS at ${spec.path}`,
      'server {',
      `    ${listenLine(input.listenAddress, input.httpsPort, true)}`,
      `    server_name ${input.serverNames.join(' ')};`,
      ...c.tls().map((l) => `    ${l}`),
      '',
      `    location ^~ ${spec.path} {`,
      `        proxy_pass ${spec.proxyPass};`,
      ...[...upgradeLines('$connection_upgrade'), 'proxy_set_header Host $host;', 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;', 'proxy_set_header X-Forwarded-Proto $scheme;', ...spec.extra, ...timeouts].map((l) => `        ${l}`),
      '    }',
      '}',
    ];
    return;
  }

  const server = match.server.located;
  weakTlsNotes(c, server);
  // The existing server keeps its own listen lines and certificate: say which options that leaves unused.
  const unused = [...(input.certPath !== undefined ? ['--cert', '--key'] : []), ...(input.listenAddress !== undefined ? ['--listen-address'] : [])];
  if (unused.length > 0) c.draft.notes.push(c.note('OPTIONS_NOT_USED', 'info', { options: unused.join(', '), where: where(whereOf(server)) }, { ...whereOf(server), options: unused }));
  if (ownedPrefix.length > 0) c.draft.owned = [...upgradeMap(c), ...ownedPrefix];
  const connection = c.draft.owned !== null ? '$connection_upgrade' : '"upgrade"';
  const reason = t(c.lang, 'plan.reason.location', { path: spec.path, where: where(whereOf(server)) });
  const existing = locationsOf(c.work, server).find((l) => (l.modifier === '' || l.modifier === '^~') && l.pattern === spec.path);
  const outer = effectiveProxy(c.work, [c.http, server]);
  const inherited = outer.headersWhere !== null ? outer.headers.filter((h) => !/^(upgrade|connection)$/i.test(h.name)).map((h) => `proxy_set_header ${h.name} ${quote(h.value)};`) : [];

  if (existing === undefined) {
    if (spec.proxyPass === null) throw new EngineError('NGINX_UPSTREAM_REQUIRED', { path: spec.path }, { path: spec.path });
    const lines = [`location ^~ ${spec.path} { ${MARKER}`, `    proxy_pass ${spec.proxyPass};`, ...[...upgradeLines(connection), ...inherited, ...spec.extra, ...timeouts].map((l) => `    ${l}`), '}'];
    appendLines(server.directive, server.directive.block!, lines);
    c.draft.touched.set(server.file, reason);
    c.draft.notes.push(c.note('LOCATION_ADDED', 'info', { path: spec.path, where: where(whereOf(server)) }, { ...whereOf(server) }));
    return;
  }

  // Edit the admin's own location in place, one marked line per change.
  const loc = existing.located;
  const nodes = loc.directive.block!;
  const chain = selectLocation(c.work, server, spec.path)?.chain.map((l) => l.located) ?? [loc];
  const upTo = chain.findIndex((l) => l.directive === loc.directive);
  const effective = effectiveProxy(c.work, [c.http, server, ...(upTo >= 0 ? chain.slice(0, upTo + 1) : [loc])]);
  const wanted: { name: string; args: string[]; key?: string }[] = [];
  if (spec.proxyPass !== null) wanted.push({ name: 'proxy_pass', args: [spec.proxyPass] });
  else if (effective.proxyPass.value === null) throw new EngineError('NGINX_UPSTREAM_REQUIRED', { path: spec.path }, { path: spec.path, ...whereOf(loc) });
  if (effective.httpVersion.value !== '1.1') wanted.push({ name: 'proxy_http_version', args: ['1.1'] });
  const ownHeaders = nodes.some((n) => n.kind === 'directive' && n.name === 'proxy_set_header');
  if (!passesUpgrade(effective)) {
    if (!ownHeaders) for (const line of inherited) wanted.push(parseWanted(line));
    wanted.push({ name: 'proxy_set_header', args: ['Upgrade', '$http_upgrade'], key: 'upgrade' }, { name: 'proxy_set_header', args: ['Connection', connection], key: 'connection' });
  }
  // The read timeout: exactly --read-timeout when given; otherwise the profile's default unless the
  // admin set a usable one (nginx's own 60 s closes an idle WebSocket after a minute).
  const timeout = effective.readTimeout;
  if (input.readTimeoutSeconds !== undefined ? timeout.value !== input.readTimeoutSeconds : timeout.where === null || timeout.value < 60) {
    wanted.push({ name: 'proxy_read_timeout', args: [`${c.readTimeout}s`] });
  } else if (input.readTimeoutSeconds === undefined && timeout.where !== null) {
    c.draft.notes.push(c.note('READ_TIMEOUT_KEPT', 'info', { seconds: timeout.value, where: where(timeout.where) }, { ...timeout.where, seconds: timeout.value }));
  }
  for (const line of spec.extra) wanted.push(parseWanted(line));
  let changed = false;
  for (const w of wanted) {
    const key = w.key ?? (w.name === 'proxy_set_header' ? w.args[0]!.toLowerCase() : undefined);
    const index = nodes.findIndex((n) => n.kind === 'directive' && n.name === w.name && (key === undefined || n.args[0]?.value.toLowerCase() === key));
    if (index >= 0) {
      if (sameValues(nodes[index] as Directive, w.args)) continue;
      setArgs(nodes, index, w.args);
    } else appendLines(loc.directive, nodes, [`${w.name} ${w.args.join(' ')}; ${MARKER}`]);
    changed = true;
  }
  if (changed) {
    c.draft.touched.set(loc.file, reason);
    c.draft.notes.push(c.note('LOCATION_EDITED', 'info', { path: spec.path, where: where(whereOf(loc)) }, { ...whereOf(loc) }));
  }
}

const quote = (value: string) => (/^[^\s;{}"'#\\]+$/.test(value) && value !== '' ? value : `"${value.replace(/["\\]/g, '\\$&')}"`);

function parseWanted(line: string): { name: string; args: string[] } {
  const tokens = line.replace(/;$/, '').match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  return { name: tokens[0]!, args: tokens.slice(1) };
}
