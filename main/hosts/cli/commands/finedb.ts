import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { FineDbBackupOutput, FineDbBackupsOutput, FineDbGetOutput, FineDbInspectOutput, FineDbRestoreOutput, FineDbSetOutput, FineInstallOut } from '../../../../shared/contract/finedb.js';
import { rowValueText } from '../../../../shared/i18n/plan-text.js';
import { operations, type OpName } from '../../../../shared/contract/index.js';
import { t } from '../../../../shared/i18n/index.js';
import { runOperation } from '../../../engine/run-operation.js';
import { parseCommandArgs, parseInteger, type OptionSpec } from '../args.js';
import { HELP_TOPICS, printHelp, type HelpTables } from '../help.js';
import { EXIT_OK, reportError, usageError, type CliIO } from '../io.js';
import { savePlan } from '../save-plan.js';
import { readSecretSource } from '../secrets.js';

const SUBCOMMANDS = { inspect: 'finedbInspect', get: 'finedbGet', set: 'finedbSet', backup: 'finedbBackup', backups: 'finedbBackups', restore: 'finedbRestore' } as const satisfies Record<string, OpName>;
type Sub = keyof typeof SUBCOMMANDS;

const BASE = { install: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } as const;
/** How to reach FineDB (every subcommand that opens the database). */
const CONNECTION = {
  'jdbc-url': { type: 'string' },
  'driver-jar': { type: 'string', multiple: true },
  'driver-class': { type: 'string' },
  user: { type: 'string' },
  'password-file': { type: 'string' },
  'password-env': { type: 'string' },
  java: { type: 'string' },
  'install-java': { type: 'boolean', default: false },
} as const;
const SET = {
  keystore: { type: 'string' },
  'keystore-format': { type: 'string' },
  'keystore-password-file': { type: 'string' },
  'keystore-password-env': { type: 'string' },
  'ws-port': { type: 'string', multiple: true },
  'request-port': { type: 'string', multiple: true },
  reset: { type: 'boolean', default: false },
  'jar-date': { type: 'string' },
  'container-websocket': { type: 'boolean' },
  'no-container-websocket': { type: 'boolean' },
  'dry-run': { type: 'boolean', default: false },
  out: { type: 'string' },
} as const;

/** The options each subcommand uses (its help); the command parses with their union, as it always has. */
const SUB_OPTIONS = {
  inspect: BASE,
  get: { ...BASE, ...CONNECTION },
  set: { ...BASE, ...CONNECTION, ...SET },
  backup: { ...BASE, ...CONNECTION },
  backups: BASE,
  restore: { ...BASE, ...CONNECTION, backup: { type: 'string' } },
} as const satisfies Record<Sub, OptionSpec>;
const OPTIONS = { ...BASE, ...CONNECTION, ...SET, ...SUB_OPTIONS.restore };

/** The option table each `finedb` help id parses with; the help is generated from it. */
export const HELP: HelpTables = { finedb: OPTIONS, ...Object.fromEntries(Object.entries(SUB_OPTIONS).map(([sub, options]) => [`finedb.${sub}`, options])) };

const abs = (p: string) => (isAbsolute(p) ? p : resolve(p));

/**
 * The Tomcat base a server.xml path is relative to, guessed from --install without touching the
 * disk: the folder holding webapps/ when --install is a webapp or its WEB-INF, else --install.
 */
export function tomcatBaseOf(install: string): string {
  let dir = abs(install);
  if (basename(dir) === 'WEB-INF') dir = dirname(dir);
  if (basename(dirname(dir)) === 'webapps') return dirname(dirname(dir));
  return dir;
}

