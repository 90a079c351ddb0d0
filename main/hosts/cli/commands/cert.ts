import { operations, type OpName } from '../../../../shared/contract/index.js';
import { t } from '../../../../shared/i18n/index.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs } from '../args.js';
import { printHelp, type HelpTables } from '../help.js';
import { EXIT_OK, EXIT_USAGE, reportError, usageError, type CliIO } from '../io.js';
import { ca } from './cert/ca.js';
import { csr } from './cert/csr.js';
import { exportCommand } from './cert/export.js';
import { importCommand } from './cert/import.js';
import { inspect } from './cert/inspect.js';
import { COMMON, Usage } from './cert/options.js';
import { promptHidden } from './cert/prompt.js';
import { SECRET_ARGV } from './cert/secret.js';
import { server } from './cert/server.js';
import type { Prepared, Subcommand } from './cert/subcommand.js';
import { suggest } from './cert/suggest.js';
import { trust } from './cert/trust.js';

/** One engine operation per subcommand (main/hosts/cli/commands/cert/<name>.ts). */
const SUBCOMMANDS: Readonly<Record<string, Subcommand>> = {
  suggest,
  ca,
  server,
  csr,
  import: importCommand,
  inspect,
  trust,
  export: exportCommand,
};

/** The option table each `cert` help id parses with; the help is generated from it. */
export const HELP: HelpTables = { cert: COMMON, ...Object.fromEntries(Object.entries(SUBCOMMANDS).map(([name, spec]) => [`cert.${name}`, { ...COMMON, ...spec.options }])) };

const usage = (io: CliIO) => printHelp(io, 'cert', COMMON, Object.keys(SUBCOMMANDS));

/** `wss-setup cert <subcommand>`: one engine operation per subcommand; secrets never from argv. */
export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    usage(io);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  const spec = Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  if (spec === undefined) return usageError(io, json, 'UNKNOWN_COMMAND', 'certs.cli.unknownSubcommand', { name: sub });
  const secretArg = rest.find((a) => SECRET_ARGV.test(a));
  if (secretArg !== undefined) {
    const name = secretArg.split('=')[0]!;
    const option = /passphrase/.test(name) ? 'passphrase' : 'password';
    return usageError(io, json, 'INVALID_INPUT', 'certs.cli.passwordArgv', { name, option });
  }
  const parsed = parseCommandArgs(rest, { ...COMMON, ...spec.options });
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  if (parsed.values.help === true) return printHelp(io, `cert.${sub}`, { ...COMMON, ...spec.options });
  let prepared: Prepared<OpName>;
  try {
    prepared = await spec.prepare(parsed.values, parsed.positionals, io);
  } catch (error) {
    if (error instanceof Usage) return usageError(io, json, error.code, error.key, error.params);
    throw error;
  }
  const runIt = (input: unknown) =>
    runOperation(prepared.op, input, {
      lang: io.lang,
      onProgress: (event) => {
        if (io.interactive && !json) io.stderr(`${event.message}\n`);
      },
    });
  let result = await runIt(prepared.input);
  if (!result.ok && result.error.code === 'CERT_PASSPHRASE_REQUIRED' && prepared.retryWithPassphrase !== undefined && io.interactive) {
    const typed = await promptHidden(t(io.lang, 'certs.cli.prompt.passphrase'), io);
    if (typed !== null) result = await runIt(prepared.retryWithPassphrase(typed));
  }
  if (!result.ok) return reportError(io, json, result.error, operations[prepared.op].inputErrors);
  const value = result.value as never;
  if (json) io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  else io.stdout(`${prepared.text(value).join('\n')}\n`);
  return prepared.exit ? prepared.exit(value) : EXIT_OK;
}
