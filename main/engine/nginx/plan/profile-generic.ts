import type { NginxPlanRequest } from '../../../../shared/contract/nginx.js';
import type { ProfileContext } from './draft.js';
import { wsLocation } from './ws-location.js';

type GenericRequest = Extract<NginxPlanRequest, { profile: 'generic' }>;

/** Any WebSocket backend at one path of a TLS site (seed 002): the location with the upgrade headers. */
export function planGeneric(input: GenericRequest, c: ProfileContext): void {
  wsLocation(c, { path: input.path, proxyPass: input.upstream !== undefined ? `http://${input.upstream}` : null, extra: [] });
}
