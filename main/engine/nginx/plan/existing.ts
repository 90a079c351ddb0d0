import { children, effectiveTls, selectServer, weakTls, type Located, type ServerMatch } from '../query.js';
import { checkHost, note, where, type ProfileContext } from './draft.js';
import { UPGRADE_MAP } from './snippets.js';

/** What the admin's configuration already has, as the profiles need to know it (never our own file). */

/** Does the configuration (outside our own file) already define $connection_upgrade with a map? */
function hasUpgradeMap(c: ProfileContext): boolean {
  return children(c.work, c.http).some((l) => l.file !== c.ownedPath && l.directive.name === 'map' && l.directive.args[1]?.value === '$connection_upgrade');
}

/** The upgrade map, unless the configuration has one already. */
export const upgradeMap = (c: ProfileContext): string[] => (hasUpgradeMap(c) ? [] : [...UPGRADE_MAP]);

/** A server that is not ours and would answer the first server name on `port` (by name, or as the port's default). */
export function existingServer(c: ProfileContext, port: number, names: readonly string[], ssl?: boolean): ServerMatch | null {
  const match = selectServer(c.work, { port, host: checkHost(names), ...(ssl !== undefined ? { ssl } : {}) });
  if (match === null || match.server.located.file === c.ownedPath) return null;
  return match;
}

/** Names (an exact, wildcard or regex match) or, when we name nothing, any server on the port is a real clash. */
export const clashes = (match: ServerMatch | null, names: readonly string[]): match is ServerMatch => match !== null && (match.how !== 'default' || names.every((n) => n === '_'));

/** Weak TLS settings the existing server keeps: said, never silently inherited. */
export function weakTlsNotes(c: ProfileContext, server: Located): void {
  const tls = effectiveTls(c.work, [c.http, server]);
  const weak = weakTls(tls);
  if (weak.protocols.length > 0 && tls.protocols?.where) {
    c.draft.notes.push(note('WEAK_TLS_KEPT', 'warning', { where: where(tls.protocols.where), weak: weak.protocols.join(' ') }, { ...tls.protocols.where, weak: weak.protocols }));
  }
  if (weak.ciphers.length > 0 && tls.ciphers?.where) {
    c.draft.notes.push(note('WEAK_TLS_KEPT', 'warning', { where: where(tls.ciphers.where), weak: weak.ciphers.join(':') }, { ...tls.ciphers.where, weak: weak.ciphers }));
  }
}
