import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { CertificateAction, FileEdit, FineDbRowChange, Plan, PlanNote, PlannedCheck, PlanValidation, ServiceAction } from '../../../shared/contract/plan.js';
import { PLAN_VERSION } from '../../../shared/contract/plan.js';
import { secretPlaceholder, type TomcatSslPlanOutput, type TomcatSslPlanRequest } from '../../../shared/contract/tomcat.js';
import { localCaPaths } from '../certs/index.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { readFineDbRows, rowChanges as fineDbRowChanges } from '../finedb/index.js';
import { chooseJava, DEFAULT_PORTS, inspectInstall, KEY, methodOneRows, parseWebSocketPorts, type FineConfRow, type FineInstall } from '../fine/index.js';
import { portAnswers } from '../services/index.js';
import { connectorPorts, probeHost } from './service-ports.js';
import { unifiedDiff } from '../common/unified-diff.js';
import { dataDir } from '../common/paths.js';
import { configtest } from './configtest.js';
import { configtestInputs, memoLookup, memoRecord } from './configtest-memo.js';
import { LEGACY_TLS_ATTRIBUTES, MOZILLA_INTERMEDIATE, readConnectors, weakProtocols, type ConnectorInfo, type KeystoreRef } from './connectors.js';
import { keytoolFor, makeThrowawayKeystore, openKeystore } from './keystore.js';
import { locate } from './locate.js';
import { portFree, unprivilegedPortStart } from './port-check.js';
import { readServerXmlFile } from './read-file.js';
import { unitForBase } from './systemd-unit.js';
import { planRedirect } from './redirect-web-xml.js';
import { maskPasswords } from './secret-mask.js';
import { serverXmlBytes } from './server-xml.js';
import { readTomcatVersion, type TomcatVersion } from './tomcat-version.js';
import { attr, escapeAttribute } from './xml-document.js';
import { XmlEditor } from './xml-edit.js';

const PASSWORD = secretPlaceholder('keystorePassword');
const PASSWORD_REF = { secretRef: 'keystorePassword' } as const;
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

interface DesiredKeystore {
  readonly path: string;
  readonly type: 'PKCS12' | 'JKS';
  readonly password: string;
  readonly alias?: string;
  /** Named by a relative path in server.xml (made absolute for FineDB). */
  readonly relativeInServerXml?: string;
  readonly issue: boolean;
}

const typeOf = (path: string, given?: 'PKCS12' | 'JKS'): 'PKCS12' | 'JKS' => given ?? (/\.(p12|pfx|pkcs12)$/i.test(path) ? 'PKCS12' : 'JKS');
const normType = (t: string): 'PKCS12' | 'JKS' | null => (/^pkcs12$/i.test(t) ? 'PKCS12' : /^jks$/i.test(t) ? 'JKS' : null);

/**
 * `plan tomcat-ssl` (method one, seed 000): TLS directly on Tomcat. Reads server.xml losslessly,
 * decides the connector edit, the keystore (the given one, the connector's own, or one issued
 * by the local CA), the four FineDB rows with the absolute keystore path (reset first when a
 * certificate is replaced), the stop-start and the checks; validates the result with Tomcat's
 * own configtest on a temporary copy of the base. Writes nothing.
 */
