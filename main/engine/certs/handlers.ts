import type { certsOperations } from '../../../shared/contract/certs.js';
import type { Handler } from '../common/handler.js';

/** Engine handlers of the certs module, one per entry of shared/contract/certs.ts, loaded lazily. */
export const certsHandlers: { readonly [N in keyof typeof certsOperations]: () => Promise<Handler<N>> } = {
  certSuggestNames: async () => (await import('./suggest-names.js')).certSuggestNames,
  certCa: async () => (await import('./local-ca.js')).certCa,
  certServer: async () => {
    const { certServer } = await import('./server-cert.js');
    return (input, ctx) => certServer(input, ctx);
  },
  certCsr: async () => (await import('./csr.js')).certCsr,
  certImport: async () => {
    const { certImport } = await import('./import.js');
    return (input, ctx) => certImport(input, ctx);
  },
  certInspect: async () => {
    const { certInspect } = await import('./inspect-operation.js');
    return (input, ctx) => certInspect(input, ctx);
  },
  certTrust: async () => {
    const { certTrust } = await import('./trust-store.js');
    return (input, ctx) => certTrust(input, ctx);
  },
  certExport: async () => (await import('./export-ca.js')).certExport,
};
