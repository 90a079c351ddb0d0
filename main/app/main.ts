import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { operationNames } from '../../shared/contract/index.js';
import { ExecutableAllowList } from '../engine/common/executable-allow-list.js';
import { registerIpcHandlers, trustedSender } from '../hosts/ipc/register.js';
import { CONTENT_SECURITY_POLICY } from '../hosts/security-policy.js';
import { ALLOWED_PERMISSIONS, navigationAllowed, windowOptions } from './window-options.js';
import { guardApply } from './apply-guard.js';
import { askForElevation, currentElevation } from './elevate.js';
import { ALLOW_EXEC_ARGUMENT, LANG_ARGUMENT, SERVE_ARGUMENT } from './elevation.js';
import { packagedBridgeJar } from './packaged-paths.js';

// The Electron shell: one window, the renderer bundle from dist/renderer, IPC into the engine.
// Everything else lives in main/engine and is shared with the CLI and serve mode.
const pagePath = fileURLToPath(new URL('../../renderer/index.html', import.meta.url));
const pageUrl = pathToFileURL(pagePath).href;
const preloadPath = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));

let mainWindow: BrowserWindow | null = null;

// Programs and jars the admin confirmed when starting the app (`wss-setup --allow-exec=/usr/bin/java`).
const confirmed = process.argv.filter((a) => a.startsWith(ALLOW_EXEC_ARGUMENT)).map((a) => a.slice(ALLOW_EXEC_ARGUMENT.length));

// Packaged, the JDBC bridge jar is an extra resource next to app.asar (java cannot read inside an
// archive); the engine's lookup (main/engine/finedb/bridge-client.ts) honours WSS_SETUP_BRIDGE_JAR.
if (app.isPackaged && process.env.WSS_SETUP_BRIDGE_JAR === undefined) process.env.WSS_SETUP_BRIDGE_JAR = packagedBridgeJar(process.resourcesPath);

if (process.argv.includes(SERVE_ARGUMENT)) startServeMode();
else startWindow();

/**
 * `--serve` (how the app relaunches itself as root through pkexec, main/app/elevation.ts): serve mode
 * instead of a window; the token URL goes to stdout, and it stops when stdin closes (the app that
 * started it quit) or on SIGTERM.
 */
function startServeMode(): void {
  void app.whenReady().then(async () => {
    const { run } = await import('../hosts/cli/commands/serve.js');
    const { langFromEnv } = await import('../../shared/i18n/index.js');
    const stop = new AbortController();
    process.stdin.on('end', () => stop.abort());
    process.stdin.on('close', () => stop.abort());
    process.stdin.resume();
    const asked = process.argv.find((a) => a.startsWith(LANG_ARGUMENT))?.slice(LANG_ARGUMENT.length);
    const lang = asked === 'en' || asked === 'zh-CN' ? asked : langFromEnv(process.env);
    const code = await run(confirmed.flatMap((p) => ['--allow-exec', p]), { lang, stdout: (text) => void process.stdout.write(text), stderr: (text) => void process.stderr.write(text), interactive: false, env: process.env }, stop.signal);
    app.exit(code);
  });
}

function startWindow(): void {
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
    const trusted = trustedSender(() => mainWindow?.webContents.id, pageUrl);
    // Apply on Linux without root: offer the relaunch through pkexec first (decided in elevation.ts).
    const elevation = currentElevation(confirmed);
    registerIpcHandlers(guardApply(ipcMain, trusted, (lang) => askForElevation(mainWindow, elevation, lang)), trusted, new ExecutableAllowList(confirmed));
    mainWindow = new BrowserWindow(windowOptions(preloadPath, operationNames));
    mainWindow.once('ready-to-show', () => mainWindow?.show());
    mainWindow.on('closed', () => {
      mainWindow = null;
    });
    await mainWindow.loadURL(pageUrl);
  });

  app.on('window-all-closed', () => app.quit());
}
