import { langFromEnv, t } from '../../../shared/i18n/index.js';
import { EXIT_OK, usageError, type CliIO } from './io.js';

/** Each command is loaded only when it runs, so start-up stays lean. */
const commands: Readonly<Record<string, () => Promise<{ run: (argv: string[], io: CliIO) => Promise<number> }>>> = {
  check: () => import('./commands/check.js'),
  serve: () => import('./commands/serve.js'),
  cert: () => import('./commands/cert.js'),
  finedb: () => import('./commands/finedb.js'),
  plan: () => import('./commands/plan.js'),
};

export const HELP = `wss-setup — put a Java web application behind HTTPS with working secure WebSockets

Usage:
  wss-setup check <url>... [--origin <page-url>] [--ca <pem-file>] [--timeout <ms>] [--nginx-conf <file>] [--json]
      Live WSS health check of ws://, wss:// and socket.io URLs; names the cause and the fix.
      Exit 0 when every endpoint is healthy, 1 when any has an error finding, 2 on usage errors.
  wss-setup serve [--port <n>]
      Serve the wizard on 127.0.0.1 (open it through ssh -L on a headless server).
  wss-setup cert suggest|ca|server|csr|import|inspect|trust|export ...
      Local CA, server certificates, CSRs, imports, keystores, inspection, trust stores.
  wss-setup finedb inspect|get|set|backup|restore --install <dir> ...
      Read and write FineDB's fine_conf_entity rows (embedded HSQLDB, external, SQLite).
  wss-setup plan nginx-proxy --nginx-conf <main.conf> --profile finereport|generic|pool ...
      Method two: the nginx edits as unified diffs, validated with nginx -t (nothing written).
  Each command has its own --help.

Options for every command:
  --lang en|zh-CN   language of messages (default from LANG)
  --help            this text
`;

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
    io.stdout(HELP);
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
