import { dirname, isAbsolute, win32 } from 'node:path';
import forge from 'node-forge';
import type { Finding, FindingCode, Severity } from '../../../shared/contract/check.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t, type Params } from '../../../shared/i18n/index.js';
import type { FilePort, Ports } from '../ports/index.js';
import { readConnectors, type ConnectorInfo, type KeystoreRef } from './connectors.js';
import { isCatalinaHome } from './locate.js';
import { fineRowsForDiagnosis, type FineRowsForDiagnosis } from './finedb-rows.js';
import { readServerXml } from './server-xml.js';
import { readTomcatVersion, type TomcatVersion } from './tomcat-version.js';
import { findingParams } from '../common/finding-params.js';

const KEYSTORE_TEXT = { missing: 'tomcat.keystore.missing', 'wrong-password': 'tomcat.keystore.wrong-password', 'no-key': 'tomcat.keystore.no-key', 'no-alias': 'tomcat.keystore.no-alias' } as const;

/** A server.xml read once for every URL of a check. */
export type LoadedServerXml =
  | {
      readonly ok: true;
      readonly path: string;
      readonly connectors: readonly ConnectorInfo[];
      readonly version: TomcatVersion | null;
      readonly keystores: ReadonlyMap<string, Buffer | null>;
      /** WebSocketConfig rows of the product's FineDB under this base (embedded or external), read once when first asked for. */
      readonly fineRows: () => Promise<FineRowsForDiagnosis>;
    }
  | { readonly ok: false; readonly path: string; readonly line: number; readonly column: number; readonly reason: string };

/**
 * Reads server.xml (through the file port), its connectors, the Tomcat version, the keystores it
 * names and the product's FineDB rows (an external FineDB only when `ports` allow starting the JDBC
 * bridge). Never throws.
 */
export async function loadServerXmlForDiagnosis(path: string, fs: FilePort, ports?: Ports): Promise<LoadedServerXml> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(path, { maxBytes: 16 * 1024 * 1024 });
  } catch (error) {
    return { ok: false, path, line: 0, column: 0, reason: (error as { code?: string }).code ?? 'unreadable' };
  }
  const read = readServerXml(path, bytes);
  if (!read.ok) {
    const p = read.problem;
    return p.reason === 'not-well-formed' ? { ok: false, path, line: p.line, column: p.column, reason: p.detail } : { ok: false, path, line: 1, column: 1, reason: p.reason };
  }
  const base = dirname(dirname(path));
  const home = isCatalinaHome(base) ? base : (['/usr/share/tomcat11', '/usr/share/tomcat10', '/usr/share/tomcat9'].find((h) => isCatalinaHome(h)) ?? base);
  const connectors = readConnectors(read.value.doc, { base, home });
  const version = await readTomcatVersion(home).catch(() => null);
  const keystores = new Map<string, Buffer | null>();
  for (const c of connectors) {
    for (const tls of c.tls) {
      const ks = tls.keystore;
      if (ks === undefined || keystores.has(ks.resolved)) continue;
      keystores.set(ks.resolved, await fs.readFile(ks.resolved, { maxBytes: 1024 * 1024 }).catch(() => null));
    }
  }
  // Read only when a URL names the product's WebSocket port (an external FineDB starts the JDBC bridge).
  let fine: Promise<FineRowsForDiagnosis> | null = null;
  const fineRows = () => (fine ??= fineRowsForDiagnosis(base, fs, ports));
  return { ok: true, path, connectors, version, keystores, fineRows };
}

/** Opens a PKCS#12 keystore in memory with its password (no process); JKS is only checked for presence. */
type KeystoreProblem = 'missing' | 'wrong-password' | 'no-key' | 'no-alias';

function keystoreProblem(ks: KeystoreRef, bytes: Buffer | null | undefined): KeystoreProblem | null {
  if (bytes === null || bytes === undefined) return 'missing';
  if (!/^pkcs12$/i.test(ks.type)) return null;
  try {
    const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))), false, ks.password);
    const keys = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? [];
    if (keys.length === 0) return 'no-key';
    if (ks.alias !== undefined && !keys.some((b) => b.attributes.friendlyName?.includes(ks.alias!))) return 'no-alias';
    return null;
  } catch {
    return 'wrong-password';
  }
}