export async function planTomcatSsl(input: TomcatSslPlanRequest, ctx: OpContext): Promise<TomcatSslPlanOutput> {
  const { base, home, fineDir } = locate(input);
  const serverXmlPath = join(base, 'conf', 'server.xml');
  const file = await readServerXmlFile(ctx.ports.fs, serverXmlPath, ctx.lang);
  const version = await versionOf(home);
  const props = { base, home };
  const connectors = readConnectors(file.doc, props);
  const service = file.doc.root.children.find((c) => c.name === 'Service');
  if (service === undefined) throw new EngineError('TOMCAT_NO_SERVICE', { file: serverXmlPath }, { file: serverXmlPath });
  const fine: FineInstall | null = fineDir !== null ? await inspectInstall(fineDir) : null;
  // Never the install's or CATALINA_HOME's own java as root: a root-owned system JRE (issue 9, item 2).
  const java = input.java ?? (await chooseJava({ installDir: fineDir ?? base })).path;
  const keytool = keytoolFor(java);
  if (keytool === null) throw new EngineError('TOMCAT_KEYTOOL_MISSING', { java }, { java });

  const notes: PlanNote[] = [];
  const note = (code: string, severity: PlanNote['severity'], params: Record<string, string | number> = {}, evidence: Record<string, unknown> = {}) => notes.push({ code, severity, params, evidence });

  // The connector: the TLS connector on the requested port, else the first TLS connector, else a new one.
  const tlsConnectors = connectors.filter((c) => c.sslEnabled && c.implementation !== 'ajp');
  let target: ConnectorInfo | null = input.httpsPort !== undefined ? (connectors.find((c) => c.port === input.httpsPort) ?? null) : (tlsConnectors[0] ?? null);
  if (target !== null && !target.sslEnabled) {
    throw new EngineError('TOMCAT_PORT_PLAIN_CONNECTOR', { port: target.port ?? '', where: `${serverXmlPath}:${target.line}` }, { port: target.port, line: target.line });
  }
  const httpsPort = target?.port ?? input.httpsPort ?? 8443;
  // How it runs: the systemd unit of this base (Debian's tomcat10.service), else the catalina scripts.
  const unit = process.platform === 'linux' ? await unitForBase(ctx.ports.fs, base) : null;
  if (process.platform === 'linux' && httpsPort < unprivilegedPortStart() && !input.allowPrivilegedPort && unit?.bindsLowPorts !== true) {
    throw new EngineError('TOMCAT_PRIVILEGED_PORT', { port: httpsPort }, { port: httpsPort, unprivilegedPortStart: unprivilegedPortStart(), unit: unit?.unit ?? null, user: unit?.user ?? null });
  }
  if (target === null && !(await portFree(httpsPort, input.address))) {
    throw new EngineError('TOMCAT_PORT_IN_USE', { port: httpsPort, address: input.address ?? '*' }, { port: httpsPort, address: input.address ?? null });
  }

  // The keystore.
  const current = target?.tls[0]?.keystore;
  const desired = await chooseKeystore(input, current, base, java, ctx);
  const issuers = !desired.issue || existsSync(desired.path) ? await checkKeystore(ctx, keytool, desired) : [];
  const willIssue = desired.issue && !existsSync(desired.path);
  const certificates: CertificateAction[] = [];
  if (willIssue) {
    const names = input.serverNames.length > 0 ? input.serverNames : ['localhost'];
    certificates.push({ kind: 'issue', names, outputs: desired.type === 'JKS' ? { jks: { path: desired.path, password: PASSWORD_REF, alias: 'tomcat' } } : { pkcs12: { path: desired.path, password: PASSWORD_REF } } });
    note('TOMCAT_CERT_TO_ISSUE', 'info', { path: desired.path, format: desired.type, names: names.join(', ') }, { path: desired.path, format: desired.type });
  } else {
    certificates.push({ kind: 'use-existing', keystorePath: desired.path, keystoreFormat: desired.type });
  }
  if (desired.type === 'JKS' && desired.issue) note('TOMCAT_JKS_FOR_OLD_JRE', 'info', { java }, { java });

  // server.xml edits: the password is written as a placeholder and filled by apply.
  const editor = new XmlEditor(file.doc);
  const writtenAttributes: string[] = [];
  const set = (el: Parameters<XmlEditor['setAttribute']>[0], name: string, value: string, secret = false) => {
    if (attr(el, name)?.value === value) return;
    editor.setAttribute(el, name, secret ? PASSWORD : value);
    writtenAttributes.push(name);
  };
  const keystoreFileValue = desired.relativeInServerXml ?? desired.path;
  if (target === null) {
    const last = service.children.filter((c) => c.name === 'Connector').at(-1) ?? null;
    editor.insertChild(service, newConnector(httpsPort, input.address, keystoreFileValue, desired), last);
    writtenAttributes.push('SSLEnabled', 'protocols', 'ciphers', 'certificateKeystoreFile', 'certificateKeystorePassword', 'certificateKeystoreType');
  } else {
    const tls = target.tls[0];
    if (tls === undefined || (tls.legacy && !version.legacyConnectorTls)) {
      // Tomcat 10+ ignores the legacy attributes: move the TLS settings into SSLHostConfig.
      if (tls?.legacy === true) {
        for (const name of LEGACY_TLS_ATTRIBUTES) if (attr(target.element, name) !== undefined) editor.removeAttribute(target.element, name);
        note('TOMCAT_LEGACY_CONVERTED', 'warning', { where: `${serverXmlPath}:${target.line}`, version: version.version }, { line: target.line, version: version.version });
      }
      editor.insertChild(target.element, sslHostConfig(keystoreFileValue, desired), target.element.children.at(-1) ?? null);
      writtenAttributes.push('certificateKeystoreFile', 'certificateKeystorePassword', 'certificateKeystoreType');
    } else if (tls.legacy) {
      set(target.element, 'keystoreFile', keystoreFileValue);
      if (desired.password !== (current?.password ?? 'changeit')) set(target.element, 'keystorePass', desired.password, true);
      set(target.element, 'keystoreType', desired.type);
    } else {
      const certEl = tls.element!.children.find((c) => c.name === 'Certificate') ?? null;
      const holder = certEl ?? tls.element!;
      if (tls.keystore === undefined && tls.pem !== undefined) {
        for (const name of ['certificateFile', 'certificateKeyFile', 'certificateChainFile', 'certificateKeyPassword']) if (attr(holder, name) !== undefined) editor.removeAttribute(holder, name);
        note('TOMCAT_PEM_REPLACED', 'warning', { where: `${serverXmlPath}:${tls.pem.line}` }, { line: tls.pem.line });
      }
      set(holder, 'certificateKeystoreFile', keystoreFileValue);
      if (desired.password !== (current?.password ?? 'changeit')) set(holder, 'certificateKeystorePassword', desired.password, true);
      if (normType(attr(holder, 'certificateKeystoreType')?.value ?? 'JKS') !== desired.type) set(holder, 'certificateKeystoreType', desired.type);
    }
    const weak = weakProtocols(tls?.protocols);
    if (weak.length > 0) note('TOMCAT_WEAK_TLS_KEPT', 'warning', { where: `${serverXmlPath}:${target.line}`, weak: weak.join(' ') }, { line: target.line, weak });
    if (target.implementation === 'apr') note('TOMCAT_APR_CONNECTOR', 'info', { where: `${serverXmlPath}:${target.line}` }, { line: target.line });
  }
  // HTTP connectors send requests that need CONFIDENTIAL transport to the HTTPS port.
  for (const c of connectors) {
    if (c.sslEnabled || c.implementation === 'ajp' || c === target) continue;
    if (c.redirectPort !== httpsPort) {
      editor.setAttribute(c.element, 'redirectPort', String(httpsPort));
      writtenAttributes.push('redirectPort');
    }
  }

  const templateText = editor.result();
  const files: FileEdit[] = [];
  const validations: PlanValidation[] = [];
  if (editor.changed) {
    const realText = templateText.split(PASSWORD).join(escapeAttribute(desired.password));
    const validation = await validate({ ctx, java, home, base, file, realText, desired, willIssue, keytool, writtenAttributes });
    validations.push(validation);
    const maskedBefore = maskPasswords(file.doc.text, file.doc.text);
    const maskedAfter = maskPasswords(templateText, file.doc.text);
    files.push({
      path: serverXmlPath,
      action: 'modify',
      kind: 'server-xml',
      beforeSha256: sha256(file.bytes),
      // A byte-order mark travels as U+FEFF at the start of the content, so writing the content in
      // its encoding gives back the BOM (the plan's bytes are content + encoding, nothing else).
      afterSha256: sha256(serverXmlBytes(file, maskedAfter)),
      content: (file.decoded.bom.length > 0 ? '\uFEFF' : '') + maskedAfter,
      encoding: file.decoded.encoding,
      lineEnding: file.doc.lineEnding,
      diff: unifiedDiff(maskedBefore, maskedAfter, `a${serverXmlPath}`, `b${serverXmlPath}`),
      owned: false,
      reason: { code: target === null ? 'tomcat.reason.addConnector' : 'tomcat.reason.updateConnector', params: { port: httpsPort } },
    });
  }

  // HTTP -> HTTPS: redirectPort on the HTTP connectors (above) plus, when asked, a CONFIDENTIAL
  // constraint in CATALINA_BASE/conf/web.xml; otherwise HTTP keeps working and the note says how.
  if (input.redirectHttp) {
    const redirect = await planRedirect(ctx.ports.fs, join(base, 'conf', 'web.xml'), ctx.lang);
    if (redirect.edit !== null) files.push(redirect.edit);
    if (redirect.validation !== null) validations.push(redirect.validation);
    note('TOMCAT_REDIRECT_CONFIDENTIAL', 'info', { port: httpsPort, file: join(base, 'conf', 'web.xml') }, {});
  } else {
    note('TOMCAT_REDIRECT_CHOICE', 'info', { port: httpsPort }, {});
  }

  // FineDB rows (seed 000): the absolute keystore path; reset first when a certificate is replaced.
  const fineDbRows: FineDbRowChange[] = [];
  const checks: PlannedCheck[] = [];
  const host = input.serverNames[0] ?? 'localhost';
  // The checks trust the local CA when it signed the certificate (this machine's store may not have it yet).
  const ca = willIssue || desired.issue || (await signedByLocalCa(issuers, ctx)) ? localCaPaths().cert : undefined;
  let websocketPort: number | null = null;
  const origin = `https://${host}:${httpsPort}`;
  // A WebSocket endpoint on the HTTPS port the admin names (plain Tomcat, FineReport's container WebSocket).
  const samePortCheck = (path: string): PlannedCheck => ({ url: `wss://${host}:${httpsPort}${path}`, proves: { code: 'tomcat.check.wssPath', params: { path, port: httpsPort } }, origin, ...(ca !== undefined ? { ca } : {}) });
  if (fine !== null) {
    if (desired.relativeInServerXml !== undefined) note('TOMCAT_KEYSTORE_MADE_ABSOLUTE', 'info', { relative: desired.relativeInServerXml, absolute: desired.path }, { relative: desired.relativeInServerXml, absolute: desired.path });
    if (fine.containerWebSocket) {
      note('TOMCAT_FINE_CONTAINER_WEBSOCKET', 'info', { product: fine.product, version: fine.version ?? '', port: httpsPort }, { version: fine.version ?? null });
      // FineReport's documentation names no path for its container WebSocket: checked only where the admin names it.
      if (input.wsPath !== undefined) checks.push(samePortCheck(input.wsPath));
      else note('TOMCAT_FINE_CONTAINER_WS_NO_CHECK', 'info', { product: fine.product, port: httpsPort, host }, {});
    } else {
      const rows = await rowChanges(fine, desired, willIssue, note, ctx);
      fineDbRows.push(...rows.changes);
      websocketPort = await chooseWebSocketPort(rows.listedPorts ?? [DEFAULT_PORTS[fine.product].websocket], note);
      checks.push({ url: `wss://${host}:${websocketPort}/socket.io/?EIO=3&transport=websocket`, proves: { code: 'tomcat.check.wss', params: { port: websocketPort } }, origin, ...(ca !== undefined ? { ca } : {}) });
      note('TOMCAT_WS_OVER_HTTP_STOPS', 'warning', { port: websocketPort }, {});
      if (input.wsPath !== undefined) checks.push(samePortCheck(input.wsPath));
    }
  } else if (input.wsPath !== undefined) {
    checks.push(samePortCheck(input.wsPath));
  } else {
    note('TOMCAT_NO_WS_CHECK', 'info', { port: httpsPort, host }, {});
  }

  const changed = files.length > 0 || willIssue || fineDbRows.length > 0;
  const services: ServiceAction[] = [];
  if (changed) {
    const pagePath = fine !== null ? '/webroot/decision' : '/';
    // Up: every HTTP(S) connector answers (the HTTPS one's page too) and the product's WebSocket
    // port; stopped: the process is gone and all of them are closed (none held by anyone else).
    const httpsHost = probeHost(target?.address ?? input.address);
    const ports = connectorPorts(connectors, target === null ? { port: httpsPort, ...(input.address !== undefined ? { address: input.address } : {}) } : null);
    if (websocketPort !== null && !ports.some((p) => p.port === websocketPort)) ports.push({ host: '127.0.0.1', port: websocketPort });
    services.push({
      id: fine?.product ?? 'tomcat',
      service: unit !== null ? { kind: 'systemd', unit: unit.unit } : { kind: 'catalina', home, base },
      action: 'stop-start',
      ready: ports.map((p) => (p.port === httpsPort && p.host === httpsHost ? { ...p, url: `https://${host}:${httpsPort}${pagePath}` } : p)),
      mustBeFree: ports,
      reason: { code: 'tomcat.reason.restart', params: {} },
    });
  } else {
    note('TOMCAT_NO_CHANGES', 'info', {}, {});
  }

  const plan: Plan = {
    planVersion: PLAN_VERSION,
    method: 'tomcat-ssl',
    profile: fine?.product ?? 'tomcat',
    createdAt: new Date().toISOString(),
    target: { kind: 'tomcat', paths: { catalinaBase: base, catalinaHome: home, serverXml: serverXmlPath, ...(fine !== null ? { install: fine.dir } : {}) } },
    files,
    certificates,
    fineDbRows,
    services,
    validations,
    checks,
    notes,
  };
  return { plan, changed };
}

