import type { applyOperations } from '../../../shared/contract/apply.js';
import type { Handler } from '../common/handler.js';

/** Engine handlers of apply (shared/contract/apply.ts), loaded lazily. */
export const applyHandlers: { readonly [N in keyof typeof applyOperations]: () => Promise<Handler<N>> } = {
  apply: async () => (await import('./operations.js')).applyOperation,
  applyHistory: async () => (await import('./operations.js')).historyOperation,
  applyShow: async () => (await import('./operations.js')).showOperation,
  applyRollback: async () => (await import('./operations.js')).rollbackOperation,
  applyRecover: async () => (await import('./operations.js')).recoverOperation,
};
