/**
 * The path of a WebSocket endpoint for a plan's wss check (e.g. /examples/websocket/echoAnnotation):
 * absolute, path characters only (no query, fragment, spaces or backslashes), percent-escapes well
 * formed, no . or .. segments, at most 512 characters. Kept free of zod so the renderer can
 * validate as the admin types.
 */
export function isWsPath(value: string): boolean {
  return value.length <= 512 && /^\/(?!\/)[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/.test(value) && !/%(?![0-9A-Fa-f]{2})/.test(value) && !/(^|\/)\.{1,2}(\/|$)/.test(value);
}
