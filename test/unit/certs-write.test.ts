import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { engineContext } from '../../main/engine/common/context.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../main/engine/common/engine-error.js';
import { ownerOnlyAclCommand } from '../../main/engine/certs/owner-only-acl.js';
import { certServer } from '../../main/engine/certs/server-cert.js';
import { writeFilesAtomically } from '../../main/engine/certs/write-files.js';
import { realPorts, type FilePort, type ProcessPort } from '../../main/engine/ports/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { CertServerInputSchema } from '../../shared/contract/certs.js';
import { days, makeCa, makeLeaf } from '../harness/certs.js';
import { failingFs } from '../harness/faulty-ports.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir('wss-setup-certs-write-');
const data = tempDir('wss-setup-certs-write-data-');
let n = 0;
const fresh = () => {
  const p = join(dir.path, `case-${++n}`);
  mkdirSync(p);
  return p;
};
const ctx = engineContext();

beforeAll(async () => {
  process.env.WSS_SETUP_DATA_DIR = data.path;
  const ca = await runOperation('certCa', {});
  if (!ca.ok) throw new Error(JSON.stringify(ca.error));
});
afterAll(() => {
  delete process.env.WSS_SETUP_DATA_DIR;
  dir.cleanup();
  data.cleanup();
});

/** Placeholder material: --overwrite replaces only files that hold a certificate, key or keystore. */
const pem = (type: string, body: string) => `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;
const ports = realPorts;

describe('writing files as one unit', () => {
  it('writes keys 0600 and certificates 0644, leaving no temp files', async () => {
    const d = fresh();
    await writeFilesAtomically(
      [
        { path: join(d, 'a.key'), content: 'KEY', secret: true },
        { path: join(d, 'a.crt'), content: 'CRT', secret: false },
      ],
      { overwrite: false, lang: 'en' },
      ports,
    );
    expect(readdirSync(d).sort()).toEqual(['a.crt', 'a.key']);
    expect(statSync(join(d, 'a.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(d, 'a.crt')).mode & 0o777).toBe(0o644);
  });

  it('never replaces an existing file without overwrite, and writes none of the others', async () => {
    const d = fresh();
    writeFileSync(join(d, 'b.crt'), 'OLD');
    await expect(
      writeFilesAtomically(
        [
          { path: join(d, 'b.key'), content: 'KEY', secret: true },
          { path: join(d, 'b.crt'), content: 'NEW', secret: false },
        ],
        { overwrite: false, lang: 'en' },
        ports,
      ),
    ).rejects.toMatchObject({ code: 'CERT_FILE_EXISTS', params: { path: join(d, 'b.crt') } });
    expect(readdirSync(d)).toEqual(['b.crt']);
    expect(readFileSync(join(d, 'b.crt'), 'utf8')).toBe('OLD');
  });

  it('replaces files with overwrite', async () => {
    const d = fresh();
    writeFileSync(join(d, 'c.crt'), pem('CERTIFICATE', 'OLD'));
    await writeFilesAtomically([{ path: join(d, 'c.crt'), content: 'NEW', secret: false }], { overwrite: true, lang: 'en' }, ports);
    expect(readFileSync(join(d, 'c.crt'), 'utf8')).toBe('NEW');
    expect(readdirSync(d)).toEqual(['c.crt']);
  });

  it.each([
    ['writing the second file fails', 2],
    ['writing the third file fails', 3],
  ] as const)('removes what was placed when %s (nothing half-written)', async (_name, nth) => {
    const d = fresh();
    const files = ['x.key', 'x.crt', 'x.p12'].map((f) => ({ path: join(d, f), content: f, secret: f !== 'x.crt' }));
    const error = await writeFilesAtomically(files, { overwrite: false, lang: 'en' }, { ...ports, fs: failingFs({ failAtWrite: nth }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('CERT_WRITE_FAILED');
    expect(readdirSync(d)).toEqual([]);
  });

  it('restores the previous files when replacing fails half-way', async () => {
    const d = fresh();
    writeFileSync(join(d, 'y.key'), pem('PRIVATE KEY', 'OLD KEY'));
    writeFileSync(join(d, 'y.crt'), pem('CERTIFICATE', 'OLD CRT'));
    const files = [
      { path: join(d, 'y.key'), content: 'NEW KEY', secret: true },
      { path: join(d, 'y.crt'), content: 'NEW CRT', secret: false },
    ];
    // Write #1 replaces y.key, write #2 (the new y.crt) fails: y.key is put back from its receipt.
    await expect(writeFilesAtomically(files, { overwrite: true, lang: 'en' }, { ...ports, fs: failingFs({ failAtWrite: 2 }) })).rejects.toMatchObject({ code: 'CERT_WRITE_FAILED' });
    expect(readdirSync(d).sort()).toEqual(['y.crt', 'y.key']);
    expect(readFileSync(join(d, 'y.key'), 'utf8')).toBe(pem('PRIVATE KEY', 'OLD KEY'));
    expect(readFileSync(join(d, 'y.crt'), 'utf8')).toBe(pem('CERTIFICATE', 'OLD CRT'));
  });

  it('on Windows restricts the ACL of an empty key file to the owner before the key goes in', async () => {
    const d = fresh();
    const events: string[] = [];
    const fs: FilePort = {
      ...realPorts.fs,
      writeAtomic: async (p, content, options) => {
        events.push(`create ${content.length === 0 ? 'empty' : 'content'}`);
        return realPorts.fs.writeAtomic(p, content, options);
      },
    };
    const fillInPlace = async (p: string, content: Uint8Array) => {
      events.push('fill');
      writeFileSync(p, content);
    };
    const runner: ProcessPort = {
      ...realPorts.process,
      run: async ({ command, args }) => {
        events.push(`${command} ${args.slice(1).join(' ')}`);
        expect(args[0]).toBe(join(d, 'z.key'));
        return { code: 0, signal: null, stdout: '', stderr: '', timedOut: false };
      },
    };
    await writeFilesAtomically([{ path: join(d, 'z.key'), content: 'KEY', secret: true }], { overwrite: false, lang: 'en', platform: 'win32', env: { USERNAME: 'admin', USERDOMAIN: 'CORP' }, fillInPlace }, { fs, process: runner });
    expect(events).toEqual(['create empty', 'icacls /inheritance:r /grant:r CORP\\admin:(F)', 'fill']);
    expect(readFileSync(join(d, 'z.key'), 'utf8')).toBe('KEY');
  });

  it('builds the owner-only icacls command', () => {
    expect(ownerOnlyAclCommand('C:\\certs\\server.key', { USERNAME: 'report', USERDOMAIN: 'WIN-01' })).toEqual({
      command: 'icacls',
      args: ['C:\\certs\\server.key', '/inheritance:r', '/grant:r', 'WIN-01\\report:(F)'],
    });
    expect(ownerOnlyAclCommand('C:\\k.key', { USERNAME: 'report' }).args[3]).toBe('report:(F)');
  });
});

describe('bad input to the operations: a clear message, nothing written', () => {
  const server = (outDir: string, extra: Record<string, unknown> = {}) => runOperation('certServer', { names: ['localhost'], outDir, ...extra });

  it('rejects a relative output folder', async () => {
    const r = await server('certs/out');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('INVALID_INPUT');
    expect(r.error.message).toContain('The path "certs/out" is not absolute');
  });

  it('names a missing output folder', async () => {
    const r = await server(join(dir.path, 'does-not-exist'));
    expect(!r.ok && [r.error.code, r.error.message]).toEqual(['CERT_DIR_MISSING', `The folder ${join(dir.path, 'does-not-exist')} does not exist.`]);
  });

  it('keeps an existing key and writes nothing else', async () => {
    const d = fresh();
    writeFileSync(join(d, 'server.key'), pem('PRIVATE KEY', 'precious'));
    const r = await server(d, { formats: ['pem', 'pkcs12'], keystorePassword: 'secret-pw' });
    expect(!r.ok && r.error.code).toBe('CERT_FILE_EXISTS');
    expect(readdirSync(d)).toEqual(['server.key']);
    expect(readFileSync(join(d, 'server.key'), 'utf8')).toBe(pem('PRIVATE KEY', 'precious'));
    const again = await server(d, { overwrite: true });
    expect(again.ok).toBe(true);
    expect(readFileSync(join(d, 'server.key'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
  });

  it('refuses an expired certificate on import', async () => {
    const d = fresh();
    const src = fresh();
    const ca = makeCa();
    const expired = makeLeaf(ca, { names: ['localhost'], notBefore: days(-400), notAfter: days(-2) });
    writeFileSync(join(src, 'old.crt'), expired.cert);
    writeFileSync(join(src, 'old.key'), expired.key);
    const r = await runOperation('certImport', { source: { kind: 'pem', certFile: join(src, 'old.crt'), keyFile: join(src, 'old.key') }, outDir: d });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('CERT_EXPIRED');
    expect(r.error.message).toMatch(/^The certificate "CN=localhost" expired on \d{4}-\d\d-\d\dT/);
    expect(readdirSync(d)).toEqual([]);
  });

  it('says why ECDSA is not offered and proposes RSA', async () => {
    const d = fresh();
    const r = await server(d, { keyType: 'ecdsa-p256' });
    expect(!r.ok && r.error.code).toBe('CERT_ECDSA_UNSUPPORTED');
    expect(!r.ok && r.error.message).toMatch(/node-forge\) signs and encodes RSA only/);
    expect(!r.ok && r.error.fix).toMatch(/Use an RSA key/);
    expect(readdirSync(d)).toEqual([]);
  });

  it('limits server certificates to 825 days and keystore passwords to 6+ characters, without echoing the password', async () => {
    const d = fresh();
    const long = await server(d, { validityDays: 900 });
    expect(!long.ok && long.error.message).toMatch(/Use 1 to 825 days/);
    const short = await server(d, { formats: ['pkcs12'], keystorePassword: 'ab#1' });
    expect(!short.ok && short.error.message).toMatch(/at least 6 characters/);
    expect(JSON.stringify(short)).not.toContain('ab#1');
    const none = await server(d, { formats: ['pkcs12'] });
    expect(!none.ok && none.error.message).toMatch(/keystorePassword: A keystore password is needed/);
    expect(readdirSync(d)).toEqual([]);
  });

  it('says clearly when keytool is absent, before generating anything', async () => {
    const d = fresh();
    const input = CertServerInputSchema.parse({ names: ['localhost'], outDir: d, formats: ['pem', 'jks'], keystorePassword: 'changeit' });
    const error = await certServer(input, ctx, { env: { PATH: join(dir.path, 'empty-bin'), JAVA_HOME: join(dir.path, 'no-jdk') } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CERT_KEYTOOL_MISSING' });
    expect(readdirSync(d)).toEqual([]);
  });

  it('does not replace the local CA unless told to', async () => {
    const first = await runOperation('certCa', {});
    expect(!first.ok && first.error.code).toBe('CERT_CA_EXISTS');
    const reuse = await runOperation('certCa', { ifExists: 'reuse' });
    expect(reuse.ok && reuse.value.created).toBe(false);
    const replaced = await runOperation('certCa', { ifExists: 'replace', keySize: 2048 });
    expect(replaced.ok && replaced.value.created).toBe(true);
    expect(replaced.ok && reuse.ok && replaced.value.certificate.fingerprint256).not.toBe(reuse.ok && reuse.value.certificate.fingerprint256);
    expect(readdirSync(join(data.path, 'ca')).sort()).toEqual(['ca.crt', 'ca.key']);
  });

  it('reports a damaged local CA (key missing) instead of using it', async () => {
    const broken = tempDir('wss-setup-certs-brokenca-');
    mkdirSync(join(broken.path, 'ca'));
    writeFileSync(join(broken.path, 'ca', 'ca.crt'), makeCa().cert);
    process.env.WSS_SETUP_DATA_DIR = broken.path;
    try {
      const r = await server(fresh());
      expect(!r.ok && r.error.code).toBe('CERT_CA_INVALID');
      expect(!r.ok && r.error.message).toMatch(/damaged or incomplete/);
    } finally {
      process.env.WSS_SETUP_DATA_DIR = data.path;
      broken.cleanup();
    }
  });

  it('asks for the local CA before issuing when there is none', async () => {
    const empty = tempDir('wss-setup-certs-noca-');
    process.env.WSS_SETUP_DATA_DIR = empty.path;
    try {
      const r = await server(fresh());
      expect(!r.ok && r.error.code).toBe('CERT_CA_MISSING');
      expect(!r.ok && r.error.fix).toMatch(/wss-setup cert ca/);
    } finally {
      process.env.WSS_SETUP_DATA_DIR = data.path;
      empty.cleanup();
    }
  });
});
