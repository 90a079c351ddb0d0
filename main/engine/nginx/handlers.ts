import type { nginxOperations } from '../../../shared/contract/nginx.js';
import type { Handler } from '../common/handler.js';

/** Engine handlers of the nginx module, one per entry of shared/contract/nginx.ts, loaded lazily. */
export const nginxHandlers: { readonly [N in keyof typeof nginxOperations]: () => Promise<Handler<N>> } = {
  planNginxProxy: async () => (await import('./plan/pipeline.js')).planNginxProxy,
};
