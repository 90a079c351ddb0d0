import type { z } from 'zod';

/**
 * One entry of the contract: the input schema every host validates with, the
 * output type, the error codes the operation can return, and whether it reports
 * progress. Hosts are generated from these entries; they add no logic.
 */
export interface OperationSpec<I extends z.ZodType = z.ZodType, O = unknown> {
  readonly input: I;
  readonly errors: readonly string[];
  /** Error codes caused by the caller's input (the CLI exits 2 on these, not 1). */
  readonly inputErrors: readonly string[];
  readonly progress: boolean;
  /** Phantom field carrying the output type; never set at run time. */
  readonly output?: O;
}

export function defineOperation<O>() {
  return <I extends z.ZodType>(spec: {
    input: I;
    errors: readonly string[];
    inputErrors?: readonly string[];
    progress?: boolean;
  }): OperationSpec<I, O> => ({
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
  readonly current?: number;
  readonly total?: number;
}
