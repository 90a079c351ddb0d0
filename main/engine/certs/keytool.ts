import { existsSync, lstatSync, realpathSync, type Stats } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { EngineError } from '../common/engine-error.js';
import { minimalEnv, type Ports, type RunResult } from '../ports/index.js';

/** keytool runs through the ProcessPort and its files go through the FilePort. */
export type KeytoolPorts = Pick<Ports, 'process' | 'fs'>;

const trustedOwner = (st: Stats) => st.uid === 0 || st.uid === process.getuid?.();
const othersMayWrite = (st: Stats) => (st.mode & 0o002) !== 0 || ((st.mode & 0o020) !== 0 && st.gid !== 0 && st.gid !== process.getgid?.());

/**
 * True when no other account can change the program: the file it resolves to and every folder
 * above it belong to root or the running account and are not writable by others (a sticky
 * folder excepted). Root never runs a keytool that the install's owner, or whoever controls
 * JAVA_HOME or PATH, could have put there. POSIX only (Windows ACLs are not checked).
 */
export function isTrustedProgram(path: string, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return true;
  try {
    const real = realpathSync(path);
    const file = lstatSync(real);
    if (!file.isFile() || !trustedOwner(file) || othersMayWrite(file)) return false;
    for (let dir = dirname(real); ; dir = dirname(dir)) {
      const st = lstatSync(dir);
      if (!trustedOwner(st) || (othersMayWrite(st) && (st.mode & 0o1000) === 0)) return false;
      if (dirname(dir) === dir) return true;
    }
  } catch {
    return false;
  }
}

/**
 * The JDK's keytool: JAVA_HOME/bin first, then PATH, the first one no other account can change.
 * Returns null when absent (JKS needs it; PEM and PKCS#12 do not).
 */
export function findKeytool(
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = (p) => existsSync(p) && isTrustedProgram(p, platform),
): string | null {
  const exe = platform === 'win32' ? 'keytool.exe' : 'keytool';
  const candidates: string[] = [];
  if (env.JAVA_HOME) candidates.push(join(env.JAVA_HOME, 'bin', exe));
  const pathVar = env.PATH ?? env.Path ?? '';
  for (const dir of pathVar.split(platform === 'win32' ? ';' : delimiter)) if (dir !== '') candidates.push(join(dir, exe));
  return candidates.find((c) => exists(c)) ?? null;
}

export function requireKeytool(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const keytool = findKeytool(env);
  if (keytool === null) throw new EngineError('CERT_KEYTOOL_MISSING', { javaHome: env.JAVA_HOME ?? '-' }, { javaHome: env.JAVA_HOME ?? null });
  return keytool;
}

// Passwords reach keytool through environment variables named on the command line
// (-storepass:env NAME), so `ps` never shows them.
const SRC = 'WSS_SETUP_SRC_PASS';
const SRC_KEY = 'WSS_SETUP_SRC_KEY_PASS';
const DEST = 'WSS_SETUP_DEST_PASS';

/** Output of keytool, without anything that could be secret (keytool never prints passwords). */
const excerpt = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 400);

async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'wss-setup-keytool-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * keytool with passwords in environment variables (never argv), scrubbed from its output, and an
 * otherwise minimal environment (JAVA_HOME kept so a JDK that needs it finds itself).
 */
function runKeytool(ports: KeytoolPorts, keytool: string, args: readonly string[], secrets: Readonly<Record<string, string>>, javaHome: string | undefined): Promise<RunResult> {
  return ports.process.run({
    command: keytool,
    args,
    env: minimalEnv({ ...(javaHome ? { JAVA_HOME: javaHome } : {}), ...secrets }),
    secrets: Object.values(secrets),
  });
}

/** JKS bytes made with `keytool -importkeystore` from a PKCS#12 this module built (same password). */
export async function pkcs12ToJks(keytool: string, p12: Uint8Array, password: string, ports: KeytoolPorts, javaHome?: string): Promise<Uint8Array> {
  return withTempDir(async (dir) => {
    const src = join(dir, 'src.p12');
    const dest = join(dir, 'dest.jks');
    await ports.fs.writeAtomic(src, Buffer.from(p12), { mode: 0o600, exclusive: true });
    const args = ['-importkeystore', '-noprompt', '-srckeystore', src, '-srcstoretype', 'PKCS12', '-srcstorepass:env', SRC, '-destkeystore', dest, '-deststoretype', 'JKS', '-deststorepass:env', DEST, '-destkeypass:env', DEST];
    const result = await runKeytool(ports, keytool, args, { [SRC]: password, [DEST]: password }, javaHome);
    if (result.code !== 0) throw new EngineError('CERT_KEYTOOL_FAILED', { detail: excerpt(result.stderr || result.stdout || result.spawnError || '') }, { exitCode: result.code });
    return ports.fs.readFile(dest);
  });
}

/**
 * A JKS store converted to PKCS#12 so it can be read like a PFX. keytool wants at least 6
 * characters for a PKCS#12 password, so a shorter JKS password is padded for the temp copy.
 */
export async function jksToPkcs12(
  keytool: string,
  file: string,
  password: string,
  options: { keyPassword?: string | undefined; alias?: string | undefined; javaHome?: string | undefined },
  ports: KeytoolPorts,
): Promise<{ bytes: Uint8Array; password: string }> {
  const destPassword = password.length >= 6 ? password : `${password}______`.slice(0, 6);
  return withTempDir(async (dir) => {
    const dest = join(dir, 'dest.p12');
    const args = ['-importkeystore', '-noprompt', '-srckeystore', file, '-srcstoretype', 'JKS', '-srcstorepass:env', SRC, '-destkeystore', dest, '-deststoretype', 'PKCS12', '-deststorepass:env', DEST];
    const env: Record<string, string> = { [SRC]: password, [DEST]: destPassword };
    if (options.alias !== undefined) args.push('-srcalias', options.alias, '-destkeypass:env', DEST);
    if (options.keyPassword !== undefined) {
      if (options.alias === undefined) throw new EngineError('CERT_JKS_ALIAS_NEEDED', { path: file }, { path: file });
      args.push('-srckeypass:env', SRC_KEY);
      env[SRC_KEY] = options.keyPassword;
    }
    const result = await runKeytool(ports, keytool, args, env, options.javaHome);
    const output = `${result.stderr}\n${result.stdout}`;
    if (result.code !== 0) {
      if (/password was incorrect|Cannot recover key|Get Key failed|Given final block not properly padded/i.test(output)) {
        throw new EngineError('CERT_WRONG_PASSPHRASE', { path: file }, { path: file, format: 'jks' });
      }
      if (/Invalid keystore format|Unrecognized keystore format|keystore file does not exist|is not a file|Illegal/i.test(output)) {
        throw new EngineError('CERT_JKS_INVALID', { path: file }, { path: file, detail: excerpt(output) });
      }
      throw new EngineError('CERT_KEYTOOL_FAILED', { detail: excerpt(output || result.spawnError || '') }, { exitCode: result.code });
    }
    return { bytes: await ports.fs.readFile(dest), password: destPassword };
  });
}
