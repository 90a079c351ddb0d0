import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { app, dialog, shell, type BrowserWindow } from 'electron';
import type { Lang } from '../../shared/contract/common.js';
import { t } from '../../shared/i18n/index.js';
import { elevationAtApply, LANG_ARGUMENT, PKEXEC_CANDIDATES, serveUrlIn, type ElevationDecision } from './elevation.js';

/** The decision for this process (main/app/elevation.ts decides; this file only acts). */
export function currentElevation(allowExec: readonly string[]): ElevationDecision {
  return elevationAtApply({
    allowExec,
    platform: process.platform,
    uid: typeof process.getuid === 'function' ? process.getuid() : undefined,
    execPath: process.execPath,
    appPath: app.getAppPath(),
    isPackaged: app.isPackaged,
    pkexec: PKEXEC_CANDIDATES.find((p) => existsSync(p)) ?? null,
    appImage: process.env.APPIMAGE,
  });
}

/**
 * Asks before an Apply that needs root. Returns the URL of the root serve mode when the admin
 * chose to relaunch (the caller then answers the renderer instead of applying), else null (apply here).
 */
export async function askForElevation(window: BrowserWindow | null, decision: ElevationDecision, lang: Lang): Promise<string | null> {
  if (decision.kind === 'none') return null;
  const options = { type: 'warning' as const, title: t(lang, 'elevation.title'), message: t(lang, decision.message, { command: decision.manual }) };
  if (decision.kind === 'tell') {
    await (window ? dialog.showMessageBox(window, { ...options, buttons: [t(lang, 'elevation.continue')] }) : dialog.showMessageBox({ ...options, buttons: [t(lang, 'elevation.continue')] }));
    return null;
  }
  const buttons = [t(lang, 'elevation.relaunch'), t(lang, 'elevation.continue')];
  const answer = await (window ? dialog.showMessageBox(window, { ...options, buttons, defaultId: 0, cancelId: 1 }) : dialog.showMessageBox({ ...options, buttons, defaultId: 0, cancelId: 1 }));
  if (answer.response !== 0) return null;
  try {
    const url = await relaunchServe(decision.command, [...decision.args, `${LANG_ARGUMENT}${lang}`]);
    void shell.openExternal(url);
    return url;
  } catch (error) {
    await dialog.showMessageBox({ type: 'error', title: t(lang, 'elevation.title'), message: t(lang, 'elevation.failed', { reason: error instanceof Error ? error.message : String(error), command: decision.manual }), buttons: [t(lang, 'elevation.continue')] });
    return null;
  }
}

/** Starts the root serve mode; resolves with its token URL. It lives while this app does: its stdin is our pipe. */
function relaunchServe(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`exit ${code ?? signal}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const url = serveUrlIn(line);
      if (url !== null) resolve(url);
    });
    app.once('will-quit', () => child.stdin?.end());
  });
}
