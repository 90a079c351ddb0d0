import type { BrowserWindowConstructorOptions } from 'electron';
import { OPERATIONS_ARGUMENT } from '../hosts/ipc/channels.js';

/**
 * The window's security settings as data (asserted by a unit test): isolated, sandboxed,
 * no Node in the renderer, web security on, no webview, no remote content.
 */
export function windowOptions(preloadPath: string, operations: readonly string[]): BrowserWindowConstructorOptions {
  return {
    width: 1100,
    height: 820,
    minWidth: 720,
    minHeight: 560,
    title: 'wss-setup',
    show: false,
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // The preload builds one function per operation from this list.
      additionalArguments: [`${OPERATIONS_ARGUMENT}${operations.join(',')}`],
    },
  };
}

/** Permissions the renderer may get: none (camera, geolocation, notifications, ... are all denied). */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set();

/** Navigation is allowed only to the app's own page (reloads); everything else is blocked. */
export function navigationAllowed(target: string, pageUrl: string): boolean {
  try {
    const a = new URL(target);
    const b = new URL(pageUrl);
    return a.protocol === 'file:' && b.protocol === 'file:' && a.pathname === b.pathname;
  } catch {
    return false;
  }
}
