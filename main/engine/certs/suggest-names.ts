import { hostname, networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { hostNameKind, hostNameProblem, normalizeHostName, type CertSuggestNamesOutput, type SuggestedName } from '../../../shared/contract/certs.js';

export interface MachineNames {
  readonly hostname: string;
  readonly interfaces: Readonly<Record<string, readonly NetworkInterfaceInfo[] | undefined>>;
}

/**
 * Names the wizard proposes for a server certificate: the host name (and its first label when
 * it is fully qualified), every non-internal address, then localhost and the loopback addresses.
 * IPv6 link-local addresses are left out (they need a zone and are not typed into browsers).
 */
export function suggestNames(machine: MachineNames): CertSuggestNamesOutput {
  const names: SuggestedName[] = [];
  const seen = new Set<string>();
  const add = (raw: string, source: SuggestedName['source']) => {
    if (hostNameProblem(raw) !== null) return;
    const value = normalizeHostName(raw);
    if (seen.has(value)) return;
    seen.add(value);
    names.push({ value, kind: hostNameKind(value), source });
  };
  const host = machine.hostname.trim();
  if (host.includes('.')) {
    add(host, 'fqdn');
    add(host.split('.')[0]!, 'hostname');
  } else if (host !== '') {
    add(host, 'hostname');
  }
  const addresses = Object.values(machine.interfaces).flatMap((list) => list ?? []);
  for (const a of addresses) {
    if (a.internal) continue;
    if (a.family === 'IPv6' && /^fe80:/i.test(a.address)) continue;
    add(a.address, 'interface');
  }
  add('localhost', 'loopback');
  add('127.0.0.1', 'loopback');
  add('::1', 'loopback');
  return { hostname: host, names };
}

/** The `certSuggestNames` operation. */
export async function certSuggestNames(): Promise<CertSuggestNamesOutput> {
  return suggestNames({ hostname: hostname(), interfaces: networkInterfaces() });
}
