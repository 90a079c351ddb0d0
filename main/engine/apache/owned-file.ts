import { createHash } from 'node:crypto';

/**
 * The file wss-setup owns in an Apache tree (<ServerRoot>/wss-setup/<name>.conf). Its header
 * records the sha256 of the body below it; a body that no longer matches was edited by the admin,
 * and wss-setup then refuses to overwrite it.
 */
const HASH_LINE = /^# wss-setup-sha256: ([0-9a-f]{64})$/;
const HEADER_LINES = 3;

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function ownedFileText(profile: string, body: string): string {
  return [
    `# managed by wss-setup (profile ${profile}). Generated file: wss-setup records the hash of the`,
    '# text below and never overwrites this file once it has been edited by hand.',
    `# wss-setup-sha256: ${sha256(body)}`,
    body,
  ].join('\n');
}

export type OwnedState = 'ours' | 'edited' | 'foreign';

export function ownedState(text: string): OwnedState {
  const lines = text.split('\n');
  if (lines.length < HEADER_LINES || !lines[0]!.startsWith('# managed by wss-setup')) return 'foreign';
  const m = HASH_LINE.exec(lines[2]!);
  if (m === null) return 'edited';
  return sha256(lines.slice(HEADER_LINES).join('\n')) === m[1] ? 'ours' : 'edited';
}
