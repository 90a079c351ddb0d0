import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import type * as z from '../../../shared/contract/z.js';
import type { CertTrustInputSchema, CertTrustOutput, TrustStep, TrustStoreKind } from '../../../shared/contract/certs.js';
import type { Lang } from '../../../shared/contract/common.js';
import { t } from '../../../shared/i18n/index.js';
import type { OpContext } from '../common/context.js';
import { EngineError } from '../common/engine-error.js';
import { errnoOf } from '../common/errno.js';
import { formatCommand, type FilePort, type ProcessPort } from '../ports/index.js';
import { readCaCertificates } from './ca-file.js';
import { requireLocalCa } from './local-ca.js';
import { progress } from './outputs.js';
import { quoteForShell } from './shell-quote.js';
import { writeFilesAtomically } from './write-files.js';

export type TrustRequest = z.output<typeof CertTrustInputSchema>;

/** Where the OS keeps extra trust anchors; tests point it at temp dirs (and record commands through ctx.ports.process). */
export interface TrustSystem {
  readonly platform: NodeJS.Platform;
  readonly exists: (path: string) => boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly debianDir: string;
  readonly rhelDir: string;
}

const realTrustSystem = (): TrustSystem => ({
  platform: process.platform,
  exists: existsSync,
  env: process.env,
  debianDir: '/usr/local/share/ca-certificates',
  rhelDir: '/etc/pki/ca-trust/source/anchors',
});