async function versionOf(home: string): Promise<TomcatVersion> {
  let version: TomcatVersion | null = null;
  try {
    version = await readTomcatVersion(home);
  } catch {
    version = null;
  }
  if (version === null) throw new EngineError('TOMCAT_VERSION_UNKNOWN', { home }, { home });
  return version;
}

async function chooseKeystore(input: TomcatSslPlanRequest, current: KeystoreRef | undefined, base: string, java: string, ctx: OpContext): Promise<DesiredKeystore> {
  if (input.keystore !== undefined) {
    if (!existsSync(input.keystore)) throw new EngineError('TOMCAT_KEYSTORE_MISSING', { path: input.keystore }, { path: input.keystore });
    return { path: input.keystore, type: typeOf(input.keystore, input.keystoreType), password: input.keystorePassword, ...(input.keystoreAlias !== undefined ? { alias: input.keystoreAlias } : {}), issue: false };
  }
  if (current !== undefined && existsSync(current.resolved)) {
    const type = normType(current.type) ?? 'JKS';
    return { path: current.resolved, type, password: input.keystorePassword, ...(current.alias !== undefined ? { alias: current.alias } : {}), ...(current.relative ? { relativeInServerXml: current.file } : {}), issue: false };
  }
  const type = input.keystoreType ?? ((await javaNeedsJks(ctx, java)) ? 'JKS' : 'PKCS12');
  const path = join(base, 'conf', 'wss-setup', type === 'JKS' ? 'server.jks' : 'server.p12');
  return { path, type, password: input.keystorePassword, issue: true };
}

