import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { engineContext } from '../../main/engine/common/context.js';
import { realPorts, type ProcessPort } from '../../main/engine/ports/index.js';
import { portsWith } from '../harness/faulty-ports.js';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certServer } from '../../main/engine/certs/server-cert.js';
import { main } from '../../main/hosts/cli/main.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { runOperation } from '../../main/engine/run-operation.js';
import { CertServerInputSchema } from '../../shared/contract/certs.js';
import { tempDir } from '../harness/temp.js';

/**
 * The cert command in-process, and the promise that secrets (keystore passwords, passphrases,
 * private keys) never reach its output, JSON, progress lines or error messages.
 */
const dir = tempDir('wss-setup-certs-cli-');
const data = join(dir.path, 'data');
const KEYSTORE_PW = 'Keystore-Secret-4711';
const PASSPHRASE = 'Passphrase-Secret-0815';
let n = 0;
const fresh = () => {
  const p = join(dir.path, `out-${++n}`);
  mkdirSync(p);
  return p;
};

async function cli(args: string[], options: { interactive?: boolean; env?: Record<string, string> } = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    lang: 'en',
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    interactive: options.interactive ?? false,
    env: { ...process.env, KS_PW: KEYSTORE_PW, KEY_PASS: PASSPHRASE, ...options.env },
  };
  const code = await main(['cert', ...args], io);
  return { code, stdout, stderr, all: stdout + stderr };
}

/** Nothing secret in a text: the passwords, PEM private keys, or any line of the key's base64. */
function expectNoSecrets(text: string, keyFiles: readonly string[] = []): void {
  expect(text).not.toContain(KEYSTORE_PW);
  expect(text).not.toContain(PASSPHRASE);
  expect(text).not.toMatch(/PRIVATE KEY/);
  for (const file of keyFiles) {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => /^[A-Za-z0-9+/=]{40,}$/.test(l));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(text).not.toContain(line);
  }
}

beforeAll(async () => {
  process.env.WSS_SETUP_DATA_DIR = data;
  const r = await cli(['ca', '--key-size', '2048', '--json']);
  if (r.code !== 0) throw new Error(r.all);
});
afterAll(() => {
  delete process.env.WSS_SETUP_DATA_DIR;
  dir.cleanup();
});

