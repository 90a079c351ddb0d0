import type { nginx as en } from '../en/nginx.js';

/** nginx 模块的简体中文文本。 */
export const nginx: Record<keyof typeof en, string> = {};