/** A secret from --…-file / --…-env, worded for this command. */
async function readSecret(io: CliIO, file: unknown, env: unknown): Promise<{ ok: true; value?: string } | { ok: false; key: 'finedb.cli.secretFile' | 'finedb.cli.secretEnv'; params: Record<string, string> }> {
  const source = await readSecretSource(io, typeof file === 'string' ? file : undefined, typeof env === 'string' ? env : undefined);
  if (source.ok) return source;
  return source.problem === 'file'
    ? { ok: false, key: 'finedb.cli.secretFile', params: { path: source.path, reason: source.reason } }
    : { ok: false, key: 'finedb.cli.secretEnv', params: { name: source.name } };
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const parsed = parseCommandArgs(argv, OPTIONS);
  if (!parsed.ok) return usageError(io, json, 'INVALID_INPUT', parsed.key, { name: parsed.name });
  const { values, positionals } = parsed;
  const sub = positionals[0];
  if (values.help === true) return sub !== undefined && Object.hasOwn(SUB_OPTIONS, sub) ? printHelp(io, `finedb.${sub}`, SUB_OPTIONS[sub as Sub]) : printHelp(io, 'finedb', OPTIONS, HELP_TOPICS.finedb);
  if (sub === undefined || !Object.hasOwn(SUBCOMMANDS, sub) || positionals.length > 1) return usageError(io, json, 'INVALID_INPUT', 'finedb.cli.subcommand');
  if (typeof values.install !== 'string' && sub !== 'backups') return usageError(io, json, 'INVALID_INPUT', 'finedb.cli.installMissing');
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);

  const input: Record<string, unknown> = typeof values.install === 'string' ? { install: abs(values.install) } : {};
  if (sub !== 'inspect' && sub !== 'backups') {
    const password = await readSecret(io, values['password-file'], values['password-env']);
    if (!password.ok) return usageError(io, json, 'INVALID_INPUT', password.key, password.params);
    if (str('jdbc-url') !== undefined) input.jdbcUrl = str('jdbc-url');
    if (Array.isArray(values['driver-jar'])) input.driverJars = (values['driver-jar'] as string[]).map(abs);
    if (str('driver-class') !== undefined) input.driverClass = str('driver-class');
    if (str('user') !== undefined) input.user = str('user');
    if (password.value !== undefined) input.password = password.value;
    if (str('java') !== undefined) input.java = abs(str('java')!);
    if (values['install-java'] === true) input.installJava = true;
  }
  if (sub === 'set') {
    const ksPassword = await readSecret(io, values['keystore-password-file'], values['keystore-password-env']);
    if (!ksPassword.ok) return usageError(io, json, 'INVALID_INPUT', ksPassword.key, ksPassword.params);
    const keystore = str('keystore');
    const format = str('keystore-format');
    if (keystore !== undefined || format !== undefined || ksPassword.value !== undefined) {
      if (keystore === undefined || format === undefined || ksPassword.value === undefined) return usageError(io, json, 'INVALID_INPUT', 'finedb.cli.sslIncomplete');
      // Never resolved against the current folder: a path from server.xml is relative to the Tomcat base.
      if (!isAbsolute(keystore)) return usageError(io, json, 'INVALID_INPUT', 'finedb.cli.keystoreRelative', { path: keystore, absolute: resolve(tomcatBaseOf(values.install as string), keystore) });
      input.ssl = { keyStore: keystore, keyStoreFormat: format, keyStorePassword: ksPassword.value };
    }
    const ports = (name: string): number[] | string => {
      const raw = Array.isArray(values[name]) ? (values[name] as string[]) : [];
      const out: number[] = [];
      for (const text of raw.flatMap((r) => r.split(','))) {
        const n = parseInteger(text);
        if (n === null) return text;
        out.push(n);
      }
      return out;
    };
    const ws = ports('ws-port');
    const req = ports('request-port');
    if (typeof ws === 'string') return usageError(io, json, 'INVALID_INPUT', 'cli.notANumber', { name: '--ws-port', value: ws });
    if (typeof req === 'string') return usageError(io, json, 'INVALID_INPUT', 'cli.notANumber', { name: '--request-port', value: req });
    if (ws.length > 0 || req.length > 0) {
      if (ws.length === 0 || req.length === 0) return usageError(io, json, 'INVALID_INPUT', 'finedb.cli.portsIncomplete');
      input.proxy = { websocketPorts: ws, requestPorts: req };
    }
    input.reset = values.reset === true;
    input.dryRun = values['dry-run'] === true;
    // --out saves the plan for `wss-setup apply`; a plan is only offered before anything is written.
    if (str('out') !== undefined && input.dryRun !== true) return usageError(io, json, 'INVALID_INPUT', 'finedb.cli.outNeedsDryRun');
    if (str('jar-date') !== undefined) input.jarDate = str('jar-date');
    if (values['container-websocket'] === true) input.containerWebSocket = true;
    if (values['no-container-websocket'] === true) input.containerWebSocket = false;
  }
  if (sub === 'restore') {
    if (str('backup') === undefined) return usageError(io, json, 'INVALID_INPUT', 'finedb.cli.backupMissing');
    input.backup = str('backup');
  }

  const name = SUBCOMMANDS[sub as Sub];
  const result = await runOperation(name, input, { lang: io.lang });
  if (!result.ok) return reportError(io, json, result.error, operations[name].inputErrors);
  if (sub === 'set' && str('out') !== undefined) {
    const failed = await savePlan(abs(str('out')!), (result.value as FineDbSetOutput).plan, io, json);
    if (failed !== null) return failed;
  }
  if (json) io.stdout(`${JSON.stringify(result.value, null, 2)}\n`);
  else io.stdout(format(sub as Sub, result.value as never, io));
  return EXIT_OK;
}

