import type { InputOf, OpName, OutputOf, Result } from '../../shared/contract/index.js';
import type { Lang } from '../../shared/contract/common.js';

/**
 * The wizard's only way to the engine: one function per contract operation. In Electron the
 * preload exposes it as window.api (IPC); in serve mode the same calls go over HTTP to
 * 127.0.0.1 with the session cookie. Both return error values, never throw for engine errors.
 */
export type Api = { readonly [N in OpName]: (input: InputOf<N>) => Promise<Result<OutputOf<N>>> };

/** What the Electron preload exposes (window.wssSetup): one function per operation. */
export interface PreloadBridge {
  readonly operations: readonly string[];
  readonly api: Readonly<Record<string, (input: unknown, lang: Lang) => Promise<unknown>>>;
}

declare global {
  interface Window {
    wssSetup?: PreloadBridge;
  }
}

function httpTransport(operation: string, input: unknown, lang: Lang): Promise<unknown> {
  return fetch(`api/op/${encodeURIComponent(operation)}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-wss-setup-lang': lang },
    body: JSON.stringify(input ?? {}),
  }).then(async (response) => {
    const body = (await response.json().catch(() => null)) as unknown;
    if (body !== null && typeof body === 'object' && 'ok' in body) return body;
    return { ok: false, error: { code: 'HTTP_ERROR', message: `HTTP ${response.status}` } };
  });
}

/** Builds the Api over whichever transport this page has (Electron preload or serve mode HTTP). */
export function createApi(operationNames: readonly OpName[], getLang: () => Lang): Api {
  const bridge = window.wssSetup;
  const api: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of operationNames) {
    const viaPreload = bridge?.api[name];
    const call = viaPreload ?? ((input: unknown, lang: Lang) => httpTransport(name, input, lang));
    api[name] = (input) =>
      call(input, getLang()).catch((error: unknown) => ({
        ok: false,
        error: { code: 'TRANSPORT_ERROR', message: error instanceof Error ? error.message : String(error) },
      }));
  }
  return api as unknown as Api;
}
