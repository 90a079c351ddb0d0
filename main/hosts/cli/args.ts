import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export type ParsedArgs =
  | { readonly ok: true; readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>; readonly positionals: string[] }
  | { readonly ok: false; readonly key: 'cli.unknownOption' | 'cli.missingValue'; readonly name: string };

/**
 * node:util parseArgs in strict mode, with its thrown errors turned into
 * i18n keys so commands can print a clear line instead of a stack trace.
 */
export function parseCommandArgs(argv: readonly string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { ok: true, values: values as Record<string, string | boolean | string[] | boolean[] | undefined>, positionals };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const name = /'(-[^']+)'/.exec(message)?.[1] ?? /(--?[\w-]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return { ok: false, key: 'cli.missingValue', name: name.split(' ')[0] ?? name };
    return { ok: false, key: 'cli.unknownOption', name };
  }
}

/** Parses an integer flag; returns null when the text is not a whole number. */
export function parseInteger(text: string): number | null {
  return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : null;
}
