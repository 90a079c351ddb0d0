import { LANGS, type Lang } from '../../../shared/contract/common.js';
import { failure } from '../../../shared/contract/result.js';
import { registerLanguage, t } from '../../../shared/i18n/index.js';
import { zhCN } from '../../../shared/i18n/zh-CN/index.js';
import { ExecutableAllowList } from '../../engine/common/executable-allow-list.js';
import { isOpName, runOperation, toOpError } from '../../engine/run-operation.js';
import { IPC_CHANNELS } from './channels.js';

// This host answers in either language on every request: both catalogs from the start.
registerLanguage('zh-CN', zhCN);

/** The one IPC channel; the operation name travels as the first argument. */
export const INVOKE_CHANNEL = IPC_CHANNELS.invoke;
/** Progress events go back to the calling window on this channel, tagged with the caller's request id. */
export const PROGRESS_CHANNEL = IPC_CHANNELS.progress;

/** The parts of Electron's ipcMain / IpcMainInvokeEvent this host uses (kept structural so the engine side stays Electron-free). */
export interface InvokeEventLike {
  readonly sender: { readonly id: number; send(channel: string, ...args: unknown[]): void };
  readonly senderFrame: { readonly url: string } | null;
}
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/**
 * Registers the operation handler. Messages from any sender but the app's own window and
 * page are dropped with an error value; payloads are validated by runOperation with the
 * contract's zod schemas, exactly as in serve mode and the CLI.
 */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  isTrustedSender: (event: InvokeEventLike) => boolean,
  /** The programs and jars the renderer may name: detected, or confirmed with --allow-exec when the app was started. */
  executables: ExecutableAllowList = new ExecutableAllowList(),
): () => void {
  ipcMain.handle(INVOKE_CHANNEL, async (event, operation, input, lang, requestId) => {
    const language: Lang = (LANGS as readonly unknown[]).includes(lang) ? (lang as Lang) : 'en';
    if (!isTrustedSender(event)) return failure({ code: 'UNTRUSTED_SENDER', message: t(language, 'ipc.untrustedSender') });
    if (typeof operation !== 'string' || !isOpName(operation)) {
      return failure({ code: 'UNKNOWN_OPERATION', message: t(language, 'error.UNKNOWN_OPERATION', { name: String(operation).slice(0, 64) }) });
    }
    const progressId = typeof requestId === 'string' && /^[\w-]{1,64}$/.test(requestId) ? requestId : null;
    try {
      return await runOperation(operation, input, {
        lang: language,
        executables,
        ...(progressId !== null ? { onProgress: (progress) => event.sender.send(PROGRESS_CHANNEL, progressId, progress) } : {}),
      });
    } catch (error) {
      // runOperation never throws; should that ever break, the renderer still gets the error shape, not a rejection.
      return failure(toOpError(error, language));
    }
  });
  return () => ipcMain.removeHandler(INVOKE_CHANNEL);
}

/** A sender is trusted when it is our window and its frame shows our own page. */
export function trustedSender(windowId: () => number | undefined, pageUrl: string): (event: InvokeEventLike) => boolean {
  return (event) => event.sender.id === windowId() && event.senderFrame !== null && sameDocument(event.senderFrame.url, pageUrl);
}

function sameDocument(url: string, pageUrl: string): boolean {
  try {
    const a = new URL(url);
    const b = new URL(pageUrl);
    return a.protocol === b.protocol && a.host === b.host && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
