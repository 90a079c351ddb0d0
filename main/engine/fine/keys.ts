import type { FineInstall } from './install-types.js';
import { DEFAULT_PORTS, KEY, usesLegacyRequestPort, type FineConfRow } from './rows.js';

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
/** Keys of method two (nginx forwarding). */
export const PROXY_KEYS: readonly string[] = [KEY.port, KEY.requestPorts, KEY.requestPort];

export function defaultPortsOf(install: Pick<FineInstall, 'product'>) {
  return DEFAULT_PORTS[install.product];
}

/**
 * True when the rows about to be written replace another certificate (keystore path, password or
 * format changes). Seed 000: the WebSocket settings must then be reset to their defaults first.
 */
export function replacesCertificate(current: readonly FineConfRow[], upsert: readonly FineConfRow[]): boolean {
  const now = new Map(current.map((r) => [r.id, r.value]));
  const keyStore = now.get(KEY.keyStore);
  if (keyStore === undefined || keyStore === '') return false;
  return upsert.some((r) => SSL_KEYS.includes(r.id) && r.id !== KEY.protocol && now.has(r.id) && now.get(r.id) !== r.value);
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

/** Rows whose value is a secret (WebSocketConfig.keyStorePassword and any other *password* key). */
export function isSecretKey(id: string): boolean {
  return /password/i.test(id);
}
