import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectMaterial } from '../../main/engine/certs/inspect.js';
import { holdsCertificateMaterial } from '../../main/engine/certs/material-kind.js';
import { quoteForShell } from '../../main/engine/certs/shell-quote.js';
import { certTrust, type TrustSystem } from '../../main/engine/certs/trust-store.js';
import { engineContext } from '../../main/engine/common/context.js';
import type { ProcessPort } from '../../main/engine/ports/index.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { main } from '../../main/hosts/cli/main.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { CertTrustInputSchema } from '../../shared/contract/certs.js';
import { failingFs, failingRunner, portsWith } from '../harness/faulty-ports.js';
import { makeCa } from '../harness/certs.js';
import { tempDir } from '../harness/temp.js';

/**
 * Issue 9, items 5, 7, 8, 13 and 22 as the certs module meets them: a failed write leaves
 * nothing behind, `trust remove` takes out only our CA, `--overwrite` replaces only certificate
 * material, printed trust steps are inert in a shell whatever the path holds, and a complete
 * chain whose root is unknown here is not called incomplete.
 */
const dir = tempDir('wss-setup-certs-hardening-');
const data = join(dir.path, 'data');
let n = 0;
const fresh = () => {
  const p = join(dir.path, `case-${++n}`);
  mkdirSync(p);
  return p;
};
const pem = (type: string, body: string) => `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { lang: 'en', stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), interactive: false, env: { ...process.env, KS_PW: 'keystore-pw-1' } };
  const code = await main(args, io);
  return { code, stdout, stderr, all: stdout + stderr };
}

beforeAll(async () => {
  process.env.WSS_SETUP_DATA_DIR = data;
  const ca = await runOperation('certCa', { keySize: 2048 });
  if (!ca.ok) throw new Error(JSON.stringify(ca.error));
});
afterAll(() => {
  delete process.env.WSS_SETUP_DATA_DIR;
  dir.cleanup();
});

describe('item 5: a failed write leaves no file behind', () => {
  it.each([1, 2, 3])('certServer with write %i failing (full disk): CERT_WRITE_FAILED, the folder stays empty', async (failAt) => {
    const out = fresh();
    const r = await runOperation('certServer', { names: ['localhost'], outDir: out, formats: ['pem', 'pkcs12'], keystorePassword: 'keystore-pw-1' }, { ports: portsWith({ fs: failingFs({ failAtWrite: failAt }) }) });
    expect(!r.ok && r.error.code).toBe('CERT_WRITE_FAILED');
    expect(!r.ok && r.error.message).toContain('the disk is full');
    expect(JSON.stringify(r)).not.toContain('keystore-pw-1');
    expect(readdirSync(out)).toEqual([]);
  });

  it.each(['spawn-error', 'exit-1', 'timeout'] as const)('certServer with keytool failing (%s): a clean error, no file written', async (mode) => {
    const out = fresh();
    const r = await runOperation('certServer', { names: ['localhost'], outDir: out, formats: ['pem', 'jks'], keystorePassword: 'keystore-pw-1' }, { ports: portsWith({ process: failingRunner({ failAtRun: 1, mode }) }) });
    expect(!r.ok && r.error.code).toBe('CERT_KEYTOOL_FAILED');
    expect(JSON.stringify(r)).not.toContain('keystore-pw-1');
    expect(readdirSync(out)).toEqual([]);
  });

  it('certImport replacing files puts the old ones back when a later write fails', async () => {
    const src = fresh();
    const made = await runOperation('certServer', { names: ['localhost'], outDir: src });
    expect(made.ok).toBe(true);
    const out = fresh();
    writeFileSync(join(out, 'server.crt'), pem('CERTIFICATE', 'OLD'));
    writeFileSync(join(out, 'server.key'), pem('PRIVATE KEY', 'OLD'));
    const r = await runOperation(
      'certImport',
      { source: { kind: 'pem', certFile: join(src, 'server.crt'), keyFile: join(src, 'server.key') }, outDir: out, overwrite: true },
      { ports: portsWith({ fs: failingFs({ failAtWrite: 2 }) }) },
    );
    expect(!r.ok && r.error.code).toBe('CERT_WRITE_FAILED');
    expect(readdirSync(out).sort()).toEqual(['server.crt', 'server.key']);
    expect(readFileSync(join(out, 'server.crt'), 'utf8')).toBe(pem('CERTIFICATE', 'OLD'));
    expect(readFileSync(join(out, 'server.key'), 'utf8')).toBe(pem('PRIVATE KEY', 'OLD'));
  });
});

describe('item 8: --overwrite replaces only a certificate, key or keystore', () => {
  it('cert export --overwrite refuses a file that holds something else, and leaves it as it was', async () => {
    const victim = join(fresh(), 'passwd');
    const text = 'root:x:0:0:root:/root:/bin/bash\nreport:x:1000:1000::/home/report:/bin/sh\n';
    writeFileSync(victim, text, { mode: 0o644 });
    const r = await cli(['cert', 'export', '--out', victim, '--overwrite']);
    expect(r.code, r.all).toBe(2);
    expect(r.stderr).toContain(`The file ${victim} exists and holds no certificate, key or keystore`);
    expect(readFileSync(victim, 'utf8')).toBe(text);
    // A certificate there is replaced as before.
    writeFileSync(victim, pem('CERTIFICATE', 'OLD'));
    expect((await cli(['cert', 'export', '--out', victim, '--overwrite'])).code).toBe(0);
    expect(readFileSync(victim, 'utf8')).toBe(readFileSync(join(data, 'ca', 'ca.crt'), 'utf8'));
  });

  it('cert server --overwrite writes nothing when one of its files holds something else', async () => {
    const out = fresh();
    writeFileSync(join(out, 'app.crt'), pem('CERTIFICATE', 'OLD'));
    writeFileSync(join(out, 'app.key'), 'not a key\n');
    const r = await runOperation('certServer', { names: ['localhost'], outDir: out, baseName: 'app', overwrite: true });
    expect(!r.ok && r.error.code).toBe('CERT_FILE_NOT_MATERIAL');
    expect(readFileSync(join(out, 'app.crt'), 'utf8')).toBe(pem('CERTIFICATE', 'OLD'));
    expect(readFileSync(join(out, 'app.key'), 'utf8')).toBe('not a key\n');
    expect(readdirSync(out).sort()).toEqual(['app.crt', 'app.key']);
  });

  it('knows certificate material in every form it writes or reads, and nothing else', async () => {
    const out = fresh();
    const made = await runOperation('certServer', { names: ['localhost'], outDir: out, formats: ['pem', 'pkcs12'], keystorePassword: 'keystore-pw-1' });
    expect(made.ok).toBe(true);
    const csr = await runOperation('certCsr', { names: ['localhost'], outDir: out, baseName: 'req' });
    expect(csr.ok).toBe(true);
    for (const f of ['server.crt', 'server.key', 'server.p12', 'req.csr', 'req.key']) expect(holdsCertificateMaterial(readFileSync(join(out, f))), f).toBe(true);
    expect(holdsCertificateMaterial(new X509Certificate(readFileSync(join(out, 'server.crt'))).raw)).toBe(true);
    expect(holdsCertificateMaterial(Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]))).toBe(true);
    for (const other of ['', 'root:x:0:0::/root:/bin/sh\n', '{"a":1}', '\u0030\u0003\u0002\u0001\u0000']) expect(holdsCertificateMaterial(Buffer.from(other, 'latin1')), JSON.stringify(other)).toBe(false);
  });
});

describe('item 7: trust remove takes out only our CA', () => {
  function debianSystem(): { sys: TrustSystem; ran: string[][]; ports: ProcessPort } {
    const root = fresh();
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'update-ca-certificates'), '');
    const ran: string[][] = [];
    const ports: ProcessPort = {
      run: async ({ command, args }) => {
        ran.push([command, ...args]);
        return { code: 0, signal: null, stdout: '', stderr: '', timedOut: false };
      },
      start: () => {
        throw new Error('not used');
      },
    };
    const sys: TrustSystem = { platform: 'linux', exists: (p) => p.startsWith(bin) && readdirSync(bin).includes(p.slice(bin.length + 1)), env: { PATH: bin }, debianDir: join(root, 'anchors'), rhelDir: join(root, 'rhel') };
    return { sys, ran, ports };
  }

  it('refuses to delete <label>.crt holding another certificate, and runs nothing', async () => {
    const { sys, ran, ports } = debianSystem();
    mkdirSync(sys.debianDir);
    const other = makeCa('Somebody else').cert;
    const anchor = join(sys.debianDir, 'wss-setup-local-ca.crt');
    writeFileSync(anchor, other);
    const ctx = engineContext({ ports: portsWith({ process: ports }) });
    const error = await certTrust(CertTrustInputSchema.parse({ action: 'remove' }), ctx, sys).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CERT_TRUST_ANCHOR_OTHER', params: { path: anchor } });
    expect(readFileSync(anchor, 'utf8')).toBe(other);
    expect(ran).toEqual([]);
    // Our own CA under the label is removed as before.
    await certTrust(CertTrustInputSchema.parse({ action: 'install' }), ctx, sys);
    const removed = await certTrust(CertTrustInputSchema.parse({ action: 'remove' }), ctx, sys);
    expect(removed.installed).toBe(false);
    expect(readdirSync(sys.debianDir)).toEqual([]);
  });
});

describe('item 13: trust steps are inert in a shell, whatever the path holds', () => {
  it.runIf(process.platform !== 'win32')('a CA path with "$(id)", quotes and backquotes reaches certutil as it is', async () => {
    const base = join(fresh(), 'ca "$(id)" `id` \'q\' $HOME');
    mkdirSync(base);
    const caFile = join(base, 'ca.crt');
    writeFileSync(caFile, makeCa('Steps CA').cert);
    const out = await runOperation('certTrust', { action: 'steps', caFile });
    if (!out.ok) throw new Error(JSON.stringify(out.error));
    const nss = out.value.steps.find((s) => s.id === 'nss')!;
    const firefox = out.value.steps.find((s) => s.id === 'firefox')!;
    // Paste the printed lines into sh, with a certutil that records its arguments.
    const home = fresh();
    mkdirSync(join(home, '.mozilla', 'firefox', 'p1.default'), { recursive: true });
    const bin = fresh();
    const log = join(home, 'args.log');
    writeFileSync(join(bin, 'certutil'), `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done >> '${log}'\nprintf '%s\\n' '--' >> '${log}'\n`);
    chmodSync(join(bin, 'certutil'), 0o755);
    for (const line of [nss.commands[0]!, firefox.commands[0]!]) {
      const r = spawnSync('/bin/sh', ['-c', line], { env: { PATH: `${bin}:/usr/bin:/bin`, HOME: home }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    const calls = readFileSync(log, 'utf8').split('--\n').filter((c) => c !== '').map((c) => c.split('\n').slice(0, -1));
    expect(calls).toHaveLength(2);
    for (const args of calls) {
      expect(args[args.indexOf('-i') + 1]).toBe(caFile);
      expect(args[args.indexOf('-n') + 1]).toBe('wss-setup-local-ca');
    }
    expect(calls[1]![1]).toBe(`sql:${join(home, '.mozilla', 'firefox', 'p1.default')}/`);
  });

  it('quotes for PowerShell on Windows lines, and leaves plain words alone', () => {
    expect(quoteForShell(`C:\\Users\\it's $(id)\\ca.crt`, 'powershell')).toBe(`'C:\\Users\\it''s $(id)\\ca.crt'`);
    expect(quoteForShell('wss-setup-local-ca.crt', 'powershell')).toBe('wss-setup-local-ca.crt');
    expect(quoteForShell('/etc/ssl/ca.crt', 'posix', true)).toBe('"/etc/ssl/ca.crt"');
    expect(quoteForShell("it's $(id)", 'posix')).toBe(`'it'\\''s $(id)'`);
  });
});

