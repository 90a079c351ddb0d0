import { randomBytes, scryptSync } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, realpathSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Clock, FilePort } from '../ports/index.js';
import { sha256Hex } from '../ports/index.js';
import { FILE_ATTRIBUTES } from './configtest.js';
import { resolveAgainstBase } from './connectors.js';
import { parseXml, type XmlElement } from './xml-document.js';

/**
 * A memo of Tomcat `configtest` runs that passed, so the one at apply time (preflight, before
 * anything is stopped) is not run a second time when nothing it reads has changed since the one at
 * plan time: each JVM start costs about a second, which the admin waits through on every apply.
 *
 * The key covers everything configtest reads: the server.xml text to test (secrets filled), every
 * other file of CATALINA_BASE/conf (content), the keystores and other files the text names
 * (content), the jars Tomcat loads (home and base lib, bootstrap) and the java binary with its
 * class archive (name, size, mtime, inode, owner, mode: ownership decides which account runs the
 * test), and the stand-ins used for keystores the plan creates. Only passes are kept (a failure is
 * always run again), for a day at most. The key is an scrypt hash with a salt of the memo file's
 * own, so the memo never holds a password nor a cheap hash of one. The memo lives in the data folder
 * (0700), written atomically with mode 0600. Anything unreadable makes the memo not apply.
 */
export const CONFIGTEST_MEMO_FILE = 'tomcat-configtest-memo.json';
const TTL_MS = 24 * 60 * 60 * 1000;
const MAX_ENTRIES = 32;
const MAX_FILE = 16 * 1024 * 1024;
const MAX_MEMO = 1024 * 1024;

export interface ConfigtestMemoInput {
  readonly java: string;
  readonly home: string;
  readonly base: string;
  readonly decoded: { readonly bom: Buffer | Uint8Array; readonly encoding: string };
  readonly text: string;
  /** Real paths of keystores the plan creates (configtest opens a stand-in of that type). */
  readonly pending?: ReadonlyMap<string, string>;
}

export interface MemoEntry {
  readonly key: string;
  readonly at: string;
  readonly output: string;
  readonly unknownAttributes: readonly string[];
}

interface MemoFile {
  readonly salt: string;
  readonly entries: readonly MemoEntry[];
}

const statLine = (st: Stats) => `${st.size}:${Math.trunc(st.mtimeMs)}:${st.ino}:${st.uid}:${st.gid}:${(st.mode & 0o7777).toString(8)}:${st.isFile() ? 'f' : st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : 'o'}`;

function statOf(path: string): string {
  try {
    return statLine(lstatSync(path));
  } catch {
    return 'absent';
  }
}

/** Content hash of a regular file read without following a link; null when it cannot be read. */
function contentOf(path: string): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_FILE) return null;
    return `${statLine(st)}:${sha256Hex(readFileSync(fd))}`;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

function listing(dir: string): string[] {
  try {
    return readdirSync(dir).sort().map((name) => `${name}=${statOf(join(dir, name))}`);
  } catch {
    return ['absent'];
  }
}

/**
 * Everything configtest depends on, as one string (it holds the filled server.xml: never stored or
 * shown, only hashed with scrypt). Null when something it needs cannot be read.
 */
