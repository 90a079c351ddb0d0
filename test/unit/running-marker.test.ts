import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { markRunning, runningDir, runningMarkers } from '../../main/engine/common/running-marker.js';
import { Journal } from '../../main/engine/journal/index.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { main } from '../../main/hosts/cli/main.js';
import { tempDir } from '../harness/temp.js';

/**
 * The notice every CLI command prints after a killed apply (issue 10) costs one readdir when
 * nothing is under way (issue 9, bench:check): the journal keeps a marker per running run, and the
 * CLI opens the journal only when a marker exists or the journal predates the markers.
 */
const dir = tempDir('wss-setup-marker-');
afterAll(() => dir.cleanup());
let n = 0;
const fresh = () => join(dir.path, `data-${++n}`);
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const begin = (j: Journal, id: string) => j.beginRun({ id, kind: 'apply', method: 'nginx-proxy', profile: 'finereport', planSha256: 'a'.repeat(64), plan: { planVersion: 2 }, startedAt: at(1) });

async function noticeOf(data: string): Promise<string> {
  let err = '';
  // `check` with no URL is a usage error: the notice runs before it, and nothing reaches the network.
  const io: CliIO = { lang: 'en', stdout: () => undefined, stderr: (t) => void (err += t), interactive: false, env: { ...process.env, WSS_SETUP_DATA_DIR: data, WSS_SETUP_NO_RECOVERY_NOTICE: '' } };
  await main(['check', '--json'], io);
  return err;
}

describe('run markers', () => {
  it('a running run has a 0600 marker in a 0700 folder, removed when the run ends', () => {
    const data = fresh();
    const j = Journal.open(data);
    expect(runningMarkers(data)).toEqual([]);
    begin(j, 'r1');
    expect(runningMarkers(data)).toEqual(['r1']);
    expect(statSync(join(runningDir(data), 'r1')).mode & 0o777).toBe(0o600);
    expect(statSync(runningDir(data)).mode & 0o777).toBe(0o700);
    j.finishRun('r1', 'applied', at(2), { ok: true });
    expect(runningMarkers(data)).toEqual([]);
    j.close();
  });

  it('the CLI names a killed run, and says nothing once it has ended', async () => {
    const data = fresh();
    const j = Journal.open(data);
    begin(j, 'killed-run');
    expect(await noticeOf(data)).toContain('killed-run');
    j.finishRun('killed-run', 'rolled-back', at(3), {});
    expect(await noticeOf(data)).not.toContain('killed-run');
    j.close();
  });

  it('a journal older than the markers is still asked, and its running run gets a marker', async () => {
    const data = fresh();
    const j = Journal.open(data);
    begin(j, 'old-run');
    j.close();
    rmSync(runningDir(data), { recursive: true });
    expect(await noticeOf(data)).toContain('old-run');
    expect(runningMarkers(data)).toEqual(['old-run']);
  });

  it('a marker whose run ended is a hint only: no notice, and it is removed', async () => {
    const data = fresh();
    Journal.open(data).close();
    markRunning(data, 'ended-run');
    expect(await noticeOf(data)).not.toContain('ended-run');
    expect(existsSync(join(runningDir(data), 'ended-run'))).toBe(false);
  });

  it('ignores names that are not run ids and never follows a planted symlink', () => {
    const data = fresh();
    Journal.open(data).close();
    writeFileSync(join(runningDir(data), '..hidden'), '');
    expect(runningMarkers(data)).toEqual([]);
    expect(readdirSync(runningDir(data))).toEqual(['..hidden']);
  });
});
