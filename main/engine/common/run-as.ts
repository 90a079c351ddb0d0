import { lchownSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { realFilePort, untrustedReason, type FilePort } from '../ports/index.js';
import { EngineError } from './engine-error.js';

/** A local account a program is run as (the ProcessPort's `user`). */
export interface RunAccount {
  readonly uid: number;
  readonly gid: number;
}

/** Spread into a RunRequest/StartRequest: empty (run as ourselves) or `{ user }`. */
export type RunAs = { readonly user?: RunAccount };

export interface RunSubject {
  /** The program run (an absolute path; a bare name is looked up by the port on system folders only). */
  readonly program: string;
  /**
   * Files and folders the program reads code or instructions from: scripts it runs, jars and
   * classpath folders, configurations that may load modules. A missing one is skipped.
   */
  readonly loads?: readonly string[];
  /** An account the plan or the admin named for this program (the install's account). */
  readonly account?: RunAccount;
  /** When something another account controls is involved, may it run as that account (else refused)? Default true. */
  readonly asOwner?: boolean;
}

/**
 * Who runs a program (issue 9, item 2: nothing another account controls may steer what root runs).
 * Not root (or Windows, whose ACLs are not checked): ourselves. Root: as root only when the program
 * and everything it loads belong to root (see {@link untrustedReason}); otherwise as the single
 * account that owns what is not root's, with the request's minimal environment — or refused with
 * ROOT_RUN_UNTRUSTED when that is not allowed, when what is untrusted is root's but writable by
 * others, or when two accounts own parts of it (neither may run the other's code).
 * An account named by the plan (`account`, not root) is always used as is.
 */
export async function runAsFor(subject: RunSubject, fs: Pick<FilePort, 'lstat'> = realFilePort): Promise<RunAs> {
  if (process.platform === 'win32' || process.getuid?.() !== 0) return {};
  if (subject.account !== undefined && subject.account.uid !== 0) return { user: subject.account };
  // Many files share their folders (a tree of a thousand includes): each path is looked at once.
  const seen = new Map<string, Promise<Stats | null>>();
  const look: Pick<FilePort, 'lstat'> = { lstat: (p) => seen.get(p) ?? (seen.set(p, fs.lstat(p)), seen.get(p)!) };
  const problems: { path: string; reason: string }[] = [];
  const programReason = subject.program.startsWith('/') ? await untrustedReason(look, subject.program) : null;
  if (programReason !== null && programReason !== 'missing') problems.push({ path: subject.program, reason: programReason });
  for (const path of subject.loads ?? []) {
    const reason = await untrustedReason(look, path);
    if (reason !== null && reason !== 'missing') problems.push({ path, reason });
  }
  if (problems.length === 0) return {};
  const first = problems[0]!;
  const refuse = (why: string) => new EngineError('ROOT_RUN_UNTRUSTED', { program: subject.program, path: first.path, reason: first.reason }, { program: subject.program, why, problems });
  if (subject.asOwner === false) throw refuse('refused');
  const owners = new Map<number, RunAccount>();
  for (const p of problems) {
    const at = ownerPathOf(p.reason);
    const st = at === null ? null : await look.lstat(at);
    if (st === null || st.uid === 0) throw refuse('writable by others');
    owners.set(st.uid, { uid: st.uid, gid: st.gid });
  }
  if (owners.size !== 1) throw refuse('several owners');
  return { user: [...owners.values()][0]! };
}

/**
 * Gives a private temporary folder of ours (0700) to the account a program runs as, so the program
 * can read it while nobody else can: everything inside first, the folder itself last (the account
 * can change nothing before root is done), with lchown (a link is never followed).
 */
export function handOver(dir: string, account: RunAccount): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) handOver(path, account);
    else lchownSync(path, account.uid, account.gid);
  }
  lchownSync(dir, account.uid, account.gid);
}

/** The path an `owner:<path>` reason names (null for writable-by-others reasons, which no owner switch makes safe). */
function ownerPathOf(reason: string): string | null {
  return reason.startsWith('owner:') ? reason.slice('owner:'.length) : null;
}
