import type { FineDbInspectOutput, FineDbNote } from '../../../shared/contract/finedb.js';
import type { RequestOf } from '../../../shared/contract/index.js';
import { t, type MessageKey } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { installOut } from './connection.js';
import type { FineInstall } from '../fine/index.js';
import { defaultPortsOf, inspectInstall, keysFor, LEGACY_REQUEST_PORT_UNTIL, usesLegacyRequestPort } from '../fine/index.js';

export function installNotes(install: FineInstall, lang: OpContext['lang']): FineDbNote[] {
  const notes: FineDbNote[] = [];
  const note = (code: MessageKey, params: Record<string, string>) => notes.push({ code, message: t(lang, code, params), evidence: params });
  if (install.containerWebSocket) note('finedb.note.containerWebSocket', { version: install.version ?? '' });
  if (usesLegacyRequestPort(install.jarDate)) note('finedb.note.legacyRequestPort', { jarDate: install.jarDate ?? '', until: LEGACY_REQUEST_PORT_UNTIL });
  if (install.jarDate === undefined) note('finedb.note.jarDateUnknown', {});
  if (install.finedb.kind === 'external' && install.finedb.passwordEncrypted) note('finedb.note.passwordEncrypted', {});
  return notes;
}

export async function finedbInspect(input: RequestOf<'finedbInspect'>, ctx: OpContext): Promise<FineDbInspectOutput> {
  const install = await inspectInstall(input.install, ctx.ports.fs);
  return { install: installOut(install), keys: keysFor(install), defaultPorts: defaultPortsOf(install), notes: installNotes(install, ctx.lang) };
}
