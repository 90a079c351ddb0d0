import { LANGS, type Lang } from '../../shared/contract/common.js';
import { failure } from '../../shared/contract/result.js';
import { t } from '../../shared/i18n/index.js';
import { INVOKE_CHANNEL, type InvokeEventLike, type IpcMainLike } from '../hosts/ipc/register.js';

/**
 * An ipcMain that asks for elevation before a real Apply (not a dry run) from the app's own window.
 * `ask` shows the question and returns the URL of the root serve mode when the admin relaunched
 * (the renderer then gets an error value saying where the wizard went on), or null to apply here.
 */
export function guardApply(ipcMain: IpcMainLike, isTrustedSender: (event: InvokeEventLike) => boolean, ask: (lang: Lang) => Promise<string | null>): IpcMainLike {
  return {
    removeHandler: (channel) => ipcMain.removeHandler(channel),
    handle(channel, listener) {
      if (channel !== INVOKE_CHANNEL) return ipcMain.handle(channel, listener);
      ipcMain.handle(channel, async (event, ...args) => {
        const [operation, input, lang] = args;
        const dryRun = typeof input === 'object' && input !== null && (input as { dryRun?: unknown }).dryRun === true;
        if (operation === 'apply' && !dryRun && isTrustedSender(event)) {
          const language: Lang = (LANGS as readonly unknown[]).includes(lang) ? (lang as Lang) : 'en';
          const url = await ask(language);
          if (url !== null) return failure({ code: 'ELEVATION_RELAUNCHED', message: t(language, 'elevation.moved', { url }) });
        }
        return listener(event, ...args);
      });
    },
  };
}
