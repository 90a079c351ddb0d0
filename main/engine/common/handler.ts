import type { OpName, OutputOf, RequestOf } from '../../../shared/contract/index.js';
import type { OpContext } from './context.js';

/**
 * The engine function behind one contract entry. It lives here, below both the handler table
 * (main/engine/handlers.ts) and each module's own map (main/engine/<module>/handlers.ts), so
 * neither imports the other.
 */
export type Handler<N extends OpName> = (input: RequestOf<N>, ctx: OpContext) => Promise<OutputOf<N>>;
