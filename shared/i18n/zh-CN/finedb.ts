import type { finedb as en } from '../en/finedb.js';

/** finedb 模块的简体中文文本。 */
export const finedb: Record<keyof typeof en, string> = {};
