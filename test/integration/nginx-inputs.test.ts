import { spawnSync } from 'node:child_process';
import { closeSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyNginxFixture, writeCertPair } from '../harness/fixtures.js';
import { tempDir } from '../harness/temp.js';
import { runCli } from '../harness/cli.js';

/**
 * Issue 9 item 10: `plan nginx-proxy` reads only regular files of a bounded size. Before, the
 * planner read `--nginx-conf /dev/zero` until it had taken 7 GB and blocked forever on a FIFO.
 * Each case must answer at once (the test timeout is short) with a clear message and exit 2.
 */
const dir = tempDir('wss-setup-nginx-inputs-');
let certPath: string;
let keyPath: string;

beforeAll(() => {
  ({ certPath, keyPath } = writeCertPair(dir.path, ['reports.example.com']));
});
afterAll(() => dir.cleanup());

const cli = (argv: string[], lang: 'en' | 'zh-CN' = 'en') => runCli(argv, { lang });

function fifo(name: string): string {
  const path = join(dir.path, name);
  const made = spawnSync('mkfifo', [path]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
  return path;
}

/** A sparse file larger than any configuration (no disk space used). */
function huge(name: string): string {
  const path = join(dir.path, name);
  const fd = openSync(path, 'w');
  ftruncateSync(fd, 17 * 1024 * 1024);
  closeSync(fd);
  return path;
}

const plan = (conf: string, ...extra: string[]) => cli(['plan', 'nginx-proxy', '--nginx-conf', conf, '--profile', 'finereport', '--server-name', 'reports.example.com', ...extra]);

describe('plan nginx-proxy refuses what is not a configuration file', { timeout: 5000 }, () => {
  it('--nginx-conf /dev/zero: refused at once, exit 2, one clear line', async () => {
    const r = await plan('/dev/zero', '--cert', certPath, '--key', keyPath);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/dev/zero');
    expect(r.stderr).toContain('not a regular file');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--nginx-conf naming a FIFO: refused without waiting for a writer (in Chinese too)', async () => {
    const path = fifo('nginx.conf');
    const r = await plan(path, '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'NGINX_CONF_UNREADABLE', evidence: { path, errno: 'FILE_NOT_REGULAR' } } });
    const zh = await cli(['plan', 'nginx-proxy', '--nginx-conf', path, '--profile', 'finereport'], 'zh-CN');
    expect(zh.stderr).toContain('不是普通文件');
  });

  it('a configuration file larger than 16 MiB is refused, not parsed', async () => {
    const r = await plan(huge('big.conf'), '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'NGINX_CONF_UNREADABLE', evidence: { errno: 'FILE_TOO_LARGE' } } });
  });

  it('an include that is a FIFO names the including file and line, and says why', async () => {
    const conf = copyNginxFixture(dir.path, 'debian');
    const pipe = join(dirname(conf), 'conf.d', 'pipe.conf');
    const made = spawnSync('mkfifo', [pipe]);
    expect(made.status).toBe(0);
    const r = await plan(conf, '--cert', certPath, '--key', keyPath, '--json');
    expect(r.code).toBe(2);
    const error = (JSON.parse(r.stdout) as { error: { code: string; message: string; evidence: Record<string, unknown> } }).error;
    expect(error.code).toBe('NGINX_CONF_INVALID');
    expect(error.evidence).toMatchObject({ file: conf, reason: 'include-unreadable' });
    expect(error.message).toContain(pipe);
    expect(error.message).toContain('not a regular file');
  });

  it('--cert naming a FIFO or /dev/zero is refused as an unreadable certificate', async () => {
    const conf = copyNginxFixture(dir.path, 'debian');
    const r = await plan(conf, '--cert', fifo('cert.pem'), '--key', keyPath, '--json');
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'NGINX_CERT_UNREADABLE', evidence: { errno: 'FILE_NOT_REGULAR' } } });
    const zero = await plan(conf, '--cert', certPath, '--key', '/dev/zero', '--json');
    expect(JSON.parse(zero.stdout)).toMatchObject({ ok: false, error: { code: 'NGINX_CERT_UNREADABLE', evidence: { path: '/dev/zero', errno: 'FILE_NOT_REGULAR' } } });
  });

  it('a regular configuration still plans (the limits do not get in the way)', async () => {
    const conf = copyNginxFixture(dir.path, 'debian');
    writeFileSync(join(dirname(conf), 'conf.d', 'note.conf'), '# an ordinary included file\n');
    const r = await plan(conf, '--cert', certPath, '--key', keyPath, '--https-port', '8443');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
