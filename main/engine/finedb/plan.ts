import { existsSync, statSync } from 'node:fs';
import type { FineDbPlanStep, FineDbSetRequest } from '../../../shared/contract/finedb.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t } from '../../../shared/i18n/index.js';
import { EngineError } from '../common/engine-error.js';
import type { FineInstall } from '../fine/index.js';
import { MANAGED_KEYS, methodOneRows, methodTwoRows, SSL_KEYS, usesLegacyRequestPort, type FineConfRow } from '../fine/index.js';

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