/**
 * Java 8 before 8u301 cannot read PKCS#12 files protected with PBES2/AES (what current tools
 * write), and the product's WebSocket server opens the keystore with that JRE: JKS there.
 */
async function javaNeedsJks(ctx: OpContext, java: string): Promise<boolean> {
  const result = await ctx.ports.process.run({ command: java, args: ['-version'], timeoutMs: 30_000 });
  const m = /version "(\d+)(?:\.(\d+))?(?:\.\d+)?(?:_(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  if (m === null) return false;
  const major = Number(m[1]) === 1 ? Number(m[2]) : Number(m[1]);
  const update = Number(m[3] ?? 0);
  return major < 8 || (major === 8 && update < 301);
}

/** True when a keystore certificate names the local CA as its issuer (keytool prints a DN most specific first). */
async function signedByLocalCa(issuers: readonly string[], ctx: OpContext): Promise<boolean> {
  if (issuers.length === 0) return false;
  try {
    const subject = new X509Certificate(await ctx.ports.fs.readFile(localCaPaths().cert, { maxBytes: 64 * 1024 })).subject;
    return issuers.includes(subject.split('\n').reverse().join(', '));
  } catch {
    return false;
  }
}

async function checkKeystore(ctx: OpContext, keytool: string, desired: DesiredKeystore): Promise<readonly string[]> {
  const state = await openKeystore(ctx.ports.process, keytool, { path: desired.path, type: desired.type, password: desired.password, ...(desired.alias !== undefined ? { alias: desired.alias } : {}) });
  if (state.ok) return state.issuers;
  const params = { path: desired.path, format: desired.type, alias: desired.alias ?? '' };
  const evidence = { path: desired.path, format: desired.type, detail: state.detail };
  switch (state.reason) {
    case 'wrong-password':
      throw new EngineError('TOMCAT_KEYSTORE_WRONG_PASSWORD', params, evidence);
    case 'no-alias':
      throw new EngineError('TOMCAT_KEYSTORE_NO_ALIAS', params, evidence);
    case 'no-private-key':
      throw new EngineError('TOMCAT_KEYSTORE_NO_KEY', params, evidence);
    default:
      throw new EngineError('TOMCAT_KEYSTORE_UNREADABLE', { ...params, detail: state.detail }, evidence);
  }
}

