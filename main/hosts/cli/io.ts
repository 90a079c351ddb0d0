import type { Lang } from '../../../shared/contract/common.js';
import type { OpError } from '../../../shared/contract/result.js';
import { t, type MessageKey, type Params } from '../../../shared/i18n/index.js';

/** Where a command writes; injected so tests can run commands in-process. */
export interface CliIO {
  readonly lang: Lang;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** True when stderr is an interactive terminal (progress lines are shown). */
  readonly interactive: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Reports a usage problem the way every command does it: one clear line (or one JSON document), exit 2. */
export function usageError(io: CliIO, json: boolean, code: string, key: MessageKey, params: Params = {}): number {
  const message = t(io.lang, key, params);
  if (json) io.stdout(`${JSON.stringify({ ok: false, error: { code, message } }, null, 2)}\n`);
  else io.stderr(`wss-setup: ${message}\n${t(io.lang, 'cli.seeHelp')}\n`);
  return EXIT_USAGE;
}

/** Reports an operation's error value; input errors exit 2, others 1. */
export function reportError(io: CliIO, json: boolean, error: OpError, inputErrors: readonly string[]): number {
  if (json) io.stdout(`${JSON.stringify({ ok: false, error }, null, 2)}\n`);
  else io.stderr(`wss-setup: ${error.message}\n${error.fix ? `  → ${error.fix}\n` : ''}`);
  return inputErrors.includes(error.code) ? EXIT_USAGE : EXIT_FINDINGS;
}
