import { isAbsolute, resolve } from 'node:path';
import type { MessageKey } from '../../../../../shared/i18n/index.js';
import { parseInteger, type OptionSpec } from '../../args.js';

/** Parsed option values of a cert subcommand. */
export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

/** A usage problem found while building an operation's input: one clear line, exit 2. */
export class Usage {
  constructor(
    readonly code: string,
    readonly key: MessageKey,
    readonly params: Record<string, string> = {},
  ) {}
}

export const COMMON: OptionSpec = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
};

/** Where and how issued or imported material is written (server, import). */
export const OUTPUT_OPTIONS: OptionSpec = {
  'out-dir': { type: 'string' },
  'base-name': { type: 'string' },
  format: { type: 'string', multiple: true },
  'password-file': { type: 'string' },
  'password-env': { type: 'string' },
  alias: { type: 'string' },
  'pkcs12-encryption': { type: 'string' },
  overwrite: { type: 'boolean', default: false },
};

/** Existing material to read (import, inspect). */
export const SOURCE_OPTIONS: OptionSpec = {
  cert: { type: 'string' },
  key: { type: 'string' },
  chain: { type: 'string', multiple: true },
  'from-pkcs12': { type: 'string' },
  'from-jks': { type: 'string' },
  'jks-alias': { type: 'string' },
  'passphrase-file': { type: 'string' },
  'passphrase-env': { type: 'string' },
  'key-passphrase-file': { type: 'string' },
  'key-passphrase-env': { type: 'string' },
};

export const str = (v: Values, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);

/** A repeatable option whose values may also be comma-separated (`--name a,b --name c`). */
export const list = (v: Values, name: string): string[] => {
  const raw = v[name];
  const items = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  return items.flatMap((item) => item.split(',')).filter((item) => item !== '');
};

/** Files to read may be relative to the current folder; files to write must be absolute (servers and FineDB need absolute paths). */
export const inputPath = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(p));

export const defined = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function integer(v: Values, name: string): number | undefined {
  const raw = str(v, name);
  if (raw === undefined) return undefined;
  const n = parseInteger(raw);
  if (n === null) throw new Usage('INVALID_INPUT', 'cli.notANumber', { name: `--${name}`, value: raw });
  return n;
}

export const namesOf = (v: Values) => {
  const names = list(v, 'name');
  return names.length > 0 ? names : undefined;
};

export const overwriteOf = (v: Values) => (v.overwrite === true ? true : undefined);
