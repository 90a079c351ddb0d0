import type { certs as en } from '../en/certs.js';

/** certs 模块的简体中文文本。 */
export const certs: Record<keyof typeof en, string> = {};
