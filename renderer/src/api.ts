import type { InputOf, OpName, OutputOf, ProgressEvent, Result } from '../../shared/contract/index.js';
import type { Lang } from '../../shared/contract/common.js';

export interface CallOptions {
  /** Called for each step of a long operation (key generation, JVM start, nginx -t, each endpoint). */
  readonly onProgress?: (event: ProgressEvent) => void;
}

/**
 * The wizard's only way to the engine: one function per contract operation. In Electron the
 * preload exposes it as window.wssSetup.api (IPC); in serve mode the same calls go over HTTP to
 * 127.0.0.1 with the session cookie. Both return error values, never throw for engine errors.
 */
export type Api = { readonly [N in OpName]: (input: InputOf<N>, options?: CallOptions) => Promise<Result<OutputOf<N>>> };

type PreloadCall = (input: unknown, lang: Lang, onProgress?: (event: ProgressEvent) => void) => Promise<unknown>;

/** What the Electron preload exposes (window.wssSetup): one function per operation. */
export interface PreloadBridge {
  readonly operations: readonly string[];
  readonly api: Readonly<Record<string, PreloadCall>>;
}

declare global {
  interface Window {
    wssSetup?: PreloadBridge;
  }
}

const transportError = (message: string) => ({ ok: false, error: { code: 'TRANSPORT_ERROR', message } });

async function httpTransport(operation: string, input: unknown, lang: Lang, onProgress?: (event: ProgressEvent) => void): Promise<unknown> {
  const response = await fetch(`api/op/${encodeURIComponent(operation)}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      'content-type': 'application/json',
      'x-wss-setup-lang': lang,
      ...(onProgress !== undefined ? { accept: 'application/x-ndjson' } : {}),
    },
    body: JSON.stringify(input ?? {}),
  });
  if (onProgress !== undefined && response.ok && response.body !== null && (response.headers.get('content-type') ?? '').includes('ndjson')) {
    return readProgressStream(response.body, onProgress);
  }
  const body = (await response.json().catch(() => null)) as unknown;
  if (body !== null && typeof body === 'object' && 'ok' in body) return body;
  return transportError(`HTTP ${response.status}`);
}

/** Reads NDJSON lines: {progress} for each step, then {result}. */
async function readProgressStream(stream: ReadableStream<Uint8Array>, onProgress: (event: ProgressEvent) => void): Promise<unknown> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffer += decoder.decode(value, { stream: !done });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      if (line === '') continue;
      const message = JSON.parse(line) as { progress?: ProgressEvent; result?: unknown };
      if (message.progress !== undefined) onProgress(message.progress);
      if (message.result !== undefined) return message.result;
    }
    if (done) return transportError('the connection closed before the result arrived');
  }
}

/** Builds the Api over whichever transport this page has (Electron preload or serve mode HTTP). */
export function createApi(operationNames: readonly OpName[], getLang: () => Lang): Api {
  const bridge = window.wssSetup;
  const api: Record<string, (input: unknown, options?: CallOptions) => Promise<unknown>> = {};
  for (const name of operationNames) {
    const call: PreloadCall = bridge?.api[name] ?? ((input, lang, onProgress) => httpTransport(name, input, lang, onProgress));
    api[name] = (input, options) =>
      call(input, getLang(), options?.onProgress).catch((error: unknown) => transportError(error instanceof Error ? error.message : String(error)));
  }
  return api as unknown as Api;
}