function newConnector(port: number, address: string | undefined, keystoreFile: string, desired: DesiredKeystore): string {
  return [
    `<!-- HTTPS for pages and wss (added by wss-setup): TLS 1.2/1.3, Mozilla intermediate -->`,
    `<Connector port="${port}"${address !== undefined ? ` address="${address}"` : ''} protocol="org.apache.coyote.http11.Http11NioProtocol"`,
    `           maxThreads="150" SSLEnabled="true" scheme="https" secure="true">`,
    `  ${sslHostConfig(keystoreFile, desired).split('\n').join('\n  ')}`,
    `</Connector>`,
  ].join('\n');
}

function sslHostConfig(keystoreFile: string, desired: DesiredKeystore): string {
  return [
    `<SSLHostConfig protocols="${MOZILLA_INTERMEDIATE.protocols}" honorCipherOrder="false"`,
    `               ciphers="${MOZILLA_INTERMEDIATE.ciphers}">`,
    `  <Certificate certificateKeystoreFile="${escapeAttribute(keystoreFile)}" certificateKeystorePassword="${PASSWORD}" certificateKeystoreType="${desired.type}"${desired.alias !== undefined ? ` certificateKeyAlias="${desired.alias}"` : ''} />`,
    `</SSLHostConfig>`,
  ].join('\n');
}

