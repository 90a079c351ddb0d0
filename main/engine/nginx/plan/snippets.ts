import type { FineProduct } from '../../fine/index.js';

/**
 * The nginx text wss-setup writes, as lines. Comments written into the configuration are
 * English on purpose: the file's content (and its recorded hash) must not depend on the
 * language of the user interface.
 */
export const PRODUCT_NAMES: Readonly<Record<FineProduct, string>> = { finereport: 'FineReport', finebi: 'FineBI', finedatalink: 'FineDataLink' };

export const listenLine = (address: string | undefined, port: number, ssl: boolean): string => `listen ${address !== undefined ? `${address}:` : ''}${port}${ssl ? ' ssl' : ''};`;

/** The Host header the backend sees: with the port when it is not 443 (links the product builds keep it). */
export const hostHeader = (port: number): string => (port === 443 ? '$host' : '$host:$server_port');

/** $connection_upgrade: "upgrade" for WebSocket handshakes, "close" otherwise (nginx's documented map). */
export const UPGRADE_MAP: readonly string[] = ['# Connection: upgrade for WebSocket handshakes, close otherwise', 'map $http_upgrade $connection_upgrade {', '    default upgrade;', "    ''      close;", '}', ''];

export const upgradeLines = (connection: string): string[] => ['proxy_http_version 1.1;', 'proxy_set_header Upgrade $http_upgrade;', `proxy_set_header Connection ${connection};`];

/** The headers that tell the backend who asked and that the original request was HTTPS. */
export const forwardedLines = (host: string): string[] => [`proxy_set_header Host ${host};`, 'proxy_set_header X-Real-IP $remote_addr;', 'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;', 'proxy_set_header X-Forwarded-Proto $scheme;'];

export const timeoutLines = (readSeconds: number, sendSeconds = readSeconds): string[] => [`proxy_read_timeout ${readSeconds}s;`, `proxy_send_timeout ${sendSeconds}s;`];

/** Never Access-Control-Allow-Origin *: the product sets its own origin rules (seed 000). */
export const CORS_LINES: readonly string[] = ['add_header Access-Control-Allow-Headers X-Requested-With always;', 'add_header Access-Control-Allow-Methods "GET, POST, OPTIONS" always;'];

export const indent = (lines: readonly string[], depth: number): string[] => lines.map((l) => (l === '' ? '' : `${'    '.repeat(depth)}${l}`));

/** A value as one nginx token: bare when safe, else double-quoted with " and \ escaped. */
export const quote = (value: string): string => (/^[^\s;{}"'#\\]+$/.test(value) && value !== '' ? value : `"${value.replace(/["\\]/g, '\\$&')}"`);

/** One generated statement ("name arg arg;") as name and raw argument tokens. */
export function parseStatement(line: string): { name: string; args: string[] } {
  const tokens = line.replace(/;$/, '').match(/"(?:[^"\\]|\\.)*"|\S+/g) ?? [];
  return { name: tokens[0]!, args: tokens.slice(1) };
}
