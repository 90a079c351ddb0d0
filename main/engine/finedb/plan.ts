import { existsSync, statSync } from 'node:fs';
import type { FineDbSetRequest } from '../../../shared/contract/finedb.js';
import { PLAN_VERSION, type FineDbRowChange, type Plan, type PlanNote, type SecretRef } from '../../../shared/contract/plan.js';
import { EngineError } from '../common/engine-error.js';
import {
  isSecretKey,
  KEY,
  LEGACY_REQUEST_PORT_UNTIL,
  MANAGED_KEYS,
  methodOneRows,
  methodTwoRows,
  PROXY_KEYS,
  SSL_KEYS,
  usesLegacyRequestPort,
  type FineConfRow,
  type FineInstall,
} from '../fine/index.js';

/** The secret references a finedb plan uses (apply resolves them; the plan never holds a value). */
export const SECRET_REFS = {
  /** The keystore password the admin gives (method one). */
  keystorePassword: 'keystorePassword',
  /** The value a secret row held before the write: it lives in the backup only. */
  previousValue: 'finedb.previousValue',
} as const;

export interface RowPlan {
  readonly upsert: FineConfRow[];
  readonly skipped: FineConfRow[];
  readonly legacyRequestPort: boolean;
}

/** The rows a set request writes, validated against the install (keys exact, values trimmed). */
export function planRows(install: FineInstall, request: Pick<FineDbSetRequest, 'ssl' | 'proxy'>): RowPlan {
  const upsert: FineConfRow[] = [];
  const skipped: FineConfRow[] = [];
  const legacy = usesLegacyRequestPort(install.jarDate);
  if (request.ssl) {
    const keyStore = request.ssl.keyStore.trim();
    let isFile = false;
    try {
      isFile = existsSync(keyStore) && statSync(keyStore).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) throw new EngineError('FINEDB_KEYSTORE_MISSING', { path: keyStore }, { path: keyStore });
    upsert.push(...methodOneRows({ keyStore, keyStorePassword: request.ssl.keyStorePassword, keyStoreFormat: request.ssl.keyStoreFormat }));
  }
  if (request.proxy) {
    if (legacy && request.proxy.requestPorts.length > 1) {
      throw new EngineError('FINEDB_LEGACY_ONE_PORT', { jarDate: install.jarDate ?? '', ports: request.proxy.requestPorts.join(', ') }, { jarDate: install.jarDate ?? null });
    }
    const rows = methodTwoRows({ websocketPorts: request.proxy.websocketPorts, requestPorts: request.proxy.requestPorts, legacyRequestPort: legacy });
    if (install.containerWebSocket) skipped.push(...rows);
    else upsert.push(...rows);
  }
  for (const row of upsert) {
    if (!MANAGED_KEYS.includes(row.id)) throw new Error(`unexpected key ${row.id}`);
  }
  return { upsert, skipped, legacyRequestPort: legacy };
}

const beforeOf = (current: readonly FineConfRow[], id: string): string | null | SecretRef => {
  const row = current.find((r) => r.id === id);
  if (row === undefined) return null;
  return isSecretKey(id) ? { secretRef: SECRET_REFS.previousValue } : row.value;
};

const afterOf = (row: FineConfRow): string | SecretRef => (isSecretKey(row.id) ? { secretRef: SECRET_REFS.keystorePassword } : row.value);

/**
 * The plan's FineDB row changes: the reset (when a certificate is replaced, seed 000: "restore the
 * WebSocket settings to the default before replacing the certificate") before the certificates,
 * then the new rows after them. `before` is the value read now (null: no row; a secret as a
 * reference); `after` the new value (null: delete; the keystore password as a reference).
 */
export function rowChanges(install: FineInstall, upsert: readonly FineConfRow[], current: readonly FineConfRow[], reset: boolean): FineDbRowChange[] {
  const base = { install: install.dir, product: install.product } as const;
  const changes: FineDbRowChange[] = [];
  if (reset) {
    for (const id of SSL_KEYS) {
      if (!current.some((r) => r.id === id)) continue;
      changes.push({ ...base, id, before: beforeOf(current, id), after: null, phase: 'before-certificates', reason: { code: 'finedb.reason.reset', params: {} } });
    }
  }
  for (const row of upsert) {
    const method = SSL_KEYS.includes(row.id) ? 'finedb.reason.methodOne' : 'finedb.reason.methodTwo';
    changes.push({ ...base, id: row.id, before: beforeOf(current, row.id), after: afterOf(row), phase: 'after-certificates', reason: { code: method, params: {} } });
  }
  return changes;
}

/** The rows the database holds once the changes are made (for the notes). */
function rowsAfter(current: readonly FineConfRow[], upsert: readonly FineConfRow[], deleted: readonly string[]): Map<string, string> {
  const out = new Map(current.map((r) => [r.id, r.value]));
  for (const id of deleted) out.delete(id);
  for (const r of upsert) out.set(r.id, r.value);
  return out;
}

/** True when method one (SSL on the web server) and method two (nginx) rows would both be in FineDB. */
export function bothMethods(current: readonly FineConfRow[], upsert: readonly FineConfRow[], deleted: readonly string[]): boolean {
  const after = rowsAfter(current, upsert, deleted);
  return after.has(KEY.keyStore) && PROXY_KEYS.some((k) => k !== KEY.port && after.has(k));
}

/** Notes about the install and the change, as plan notes (codes rendered by the hosts from plan.note.<CODE>). */
export function planNotes(install: FineInstall, rowPlan: RowPlan, both: boolean): PlanNote[] {
  const notes: PlanNote[] = [];
  const note = (code: string, severity: PlanNote['severity'], params: Record<string, string> = {}) => notes.push({ code, severity, params, evidence: {} });
  if (install.containerWebSocket) note('FINEDB_CONTAINER_WEBSOCKET', 'info', { version: install.version ?? '' });
  if (usesLegacyRequestPort(install.jarDate)) note('FINEDB_LEGACY_REQUEST_PORT', 'info', { jarDate: install.jarDate ?? '', until: LEGACY_REQUEST_PORT_UNTIL });
  if (install.jarDate === undefined) note('FINEDB_JAR_DATE_UNKNOWN', 'warning');
  if (rowPlan.skipped.length > 0) note('FINEDB_PORT_ROWS_SKIPPED', 'info', { rows: rowPlan.skipped.map((r) => r.id).join(', ') });
  if (both) note('FINEDB_BOTH_METHODS', 'warning');
  note('FINEDB_RESTART_SERVER', 'info');
  return notes;
}

/** The shared plan of a FineDB write (method finedb-set): rows only; the admin or apply stops and starts the report server. */
export function fineDbPlan(options: {
  readonly install: FineInstall;
  readonly database?: string;
  readonly java?: string;
  readonly keystore?: { readonly path: string; readonly format: 'PKCS12' | 'JKS' };
  readonly rows: readonly FineDbRowChange[];
  readonly notes: readonly PlanNote[];
  readonly now: Date;
}): Plan {
  return {
    planVersion: PLAN_VERSION,
    method: 'finedb-set',
    profile: options.install.product,
    createdAt: options.now.toISOString(),
    target: {
      kind: 'finedb',
      paths: { install: options.install.dir, ...(options.database !== undefined ? { database: options.database } : {}), ...(options.java !== undefined ? { java: options.java } : {}) },
    },
    files: [],
    certificates: options.keystore ? [{ kind: 'use-existing', keystorePath: options.keystore.path, keystoreFormat: options.keystore.format }] : [],
    fineDbRows: [...options.rows],
    services: [],
    validations: [],
    checks: [],
    notes: [...options.notes],
  };
}
