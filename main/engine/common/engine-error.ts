import type { Params } from '../../../shared/i18n/index.js';

/**
 * Thrown inside engine modules for failures the user can act on. The operation
 * runner turns it into an error value with a localized message and fix
 * (catalog keys `error.<code>` and `error.<code>.fix`). Params must never hold secrets.
 */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: string,
    readonly params: Params = {},
    readonly evidence: Readonly<Record<string, unknown>> = {},
  ) {
    super(code);
  }
}
