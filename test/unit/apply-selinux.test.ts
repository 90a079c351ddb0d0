import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../shared/contract/plan.js';
import { engineContext } from '../../main/engine/common/context.js';
import { Journal } from '../../main/engine/journal/index.js';
import { realPorts, sha256Hex, type ProcessPort } from '../../main/engine/ports/index.js';
import { backupFiles, restoreFiles, writeFiles } from '../../main/engine/apply/files.js';
import { readLabel } from '../../main/engine/apply/selinux.js';
import { tempDir } from '../harness/temp.js';

/**
 * SELinux labels through the runner against recorded outputs (no SELinux here): the label of a
 * replaced file is read before (stat -c %C), journaled with the backup, and put back (chcon) after
 * the write and after the restore. Where SELinux is off (stat prints "?"), nothing is run.
 */
const dir = tempDir('wss-setup-apply-selinux-');
afterAll(() => dir.cleanup());
const LABEL = 'system_u:object_r:httpd_config_t:s0';

function labelled(on: boolean): { port: ProcessPort; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    port: {
      ...realPorts.process,
      run: async (r) => {
        calls.push([r.command, ...r.args].join(' '));
        if (r.command === '/usr/bin/stat') return on ? { code: 0, signal: null, stdout: `${LABEL}\n`, stderr: '', timedOut: false } : { code: 1, signal: null, stdout: '?\n', stderr: 'No data available', timedOut: false };
        if (r.command === '/usr/bin/chcon') return { code: 0, signal: null, stdout: '', stderr: '', timedOut: false };
        throw new Error(`unexpected ${r.command}`);
      },
    },
  };
}

describe('SELinux labels of replaced files', () => {
  it.each([[true], [false]])('SELinux on: %s', async (on) => {
    const path = join(dir.path, `nginx-${on}.conf`);
    writeFileSync(path, 'events {}\n', { mode: 0o640 });
    const { port, calls } = labelled(on);
    const ctx = engineContext({ ports: { ...realPorts, process: port } });
    const label = await readLabel(path, ctx);
    expect(label).toBe(on ? LABEL : null);
    const journal = Journal.open(join(dir.path, `data-${on}`));
    journal.beginRun({ id: 'r1', kind: 'apply', method: 'nginx-proxy', profile: 'generic', planSha256: 'a'.repeat(64), plan: {}, startedAt: new Date().toISOString() });
    const bytes = readFileSync(path);
    const st = statSync(path);
    await backupFiles('r1', [{ path, exists: true, bytes, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, selinux: label }], ctx, journal);
    expect(journal.run('r1')!.backups[0]!.selinux).toBe(label);
    const content = 'events { worker_connections 64; }\n';
    const plan = { files: [{ path, action: 'modify', kind: 'nginx', beforeSha256: sha256Hex(bytes), afterSha256: sha256Hex(content), content, encoding: 'utf8', lineEnding: 'lf', diff: '', owned: false, reason: { code: 'x', params: {} } }] } as unknown as Plan;
    await writeFiles(plan, ctx, () => undefined, new Map([[path, label]]));
    const restored = await restoreFiles('r1', journal.run('r1')!.backups, [], ctx, journal);
    expect(restored).toEqual({ restored: [path], problems: [] });
    expect(readFileSync(path)).toEqual(bytes);
    expect(statSync(path).mode & 0o7777).toBe(0o640);
    expect(calls.filter((c) => c.startsWith('/usr/bin/chcon'))).toEqual(on ? [`/usr/bin/chcon -- ${LABEL} ${path}`, `/usr/bin/chcon -- ${LABEL} ${path}`] : []);
    journal.close();
  });
});
