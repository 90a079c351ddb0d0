import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';

/**
 * SELinux labels: a file written by rename is a new inode that gets its folder's default label,
 * which may not be the label nginx or Tomcat are allowed to read (httpd_config_t, …). The label of
 * every file replaced is read before (stat -c %C) and put back after each write (chcon). Where
 * SELinux is off, stat prints "?" / fails and nothing is done.
 */
export async function readLabel(path: string, ctx: OpContext): Promise<string | null> {
  if (process.platform !== 'linux') return null;
  const r = await ctx.ports.process.run({ command: '/usr/bin/stat', args: ['-c', '%C', '--', path], timeoutMs: 15_000 });
  const label = r.stdout.trim();
  return r.code === 0 && label !== '' && label !== '?' && /^[\w.:,-]+$/.test(label) ? label : null;
}

export async function putLabel(path: string, label: string, ctx: OpContext): Promise<void> {
  const r = await ctx.ports.process.run({ command: '/usr/bin/chcon', args: ['--', label, path], timeoutMs: 15_000 });
  if (r.code !== 0) throw new EngineError('APPLY_SELINUX_LABEL', { path, label, output: `${r.stderr}${r.spawnError ?? ''}`.trim().slice(0, 500) }, { path, label });
}
