import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NginxPlanInput } from '../../shared/contract/nginx.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { failingRunner, portsWith } from '../harness/faulty-ports.js';
import { copyNginxFixture, writeCertPair } from '../harness/fixtures.js';
import { nginxAvailable } from '../harness/nginx.js';
import { tempDir } from '../harness/temp.js';

/**
 * Planning through a process port that fails: nginx -t that cannot start or is killed judged
 * nothing, so the plan is refused with NGINX_TEST_NOT_RUN (never "your configuration is broken"),
 * and nothing in the tree is touched. A real nginx -t failure is still blamed on the edit.
 */
const dir = tempDir('wss-setup-nginx-faults-');
let certPath: string;
let keyPath: string;

beforeAll(() => {
  if (!nginxAvailable()) throw new Error('nginx is required for these tests (apt-get install nginx)');
  ({ certPath, keyPath } = writeCertPair(dir.path, ['reports.example.com']));
});
afterAll(() => dir.cleanup());

function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[p] = readFileSync(p, 'latin1');
    }
  };
  walk(root);
  return out;
}

const isNginxT = (r: { args: readonly string[] }) => r.args.includes('-t');

describe('planning when the process runner fails', () => {
  it.each(['spawn-error', 'timeout'] as const)('nginx -t %s: NGINX_TEST_NOT_RUN, not blamed on the configuration; nothing written', async (mode) => {
    const main = copyNginxFixture(dir.path, 'debian');
    const before = snapshot(dirname(main));
    const input: NginxPlanInput = { nginxConf: main, profile: 'finereport', serverNames: ['reports.example.com'], certPath, keyPath, httpsPort: 8443 };
    const result = await runOperation('planNginxProxy', input, { lang: 'en', ports: portsWith({ process: failingRunner({ failAtRun: 1, mode, match: isNginxT }) }) });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('NGINX_TEST_NOT_RUN');
    expect(result.error.evidence).toMatchObject({ reason: mode === 'timeout' ? 'timeout' : 'EIO' });
    expect(result.error.message).not.toMatch(/\n\s+at /);
    expect(snapshot(dirname(main))).toEqual(before);
  });

  it('nginx -t rejecting the edited tree (the baseline passing) is still NGINX_TEST_FAILED with nginx\'s words', async () => {
    const main = copyNginxFixture(dir.path, 'debian');
    let runs = 0;
    const first = failingRunner({ failAtRun: 1, mode: 'exit-1', match: (r) => isNginxT(r) && ++runs === 1 });
    const result = await runOperation('planNginxProxy', { nginxConf: main, profile: 'finereport', serverNames: ['reports.example.com'], certPath, keyPath, httpsPort: 8443 }, { lang: 'en', ports: portsWith({ process: first }) });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('NGINX_TEST_FAILED');
      expect(result.error.message).toContain('injected failure');
    }
  });
});
