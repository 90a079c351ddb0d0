import { langFromEnv, t } from '../../../shared/i18n/index.js';
import { EXIT_OK, usageError, type CliIO } from './io.js';

/** Each command is loaded only when it runs, so start-up stays lean. */
const commands: Readonly<Record<string, () => Promise<{ run: (argv: string[], io: CliIO) => Promise<number> }>>> = {
  check: () => import('./commands/check.js'),
  serve: () => import('./commands/serve.js'),
  cert: () => import('./commands/cert.js'),
  finedb: () => import('./commands/finedb.js'),
  plan: () => import('./commands/plan.js'),
  detect: () => import('./commands/detect.js'),
};


export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const args = [...argv];
  // --lang is accepted anywhere and applies to every command.
  const langAt = args.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  let lang = io.lang;
  if (langAt >= 0) {
    const value = args[langAt]!.includes('=') ? args[langAt]!.split('=')[1] : args[langAt + 1];
    args.splice(langAt, args[langAt]!.includes('=') ? 1 : 2);
    if (value !== 'en' && value !== 'zh-CN') return usageError(io, false, 'INVALID_INPUT', 'input.invalid', { value: value ?? '' });
    lang = value;
  }
  const cio: CliIO = { ...io, lang };
  const [command, ...rest] = args;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(t(lang, 'cli.help'));
    return command === undefined ? 2 : EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    io.stdout('wss-setup 0.1.0\n');
    return EXIT_OK;
  }
  const load = Object.hasOwn(commands, command) ? commands[command] : undefined;
  if (load === undefined) return usageError(cio, rest.includes('--json'), 'UNKNOWN_COMMAND', 'cli.unknownCommand', { name: command });
  const module = await load();
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
