import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { operationNames } from '../../shared/contract/index.js';
import { ExecutableAllowList } from '../engine/common/executable-allow-list.js';
import { registerIpcHandlers, trustedSender } from '../hosts/ipc/register.js';
import { CONTENT_SECURITY_POLICY } from '../hosts/security-policy.js';
import { ALLOWED_PERMISSIONS, navigationAllowed, windowOptions } from './window-options.js';

// The Electron shell: one window, the renderer bundle from dist/renderer, IPC into the engine.
// Everything else lives in main/engine and is shared with the CLI and serve mode.
const ALLOW_EXEC_ARGUMENT = '--allow-exec=';
const pagePath = fileURLToPath(new URL('../../renderer/index.html', import.meta.url));
const pageUrl = pathToFileURL(pagePath).href;
const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));

let mainWindow: BrowserWindow | null = null;

app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url, pageUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the system browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

void app.whenReady().then(async () => {
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(ALLOWED_PERMISSIONS.has(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => ALLOWED_PERMISSIONS.has(permission));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // Programs and jars the admin confirmed when starting the app (`wss-setup-app --allow-exec=/usr/bin/java`).
  const confirmed = process.argv.filter((a) => a.startsWith(ALLOW_EXEC_ARGUMENT)).map((a) => a.slice(ALLOW_EXEC_ARGUMENT.length));
  registerIpcHandlers(ipcMain, trustedSender(() => mainWindow?.webContents.id, pageUrl), new ExecutableAllowList(confirmed));
  mainWindow = new BrowserWindow(windowOptions(preloadPath, operationNames));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  await mainWindow.loadURL(pageUrl);
});

app.on('window-all-closed', () => app.quit());
