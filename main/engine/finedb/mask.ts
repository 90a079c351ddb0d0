import { isSecretKey, type FineConfRow } from '../fine/index.js';

/** What secret values look like in every output, log and error. */
const MASK = '••••';

function maskRow<R extends FineConfRow>(row: R): R {
  return isSecretKey(row.id) ? { ...row, value: MASK } : row;
}

export function maskRows<R extends FineConfRow>(rows: readonly R[]): R[] {
  return rows.map(maskRow);
}

/** Removes every occurrence of the given secrets (and password=… URL parameters) from a text. */
export function scrubText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s !== undefined && s.length > 0) out = out.split(s).join(MASK);
  return out.replace(/(password|pwd)=[^;&\s,)]*/gi, `$1=${MASK}`);
}
