import type { OpName } from '../../shared/contract/index.js';
import type { Handler } from './common/handler.js';
import { applyHandlers } from './apply/handlers.js';
import { certsHandlers } from './certs/handlers.js';
import { detectHandlers } from './detect/handlers.js';
import { finedbHandlers } from './finedb/handlers.js';
import { nginxHandlers } from './nginx/handlers.js';
import { tomcatHandlers } from './tomcat/handlers.js';
import { apacheHandlers } from './apache/handlers.js';

/**
 * One engine function per contract entry, loaded lazily so that a CLI command
 * only loads the modules it needs. The mapped type makes a missing handler a
 * compile error. Each module keeps its own map (main/engine/<module>/handlers.ts).
 */
export const handlers: { readonly [N in OpName]: () => Promise<Handler<N>> } = {
  // The health check with the config-aware diagnosers wired in (main/engine/diagnosers.ts).
  check: async () => {
    await import('./diagnosers.js');
    return (await import('./health/index.js')).check;
  },
  ...certsHandlers,
  ...finedbHandlers,
  ...nginxHandlers,
  ...tomcatHandlers,
  ...detectHandlers,
  ...apacheHandlers,
  ...applyHandlers,
};