function installLines(install: FineInstallOut, io: CliIO): string[] {
  const unknown = t(io.lang, 'finedb.cli.unknown');
  return [
    t(io.lang, 'finedb.cli.install', { product: install.product, version: install.version ?? unknown, jarDate: install.jarDate ?? unknown, dir: install.dir }),
    t(io.lang, 'finedb.cli.finedb', { kind: install.finedb.kind, where: install.finedb.where }),
  ];
}

function format(sub: Sub, value: FineDbInspectOutput | FineDbGetOutput | FineDbSetOutput | FineDbBackupOutput | FineDbBackupsOutput | FineDbRestoreOutput, io: CliIO): string {
  const lines: string[] = [];
  const notes = (list: readonly { message: string }[]) => list.forEach((n) => lines.push(`! ${n.message}`));
  switch (sub) {
    case 'inspect': {
      const v = value as FineDbInspectOutput;
      lines.push(...installLines(v.install, io), t(io.lang, 'finedb.cli.keys', { ssl: v.keys.ssl.join(', '), proxy: v.keys.proxy.join(', ') }));
      notes(v.notes);
      break;
    }
    case 'get': {
      const v = value as FineDbGetOutput;
      lines.push(...installLines(v.install, io));
      lines.push(t(io.lang, 'finedb.cli.database', { product: v.info.database.product, version: v.info.database.version, driver: v.info.driver.name, driverVersion: v.info.driver.version }));
      lines.push(t(io.lang, 'finedb.cli.rows'));
      if (v.rows.length === 0) lines.push(t(io.lang, 'finedb.cli.noRows'));
      for (const r of v.rows) lines.push(`  ${r.id} = ${r.value}`);
      notes(v.notes);
      break;
    }
    case 'set': {
      const v = value as FineDbSetOutput;
      lines.push(...installLines(v.install, io));
      if (v.backup) lines.push(t(io.lang, 'finedb.cli.backup', { id: v.backup.id, path: v.backup.path }));
      if (v.dryRun) {
        // What would change, from the plan (values as read now → new values; secrets never shown).
        lines.push(t(io.lang, 'finedb.cli.wouldWrite'));
        for (const r of v.plan.fineDbRows) {
          const phase = r.phase === 'before-certificates' ? ` [${t(io.lang, 'plan.render.row.phase.before-certificates')}]` : '';
          lines.push(`  ${r.id}: ${rowValueText(io.lang, r.before, 'before')} → ${rowValueText(io.lang, r.after, 'after')}${phase}`);
        }
        notes(v.notes);
        break;
      }
      // It wrote rows and stopped nothing: the admin restarts the report server.
      if (v.deleted.length > 0) lines.push(t(io.lang, 'finedb.cli.deleted', { rows: v.deleted.join(', ') }));
      lines.push(t(io.lang, 'finedb.cli.written'));
      for (const r of v.written) lines.push(`  ${r.id} = ${r.value}`);
      notes(v.notes);
      lines.push(t(io.lang, 'finedb.cli.restart'));
      break;
    }
    case 'backup': {
      const v = value as FineDbBackupOutput;
      lines.push(t(io.lang, 'finedb.cli.backup', { id: v.id, path: v.path }));
      for (const f of v.files ?? []) lines.push(`  ${f.name} (${f.size} B, sha256 ${f.sha256.slice(0, 16)}…)`);
      for (const r of v.rows ?? []) lines.push(`  ${r.id} = ${r.present ? r.value : '∅'}`);
      break;
    }
    case 'backups': {
      const v = value as FineDbBackupsOutput;
      lines.push(t(io.lang, 'finedb.cli.backupsRoot', { root: v.root }));
      if (v.backups.length === 0) lines.push(t(io.lang, 'finedb.cli.backupsNone'));
      for (const b of v.backups) {
        if (b.damaged) lines.push(t(io.lang, 'finedb.cli.backupDamaged', { id: b.id }));
        else lines.push(t(io.lang, 'finedb.cli.backupEntry', { id: b.id, kind: b.kind ?? '?', items: b.items, bytes: b.bytes, where: b.location?.where ?? '?' }));
      }
      break;
    }
    case 'restore': {
      const v = value as FineDbRestoreOutput;
      lines.push(t(io.lang, 'finedb.cli.restored', { backup: v.backup, items: v.restored.join(', ') }), t(io.lang, 'finedb.cli.restart'));
      break;
    }
  }
  return `${lines.join('\n')}\n`;
}
