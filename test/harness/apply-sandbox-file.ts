import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runOperation } from '../../main/engine/run-operation.js';
import { createSandbox, type Sandbox } from './apply-sandbox.js';
import { nginxAvailable } from './nginx.js';
import { tempDir } from './temp.js';

/**
 * One apply sandbox for a test file: its temp folder, the data folder inside it for the file's
 * run (WSS_SETUP_DATA_DIR set before and put back after), nginx required, optionally the local CA
 * made first (plans that issue at apply time). `onReady` receives the sandbox once it runs; the
 * sandbox is closed and the folder removed after the file. Returns the temp folder.
 */
export function sandboxPerFile(prefix: string, options: { readonly localCa?: boolean }, onReady: (sandbox: Sandbox) => void): { readonly path: string } {
  const dir = tempDir(prefix);
  const previousDataDir = process.env.WSS_SETUP_DATA_DIR;
  let made: Sandbox | undefined;
  beforeAll(async () => {
    if (!nginxAvailable()) throw new Error('nginx is required (apt-get install nginx)');
    process.env.WSS_SETUP_DATA_DIR = join(dir.path, 'data');
    made = await createSandbox(join(dir.path, 'sandbox'));
    onReady(made);
    if (options.localCa === true) {
      const ca = await runOperation('certCa', {}, { lang: 'en' });
      if (!ca.ok) throw new Error(JSON.stringify(ca.error));
    }
  });
  afterAll(async () => {
    await made?.close();
    if (previousDataDir === undefined) delete process.env.WSS_SETUP_DATA_DIR;
    else process.env.WSS_SETUP_DATA_DIR = previousDataDir;
    dir.cleanup();
  });
  return { path: dir.path };
}