describe('wss-setup cert', () => {
  it('prints its usage, exit 2 without a subcommand and 0 with help', async () => {
    const none = await cli([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toContain('cert server --name <host|ip>...');
    expect((await cli(['help'])).code).toBe(0);
    const unknown = await cli(['sign', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_COMMAND' } });
  });

  it('issues PEM + PKCS#12 + JKS with the password from an environment variable, and prints one JSON document without secrets', async () => {
    const out = fresh();
    const r = await cli(['server', '--name', 'localhost,127.0.0.1', '--name', 'reports.example.test', '--out-dir', out, '--format', 'pem,pkcs12,jks', '--password-env', 'KS_PW', '--json']);
    expect(r.code, r.all).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files.map((f: { kind: string }) => f.kind)).toEqual(['certificate', 'key', 'pkcs12', 'jks']);
    expect(doc.certificate.san).toEqual(['DNS:localhost', 'IP:127.0.0.1', 'DNS:reports.example.test']);
    expect(r.stderr).toBe('');
    expectNoSecrets(r.all, [join(out, 'server.key'), join(data, 'ca', 'ca.key')]);
    const opened = await runOperation('certInspect', { source: { kind: 'pkcs12', file: join(out, 'server.p12'), password: KEYSTORE_PW } });
    expect(opened.ok && opened.value.keyMatches).toBe(true);
  });

  it('reads the password from a file (one trailing newline dropped) and shows progress without secrets', async () => {
    const out = fresh();
    const file = join(dir.path, 'ks.pw');
    writeFileSync(file, `${KEYSTORE_PW}\n`);
    const r = await cli(['server', '--name', 'localhost', '--out-dir', out, '--format', 'pkcs12', '--password-file', file], { interactive: true });
    expect(r.code, r.all).toBe(0);
    expect(r.stderr).toContain('Generating an RSA 2048-bit key');
    expect(r.stdout).toContain(`${join(out, 'server.p12')}  (owner-only)`);
    expectNoSecrets(r.all);
    const opened = await runOperation('certInspect', { source: { kind: 'pkcs12', file: join(out, 'server.p12'), password: KEYSTORE_PW } });
    expect(opened.ok).toBe(true);
  });

  it.each([['--password', KEYSTORE_PW], [`--password=${KEYSTORE_PW}`], ['--passphrase', PASSPHRASE]])('refuses a secret as a plain argument (%s) without echoing it', async (...flag) => {
    const r = await cli(['server', '--name', 'localhost', '--out-dir', fresh(), '--format', 'pkcs12', ...flag, '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.message).toMatch(/Passwords are not accepted as plain arguments/);
    expectNoSecrets(r.all);
  });

  it('asks for the keystore password when none is given and there is no terminal', async () => {
    const r = await cli(['server', '--name', 'localhost', '--out-dir', fresh(), '--format', 'pkcs12']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The keystore password is needed: give --password-file <file> or --password-env <VARIABLE>');
    const missing = await cli(['server', '--name', 'localhost', '--out-dir', fresh(), '--format', 'pkcs12', '--password-env', 'NOT_SET_ANYWHERE']);
    expect(missing.stderr).toContain('The environment variable NOT_SET_ANYWHERE named by --password-env is not set.');
  });

  it('imports with a passphrase from the environment; a wrong one fails with exit 2 and no secret in the error', async () => {
    const src = fresh();
    const made = await cli(['server', '--name', 'localhost', '--out-dir', src, '--format', 'pkcs12', '--password-env', 'KEY_PASS', '--json']);
    expect(made.code, made.all).toBe(0);
    const out = fresh();
    const ok = await cli(['import', '--from-pkcs12', join(src, 'server.p12'), '--passphrase-env', 'KEY_PASS', '--out-dir', out, '--format', 'pem', '--json']);
    expect(ok.code, ok.all).toBe(0);
    expectNoSecrets(ok.all, [join(out, 'server.key')]);
    const bad = await cli(['import', '--from-pkcs12', join(src, 'server.p12'), '--passphrase-env', 'KS_PW', '--out-dir', fresh(), '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('CERT_WRONG_PASSPHRASE');
    expectNoSecrets(bad.all);
  });

  it('inspect exits 1 on error findings and 0 when clean; relative input paths are resolved', async () => {
    const out = fresh();
    expect((await cli(['server', '--name', 'localhost', '--out-dir', out])).code).toBe(0);
    const clean = await cli(['inspect', '--cert', join(out, 'server.crt'), '--key', join(out, 'server.key'), '--name', 'localhost']);
    expect(clean.code, clean.all).toBe(0);
    expect(clean.stdout).toContain('No problems found.');
    expectNoSecrets(clean.all, [join(out, 'server.key')]);
    const cwd = process.cwd();
    process.chdir(out);
    try {
      const missing = await cli(['inspect', '--cert', 'server.crt', '--name', 'other.example.test', '--json']);
      expect(missing.code).toBe(1);
      expect(JSON.parse(missing.stdout).findings.map((f: { code: string }) => f.code)).toEqual(['CERT_SAN_MISSING']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('speaks Chinese with --lang zh-CN', async () => {
    const r = await cli(['server', '--name', 'bad name', '--out-dir', fresh(), '--lang', 'zh-CN']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('主机名“bad name”包含空格');
  });

  it('exports the CA certificate and never its key', async () => {
    const file = join(fresh(), 'wss-setup-ca.crt');
    const r = await cli(['export', '--out', file]);
    expect(r.code, r.all).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(data, 'ca', 'ca.crt'), 'utf8'));
    expectNoSecrets(readFileSync(file, 'utf8'), [join(data, 'ca', 'ca.key')]);
  });

  it('hands passwords to keytool through environment variables, never in its argv', async () => {
    const calls: { args: readonly string[]; env: Readonly<Record<string, string>> }[] = [];
    const recording: ProcessPort = {
      ...realPorts.process,
      run: async (request) => {
        calls.push({ args: request.args, env: request.env ?? {} });
        return realPorts.process.run(request);
      },
    };
    const input = CertServerInputSchema.parse({ names: ['localhost'], outDir: fresh(), formats: ['jks'], keystorePassword: KEYSTORE_PW });
    await certServer(input, engineContext({ ports: portsWith({ process: recording }) }));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args.join(' ')).not.toContain(KEYSTORE_PW);
    expect(calls[0]!.args).toContain('-srcstorepass:env');
    expect(Object.values(calls[0]!.env)).toContain(KEYSTORE_PW);
  });
});