function onPath(sys: TrustSystem, program: string): boolean {
  const dirs = (sys.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin']);
  return dirs.some((d) => d !== '' && sys.exists(join(d, program)));
}

/** Debian/Ubuntu (update-ca-certificates), RHEL family (update-ca-trust), Windows (certutil), else unsupported. */
export function detectTrustStore(sys: TrustSystem): TrustStoreKind {
  if (sys.platform === 'win32') return 'windows';
  if (sys.platform !== 'linux') return 'unsupported';
  if (onPath(sys, 'update-ca-certificates')) return 'debian';
  if (onPath(sys, 'update-ca-trust')) return 'rhel';
  return 'unsupported';
}

export function anchorPath(store: TrustStoreKind, sys: TrustSystem, label: string): string | null {
  switch (store) {
    case 'debian':
      return join(sys.debianDir, `${label}.crt`); // update-ca-certificates only reads *.crt
    case 'rhel':
      return join(sys.rhelDir, `${label}.pem`);
    case 'windows':
    case 'unsupported':
      return null;
  }
}

const thumbprint = (x: X509Certificate) => x.fingerprint.replace(/:/g, '');

/** The command lines install / remove / status run for a store (argv form, no shell). */
function trustCommands(store: TrustStoreKind, action: 'install' | 'remove' | 'status', caPath: string, x: X509Certificate): string[][] {
  switch (store) {
    case 'debian':
      return action === 'install' ? [['update-ca-certificates']] : action === 'remove' ? [['update-ca-certificates', '--fresh']] : [];
    case 'rhel':
      return action === 'status' ? [] : [['update-ca-trust', 'extract']];
    case 'windows':
      if (action === 'install') return [['certutil', '-addstore', '-f', 'Root', caPath]];
      if (action === 'remove') return [['certutil', '-delstore', 'Root', thumbprint(x)]];
      return [['certutil', '-store', 'Root', thumbprint(x)]];
    case 'unsupported':
      return [];
  }
}

/** What the file under the label holds: null when absent, else whether it is this CA (a symlink or unreadable file is not). */
async function anchorState(fs: FilePort, path: string, x: X509Certificate): Promise<'absent' | 'ours' | 'other'> {
  if ((await fs.lstat(path)) === null) return 'absent';
  try {
    const text = await fs.readText(path, { maxBytes: 1024 * 1024 });
    return new X509Certificate(text).fingerprint256 === x.fingerprint256 ? 'ours' : 'other';
  } catch {
    return 'other';
  }
}

function permission(error: unknown): boolean {
  const errno = errnoOf(error);
  return errno === 'EACCES' || errno === 'EPERM' || errno === 'EROFS';
}

async function run(runner: ProcessPort, argv: readonly string[], ran: string[][]): Promise<{ code: number | null; output: string }> {
  ran.push([...argv]);
  const result = await runner.run({ command: argv[0]!, args: argv.slice(1) });
  return { code: result.code, output: `${result.stdout}\n${result.stderr}`.trim() || (result.spawnError ?? '') };
}

function fail(argv: readonly string[], code: number | null, output: string): never {
  const command = formatCommand(argv[0]!, argv.slice(1));
  if (/access is denied|permission denied|0x80070005|must be root|not permitted/i.test(output)) {
    throw new EngineError('CERT_TRUST_PERMISSION', { command }, { command, exitCode: code });
  }
  throw new EngineError('CERT_TRUST_FAILED', { command, detail: output.slice(0, 300) }, { command, exitCode: code, output: output.slice(0, 2000) });
}

/** Steps for stores wss-setup does not manage: browsers with their own store (NSS) and client machines. */
function trustSteps(lang: Lang, store: TrustStoreKind, caPath: string, label: string, x: X509Certificate): TrustStep[] {
  const file = `${label}.crt`;
  const sha1 = thumbprint(x);
  const step = (id: TrustStep['id'], commands: string[], params: Record<string, string> = {}): TrustStep => ({
    id,
    title: t(lang, `certs.steps.${id}.title`, params),
    text: t(lang, `certs.steps.${id}.text`, { ...params, file, label, caPath }),
    commands,
  });
  // Every path and name is quoted for the shell the line is pasted into, so nothing in it (a
  // folder named "$(id)", quotes, backquotes) runs: sh for the NSS, Firefox, macOS and Linux
  // lines, PowerShell for the Windows line.
  const sh = (word: string) => quoteForShell(word, 'posix', true);
  const ps = (word: string) => quoteForShell(word, 'powershell');
  const shFile = quoteForShell(file, 'posix');
  return [
    step('os', store === 'unsupported' ? [] : ['wss-setup cert trust install', 'wss-setup cert trust remove'], { store: t(lang, `certs.store.${store}`) }),
    step('nss', [
      `certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n ${sh(label)} -i ${sh(caPath)}`,
      `certutil -d sql:$HOME/.pki/nssdb -D -n ${sh(label)}`,
    ]),
    step('firefox', [
      `for p in ~/.mozilla/firefox/*/; do certutil -d sql:"$p" -A -t "C,," -n ${sh(label)} -i ${sh(caPath)}; done`,
    ]),
    step('client-windows', [`certutil -addstore -f Root ${ps(file)}`, `certutil -delstore Root ${sha1}`]),
    step('client-macos', [
      `sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${shFile}`,
      `sudo security delete-certificate -Z ${sha1} /Library/Keychains/System.keychain`,
    ]),
    step('client-debian', [`sudo cp ${shFile} ${quoteForShell(`/usr/local/share/ca-certificates/${file}`, 'posix')} && sudo update-ca-certificates`]),
    step('client-rhel', [`sudo cp ${shFile} ${quoteForShell(`/etc/pki/ca-trust/source/anchors/${label}.pem`, 'posix')} && sudo update-ca-trust extract`]),
  ];
}

async function loadCa(input: TrustRequest, ctx: OpContext): Promise<{ path: string; x: X509Certificate }> {
  if (input.caFile === undefined) {
    const ca = await requireLocalCa(ctx.ports.fs);
    return { path: ca.paths.cert, x: ca.x509 };
  }
  const x = (await readCaCertificates(ctx.ports.fs, input.caFile, ctx.lang))[0]!;
  if (!x.ca) throw new EngineError('CERT_NOT_CA', { path: input.caFile }, { path: input.caFile });
  return { path: input.caFile, x };
}

/** The `certTrust` operation: install / remove / status of the CA in the OS trust store, plus the steps for everything else. */
export async function certTrust(input: TrustRequest, ctx: OpContext, sys: TrustSystem = realTrustSystem()): Promise<CertTrustOutput> {
  const { fs } = ctx.ports;
  const ca = await loadCa(input, ctx);
  const store = detectTrustStore(sys);
  const anchor = anchorPath(store, sys, input.label);
  const ran: string[][] = [];
  const steps = trustSteps(ctx.lang, store, ca.path, input.label, ca.x);
  const output = (installed: boolean): CertTrustOutput => ({
    action: input.action,
    store,
    installed,
    anchorPath: anchor,
    caPath: ca.path,
    caFingerprint256: ca.x.fingerprint256,
    commands: ran,
    steps,
  });
  const status = async (): Promise<boolean> => {
    if (anchor !== null) return (await anchorState(fs, anchor, ca.x)) === 'ours';
    if (store !== 'windows') return false;
    const [argv] = trustCommands(store, 'status', ca.path, ca.x);
    return (await run(ctx.ports.process, argv!, ran)).code === 0;
  };

  if (input.action === 'steps') return output(store === 'windows' ? false : await status());
  if (input.action === 'status') return output(await status());
  if (store === 'unsupported') throw new EngineError('CERT_TRUST_UNSUPPORTED', { platform: sys.platform }, { platform: sys.platform });

  progress(ctx, 'certTrust', input.action === 'install' ? 'progress.certs.trustInstall' : 'progress.certs.trustRemove');
  if (input.action === 'install') {
    if (anchor !== null) {
      try {
        await fs.mkdir(dirname(anchor), { mode: 0o755 });
        await writeFilesAtomically([{ path: anchor, content: ca.x.toString(), secret: false }], { overwrite: true, lang: ctx.lang }, ctx.ports);
      } catch (error) {
        if (permission(error) || (error instanceof EngineError && permission({ code: (error.evidence as { errno?: string }).errno }))) {
          throw new EngineError('CERT_TRUST_PERMISSION', { command: anchor }, { path: anchor });
        }
        throw error;
      }
    }
  } else if (anchor !== null) {
    // Only our CA is taken out: a file under the label that holds anything else is someone else's.
    const state = await anchorState(fs, anchor, ca.x);
    if (state === 'other') throw new EngineError('CERT_TRUST_ANCHOR_OTHER', { path: anchor, label: input.label }, { path: anchor, caFingerprint256: ca.x.fingerprint256 });
    try {
      if (state === 'ours') await fs.remove(anchor);
    } catch (error) {
      if (permission(error) || (error instanceof EngineError && permission({ code: (error.evidence as { errno?: string }).errno }))) {
        throw new EngineError('CERT_TRUST_PERMISSION', { command: anchor }, { path: anchor });
      }
      throw error;
    }
  }
  for (const argv of trustCommands(store, input.action, ca.path, ca.x)) {
    const result = await run(ctx.ports.process, argv, ran);
    if (result.code !== 0) {
      // certutil -delstore of a certificate that is not there is not a failure of "remove".
      if (store === 'windows' && input.action === 'remove' && /not found|cannot find|0x80092004/i.test(result.output)) continue;
      fail(argv, result.code, result.output);
    }
  }
  const installed = await status();
  return output(installed);
}
