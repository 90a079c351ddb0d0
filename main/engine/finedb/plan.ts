import { existsSync, statSync } from 'node:fs';
import type { FineDbPlanStep, FineDbSetRequest } from '../../../shared/contract/finedb.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t } from '../../../shared/i18n/index.js';
import { EngineError } from '../common/engine-error.js';
import type { FineInstall } from './install-types.js';
import { DEFAULT_PORTS, KEY, methodOneRows, methodTwoRows, usesLegacyRequestPort, type FineConfRow } from './rows.js';

/** The WebSocket keys this install reads, per method, spelled exactly as the product reads them. */
export function keysFor(install: Pick<FineInstall, 'jarDate'>): { ssl: string[]; proxy: string[] } {
  return {
    ssl: [KEY.protocol, KEY.keyStore, KEY.keyStorePassword, KEY.keyStoreFormat],
    proxy: [KEY.port, usesLegacyRequestPort(install.jarDate) ? KEY.requestPort : KEY.requestPorts],
  };
}

/** Every WebSocketConfig key wss-setup manages (what "reset to defaults" removes). */
export const MANAGED_KEYS: readonly string[] = Object.values(KEY);
/** Keys of method one: resetting them returns the WebSocket to the product's defaults. */
export const SSL_KEYS: readonly string[] = [KEY.protocol, KEY.keyStore, KEY.keyStorePassword, KEY.keyStoreFormat];

export function defaultPortsOf(install: Pick<FineInstall, 'product'>) {
  return DEFAULT_PORTS[install.product];
}

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

/** True when the rows about to be written replace another certificate (keystore path, password or format changes). */
export function replacesCertificate(current: readonly FineConfRow[], upsert: readonly FineConfRow[]): boolean {
  const now = new Map(current.map((r) => [r.id, r.value]));
  const keyStore = now.get(KEY.keyStore);
  if (keyStore === undefined || keyStore === '') return false;
  return upsert.some((r) => SSL_KEYS.includes(r.id) && r.id !== KEY.protocol && now.has(r.id) && now.get(r.id) !== r.value);
}

/** Builds the plan steps of one language: a step, who does it, and the rows it touches. */
function planStep(lang: Lang) {
  return (step: FineDbPlanStep['step'], by: FineDbPlanStep['by'], rows?: readonly string[]): FineDbPlanStep => ({
    step,
    by,
    message: t(lang, `finedb.step.${step}`),
    ...(rows ? { rows } : {}),
  });
}

/**
 * Seed 000: "restore the WebSocket settings to the default before replacing the certificate, and
 * then reconfigure the WebSocket settings" — otherwise the platform may become unreachable. As an
 * ordered plan: who does each step, and which rows it touches.
 */
export function certificateReplacementPlan(lang: Lang, newRows: readonly FineConfRow[]): FineDbPlanStep[] {
  const step = planStep(lang);
  return [
    step('stop-server', 'admin'),
    step('backup-finedb', 'finedb'),
    step('reset-websocket-settings', 'finedb', SSL_KEYS),
    step('replace-certificate', 'admin'),
    step('write-websocket-settings', 'finedb', newRows.map((r) => r.id)),
    step('start-server', 'admin'),
    step('check-wss', 'admin'),
  ];
}

/** The plan of an ordinary write (no certificate replaced). */
export function writePlan(lang: Lang, newRows: readonly FineConfRow[], reset: boolean): FineDbPlanStep[] {
  const step = planStep(lang);
  return [
    step('stop-server', 'admin'),
    step('backup-finedb', 'finedb'),
    ...(reset ? [step('reset-websocket-settings', 'finedb', SSL_KEYS)] : []),
    ...(newRows.length > 0 ? [step('write-websocket-settings', 'finedb', newRows.map((r) => r.id))] : []),
    step('start-server', 'admin'),
    step('check-wss', 'admin'),
  ];
}

/** Rows under WebSocketConfig whose key the product would ignore (other letter case, spaces). */
export function misspelledKeys(rows: readonly FineConfRow[]): { id: string; expected: string }[] {
  const out: { id: string; expected: string }[] = [];
  for (const row of rows) {
    if (MANAGED_KEYS.includes(row.id)) continue;
    const expected = MANAGED_KEYS.find((k) => k.toLowerCase() === row.id.trim().toLowerCase());
    if (expected !== undefined) out.push({ id: row.id, expected });
  }
  return out;
}
