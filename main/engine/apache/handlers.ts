import type { apacheOperations } from '../../../shared/contract/apache.js';
import type { Handler } from '../common/handler.js';

/** Engine handlers of the apache module, one per entry of shared/contract/apache.ts, loaded lazily. */
export const apacheHandlers: { readonly [N in keyof typeof apacheOperations]: () => Promise<Handler<N>> } = {
  planApacheProxy: async () => (await import('./plan-proxy.js')).planApacheProxy,
};
