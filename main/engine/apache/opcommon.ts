/**
 * opCharts/OMK's opCommon.json and opCommon.nmis (seed 001): the browser is told which port to
 * use for the events WebSocket through `websocket_proxy_port`. Only that one value changes; every
 * other byte (formatting, comments, order, quoting style) stays as it is.
 */
export type OpCommonEdit = { readonly ok: true; readonly text: string; readonly before: string } | { readonly ok: false; readonly reason: 'no-key' | 'several-keys' | 'not-json' };

const KEY = 'websocket_proxy_port';

/** opCommon.json: the value of "websocket_proxy_port" (string or number, kept as it was written). */
export function editOpCommonJson(text: string, port: number): OpCommonEdit {
  try {
    JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  const re = /("websocket_proxy_port"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|null)/g;
  const matches = [...text.matchAll(re)];
  if (matches.length === 0) return { ok: false, reason: 'no-key' };
  if (matches.length > 1) return { ok: false, reason: 'several-keys' };
  const m = matches[0]!;
  const old = m[2]!;
  const value = old.startsWith('"') ? `"${port}"` : String(port);
  const at = m.index! + m[1]!.length;
  return { ok: true, text: text.slice(0, at) + value + text.slice(at + old.length), before: old.replace(/^"|"$/g, '') };
}

/** opCommon.nmis (a Perl hash): 'websocket_proxy_port' => '8042', — the quoted (or bare) value in place. */
export function editOpCommonNmis(text: string, port: number): OpCommonEdit {
  const re = /(^|[\s{,])(['"]?websocket_proxy_port['"]?\s*=>\s*)('[^'\n]*'|"[^"\n]*"|-?\d+|undef)/gm;
  const matches = [...text.matchAll(re)].filter((m) => !lineIsComment(text, m.index!));
  if (matches.length === 0) return { ok: false, reason: 'no-key' };
  if (matches.length > 1) return { ok: false, reason: 'several-keys' };
  const m = matches[0]!;
  const old = m[3]!;
  const value = old.startsWith("'") ? `'${port}'` : old.startsWith('"') ? `"${port}"` : String(port);
  const at = m.index! + m[1]!.length + m[2]!.length;
  return { ok: true, text: text.slice(0, at) + value + text.slice(at + old.length), before: old.replace(/^['"]|['"]$/g, '') };
}

function lineIsComment(text: string, index: number): boolean {
  const start = text.lastIndexOf('\n', index) + 1;
  return /^\s*#/.test(text.slice(start, index + 1));
}

export const opCommonKind = (path: string): 'json' | 'nmis' => (path.toLowerCase().endsWith('.json') ? 'json' : 'nmis');
export { KEY as OPCOMMON_KEY };
