import { X509Certificate } from 'node:crypto';
import { engineContext, type OpContext } from '../../main/engine/common/context.js';
import type { ProcessPort } from '../../main/engine/ports/index.js';
import { portsWith } from '../harness/faulty-ports.js';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certTrust, detectTrustStore, type TrustRequest, type TrustSystem } from '../../main/engine/certs/trust-store.js';
import { EngineError } from '../../main/engine/common/engine-error.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { CertTrustInputSchema } from '../../shared/contract/certs.js';
import { makeCa, makeLeaf } from '../harness/certs.js';
import { tempDir } from '../harness/temp.js';

/**
 * The trust store through its runner interface: temp folders stand in for the anchor folders
 * and a recording runner shows which commands would run (the real Debian store is exercised by
 * test/integration/certs-trust-debian.test.ts).
 */
const dir = tempDir('wss-setup-certs-trust-');
const ca = makeCa('Trust Test CA');
const caFile = join(dir.path, 'ca.crt');

interface Recorded {
  readonly sys: TrustSystem;
  readonly ran: string[][];
  /** Runs commands through a recording ProcessPort. */
  readonly ctx: OpContext;
}

function system(platform: NodeJS.Platform, programs: readonly string[], answer: (argv: string[]) => { code: number; stdout?: string; stderr?: string } = () => ({ code: 0 })): Recorded {
  const root = join(dir.path, `${platform}-${Math.random().toString(16).slice(2)}`);
  const bin = join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  for (const p of programs) writeFileSync(join(bin, p), '');
  const ran: string[][] = [];
  const runner: ProcessPort = {
    run: async ({ command, args }) => {
      ran.push([command, ...args]);
      const a = answer([command, ...args]);
      return { code: a.code, signal: null, stdout: a.stdout ?? '', stderr: a.stderr ?? '', timedOut: false };
    },
    start: () => {
      throw new Error('not used');
    },
  };
  return {
    ran,
    ctx: engineContext({ ports: portsWith({ process: runner }) }),
    sys: {
      platform,
      exists: (p) => p.startsWith(bin) && existsSync(p),
      env: { PATH: bin },
      debianDir: join(root, 'usr/local/share/ca-certificates'),
      rhelDir: join(root, 'etc/pki/ca-trust/source/anchors'),
    },
  };
}

const request = (action: string, extra: Record<string, unknown> = {}): TrustRequest => CertTrustInputSchema.parse({ action, caFile, ...extra });

beforeAll(() => writeFileSync(caFile, ca.cert));
afterAll(() => dir.cleanup());

describe('which trust store applies', () => {
  it('detects Debian, RHEL, Windows and the rest', () => {
    expect(detectTrustStore(system('linux', ['update-ca-certificates']).sys)).toBe('debian');
    expect(detectTrustStore(system('linux', ['update-ca-trust']).sys)).toBe('rhel');
    expect(detectTrustStore(system('win32', []).sys)).toBe('windows');
    expect(detectTrustStore(system('linux', []).sys)).toBe('unsupported');
    expect(detectTrustStore(system('darwin', []).sys)).toBe('unsupported');
  });
});

describe('Debian / Ubuntu', () => {
  it('installs as <label>.crt, runs update-ca-certificates, and removes with one action', async () => {
    const { sys, ran, ctx } = system('linux', ['update-ca-certificates']);
    const installed = await certTrust(request('install'), ctx, sys);
    const anchor = join(sys.debianDir, 'wss-setup-local-ca.crt');
    expect(installed).toMatchObject({ store: 'debian', installed: true, anchorPath: anchor, commands: [['update-ca-certificates']] });
    expect(readFileSync(anchor, 'utf8')).toContain('BEGIN CERTIFICATE');
    expect((await certTrust(request('status'), ctx, sys)).installed).toBe(true);
    const removed = await certTrust(request('remove'), ctx, sys);
    expect(removed).toMatchObject({ installed: false, commands: [['update-ca-certificates', '--fresh']] });
    expect(existsSync(anchor)).toBe(false);
    expect(ran).toEqual([['update-ca-certificates'], ['update-ca-certificates', '--fresh']]);
  });

  it('status says not installed when another certificate sits under the label', async () => {
    const { sys, ctx } = system('linux', ['update-ca-certificates']);
    mkdirSync(sys.debianDir, { recursive: true });
    writeFileSync(join(sys.debianDir, 'wss-setup-local-ca.crt'), makeCa('Someone else').cert);
    expect((await certTrust(request('status'), ctx, sys)).installed).toBe(false);
  });

  it('reports a failing update-ca-certificates with its output', async () => {
    const { sys, ctx } = system('linux', ['update-ca-certificates'], () => ({ code: 1, stderr: 'run-parts: failed' }));
    const error = await certTrust(request('install'), ctx, sys).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({ code: 'CERT_TRUST_FAILED', params: { command: 'update-ca-certificates', detail: expect.stringContaining('run-parts: failed') } });
  });
});

