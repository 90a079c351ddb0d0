import type { NginxPlanRequest } from '../../../../shared/contract/nginx.js';
import { children } from '../query.js';
import { note, type ProfileContext } from './draft.js';
import { wsLocation } from './ws-location.js';

type PoolRequest = Extract<NginxPlanRequest, { profile: 'pool' }>;

/**
 * A WebSocket location in front of a pool of backends (seed 003): an upstream block (round robin
 * or ip_hash, max_fails / fail_timeout), optionally TLS to the backends with verification.
 */
export function planPool(input: PoolRequest, c: ProfileContext): void {
  const used = new Set(children(c.work, c.http).filter((l) => l.directive.name === 'upstream' && l.file !== c.ownedPath).map((l) => l.directive.args[0]?.value));
  const base = `wss_setup_${(input.name ?? 'pool').replace(/-/g, '_')}`;
  let upstream = base;
  for (let k = 2; used.has(upstream); k++) upstream = `${base}_${k}`;
  const pool = [`upstream ${upstream} {`];
  if (input.balance === 'ip-hash') pool.push('    ip_hash;');
  for (const backend of input.backends) pool.push(`    server ${backend} max_fails=${input.maxFails} fail_timeout=${input.failTimeoutSeconds}s;`);
  pool.push('}', '');
  const extra: string[] = [];
  if (input.backendTls) {
    extra.push('proxy_ssl_server_name on;', 'proxy_ssl_protocols TLSv1.2 TLSv1.3;');
    if (input.backendServerName !== undefined) extra.push(`proxy_ssl_name ${input.backendServerName};`);
    if (input.backendCa !== undefined) extra.push('proxy_ssl_verify on;', `proxy_ssl_trusted_certificate ${input.backendCa};`, 'proxy_ssl_verify_depth 3;');
    else c.draft.notes.push(note('POOL_BACKEND_UNVERIFIED', 'warning'));
  }
  c.draft.notes.push(input.balance === 'ip-hash' ? note('POOL_IP_HASH_MOBILE', 'warning') : note('POOL_ROUND_ROBIN', 'info'));
  wsLocation(c, { path: input.path, proxyPass: `${input.backendTls ? 'https' : 'http'}://${upstream}`, extra }, [`# WebSocket backends (${input.balance})`, ...pool]);
}
