/**
 * The fine_conf_entity rows each method needs (seed 000), as pure data. Keys are written
 * exactly as the product reads them: it silently ignores a key with other letter case
 * or a trailing space.
 */
export type FineProduct = 'finereport' | 'finebi' | 'finedatalink';

/** Default WebSocket port of the product and the port nginx forwards from (seed 000). */
export const DEFAULT_PORTS: Readonly<Record<FineProduct, { readonly websocket: number; readonly forward: number }>> = {
  finereport: { websocket: 38888, forward: 38889 },
  finebi: { websocket: 48888, forward: 48889 },
  finedatalink: { websocket: 58888, forward: 58889 },
};

export interface FineConfRow {
  readonly id: string;
  readonly value: string;
}

export const KEY = {
  protocol: 'WebSocketConfig.protocol',
  keyStore: 'WebSocketConfig.keyStore',
  keyStorePassword: 'WebSocketConfig.keyStorePassword',
  keyStoreFormat: 'WebSocketConfig.keyStoreFormat',
  port: 'WebSocketConfig.port',
  requestPorts: 'WebSocketConfig.requestPorts',
  requestPort: 'WebSocketConfig.requestPort',
} as const;

/** Installs whose JAR is dated on or before this day use the single-valued requestPort key. */
export const LEGACY_REQUEST_PORT_UNTIL = '2019-09-27';

/** Method one: SSL on the web server itself; the WebSocket serves TLS from the same keystore. */
export function methodOneRows(options: { keyStore: string; keyStorePassword: string; keyStoreFormat: 'PKCS12' | 'JKS' }): FineConfRow[] {
  return [
    { id: KEY.protocol, value: 'SSL' },
    { id: KEY.keyStore, value: options.keyStore },
    { id: KEY.keyStorePassword, value: options.keyStorePassword },
    { id: KEY.keyStoreFormat, value: options.keyStoreFormat },
  ];
}

/**
 * Method two: nginx terminates TLS on the forwarding port(s) and proxies to the
 * WebSocket port(s). `legacyRequestPort` selects WebSocketConfig.requestPort (one port).
 */
export function methodTwoRows(options: { websocketPorts: readonly number[]; requestPorts: readonly number[]; legacyRequestPort: boolean }): FineConfRow[] {
  const rows: FineConfRow[] = [{ id: KEY.port, value: JSON.stringify(options.websocketPorts.map(String)) }];
  if (options.legacyRequestPort) rows.push({ id: KEY.requestPort, value: String(options.requestPorts[0]) });
  else rows.push({ id: KEY.requestPorts, value: options.requestPorts.length === 1 ? String(options.requestPorts[0]) : JSON.stringify(options.requestPorts.map(String)) });
  return rows;
}

/**
 * The ports a WebSocketConfig.port row lists, in the order the product tries them (it listens on
 * the first it can bind): a JSON array of port strings or numbers (["38888", "39888"]), or one
 * port. Null when the value is none of these or a port is out of range.
 */
export function parseWebSocketPorts(value: string): number[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.trim());
  } catch {
    return null;
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const ports = list.map((p) => (typeof p === 'number' ? p : typeof p === 'string' && /^\s*\d{1,5}\s*$/.test(p) ? Number(p) : Number.NaN));
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) return null;
  return [...new Set(ports)];
}

/** True when a JAR date (YYYY-MM-DD) means the install reads WebSocketConfig.requestPort. */
export function usesLegacyRequestPort(jarDate: string | undefined): boolean {
  return jarDate !== undefined && jarDate <= LEGACY_REQUEST_PORT_UNTIL;
}
