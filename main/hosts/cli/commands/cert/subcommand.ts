import type { OpName, OutputOf } from '../../../../../shared/contract/index.js';
import type { OptionSpec } from '../../args.js';
import type { CliIO } from '../../io.js';
import type { Values } from './options.js';

/** A subcommand's operation, its input, and how its output reads on a terminal. */
export interface Prepared<N extends OpName> {
  readonly op: N;
  readonly input: unknown;
  readonly text: (out: OutputOf<N>) => string[];
  readonly exit?: (out: OutputOf<N>) => number;
  /** Retry once with a typed passphrase when the engine says one is needed. */
  readonly retryWithPassphrase?: (passphrase: string) => unknown;
}

/** One `wss-setup cert <name>`: its options and how it turns them into an operation (throws Usage on bad input). */
export interface Subcommand<N extends OpName = OpName> {
  readonly options: OptionSpec;
  readonly prepare: (v: Values, positionals: string[], io: CliIO) => Promise<Prepared<N>>;
}

/** Erases the operation's type so subcommands of different operations fit in one table. */
export const subcommand = <N extends OpName>(spec: Subcommand<N>): Subcommand => spec as unknown as Subcommand;
