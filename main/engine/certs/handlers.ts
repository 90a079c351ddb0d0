import type { certsOperations } from '../../../shared/contract/certs.js';
import type { Handler } from '../handlers.js';

/** Engine handlers of the certs module, one per entry of shared/contract/certs.ts, loaded lazily. */
export const certsHandlers: { readonly [N in keyof typeof certsOperations]: () => Promise<Handler<N>> } = {};
