import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointReport } from '../../shared/contract/index.js';
import { useSystemTrustFiles } from '../../main/engine/health/trust-context.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { makeCa, makeLeaf } from '../harness/certs.js';
import { freePort } from '../harness/ports.js';
import { startRawWsServer, type RawWsServer } from '../harness/raw-ws.js';
import { tempDir } from '../harness/temp.js';

/**
 * Issue 9, item 23: the check trusts the machine's system store and re-reads it when it changes,
 * so right after "Install CA" a check in the same (serve-mode) process says ok. The store here is
 * a bundle file in a temp folder handed to the engine; the real system store is never touched.
 */
const dir = tempDir('wss-setup-health-trust-');
const store = join(dir.path, 'etc-ssl-certs');
const bundle = join(store, 'ca-certificates.crt');
let server: RawWsServer;
let ca: ReturnType<typeof makeCa>;
let otherCa: ReturnType<typeof makeCa>;

async function one(url: string): Promise<EndpointReport> {
  const result = await runOperation('check', { urls: [url], timeoutMs: 8000 }, { lang: 'en' });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value.endpoints[0]!;
}
const errors = (e: EndpointReport) => e.findings.filter((f) => f.severity === 'error').map((f) => f.code);

beforeAll(async () => {
  ca = makeCa('wss-setup test local CA');
  otherCa = makeCa('someone else');
  const leaf = makeLeaf(ca, { names: ['localhost', '127.0.0.1'] });
  server = await startRawWsServer(await freePort(), { kind: 'echo', timing: 'same-write' }, { tls: leaf });
  mkdirSync(store);
  writeFileSync(bundle, otherCa.cert);
  useSystemTrustFiles([bundle]);
});

afterAll(async () => {
  useSystemTrustFiles(null);
  await server?.close();
  dir.cleanup();
});

describe('the system trust store, re-read when it changes', () => {
  it('untrusted, then ok right after the CA enters the store, then untrusted again once it leaves — in one process', async () => {
    const url = `wss://localhost:${server.port}/`;
    const before = await one(url);
    expect(errors(before)).toEqual(['CERT_UNTRUSTED']);
    expect(before.tls?.authorized).toBe(false);

    // What update-ca-certificates does after `cert trust install`: the bundle is rewritten with the CA in it.
    writeFileSync(join(store, 'next.crt'), `${otherCa.cert}${ca.cert}`);
    renameSync(join(store, 'next.crt'), bundle);
    const after = await one(url);
    expect(errors(after)).toEqual([]);
    expect(after.ok).toBe(true);
    expect(after.tls?.authorized).toBe(true);
    expect(after.echo).toBe('ok');

    // `cert trust remove`: rewritten in place without it.
    writeFileSync(bundle, otherCa.cert);
    const removed = await one(url);
    expect(errors(removed)).toEqual(['CERT_UNTRUSTED']);
  });

  it('a store path that is a FIFO, a folder or absent adds nothing and never blocks', async () => {
    const fifo = join(dir.path, 'fifo.crt');
    const made = spawnSync('mkfifo', [fifo]);
    const folder = join(dir.path, 'folder.crt');
    mkdirSync(folder);
    useSystemTrustFiles([...(made.status === 0 ? [fifo] : []), folder, join(dir.path, 'absent.crt')]);
    try {
      const e = await one(`wss://localhost:${server.port}/`);
      expect(errors(e)).toEqual(['CERT_UNTRUSTED']);
    } finally {
      useSystemTrustFiles([bundle]);
    }
  });
});
