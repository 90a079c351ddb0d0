/**
 * WebSocket URL validation shared by every host. Returns an i18n key for the
 * first problem found, or null when the URL is usable. Kept free of zod so the
 * renderer can validate as the user types.
 */
export type WsUrlProblem =
  | 'input.url.empty'
  | 'input.url.malformed'
  | 'input.url.http'
  | 'input.url.scheme'
  | 'input.url.port'
  | 'input.url.fragment'
  | 'input.url.credentials';

const AUTHORITY_PORT = /^[a-z][a-z0-9+.-]*:\/\/(?:\[[^\]]*\]|[^/?#:@]*)(?::(\d*))?(?:[/?#]|$)/i;

export function wsUrlProblem(raw: string): WsUrlProblem | null {
  const text = raw.trim();
  if (text === '') return 'input.url.empty';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return 'input.url.http';
  if (scheme !== undefined && scheme !== 'ws' && scheme !== 'wss') return 'input.url.scheme';
  // The WHATWG parser rejects a port above 65535 as a generic "invalid URL";
  // look at the port first so the admin is told what is actually wrong.
  const port = AUTHORITY_PORT.exec(text)?.[1];
  if (port !== undefined && port !== '' && (Number(port) < 1 || Number(port) > 65535)) return 'input.url.port';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'input.url.malformed';
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return 'input.url.scheme';
  if (url.hostname === '') return 'input.url.malformed';
  if (url.hash !== '') return 'input.url.fragment';
  if (url.username !== '' || url.password !== '') return 'input.url.credentials';
  return null;
}

/** True for URLs that address an engine.io / socket.io endpoint. */
export function isSocketIoUrl(url: URL): boolean {
  return url.pathname.includes('/socket.io/') || url.searchParams.has('EIO');
}
