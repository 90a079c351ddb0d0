import type { tomcatOperations } from '../../../shared/contract/tomcat.js';
import type { Handler } from '../common/handler.js';

/** Engine handlers of the tomcat module, one per entry of shared/contract/tomcat.ts, loaded lazily. */
export const tomcatHandlers: { readonly [N in keyof typeof tomcatOperations]: () => Promise<Handler<N>> } = {
  planTomcatSsl: async () => (await import('./plan-ssl.js')).planTomcatSsl,
};
