import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../main/hosts/cli/main.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { realPorts } from '../../main/engine/ports/index.js';
import type { Sandbox } from '../harness/apply-sandbox.js';
import { sandboxPerFile } from '../harness/apply-sandbox-file.js';
import { NGINX_BIN } from '../harness/nginx.js';

/** The CLI verbs (apply, history, show, rollback, recover) in-process, and secrets kept out of every output. */
let sb: Sandbox;
const dir = sandboxPerFile('wss-setup-apply-cli-', { localCa: false }, (made) => (sb = made));
const dataDir = join(dir.path, 'data');

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { lang: 'en', stdout: (t) => void (out += t), stderr: (t) => void (err += t), interactive: false, env: { ...process.env, ...env } };
  const code = await main(args, io);
  return { code, out, err };
}

describe('apply reads its plan file as a bounded regular file', () => {
  it('refuses /dev/zero, a FIFO and a folder at once with a clear message and exit 2', async () => {
    const fifo = join(dir.path, 'plan.fifo');
    execFileSync('mkfifo', [fifo]);
    for (const path of ['/dev/zero', fifo, dir.path]) {
      const r = await cli(['apply', path, '--yes']);
      expect(r.code).toBe(2);
      expect(r.err).toContain(path);
      expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    }
  }, 30_000);
});

describe('wss-setup apply / history / show / rollback', () => {
  it('refuses without --yes when it cannot ask, then applies with --yes; history and show list the run; rollback puts it back', async () => {
    const before = sb.snapshot();
    const planFile = join(dir.path, 'plan.json');
    writeFileSync(planFile, JSON.stringify(await sb.plan()));
    const asked = await cli(['apply', planFile]);
    expect(asked.code).toBe(2);
    expect(asked.err).toContain('--yes');
    expect(sb.snapshot()).toEqual(before);

    const dry = await cli(['apply', planFile, '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ outcome: 'dry-run', runId: null });
    expect(sb.snapshot()).toEqual(before);

    const applied = await cli(['apply', planFile, '--yes']);
    expect(applied.code, applied.err + applied.out).toBe(0);
    expect(applied.out).toMatch(/^Applied \(nginx-proxy\/finereport\), run \d{8}T\d{6}Z-[0-9a-f]{6}\./);
    const runId = /run (\S+)\./.exec(applied.out)![1]!;

    const history = await cli(['history']);
    expect(history.out).toContain(`${runId}  apply    applied`);
    const shown = await cli(['show', runId, '--json']);
    expect(JSON.parse(shown.out)).toMatchObject({ id: runId, state: 'applied' });
    const shownText = await cli(['show', runId, '--lang', 'zh-CN']);
    expect(shownText.out).toContain('备份：');

    const rolled = await cli(['rollback', runId]);
    expect(rolled.code, rolled.err).toBe(0);
    expect(rolled.out).toContain('The state before the run is back');
    expect(sb.snapshot()).toEqual(before);
    expect(await sb.answering()).toBe(true);

    expect((await cli(['show', 'nonsense'])).code).toBe(2);
    expect((await cli(['recover', '--json'])).out).toContain('APPLY_NOTHING_TO_RECOVER');
  });

  it('no secret reaches the journal, history, show, backups or the apply output, even when a failing command echoes it', async () => {
    const secret = 'Sup3r-S3cret-db-Passw0rd!';
    const secretFile = join(dir.path, 'db-password');
    writeFileSync(secretFile, `${secret}\n`, { mode: 0o600 });
    const plan = await sb.plan();
    // nginx's stop "fails" and prints the secret it was (hypothetically) given.
    let fired = false;
    const echoing = {
      ...realPorts.process,
      run: async (r: Parameters<typeof realPorts.process.run>[0]) => {
        if (!fired && r.command === NGINX_BIN && r.args.includes('quit')) {
          fired = true;
          return { code: 1, signal: null, stdout: '', stderr: `nginx: [emerg] cannot use password ${secret}\n`, timedOut: false };
        }
        return realPorts.process.run(r);
      },
    };
    const result = await runOperation('apply', { planText: JSON.stringify(plan), secrets: { databasePassword: secret } }, { lang: 'en', ports: { ...realPorts, process: echoing } });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect(result.value.outcome).toBe('rolled-back');
    expect(result.value.failure?.message).toContain('••••');
    const outputs = [JSON.stringify(result.value)];
    const runId = result.value.runId!;
    for (const args of [['history', '--json'], ['history'], ['show', runId, '--json'], ['show', runId]]) {
      const r = await cli(args, { WSS_SETUP_DATA_DIR: dataDir });
      outputs.push(r.out, r.err);
    }
    const files: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d, { withFileTypes: true })) name.isDirectory() ? walk(join(d, name.name)) : files.push(join(d, name.name));
    };
    walk(dataDir);
    expect(files.some((f) => f.endsWith('journal.sqlite'))).toBe(true);
    for (const f of files) outputs.push(readFileSync(f).toString('latin1'));
    for (const o of outputs) expect(o.includes(secret)).toBe(false);
    expect(outputs.join('\n')).toContain('••••');
  });
});
