import { lstat, realpath } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, parse } from 'node:path';
import { EngineError } from '../common/engine-error.js';
import { errnoOf } from '../common/errno.js';

/**
 * Which java wss-setup runs, and as whom (issue 9, item 2): the JDBC bridge, keytool, a version probe.
 *
 * wss-setup often runs as root against an install another account owns. The bridge loads the
 * install's driver jars (FineReport ships HSQLDB relocated inside them), so it never runs as
 * root there: it runs as the account that owns the FineDB folder ({@link bridgeAccount}), on a
 * java that account cannot change:
 *
 * - by default a system JRE found on the system folders only (never the install, never its
 *   parent, never the caller's PATH), every folder of its real path owned by root and writable
 *   by nobody else;
 * - the install's bundled JRE only when the admin asks for it (`useInstallJava`), searched inside
 *   the install folder only, and still run as the install's account;
 * - or the java the admin names (`--java`), accepted when no account other than root, the running
 *   one and the one the bridge runs as can change it.
 *
 * Windows: ownership and ACLs are not checked (documented in the README); the rules on where to
 * look still hold.
 */
export interface Account {
  readonly uid: number;
  readonly gid: number;
}

export type JavaSource = 'admin' | 'install' | 'system';

export interface JavaChoice {
  /** Real path of the java binary (symlinks resolved, so what was checked is what runs). */
  readonly path: string;
  readonly source: JavaSource;
}

/** System folders searched for java, in order (the caller's PATH is not used). */
const SYSTEM_JAVA_DIRS: readonly string[] = ['/usr/local/bin', '/usr/bin', '/bin', '/usr/lib/jvm/default-java/bin', '/usr/lib/jvm/default-runtime/bin'];
/** Where product installers put their JRE, relative to the install folder (never its parent). */
const INSTALL_JRE_DIRS: readonly (readonly string[])[] = [['jre'], ['jdk'], ['jdk', 'jre'], ['server', 'jre'], ['tomcat', 'jre']];

const isWindows = (platform: NodeJS.Platform) => platform === 'win32';

/**
 * The first folder (or the file) on a real path that an account other than the allowed ones can
 * change: owned by another uid, or writable by group/others (a sticky folder is fine for others).
 */
async function untrustedComponent(realPath: string, allowedUids: readonly number[]): Promise<{ readonly path: string; readonly reason: 'owner' | 'group-writable' | 'world-writable' } | null> {
  const parts: string[] = [];
  for (let p = realPath; ; p = dirname(p)) {
    parts.unshift(p);
    if (p === parse(p).root) break;
  }
  for (const path of parts) {
    const st = await lstat(path);
    if (!allowedUids.includes(st.uid)) return { path, reason: 'owner' };
    const sticky = (st.mode & 0o1000) !== 0 && st.isDirectory();
    if ((st.mode & 0o002) !== 0 && !sticky) return { path, reason: 'world-writable' };
    if ((st.mode & 0o020) !== 0 && st.gid !== 0 && !sticky) return { path, reason: 'group-writable' };
  }
  return null;
}

async function realFile(path: string): Promise<string | null> {
  try {
    const real = await realpath(path);
    return (await lstat(real)).isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * The account the bridge runs as: the owner of the FineDB folder (embedded) or of WEB-INF
 * (external), when wss-setup runs as root and that owner is not root. Undefined: run as ourselves.
 */
export async function bridgeAccount(folder: string, platform: NodeJS.Platform = process.platform): Promise<Account | undefined> {
  if (isWindows(platform) || process.getuid?.() !== 0) return undefined;
  let st;
  try {
    st = await lstat(folder);
  } catch (error) {
    throw new EngineError('FINEDB_FILE_UNREADABLE', { path: folder, reason: errnoOf(error) }, { path: folder, errno: errnoOf(error) });
  }
  return st.uid === 0 ? undefined : { uid: st.uid, gid: st.gid };
}

export interface JavaRequest {
  readonly installDir: string;
  /** The admin's java (absolute). */
  readonly requested?: string;
  /** The admin asked for the install's bundled JRE. */
  readonly useInstallJava?: boolean;
  /** The account the bridge will run as (undefined: the running account). */
  readonly runAs?: Account;
  readonly platform?: NodeJS.Platform;
  /** Windows only: folders searched for java.exe (default: PATH). */
  readonly windowsPath?: string;
}

export async function chooseJava(request: JavaRequest): Promise<JavaChoice> {
  const platform = request.platform ?? process.platform;
  const exe = isWindows(platform) ? 'java.exe' : 'java';
  const me = process.getuid?.();
  const allowed = [0, ...(me !== undefined ? [me] : []), ...(request.runAs ? [request.runAs.uid] : [])];
  const trusted = async (path: string, source: JavaSource): Promise<JavaChoice> => {
    if (!isWindows(platform)) {
      const bad = await untrustedComponent(path, allowed);
      if (bad) throw new EngineError('FINEDB_JAVA_UNTRUSTED', { java: path, path: bad.path, reason: bad.reason }, { java: path, path: bad.path, reason: bad.reason, source });
    }
    return { path, source };
  };

  if (request.requested !== undefined) {
    const real = await realFile(request.requested);
    if (real === null) throw new EngineError('FINEDB_JAVA_NOT_FOUND', { java: request.requested, reason: 'ENOENT' }, { java: request.requested });
    return trusted(real, 'admin');
  }
  if (request.useInstallJava) {
    for (const sub of INSTALL_JRE_DIRS) {
      const real = await realFile(join(request.installDir, ...sub, 'bin', exe));
      if (real !== null) return trusted(real, 'install');
    }
    throw new EngineError('FINEDB_INSTALL_JAVA_NOT_FOUND', { dir: request.installDir }, { dir: request.installDir, searched: INSTALL_JRE_DIRS.map((s) => join(...s)) });
  }
  const dirs = isWindows(platform) ? (request.windowsPath ?? process.env.PATH ?? '').split(delimiter).filter((d) => isAbsolute(d)) : SYSTEM_JAVA_DIRS;
  const rejected: string[] = [];
  for (const dir of dirs) {
    const real = await realFile(join(dir, exe));
    if (real === null) continue;
    // A system java must be root's: the account the bridge runs as must not be able to change it.
    if (!isWindows(platform) && (await untrustedComponent(real, me === 0 || me === undefined ? [0] : [0, me])) !== null) {
      rejected.push(real);
      continue;
    }
    return { path: real, source: 'system' };
  }
  throw new EngineError('FINEDB_JAVA_NOT_FOUND', { java: exe, reason: rejected.length > 0 ? 'untrusted' : 'ENOENT' }, { searched: [...dirs], rejected });
}
