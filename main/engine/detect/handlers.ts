import type { Handler } from '../common/handler.js';

/** The detect module's operations, loaded only when called. */
export const detectHandlers: { readonly detect: () => Promise<Handler<'detect'>> } = {
  detect: async () => (await import('./detect.js')).detect,
};
