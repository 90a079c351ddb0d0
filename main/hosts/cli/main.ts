import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { langFromEnv, loadLanguage, t } from '../../../shared/i18n/index.js';
import type { HelpTables } from './help.js';
import { EXIT_OK, usageError, type CliIO } from './io.js';

/** Each command is loaded only when it runs, so start-up stays lean. */
export const commands: Readonly<Record<string, () => Promise<{ run: (argv: string[], io: CliIO) => Promise<number>; HELP: HelpTables }>>> = {
  check: () => import('./commands/check.js'),
  serve: () => import('./commands/serve.js'),
  cert: () => import('./commands/cert.js'),
  finedb: () => import('./commands/finedb.js'),
  plan: () => import('./commands/plan.js'),
  detect: () => import('./commands/detect.js'),
  apply: () => import('./commands/apply.js'),
  history: () => import('./commands/history.js'),
  show: () => import('./commands/show.js'),
  rollback: () => import('./commands/rollback.js'),
  recover: () => import('./commands/recover.js'),
};


export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const args = [...argv];
  await loadLanguage(io.lang);
  // --lang is accepted anywhere and applies to every command.
  const langAt = args.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  let lang = io.lang;
  if (langAt >= 0) {
    const value = args[langAt]!.includes('=') ? args[langAt]!.split('=')[1] : args[langAt + 1];
    args.splice(langAt, args[langAt]!.includes('=') ? 1 : 2);
    if (value !== 'en' && value !== 'zh-CN') return usageError(io, false, 'INVALID_INPUT', 'input.invalid', { value: value ?? '' });
    lang = value;
  }
  // Chinese text is parsed only when it is wanted (an English run stays lean).
  await loadLanguage(lang);
  const cio: CliIO = { ...io, lang };
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout((await import('./help.js')).renderOverview(lang));
    return command === undefined ? 2 : EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    io.stdout('wss-setup 0.1.0\n');
    return EXIT_OK;
  }
  const load = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (load === undefined) return usageError(cio, rest.includes('--json'), 'UNKNOWN_COMMAND', 'cli.unknownCommand', { name: command });
  const module = await load();
  await noticeUnfinishedRun(cio, command);
  return module.run(rest, cio);
}

/** Process entry: real stdout/stderr, language from the environment. */
export async function runProcess(): Promise<void> {
  const io: CliIO = {
    lang: langFromEnv(process.env),
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    interactive: process.stderr.isTTY === true,
    env: process.env,
  };
  try {
    process.exitCode = await main(process.argv.slice(2), io);
  } catch (error) {
    // Last resort: never a stack trace for the admin.
    io.stderr(`wss-setup: ${t(io.lang, 'error.INTERNAL_ERROR', { detail: error instanceof Error ? error.message : String(error) })}\n`);
    process.exitCode = 1;
  }
}

/**
 * Every command starts by saying so when an apply was killed mid-way (issue 10): the journal has
 * an unfinished run. Cheap when nothing is under way: one stat and one readdir of the run markers
 * (common/running-marker.ts); the journal and the apply engine are loaded only when a marker
 * exists, or for a journal older than the markers.
 */
async function noticeUnfinishedRun(io: CliIO, command: string): Promise<void> {
  if (command === 'recover' || io.env.WSS_SETUP_NO_RECOVERY_NOTICE === '1') return;
  try {
    const { dataDir } = await import('../../engine/common/paths.js');
    const dir = dataDir(io.env);
    if (!existsSync(join(dir, 'journal.sqlite'))) return;
    const { runningDir, runningMarkers } = await import('../../engine/common/running-marker.js');
    if (existsSync(runningDir(dir)) && runningMarkers(dir).length === 0) return;
    const { unfinishedRuns } = await import('../../engine/apply/index.js');
    const runs = unfinishedRuns(dir);
    if (runs.length > 0) io.stderr(`wss-setup: ${t(io.lang, 'apply.cli.unfinishedNotice', { run: runs.join(', ') })}\n`);
  } catch {
    // an unreadable journal is reported by the commands that use it
  }
}
