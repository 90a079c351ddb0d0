import type * as z from './z.js';

/** Codes any operation can fail with, added by runOperation and the hosts rather than by a handler. */
export const HOST_ERROR_CODES = ['INVALID_INPUT', 'UNKNOWN_OPERATION', 'INTERNAL_ERROR', 'EXECUTABLE_NOT_CONFIRMED'] as const;

/**
 * Input fields (at any depth) that name a program, a JVM, jars or a tree whose scripts and jars get
 * run. A caller that is not the admin at a terminal (serve mode, IPC: a renderer) may pass only
 * paths that detection found or the admin confirmed (main/engine/common/executable-allow-list.ts);
 * the CLI may pass any. A module that adds such a field adds its name here — a unit test
 * (test/unit/executable-allow-list.test.ts) fails on an input field that looks like one and is missing.
 */
export const EXECUTABLE_INPUT_KEYS = ['java', 'driverJars', 'nginxBin', 'apacheBin', 'apachectl', 'catalinaHome', 'catalinaBase', 'keytool'] as const;
export type HostErrorCode = (typeof HOST_ERROR_CODES)[number];

/**
 * One entry of the contract: the input schema every host validates with, the
 * output type, the error codes the operation can return, and whether it reports
 * progress. Hosts are generated from these entries; they add no logic.
 * `E` is the union of the operation's declared error codes (from an `as const` list).
 */
export interface OperationSpec<I extends z.ZodType = z.ZodType, O = unknown, E extends string = string> {
  readonly input: I;
  readonly errors: readonly E[];
  /** Error codes caused by the caller's input (the CLI exits 2 on these, not 1); a subset of `errors`. */
  readonly inputErrors: readonly (E | 'INVALID_INPUT')[];
  readonly progress: boolean;
  /** Phantom field carrying the output type; never set at run time. */
  readonly output?: O;
}

export function defineOperation<O>() {
  return <I extends z.ZodType, const E extends string>(spec: {
    input: I;
    errors: readonly E[];
    /** Must be codes listed in `errors` (a compile error otherwise). */
    inputErrors?: readonly NoInfer<E>[];
    progress?: boolean;
  }): OperationSpec<I, O, E> => ({
    input: spec.input,
    errors: spec.errors,
    inputErrors: ['INVALID_INPUT', ...(spec.inputErrors ?? [])],
    progress: spec.progress ?? false,
  });
}

/** A step reported by long operations (shown as progress by every host). */
export interface ProgressEvent {
  readonly operation: string;
  /** i18n key of the step, e.g. progress.check.endpoint. */
  readonly step: string;
  readonly message: string;
  /** The parameters of the step's message, so a host can render it in its reader's language (never a secret). */
  readonly params?: Readonly<Record<string, string | number>>;
  readonly current?: number;
  readonly total?: number;
}
