import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { argvLooksSecret, maskSecretArgs } from '../../main/engine/common/secret-args.js';
import { productService } from '../../main/engine/nginx/plan/fine-service.js';
import { realPorts } from '../../main/engine/ports/index.js';
import { freePorts } from '../harness/ports.js';

/**
 * Method two restarts a product that runs as a plain process with its command line from /proc
 * (issue 13). A command line that carries a password must never be copied into a plan or the
 * journal: the planner then leaves the restart to the admin and says why. Real processes on
 * loopback ports; the "secret" is made up by the test.
 */
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

async function listen(port: number, extra: readonly string[]): Promise<number> {
  const code = `require('node:net').createServer().listen(${port}, '127.0.0.1', () => console.log('up'))`;
  child = spawn(process.execPath, ['-e', code, '--', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(child.stdout!, 'data');
  return child.pid!;
}

describe('the product as a process: its command line', () => {
  it('is used word for word when it holds no secret', async () => {
    const [app, ws] = (await freePorts(2)) as [number, number];
    const pid = await listen(app, ['--report-server', '--port', String(app)]);
    const found = await productService(realPorts.fs, null, { host: '127.0.0.1', port: app }, ws);
    expect(found).toMatchObject({ how: 'process', service: { kind: 'process', pid } });
    expect(found !== null && 'service' in found && found.service.kind === 'process' ? found.service.argv.slice(-3) : null).toEqual(['--report-server', '--port', String(app)]);
  });

  it('is refused, and never returned, when it holds what looks like a password', async () => {
    const [app, ws] = (await freePorts(2)) as [number, number];
    const pid = await listen(app, ['-Djavax.net.ssl.keyStorePassword=not-a-real-secret-123']);
    const found = await productService(realPorts.fs, null, { host: '127.0.0.1', port: app }, ws);
    expect(found).toEqual({ secretArgs: true, pid });
    expect(JSON.stringify(found)).not.toContain('not-a-real-secret-123');
  });

  it('knows the usual spellings of a secret argument', () => {
    for (const a of ['--password=x', '--db-passwd', '-Dkeystore.pass=x', '--token', 'API_KEY=x', '--client-secret=x', 'credentials.json', '--private-key=/k']) expect(argvLooksSecret([a]), a).toBe(true);
    for (const a of ['/usr/bin/java', '-Xmx2g', '-Dcatalina.base=/opt/fr', '--port', '8080', 'org.apache.catalina.startup.Bootstrap', 'start']) expect(argvLooksSecret([a]), a).toBe(false);
  });

  it('detect shows the command line with secret values masked, names kept', () => {
    expect(maskSecretArgs(['java', '-Djavax.net.ssl.keyStorePassword=s3cr3t', '--db-password', 's3cr3t', '--port', '8080', '--token'])).toEqual(['java', '-Djavax.net.ssl.keyStorePassword=••••', '--db-password', '••••', '--port', '8080', '--token']);
  });
});
