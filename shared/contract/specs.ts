import type { Operations, OpName } from './index.js';

/**
 * Each operation's spec, loaded with its own domain's schemas only. Building zod schemas is most
 * of what loading the contract costs; `runOperation` takes the spec from here, so `wss-setup
 * check` builds the check's schemas and not those of certificates, FineDB, plans and apply
 * (issue 9, bench:check). The mapped type makes a missing operation a compile error; the list
 * mirrors `operations` in index.ts (a unit test compares them).
 */
/** Loads a domain once; later calls get the same settled promise (a host running many operations pays the import once). */
const once = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
};
const health = once(() => import('./health.js').then((m) => m.healthOperations));
const certs = once(() => import('./certs.js').then((m) => m.certsOperations));
const finedb = once(() => import('./finedb.js').then((m) => m.finedbOperations));
const nginx = once(() => import('./nginx.js').then((m) => m.nginxOperations));
const tomcat = once(() => import('./tomcat.js').then((m) => m.tomcatOperations));
const detect = once(() => import('./detect.js').then((m) => m.detectOperations));
const apache = once(() => import('./apache.js').then((m) => m.apacheOperations));
const apply = once(() => import('./apply.js').then((m) => m.applyOperations));

export const specLoaders: { readonly [N in OpName]: () => Promise<Operations[N]> } = {
  check: async () => (await health()).check,
  certSuggestNames: async () => (await certs()).certSuggestNames,
  certCa: async () => (await certs()).certCa,
  certServer: async () => (await certs()).certServer,
  certCsr: async () => (await certs()).certCsr,
  certImport: async () => (await certs()).certImport,
  certInspect: async () => (await certs()).certInspect,
  certTrust: async () => (await certs()).certTrust,
  certExport: async () => (await certs()).certExport,
  finedbInspect: async () => (await finedb()).finedbInspect,
  finedbGet: async () => (await finedb()).finedbGet,
  finedbBackup: async () => (await finedb()).finedbBackup,
  finedbSet: async () => (await finedb()).finedbSet,
  finedbBackups: async () => (await finedb()).finedbBackups,
  finedbRestore: async () => (await finedb()).finedbRestore,
  planNginxProxy: async () => (await nginx()).planNginxProxy,
  planTomcatSsl: async () => (await tomcat()).planTomcatSsl,
  detect: async () => (await detect()).detect,
  planApacheProxy: async () => (await apache()).planApacheProxy,
  apply: async () => (await apply()).apply,
  applyHistory: async () => (await apply()).applyHistory,
  applyShow: async () => (await apply()).applyShow,
  applyRollback: async () => (await apply()).applyRollback,
  applyRecover: async () => (await apply()).applyRecover,
};

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(specLoaders, name);
}
