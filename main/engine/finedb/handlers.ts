import type { finedbOperations } from '../../../shared/contract/finedb.js';
import type { Handler } from '../common/handler.js';

/** Engine handlers of the finedb module, one per entry of shared/contract/finedb.ts, loaded lazily. */
export const finedbHandlers: { readonly [N in keyof typeof finedbOperations]: () => Promise<Handler<N>> } = {
  finedbInspect: async () => (await import('./inspect.js')).finedbInspect,
  finedbGet: async () => (await import('./get.js')).finedbGet,
  finedbBackup: async () => (await import('./backup-op.js')).finedbBackup,
  finedbSet: async () => (await import('./set.js')).finedbSet,
  finedbBackups: async () => (await import('./backup-op.js')).finedbBackups,
  finedbRestore: async () => (await import('./restore.js')).finedbRestore,
};
