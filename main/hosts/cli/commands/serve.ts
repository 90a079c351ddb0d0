import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { t } from '../../../../shared/i18n/index.js';
import { ExecutableAllowList } from '../../../engine/common/executable-allow-list.js';
import { packageRoot } from '../../../engine/common/paths.js';
import { startServer } from '../../http/server.js';
import { parseCommandArgs, parseInteger } from '../args.js';
import { printHelp, type HelpTables } from '../help.js';
import { EXIT_FINDINGS, EXIT_OK, usageError, type CliIO } from '../io.js';

const OPTIONS = { port: { type: 'string' }, 'allow-exec': { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h', default: false } } as const;

/** The option table `serve` parses with; its help is generated from it. */
export const HELP: HelpTables = { serve: OPTIONS };

/** `wss-setup serve`: the wizard on 127.0.0.1 with a token URL; runs until Ctrl+C / SIGTERM. */
export async function run(argv: string[], io: CliIO, signal?: AbortSignal): Promise<number> {
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usageError(io, false, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  if (parsed.values.help === true) return printHelp(io, 'serve', OPTIONS);
  if (parsed.positionals.length > 0) return usageError(io, false, 'INVALID_INPUT', 'cli.unknownOption', { name: parsed.positionals[0]! });
  let port = 0;
  if (typeof parsed.values.port === 'string') {
    const n = parseInteger(parsed.values.port);
    if (n === null) return usageError(io, false, 'INVALID_INPUT', 'cli.notANumber', { name: '--port', value: parsed.values.port });
    if (n < 1 || n > 65535) return usageError(io, false, 'INVALID_INPUT', 'input.port.range', { value: n });
    port = n;
  }
  // The admin at this terminal confirms the programs and jars the wizard may name (issue 9 item 9).
  const allowExec = (parsed.values['allow-exec'] as string[] | undefined) ?? [];
  const notAbsolute = allowExec.find((p) => !isAbsolute(p));
  if (notAbsolute !== undefined) return usageError(io, false, 'INVALID_INPUT', 'input.path.absolute', { value: notAbsolute });
  const root = packageRoot();
  const staticDir = join(root, 'dist', 'renderer');
  if (!existsSync(join(staticDir, 'index.html'))) {
    io.stderr(`wss-setup: ${t(io.lang, 'serve.notBuilt', { dir: root })}\n`);
    return EXIT_FINDINGS;
  }
  let server;
  try {
    server = await startServer({ port, staticDir, lang: io.lang, executables: new ExecutableAllowList(allowExec) });
  } catch (error) {
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      io.stderr(`wss-setup: ${t(io.lang, 'serve.portInUse', { port })}\n  → ${t(io.lang, 'serve.portInUse.fix')}\n`);
      return EXIT_FINDINGS;
    }
    throw error;
  }
  io.stdout(`${t(io.lang, 'serve.listening', { url: server.url })}\n${t(io.lang, 'serve.ssh', { port: server.port })}\n${t(io.lang, 'serve.stop')}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
  });
  await server.close();
  return EXIT_OK;
}
