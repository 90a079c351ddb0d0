import type { FineProduct } from './rows.js';

/**
 * What wss-setup knows about a FineReport / FineBI / FineDataLink install.
 * Implemented by main/engine/fine/install.ts: inspectInstall(dir) → FineInstall.
 */
export interface FineInstall {
  /** Absolute path of the install (the Tomcat or product home given by the admin). */
  readonly dir: string;
  readonly product: FineProduct;
  /** Absolute path of webapps/webroot/WEB-INF. */
  readonly webInf: string;
  /** Product version when known, e.g. "11.0.3". */
  readonly version?: string;
  /** Build date of the product JARs (YYYY-MM-DD) when known; decides requestPort vs requestPorts. */
  readonly jarDate?: string;
  /** 11.0.2+ can ride the web container's own WebSocket on the HTTP(S) port: no port rows then. */
  readonly containerWebSocket: boolean;
  readonly finedb:
    | { readonly kind: 'embedded-hsqldb'; readonly path: string }
    | { readonly kind: 'external'; readonly jdbcUrl: string; readonly driver: string; readonly user: string; readonly passwordEncrypted: boolean }
    | { readonly kind: 'sqlite'; readonly path: string };
}
