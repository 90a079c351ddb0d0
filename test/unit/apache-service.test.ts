import { chownSync, existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { adapterFor, type ProcessPort, type RunRequest } from '../../main/engine/services/index.js';
import { tempDir } from '../harness/temp.js';

/**
 * The Apache adapter for a private ServerRoot (ServiceRef.root): httpd itself with -d, and the
 * APACHE_* values read from the tree's envvars as data — never apache2ctl, which would source the
 * system's envvars (its pid file) and run a shell script.
 */
const dir = tempDir('wss-setup-apache-service-');
afterAll(() => dir.cleanup());

function recording() {
  const calls: RunRequest[] = [];
  const port: ProcessPort = {
    run: async (req) => {
      calls.push(req);
      return { code: 0, signal: null, stdout: '', stderr: '', timedOut: false };
    },
    start: () => {
      throw new Error('not used');
    },
  };
  return { port, calls };
}

function tree(name: string, envvars: 'file' | 'link' | 'none') {
  const root = join(dir.path, name);
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const p of ['apache2ctl', 'apache2']) writeFileSync(join(bin, p), '');
  const text = 'unset HOME\nexport APACHE_RUN_USER=www-data\nexport APACHE_RUN_DIR=/private/run\nexport APACHE_PID_FILE=${APACHE_RUN_DIR}/apache2.pid\nexport APACHE_LOCK_DIR=/private/lock\nexport APACHE_LOG_DIR=/private/log\nexport OTHER=x\n';
  if (envvars === 'file') writeFileSync(join(root, 'envvars'), text);
  if (envvars === 'link') {
    writeFileSync(join(dir.path, `${name}-real-envvars`), text);
    symlinkSync(join(dir.path, `${name}-real-envvars`), join(root, 'envvars'));
  }
  return { root, apachectl: join(bin, 'apache2ctl'), conf: join(root, 'apache2.conf') };
}

describe('Apache in a private ServerRoot', () => {
  it('stop and start run httpd with -d <root> -f <conf> and the envvars values, never apache2ctl nor the envvars script', async () => {
    const t = tree('debian', 'file');
    const { port, calls } = recording();
    const adapter = adapterFor({ kind: 'apache', apachectl: t.apachectl, conf: t.conf, root: t.root }, { process: port, clock: { now: () => new Date(), sleep: async () => undefined }, platform: 'linux' });
    await adapter.stop();
    await adapter.start();
    expect(calls.map((c) => [c.command, ...c.args].join(' '))).toEqual([`${t.root}/bin/apache2 -d ${t.root} -f ${t.conf} -k stop`, `${t.root}/bin/apache2 -d ${t.root} -f ${t.conf} -k start`]);
    for (const c of calls) {
      expect(c.env).toMatchObject({ APACHE_RUN_USER: 'www-data', APACHE_RUN_DIR: '/private/run', APACHE_PID_FILE: '/private/run/apache2.pid', APACHE_LOCK_DIR: '/private/lock', APACHE_LOG_DIR: '/private/log' });
      expect(c.env).not.toHaveProperty('OTHER');
    }
  });

  it('start makes APACHE_RUN_DIR and APACHE_LOCK_DIR when missing (as apache2ctl does; /run is a tmpfs), stop does not, never in a folder another account owns', async () => {
    const t = tree('rundirs', 'none');
    const run = join(t.root, 'var', 'run-apache2');
    const lock = join(t.root, 'var', 'lock-apache2');
    const linkedParent = join(t.root, 'linked');
    mkdirSync(join(t.root, 'var'));
    mkdirSync(join(dir.path, 'elsewhere'));
    symlinkSync(join(dir.path, 'elsewhere'), linkedParent);
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(join(dir.path, 'elsewhere'), 65534, 65534);
    writeFileSync(join(t.root, 'envvars'), `export APACHE_RUN_DIR=${run}\nexport APACHE_LOCK_DIR=${lock}\nexport APACHE_LOG_DIR=${join(linkedParent, 'log')}\n`);
    const { port } = recording();
    const adapter = adapterFor({ kind: 'apache', apachectl: t.apachectl, conf: t.conf, root: t.root }, { process: port, clock: { now: () => new Date(), sleep: async () => undefined }, platform: 'linux' });
    await adapter.stop();
    expect(existsSync(run)).toBe(false);
    await adapter.start();
    expect(statSync(run).isDirectory()).toBe(true);
    expect(statSync(lock).mode & 0o777).toBe(0o755);
    writeFileSync(join(t.root, 'envvars'), `export APACHE_RUN_DIR=${join(linkedParent, 'run')}\n`);
    await adapterFor({ kind: 'apache', apachectl: t.apachectl, conf: t.conf, root: t.root }, { process: port, clock: { now: () => new Date(), sleep: async () => undefined }, platform: 'linux' }).start();
    if (asRoot) expect(existsSync(join(dir.path, 'elsewhere', 'run'))).toBe(false);
    else console.log('not root: the folder owned by another account is not tested');
  });

  it('a tree without envvars (or with envvars as a link, not followed) keeps apachectl, with -d <root>', async () => {
    for (const kind of ['none', 'link'] as const) {
      const t = tree(`plain-${kind}`, kind);
      const { port, calls } = recording();
      await adapterFor({ kind: 'apache', apachectl: t.apachectl, conf: t.conf, root: t.root }, { process: port, clock: { now: () => new Date(), sleep: async () => undefined }, platform: 'linux' }).stop();
      expect([calls[0]!.command, ...calls[0]!.args].join(' ')).toBe(`${t.apachectl} -d ${t.root} -f ${t.conf} -k stop`);
      expect(calls[0]!.env).not.toHaveProperty('APACHE_PID_FILE');
    }
  });
});
