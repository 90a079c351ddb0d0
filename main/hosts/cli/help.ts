import type { Lang } from '../../../shared/contract/common.js';
import { hasMessage, t, type MessageKey } from '../../../shared/i18n/index.js';
import type { OptionSpec } from './args.js';
import { EXIT_OK, type CliIO } from './io.js';

/**
 * Every command and subcommand that has help, in the order the top-level help lists them. A help
 * id is the command words joined by dots ('cert.ca', 'plan.nginx-proxy'); its texts are
 * `cliHelp.<id>.usage`, `cliHelp.<id>.purpose` and, per option, `cliHelp.<id>.opt.<name>`.
 */
export const HELP_TOPICS = {
  check: [],
  serve: [],
  detect: [],
  cert: ['suggest', 'ca', 'server', 'csr', 'import', 'inspect', 'trust', 'export'],
  finedb: ['inspect', 'get', 'set', 'backup', 'backups', 'restore'],
  plan: ['nginx-proxy', 'tomcat-ssl', 'apache-proxy', 'show'],
  apply: [],
  history: [],
  show: [],
  rollback: [],
  recover: [],
} as const satisfies Record<string, readonly string[]>;

export type HelpCommand = keyof typeof HELP_TOPICS;

/** What a command module exports for its help: the option table each help id parses with. */
export type HelpTables = Readonly<Record<string, OptionSpec>>;

const known = (key: string): MessageKey | undefined => (hasMessage(key) ? key : undefined);

/**
 * The catalog key describing an option of a help id: the most specific one that exists, from
 * `cliHelp.cert.ca.opt.cn` through `cliHelp.cert.opt.cn` to `cliHelp.opt.cn`; undefined when none.
 */
export function optionHelpKey(id: string, name: string): MessageKey | undefined {
  const parts = id.split('.');
  for (let n = parts.length; n >= 1; n -= 1) {
    const key = known(`cliHelp.${parts.slice(0, n).join('.')}.opt.${name}`);
    if (key !== undefined) return key;
  }
  return known(`cliHelp.opt.${name}`);
}

function flagOf(lang: Lang, name: string, spec: OptionSpec[string]): string {
  const short = spec.short !== undefined ? `-${spec.short}, ` : '';
  const value = spec.type === 'string' ? ` <${t(lang, 'cliHelp.value')}>${spec.multiple === true ? '...' : ''}` : '';
  return `${short}--${name}${value}`;
}

/** Terminal columns of a text: CJK and full-width characters take two. */
const columns = (text: string): number => [...text].reduce((n, c) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1), 0);

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.min(30, Math.max(...rows.map(([left]) => columns(left))));
  return rows.map(([left, right]) => (columns(left) > width ? `  ${left}\n  ${' '.repeat(width)}  ${right}` : `  ${left}${' '.repeat(width - columns(left))}  ${right}`));
}

const textOf = (lang: Lang, key: string): string => (hasMessage(key) ? t(lang, key) : key);

/** The help of one command or subcommand: usage, purpose, subcommands (if any) and every option of its table. */
export function renderHelp(lang: Lang, id: string, options: OptionSpec, subcommands: readonly string[] = []): string {
  const lines = [`${t(lang, 'cli.usage')}: ${textOf(lang, `cliHelp.${id}.usage`)}`, '', textOf(lang, `cliHelp.${id}.purpose`)];
  if (subcommands.length > 0) {
    lines.push('', `${t(lang, 'cliHelp.subcommands')}:`);
    for (const sub of subcommands) lines.push(`  ${textOf(lang, `cliHelp.${id}.${sub}.usage`)}`, `      ${textOf(lang, `cliHelp.${id}.${sub}.purpose`)}`);
  }
  const rows = Object.entries(options).map(([name, spec]): [string, string] => {
    const key = optionHelpKey(id, name);
    return [flagOf(lang, name, spec), key !== undefined ? t(lang, key) : '?'];
  });
  rows.push(['--lang en|zh-CN', t(lang, 'cliHelp.opt.lang')]);
  lines.push('', `${t(lang, 'cliHelp.options')}:`, ...table(rows));
  if (subcommands.length > 0) lines.push('', t(lang, 'cliHelp.moreSub', { command: id }));
  return `${lines.join('\n')}\n`;
}

/** Prints a help and returns the exit code for it. */
export function printHelp(io: CliIO, id: string, options: OptionSpec, subcommands: readonly string[] = []): number {
  io.stdout(renderHelp(io.lang, id, options, subcommands));
  return EXIT_OK;
}

/** `wss-setup --help`: every command with its usage and purpose. */
export function renderOverview(lang: Lang): string {
  const lines = [t(lang, 'cliHelp.title'), '', `${t(lang, 'cliHelp.commands')}:`];
  for (const command of Object.keys(HELP_TOPICS)) {
    lines.push(`  ${textOf(lang, `cliHelp.${command}.usage`)}`, `      ${textOf(lang, `cliHelp.${command}.purpose`)}`);
  }
  lines.push('', `${t(lang, 'cliHelp.options')}:`, ...table([
    ['--lang en|zh-CN', t(lang, 'cliHelp.opt.lang')],
    ['-h, --help', t(lang, 'cliHelp.opt.help')],
  ]));
  lines.push('', t(lang, 'cliHelp.more'), t(lang, 'cliHelp.exit'));
  return `${lines.join('\n')}\n`;
}
