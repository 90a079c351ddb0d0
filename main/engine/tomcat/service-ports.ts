import type { ConnectorInfo } from './connectors.js';

export interface ServicePort {
  readonly host: string;
  readonly port: number;
}

/** The address to probe a port bound to `address` on: the loopback of its family when it listens on every address. */
export function probeHost(address: string | undefined): string {
  const a = address?.trim().replace(/^\[(.*)\]$/, '$1');
  if (a === undefined || a === '' || a === '0.0.0.0' || a === '*') return '127.0.0.1';
  if (a === '::' || a === '0:0:0:0:0:0:0:0') return '::1';
  return a;
}

/**
 * Every HTTP(S) port this Tomcat will listen on once the plan is applied: the connectors of
 * server.xml with a numeric port (AJP left out: it is not what browsers reach), plus the HTTPS
 * connector the plan adds. They answer once the service is up and are closed once it stopped.
 */
export function connectorPorts(connectors: readonly ConnectorInfo[], added: { port: number; address?: string } | null): ServicePort[] {
  const out: ServicePort[] = [];
  const push = (host: string, port: number) => {
    if (!out.some((e) => e.host === host && e.port === port)) out.push({ host, port });
  };
  if (added !== null) push(probeHost(added.address), added.port);
  for (const c of connectors) if (c.implementation !== 'ajp' && c.port !== null && c.port > 0) push(probeHost(c.address), c.port);
  return out;
}