describe('RHEL family', () => {
  it('installs into the anchors folder and runs update-ca-trust extract', async () => {
    const { sys, ran, ctx } = system('linux', ['update-ca-trust']);
    const out = await certTrust(request('install', { label: 'reports-ca' }), ctx, sys);
    expect(out.anchorPath).toBe(join(sys.rhelDir, 'reports-ca.pem'));
    expect(out.installed).toBe(true);
    await certTrust(request('remove', { label: 'reports-ca' }), ctx, sys);
    expect(ran).toEqual([
      ['update-ca-trust', 'extract'],
      ['update-ca-trust', 'extract'],
    ]);
  });
});

describe('Windows', () => {
  const sha1 = () => new X509Certificate(ca.cert).fingerprint.replace(/:/g, '');

  it('adds to and deletes from the machine Root store with certutil', async () => {
    let present = false;
    const { sys, ran, ctx } = system('win32', [], (argv) => {
      if (argv[1] === '-addstore') present = true;
      if (argv[1] === '-delstore') present = false;
      if (argv[1] === '-store') return { code: present ? 0 : 1 };
      return { code: 0 };
    });
    const installed = await certTrust(request('install'), ctx, sys);
    expect(installed.installed).toBe(true);
    expect(installed.anchorPath).toBeNull();
    const removed = await certTrust(request('remove'), ctx, sys);
    expect(removed.installed).toBe(false);
    expect(ran).toEqual([
      ['certutil', '-addstore', '-f', 'Root', caFile],
      ['certutil', '-store', 'Root', sha1()],
      ['certutil', '-delstore', 'Root', sha1()],
      ['certutil', '-store', 'Root', sha1()],
    ]);
  });

  it('says that administrator rights are needed when certutil is denied', async () => {
    const { sys, ctx } = system('win32', [], () => ({ code: 5, stdout: 'CertUtil: -addstore command FAILED: 0x80070005 (WIN32: 5 ERROR_ACCESS_DENIED) Access is denied.' }));
    await expect(certTrust(request('install'), ctx, sys)).rejects.toMatchObject({ code: 'CERT_TRUST_PERMISSION' });
  });
});

describe('steps and refusals', () => {
  it('prints the NSS/Firefox and client steps with the label and the SHA-1 thumbprint', async () => {
    const { sys, ran, ctx } = system('linux', ['update-ca-certificates']);
    const out = await certTrust(request('steps'), ctx, sys);
    expect(ran).toEqual([]);
    expect(out.steps.map((s) => s.id)).toEqual(['os', 'nss', 'firefox', 'client-windows', 'client-macos', 'client-debian', 'client-rhel']);
    expect(out.steps[1]!.commands[0]).toBe(`certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "wss-setup-local-ca" -i "${caFile}"`);
    expect(out.steps[3]!.commands[1]).toMatch(/^certutil -delstore Root [0-9A-F]{40}$/);
    const zh = await certTrust(request('steps'), { ...ctx, lang: 'zh-CN' }, sys);
    expect(zh.steps[2]!.title).toBe('Firefox');
    expect(zh.steps[3]!.title).toBe('Windows 客户端');
  });

  it('refuses install where the store is not managed, but still gives the steps', async () => {
    const { sys, ctx } = system('darwin', []);
    await expect(certTrust(request('install'), ctx, sys)).rejects.toMatchObject({ code: 'CERT_TRUST_UNSUPPORTED' });
    expect((await certTrust(request('steps'), ctx, sys)).steps.length).toBe(7);
  });

  it('refuses a server certificate as the CA to trust', async () => {
    const leafFile = join(dir.path, 'leaf.crt');
    writeFileSync(leafFile, makeLeaf(ca, { names: ['a.example.com'] }).cert);
    const r = await runOperation('certTrust', { action: 'status', caFile: leafFile });
    expect(!r.ok && r.error.code).toBe('CERT_NOT_CA');
  });
});