describe('item 22: a complete chain whose root is unknown here', () => {
  function issue(subject: string, issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | null, ca: boolean, names: string[] = []) {
    const keys = forge.pki.rsa.generateKeyPair(2048);
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = `0${Math.floor(Math.random() * 1e9).toString(16)}`;
    cert.validity.notBefore = new Date(Date.now() - 86_400_000);
    cert.validity.notAfter = new Date(Date.now() + 300 * 86_400_000);
    cert.setSubject([{ name: 'commonName', value: subject }]);
    cert.setIssuer(issuer ? issuer.cert.subject.attributes : [{ name: 'commonName', value: subject }]);
    cert.setExtensions([
      { name: 'basicConstraints', cA: ca, critical: true },
      ca ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true } : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      ...(ca ? [] : [{ name: 'extKeyUsage', serverAuth: true }, { name: 'subjectAltName', altNames: names.map((value) => ({ type: 2, value })) }]),
    ]);
    cert.sign(issuer ? issuer.key : keys.privateKey, forge.md.sha256.create());
    return { cert, key: keys.privateKey, x: new X509Certificate(forge.pki.certificateToPem(cert)) };
  }
  const root = issue('Corp Root CA', null, true);
  const intermediate = issue('Corp Issuing CA', root, true);
  const leaf = issue('reports.corp.example', intermediate, false, ['reports.corp.example']);

  it('says the root is not trusted here (a warning with --ca and client steps), not that the chain is incomplete', () => {
    const r = inspectMaterial({ lang: 'en', certs: [leaf.x, intermediate.x], key: null, names: ['reports.corp.example'] });
    expect(r.findings.map((f) => `${f.code}:${f.severity}`)).toEqual(['CERT_ROOT_UNTRUSTED:warning']);
    expect(r.ok).toBe(true);
    expect(r.findings[0]!.message).toBe('The chain is complete up to "CN=Corp Issuing CA", but its issuer "CN=Corp Root CA" is not a root this machine trusts.');
    expect(r.findings[0]!.fix).toContain('--ca <its PEM file>');
    expect(r.findings[0]!.fix).toContain('wss-setup cert trust install --ca <file>');
    const zh = inspectMaterial({ lang: 'zh-CN', certs: [leaf.x, intermediate.x], key: null });
    expect(zh.findings[0]!.message).toContain('不是本机信任的根证书');
  });

  it('finds nothing once the root is given, and still calls a leaf without its intermediate incomplete', () => {
    expect(inspectMaterial({ lang: 'en', certs: [leaf.x, intermediate.x], key: null, anchors: [root.x] }).findings).toEqual([]);
    const alone = inspectMaterial({ lang: 'en', certs: [leaf.x], key: null, anchors: [root.x] });
    expect(alone.findings.map((f) => f.code)).toEqual(['CERT_CHAIN_INCOMPLETE']);
  });
});

describe('item 10 (certs side): inputs are regular files of bounded size', () => {
  it.runIf(process.platform === 'linux')('refuses /dev/zero, a FIFO (without blocking) and a 5 MB "certificate" at once', async () => {
    const fifo = join(fresh(), 'pipe.crt');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const big = join(fresh(), 'big.crt');
    writeFileSync(big, Buffer.alloc(5 * 1024 * 1024, 0x41));
    const zero = await cli(['cert', 'inspect', '--cert', '/dev/zero', '--json']);
    expect([zero.code, JSON.parse(zero.stdout).error.code]).toEqual([2, 'FILE_NOT_REGULAR']);
    const pipe = await cli(['cert', 'inspect', '--cert', fifo, '--json']);
    expect([pipe.code, JSON.parse(pipe.stdout).error.code]).toEqual([2, 'FILE_NOT_REGULAR']);
    const large = await runOperation('certImport', { source: { kind: 'pem', certFile: big }, outDir: fresh() });
    expect(!large.ok && large.error.code).toBe('FILE_TOO_LARGE');
  });
});

