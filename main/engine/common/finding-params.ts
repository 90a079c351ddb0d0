import type { Params } from '../../../shared/i18n/index.js';

/**
 * The parameters a finding's message was rendered with, as the contract carries them
 * (`Finding.params`: strings and numbers only), so a host can render it again in its reader's
 * language. Only what the message already shows goes here — never a secret.
 */
export function findingParams(params: Params): Record<string, string | number> {
  return Object.fromEntries(Object.entries(params).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number'));
}