export function configtestInputs(input: ConfigtestMemoInput): string | null {
  let javaReal: string;
  try {
    javaReal = realpathSync(input.java);
  } catch {
    return null;
  }
  const conf = join(input.base, 'conf');
  const confFiles: string[] = [];
  try {
    for (const name of readdirSync(conf).sort()) {
      if (name === 'server.xml') continue;
      const st = lstatSync(join(conf, name));
      if (!st.isFile() || st.size > MAX_FILE) continue;
      const c = contentOf(join(conf, name));
      if (c === null) return null;
      confFiles.push(`${name}=${c}`);
    }
  } catch {
    return null;
  }
  const parsed = parseXml(input.text);
  if (!parsed.ok) return null;
  const named: string[] = [];
  const all: XmlElement[] = [];
  const walk = (el: XmlElement) => {
    all.push(el);
    for (const c of el.children) walk(c);
  };
  walk(parsed.doc.root);
  for (const el of all) {
    for (const a of el.attributes) {
      if (!FILE_ATTRIBUTES.has(a.name) || a.value === '' || a.value === 'NONE') continue;
      const real = resolveAgainstBase(a.value, { base: input.base, home: input.home });
      const pending = input.pending?.get(real);
      if (pending !== undefined) {
        named.push(`${a.name}=${real}=pending:${pending}`);
        continue;
      }
      const c = contentOf(real);
      if (c === null) return null;
      named.push(`${a.name}=${real}=${c}`);
    }
  }
  return JSON.stringify({
    v: 1,
    uid: process.getuid?.() ?? -1,
    java: [javaReal, statOf(javaReal), statOf(join(dirname(dirname(javaReal)), 'lib', 'modules'))],
    home: input.home,
    base: input.base,
    boot: [statOf(join(input.home, 'bin', 'bootstrap.jar')), statOf(join(input.home, 'bin', 'tomcat-juli.jar'))],
    homeLib: listing(join(input.home, 'lib')),
    baseLib: input.base === input.home ? [] : listing(join(input.base, 'lib')),
    conf: confFiles,
    encoding: input.decoded.encoding,
    bom: Buffer.from(input.decoded.bom).toString('hex'),
    text: input.text,
    named,
  });
}

async function readMemo(fs: FilePort, dir: string): Promise<MemoFile | null> {
  try {
    const parsed = JSON.parse((await fs.readFile(join(dir, CONFIGTEST_MEMO_FILE), { maxBytes: MAX_MEMO })).toString('utf8')) as Partial<MemoFile>;
    if (typeof parsed.salt !== 'string' || !/^[0-9a-f]{32}$/.test(parsed.salt) || !Array.isArray(parsed.entries)) return null;
    const entries = parsed.entries.filter((e): e is MemoEntry => typeof e?.key === 'string' && typeof e.at === 'string' && typeof e.output === 'string' && Array.isArray(e.unknownAttributes));
    return { salt: parsed.salt, entries };
  } catch {
    return null;
  }
}

const keyOf = (inputs: string, salt: string) => scryptSync(inputs, Buffer.from(salt, 'hex'), 32, { N: 1 << 14, r: 8, p: 1 }).toString('hex');
const fresh = (e: MemoEntry, now: number) => {
  const at = Date.parse(e.at);
  return Number.isFinite(at) && at <= now + 60_000 && now - at < TTL_MS;
};

/** The pass recorded for these inputs, if any, still fresh. */
export async function memoLookup(fs: FilePort, clock: Clock, dir: string, inputs: string | null): Promise<MemoEntry | null> {
  if (inputs === null) return null;
  const memo = await readMemo(fs, dir);
  if (memo === null) return null;
  const now = clock.now().getTime();
  const key = keyOf(inputs, memo.salt);
  return memo.entries.find((e) => e.key === key && fresh(e, now)) ?? null;
}

/** Records a pass (best effort: a memo that cannot be written only costs the next run its time). */
export async function memoRecord(fs: FilePort, clock: Clock, dir: string, inputs: string | null, result: { output: string; unknownAttributes: readonly string[] }): Promise<void> {
  if (inputs === null) return;
  try {
    const memo = (await readMemo(fs, dir)) ?? { salt: randomBytes(16).toString('hex'), entries: [] };
    const now = clock.now();
    const key = keyOf(inputs, memo.salt);
    const entry: MemoEntry = { key, at: now.toISOString(), output: result.output.slice(-8000), unknownAttributes: [...result.unknownAttributes] };
    const entries = [entry, ...memo.entries.filter((e) => e.key !== key && fresh(e, now.getTime()))].slice(0, MAX_ENTRIES);
    await fs.mkdir(dir, { mode: 0o700 });
    await fs.writeAtomic(join(dir, CONFIGTEST_MEMO_FILE), JSON.stringify({ salt: memo.salt, entries }), { mode: 0o600 });
  } catch {
    // The memo is an optimisation only.
  }
}