/** Seed 000: WebSocketConfig.keyStore must be absolute, and is the keystore Tomcat serves. */
async function fineDbFindings(loaded: Extract<LoadedServerXml, { ok: true }>, add: (code: FindingCode, severity: Severity, line: number, params?: Params, evidence?: Record<string, unknown>) => void): Promise<void> {
  const tlsKeystore = loaded.connectors.find((c) => c.sslEnabled)?.tls[0]?.keystore;
  const fine = await loaded.fineRows();
  if (fine.kind === 'unread') {
    add('TOMCAT_FINEDB_NOT_READ', 'info', tlsKeystore?.line ?? 1, { code: fine.code, database: fine.database }, { code: fine.code, database: fine.database });
    return;
  }
  if (fine.kind !== 'rows') return;
  const rows = fine.rows;
  const row = rows.get('WebSocketConfig.keyStore');
  if (row === undefined || rows.get('WebSocketConfig.protocol') !== 'SSL') return;
  if (!isAbsolute(row) && !win32.isAbsolute(row)) {
    add('TOMCAT_FINEDB_KEYSTORE_RELATIVE', 'error', tlsKeystore?.line ?? 1, { value: row, absolute: tlsKeystore?.resolved ?? '' }, { row: 'WebSocketConfig.keyStore', value: row });
    return;
  }
  if (tlsKeystore !== undefined && row !== tlsKeystore.resolved) {
    add('TOMCAT_FINEDB_KEYSTORE_MISMATCH', 'warning', tlsKeystore.line, { value: row, keystore: tlsKeystore.resolved }, { row: 'WebSocketConfig.keyStore', value: row, keystore: tlsKeystore.resolved });
  }
}

/**
 * Config-aware findings for one WebSocket URL on Tomcat itself (method one): no TLS connector on
 * the port a wss:// URL names, legacy TLS attributes this Tomcat ignores, a keystore that is
 * missing or does not open with its password. Each names server.xml and the line. Never throws.
 */
export async function diagnoseTomcat(path: string, url: URL, lang: Lang, loaded: LoadedServerXml): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (code: FindingCode, severity: Severity, line: number, params: Params = {}, evidence: Record<string, unknown> = {}) => {
    const all = { file: path, line, ...params };
    findings.push({ code, severity, message: t(lang, `finding.${code}`, all), fix: t(lang, `finding.${code}.fix`, all), evidence: { file: path, line, ...evidence }, params: findingParams(all) });
  };
  if (!loaded.ok) {
    add('TOMCAT_CONF_INVALID', 'error', loaded.line, { reason: loaded.reason, column: loaded.column }, { reason: loaded.reason });
    return findings;
  }
  const secure = url.protocol === 'wss:';
  const port = url.port !== '' ? Number(url.port) : secure ? 443 : 80;
  const connector = loaded.connectors.find((c) => c.port === port && c.implementation !== 'ajp');
  if (connector === undefined) {
    // Not Tomcat's port: the product's own WebSocket server (method one: it serves TLS from the keystore FineDB names).
    if (secure) await fineDbFindings(loaded, add);
    return findings;
  }
  if (secure && !connector.sslEnabled) {
    add('TOMCAT_NO_TLS_CONNECTOR', 'error', connector.line, { port }, { port });
    return findings;
  }
  if (!connector.sslEnabled) return findings;
  const tls = connector.tls[0];
  if (tls === undefined) {
    add('TOMCAT_NO_TLS_CONNECTOR', 'error', connector.line, { port }, { port, reason: 'no-certificate' });
    return findings;
  }
  if (tls.legacy && loaded.version !== null && !loaded.version.legacyConnectorTls) {
    add('TOMCAT_LEGACY_TLS_IGNORED', 'error', connector.line, { version: loaded.version.version }, { version: loaded.version.version });
  }
  const ks = tls.keystore;
  if (ks !== undefined) {
    const problem = keystoreProblem(ks, loaded.keystores.get(ks.resolved));
    if (problem !== null) add('TOMCAT_KEYSTORE_UNREADABLE', 'error', ks.line, { keystore: ks.resolved, reason: t(lang, KEYSTORE_TEXT[problem]), reasonKey: KEYSTORE_TEXT[problem] }, { keystore: ks.resolved, reason: problem });
  }
  return findings;
}

