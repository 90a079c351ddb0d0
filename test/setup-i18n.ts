// Tests render text in both languages without going through a host: load Chinese as the hosts do.
import { registerLanguage } from '../shared/i18n/index.js';
import { zhCN } from '../shared/i18n/zh-CN/index.js';

registerLanguage('zh-CN', zhCN);
