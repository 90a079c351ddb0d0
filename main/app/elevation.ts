/**
 * Whether Apply needs more rights than the desktop app has, and what to do about it — pure data
 * (no electron, no disk), so it is unit-tested; main/app/main.ts only acts on the answer.
 *
 * Windows: the NSIS build's manifest asks for administrator rights (electron-builder.json,
 * win.requestedExecutionLevel = requireAdministrator), so the app is elevated from the start and
 * nothing happens at Apply. Chosen over relaunching elevated at Apply because everything after
 * detection needs the rights anyway (server.xml under Program Files, services, the LocalMachine
 * trust store, FineDB owned by the service account), and a relaunch would lose the wizard's state
 * in the middle of the steps; the admin answers one UAC prompt when the app opens.
 *
 * Linux: a desktop session is not root. At Apply the app offers to relaunch itself in serve mode
 * through pkexec (polkit's password prompt); the root serve mode prints its token URL, which the
 * unprivileged app opens in the admin's browser, and it exits when the app does (its stdin closes).
 * Without pkexec the admin is told the exact sudo command that starts the same serve mode.
 * An AppImage's own program lives on a FUSE mount root cannot enter, so the AppImage file
 * ($APPIMAGE) is what is relaunched.
 */
import type { MessageKey } from '../../shared/i18n/index.js';

/** Where pkexec is looked for: root-owned system folders only, never PATH. */
export const PKEXEC_CANDIDATES = ['/usr/bin/pkexec', '/bin/pkexec'] as const;

/** The argument that starts the app in serve mode instead of opening a window. */
export const SERVE_ARGUMENT = '--serve';
/** `--allow-exec=<absolute path>`: a program or jar the admin confirmed (window and serve mode alike). */
export const ALLOW_EXEC_ARGUMENT = '--allow-exec=';
/** `--lang=en|zh-CN`: the serve mode's language (pkexec clears LANG). */
export const LANG_ARGUMENT = '--lang=';

export interface ElevationContext {
  readonly platform: NodeJS.Platform;
  /** process.getuid(), undefined on Windows. */
  readonly uid: number | undefined;
  /** process.execPath: the packaged app's program, or the electron binary in development. */
  readonly execPath: string;
  /** app.getAppPath(): needed on the command line when not packaged (electron <app folder>). */
  readonly appPath: string;
  readonly isPackaged: boolean;
  /** The first of PKEXEC_CANDIDATES that exists, else null. */
  readonly pkexec: string | null;
  /** The AppImage file when running from one (env APPIMAGE). */
  readonly appImage?: string | undefined;
  /** Programs and jars the admin confirmed when starting the app (--allow-exec=); the root serve mode gets them too. */
  readonly allowExec?: readonly string[];
}

export type ElevationDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'relaunch'; readonly message: MessageKey; readonly command: string; readonly args: readonly string[]; readonly manual: string }
  | { readonly kind: 'tell'; readonly message: MessageKey; readonly manual: string };

/** A POSIX shell word: bare when safe, else single-quoted. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The program and arguments that start this app in serve mode (as root the sandbox must be off, and there is no display). */
export function serveArgv(context: ElevationContext): string[] {
  const program = context.isPackaged && context.appImage ? context.appImage : context.execPath;
  return [program, ...(context.isPackaged ? [] : [context.appPath]), SERVE_ARGUMENT, '--no-sandbox', '--ozone-platform=headless', ...(context.allowExec ?? []).map((p) => `${ALLOW_EXEC_ARGUMENT}${p}`)];
}

/** What to do when the admin presses Apply (a dry run never needs it). */
export function elevationAtApply(context: ElevationContext): ElevationDecision {
  if (context.platform !== 'linux') return { kind: 'none' };
  if (context.uid === 0) return { kind: 'none' };
  const argv = serveArgv(context);
  const manual = `sudo ${argv.map(shellQuote).join(' ')}`;
  if (context.pkexec === null) return { kind: 'tell', message: 'elevation.linux.sudo', manual };
  return { kind: 'relaunch', message: 'elevation.linux.pkexec', command: context.pkexec, args: argv, manual };
}

/** The serve mode's token URL in a line it printed, if any. */
export function serveUrlIn(line: string): string | null {
  return /http:\/\/127\.0\.0\.1:\d{1,5}\/\?token=[\w-]+/.exec(line)?.[0] ?? null;
}
