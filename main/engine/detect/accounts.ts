import type { FilePort } from '../ports/index.js';

/** uid → account name from /etc/passwd (empty when unreadable). */
export async function accountNames(fs: FilePort, passwd = '/etc/passwd'): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  const text = await fs.readText(passwd, { maxBytes: 16 * 1024 * 1024 }).catch(() => '');
  for (const line of text.split('\n')) {
    const [name, , uid] = line.split(':');
    if (name && uid && /^\d+$/.test(uid)) names.set(Number(uid), name);
  }
  return names;
}
