/**
 * Errors are values across every boundary (IPC, HTTP, CLI): an operation either
 * succeeds with its output or fails with a stable code, a localized message and
 * evidence. Hosts never throw at callers; engines throw only inside a module.
 */
export interface OpError<C extends string = string> {
  /** Stable code, documented in the i18n catalogs (e.g. INVALID_INPUT); `ErrorCodeOf<N>` lists an operation's. */
  readonly code: C;
  /** Plain sentence in the caller's language, saying what is wrong. */
  readonly message: string;
  /** What the user should do about it, in the caller's language. */
  readonly fix?: string;
  /** Machine-readable detail (never secrets). */
  readonly evidence?: Readonly<Record<string, unknown>>;
}

export type Result<T, C extends string = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: OpError<C> };

export const success = <T>(value: T): Result<T> => ({ ok: true, value });
export const failure = <T = never>(error: OpError): Result<T> => ({ ok: false, error });