async function validate(o: { ctx: OpContext; java: string; home: string; base: string; file: Awaited<ReturnType<typeof readServerXmlFile>>; realText: string; desired: DesiredKeystore; willIssue: boolean; keytool: string; writtenAttributes: readonly string[] }): Promise<PlanValidation> {
  // Planning again with nothing changed does not start the JVM again (configtest-memo.ts).
  const inputs = configtestInputs({ java: o.java, home: o.home, base: o.base, decoded: o.file.decoded, text: o.realText, pending: o.willIssue ? new Map([[o.desired.path, o.desired.type]]) : new Map() });
  const memo = await memoLookup(o.ctx.ports.fs, o.ctx.ports.clock, dataDir(), inputs);
  if (memo !== null && !memo.unknownAttributes.some((a) => o.writtenAttributes.includes(a))) return { tool: 'configtest', ok: true, output: memo.output };
  const work = mkdtempSync(join(tmpdir(), 'wss-setup-tomcat-plan-'));
  try {
    const pending = new Map<string, string>();
    if (o.willIssue) {
      const standIn = join(work, `standin-${basename(o.desired.path)}`);
      if (!(await makeThrowawayKeystore(o.ctx.ports.process, o.keytool, { path: standIn, type: o.desired.type, password: o.desired.password }))) throw new EngineError('TOMCAT_KEYTOOL_MISSING', { java: o.java }, { java: o.java });
      pending.set(o.desired.path, standIn);
    }
    const result = await configtest({ process: o.ctx.ports.process, secrets: [o.desired.password], java: o.java, home: o.home, base: o.base, decoded: o.file.decoded, text: o.realText, pending, work: join(work, 'base') });
    const unknownOurs = result.unknownAttributes.filter((a) => o.writtenAttributes.includes(a));
    if (result.ok) await memoRecord(o.ctx.ports.fs, o.ctx.ports.clock, dataDir(), inputs, { output: scrub(result.output, o.desired.password), unknownAttributes: result.unknownAttributes });
    if (result.ok && unknownOurs.length === 0) return { tool: 'configtest', ok: true, output: scrub(result.output, o.desired.password) };
    const baseline = await configtest({ process: o.ctx.ports.process, secrets: [o.desired.password], java: o.java, home: o.home, base: o.base, decoded: o.file.decoded, text: o.file.doc.text, work: join(work, 'baseline') });
    const output = scrub(result.output, o.desired.password);
    if (!baseline.ok) throw new EngineError('TOMCAT_CONF_BROKEN', { output: scrub(baseline.output, o.desired.password).slice(-2000) }, { output: scrub(baseline.output, o.desired.password).slice(-4000) });
    throw new EngineError('TOMCAT_CONFIGTEST_FAILED', { output: output.slice(-2000) }, { output: output.slice(-4000), unknownAttributes: unknownOurs });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const scrub = (text: string, secret: string) => (secret.length > 0 ? text.split(secret).join('••••') : text);

/** FineDB errors after which the rows are planned without their current values (apply reads them before writing). */
const UNREADABLE_NOW = new Set(['FINEDB_LOCKED', 'FINEDB_PASSWORD_ENCRYPTED', 'FINEDB_UNREACHABLE', 'FINEDB_AUTH_FAILED', 'FINEDB_BRIDGE_TIMEOUT']);

/**
 * The product's WebSocket port as its FineDB says (WebSocketConfig.port: ["38888"], [38888] or
 * 38888; the first one), or null when the row is absent or holds no port (the default applies).
 */
export function websocketPortOf(value: string | undefined): number | null {
  return value === undefined ? null : (parseWebSocketPorts(value)?.[0] ?? null);
}

type Note = (code: string, severity: PlanNote['severity'], params?: Record<string, string | number>, evidence?: Record<string, unknown>) => void;

/**
 * The product's WebSocket port: it listens on the first of its listed ports it can bind. With one
 * port, that one; with several, the one answering now (the product runs), else the first.
 */
async function chooseWebSocketPort(listed: readonly number[], note: Note): Promise<number> {
  if (listed.length === 1) return listed[0]!;
  const answering = await Promise.all(listed.map((p) => portAnswers('127.0.0.1', p, 500)));
  const index = answering.indexOf(true);
  const port = listed[index === -1 ? 0 : index]!;
  note(index === -1 ? 'TOMCAT_FINE_WS_PORTS_FIRST' : 'TOMCAT_FINE_WS_PORTS', 'info', { ports: listed.join(', '), port }, { ports: [...listed], port });
  return port;
}

async function rowChanges(fine: FineInstall, desired: DesiredKeystore, willIssue: boolean, note: Note, ctx: OpContext): Promise<{ changes: FineDbRowChange[]; listedPorts: number[] | null }> {
  const wanted = methodOneRows({ keyStore: desired.path, keyStorePassword: desired.password, keyStoreFormat: desired.type });
  let current: FineConfRow[] | null = null;
  try {
    current = await readFineDbRows(fine.dir, ctx, { ids: [...wanted.map((r) => r.id), KEY.port] });
  } catch (error) {
    if (!(error instanceof EngineError) || !UNREADABLE_NOW.has(error.code)) throw error;
    note('TOMCAT_FINEDB_NOT_READ', 'warning', { code: error.code }, { code: error.code });
    current = null;
  }
  const now = new Map((current ?? []).map((r) => [r.id, r.value]));
  const portRow = now.get(KEY.port);
  const listedPorts = portRow !== undefined ? parseWebSocketPorts(portRow) : null;
  current = current === null ? null : current.filter((r) => r.id !== KEY.port);
  now.delete(KEY.port);
  const existingKeystore = now.get(KEY.keyStore);
  // Seed 000: a certificate replaced under existing WebSocket settings resets them first.
  const replacing = existingKeystore !== undefined && existingKeystore !== '' && (willIssue || wanted.some((r) => r.id !== KEY.protocol && now.has(r.id) && now.get(r.id) !== r.value));
  // The finedb module's row builder (secret rows as references, reset before the certificates).
  const changes = fineDbRowChanges(fine, wanted, current ?? [], replacing);
  if (current === null) return { changes: changes.map(({ before: _unknown, ...rest }) => rest), listedPorts };
  // Planning again changes nothing: rows that already hold the wanted value are left out.
  return { changes: replacing ? changes : changes.filter((c) => now.get(c.id) !== wanted.find((w) => w.id === c.id)?.value), listedPorts };
}


