/**
 * The fine module's face: FineReport / FineBI / FineDataLink product facts that finedb, nginx,
 * Tomcat and Apache share — install inspection (where WEB-INF and FineDB are, product, version,
 * JAR date, container-WebSocket capability), default ports, and the fine_conf_entity rows each
 * method needs, spelled exactly as the product reads them (seed 000). Other modules import only
 * this file.
 */
export type { FineInstall } from './install-types.js';
export {
  compareVersions,
  DB_PROPERTIES_MAX,
  dbPropertiesPath,
  fileUrlPath,
  findWebInf,
  inspectInstall,
  listJars,
  parseManifest,
} from './install.js';
export { dbKindOf, parseDbProperties, type DbKind, type DbProperties } from './db-properties.js';
export { jarEntryNames, readJarManifest } from './jar-reader.js';
export { bridgeAccount, chooseJava, type Account, type JavaChoice, type JavaRequest, type JavaSource } from './java-runtime.js';
export {
  DEFAULT_PORTS,
  KEY,
  LEGACY_REQUEST_PORT_UNTIL,
  methodOneRows,
  methodTwoRows,
  parseWebSocketPorts,
  usesLegacyRequestPort,
  type FineConfRow,
  type FineProduct,
} from './rows.js';
export { defaultPortsOf, isSecretKey, keysFor, MANAGED_KEYS, misspelledKeys, PROXY_KEYS, replacesCertificate, SSL_KEYS } from './keys.js';
