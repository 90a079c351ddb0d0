import type { finedbOperations } from '../../../shared/contract/finedb.js';
import type { Handler } from '../handlers.js';

/** Engine handlers of the finedb module, one per entry of shared/contract/finedb.ts, loaded lazily. */
export const finedbHandlers: { readonly [N in keyof typeof finedbOperations]: () => Promise<Handler<N>> } = {};
