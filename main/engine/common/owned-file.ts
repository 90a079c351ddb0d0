import { sha256Hex } from '../ports/index.js';

/**
 * A configuration file wss-setup owns (<confdir>/wss-setup/<name>.conf for nginx,
 * <ServerRoot>/wss-setup/<name>.conf for Apache; both read `#` comments). Its header records the
 * sha256 of the body below it; a body that no longer matches was edited by the admin, and
 * wss-setup then refuses to overwrite it.
 */
const HASH_LINE = /^# wss-setup-sha256: ([0-9a-f]{64})$/;
const HEADER_LINES = 3;

export function ownedFileText(profile: string, body: string): string {
  return [
    `# managed by wss-setup (profile ${profile}). Generated file: wss-setup records the hash of the`,
    '# text below and never overwrites this file once it has been edited by hand.',
    `# wss-setup-sha256: ${sha256Hex(body)}`,
    body,
  ].join('\n');
}

export type OwnedState = 'ours' | 'edited' | 'foreign';

/** Whether existing text is an untouched owned file, an owned file edited by hand, or not ours at all. */
export function ownedState(text: string): OwnedState {
  const lines = text.split('\n');
  if (lines.length < HEADER_LINES || !lines[0]!.startsWith('# managed by wss-setup')) return 'foreign';
  const m = HASH_LINE.exec(lines[2]!);
  if (m === null) return 'edited';
  return sha256Hex(lines.slice(HEADER_LINES).join('\n')) === m[1] ? 'ours' : 'edited';
}
