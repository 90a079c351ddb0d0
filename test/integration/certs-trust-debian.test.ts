import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runOperation } from '../../main/engine/run-operation.js';
import { tempDir } from '../harness/temp.js';

/**
 * The one test that touches the real trust store of this machine (CI runs as root in a
 * throwaway machine): the local CA is installed into the Debian store, `openssl verify -CApath
 * /etc/ssl/certs` accepts a server certificate it issued, and after "remove" refuses it again.
 * Removal is certain: a finally block takes the anchor out even when an assertion failed.
 */
const ANCHORS = '/usr/local/share/ca-certificates';
const reason =
  process.platform !== 'linux'
    ? 'not Linux'
    : process.getuid?.() !== 0
      ? 'not running as root (the system trust store needs it)'
      : !existsSync('/usr/sbin/update-ca-certificates')
        ? 'update-ca-certificates is not installed'
        : process.env.WSS_SETUP_NO_SYSTEM_TRUST
          ? 'WSS_SETUP_NO_SYSTEM_TRUST is set'
          : null;
if (reason !== null) console.warn(`certs-trust-debian: skipped because ${reason}`);

const data = tempDir('wss-setup-certs-trust-real-');
const label = `wss-setup-test-${randomBytes(4).toString('hex')}`;
const anchor = join(ANCHORS, `${label}.crt`);
afterAll(() => data.cleanup());

const verify = (file: string) => spawnSync('openssl', ['verify', '-CApath', '/etc/ssl/certs', file], { encoding: 'utf8' });

describe.skipIf(reason !== null)('the real Debian trust store', () => {
  it('installs the local CA so that openssl verify -CApath /etc/ssl/certs accepts its certificates, and removes it again', async () => {
    process.env.WSS_SETUP_DATA_DIR = data.path;
    try {
      const ca = await runOperation('certCa', { commonName: `wss-setup trust test ${label}`, keySize: 2048 });
      if (!ca.ok) throw new Error(JSON.stringify(ca.error));
      const server = await runOperation('certServer', { names: ['localhost'], outDir: data.path });
      if (!server.ok) throw new Error(JSON.stringify(server.error));
      const leaf = join(data.path, 'leaf.pem');
      writeFileSync(leaf, readFileSync(server.value.files[0]!.path, 'utf8').split(/(?<=-----END CERTIFICATE-----\n)/)[0]!);

      expect(verify(leaf).status, 'before install').not.toBe(0);

      const installed = await runOperation('certTrust', { action: 'install', label });
      if (!installed.ok) throw new Error(JSON.stringify(installed.error));
      expect(installed.value).toMatchObject({ store: 'debian', installed: true, anchorPath: anchor, commands: [['update-ca-certificates']] });
      const ok = verify(leaf);
      expect(`${ok.stdout}${ok.stderr}`, 'after install').toContain(': OK');
      expect(ok.status).toBe(0);

      const removed = await runOperation('certTrust', { action: 'remove', label });
      if (!removed.ok) throw new Error(JSON.stringify(removed.error));
      expect(removed.value.installed).toBe(false);
      expect(existsSync(anchor)).toBe(false);
      expect(verify(leaf).status, 'after remove').not.toBe(0);
    } finally {
      if (existsSync(anchor)) {
        rmSync(anchor, { force: true });
        spawnSync('update-ca-certificates', ['--fresh'], { stdio: 'ignore' });
      }
      delete process.env.WSS_SETUP_DATA_DIR;
    }
  });
});
