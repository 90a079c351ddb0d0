import type { Listening } from '../../../shared/contract/detect.js';
import type { FilePort } from '../ports/index.js';

/** A process as /proc shows it. */
export interface ProcInfo {
  readonly pid: number;
  readonly uid: number | null;
  readonly argv: readonly string[];
  /** The program's real path (/proc/<pid>/exe), null when not readable (not root). */
  readonly exe: string | null;
  /** The systemd unit whose cgroup holds the process, e.g. "tomcat10.service". */
  readonly unit: string | null;
}

const MAX_PROC_FILE = 256 * 1024;

/** Every process we may read. Processes that end while we look are skipped. */
export async function listProcesses(fs: FilePort, procRoot = '/proc'): Promise<ProcInfo[]> {
  let names: string[];
  try {
    names = await fs.readDir(procRoot);
  } catch {
    return [];
  }
  const out: ProcInfo[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const argv = (await fs.readFile(`${procRoot}/${pid}/cmdline`, { maxBytes: MAX_PROC_FILE })).toString('utf8').split('\0').filter((a) => a.length > 0);
      if (argv.length === 0) continue; // kernel threads
      const status = (await fs.readText(`${procRoot}/${pid}/status`, { maxBytes: MAX_PROC_FILE })).match(/^Uid:\s+(\d+)/m);
      const cgroup = await fs.readText(`${procRoot}/${pid}/cgroup`, { maxBytes: MAX_PROC_FILE }).catch(() => '');
      const unit = /\/([^/\n]+\.service)(?:\/|$)/m.exec(cgroup)?.[1] ?? null;
      out.push({ pid, uid: status ? Number(status[1]) : null, argv, exe: await fs.readLink(`${procRoot}/${pid}/exe`), unit });
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Listening TCP sockets by inode, from /proc/net/tcp and tcp6. */
async function listeningByInode(fs: FilePort, procRoot: string): Promise<Map<string, Listening>> {
  const byInode = new Map<string, Listening>();
  for (const [file, v6] of [['tcp', false], ['tcp6', true]] as const) {
    const text = await fs.readText(`${procRoot}/net/${file}`, { maxBytes: 64 * 1024 * 1024 }).catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 10 || cols[3] !== '0A') continue; // 0A = LISTEN
      const [addrHex, portHex] = cols[1]!.split(':');
      if (addrHex === undefined || portHex === undefined) continue;
      byInode.set(cols[9]!, { address: v6 ? ipv6FromProc(addrHex) : ipv4FromProc(addrHex), port: parseInt(portHex, 16) });
    }
  }
  return byInode;
}

export function ipv4FromProc(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff].join('.');
}

export function ipv6FromProc(hex: string): string {
  if (/^0{24}FFFF0000/i.test(hex) || /^0000000000000000FFFF0000/i.test(hex)) return ipv4FromProc(hex.slice(24));
  const words: string[] = [];
  for (let i = 0; i < 32; i += 8) {
    const word = hex.slice(i, i + 8);
    // Each 32-bit word is stored little-endian.
    const bytes = word.match(/../g)!.reverse().join('');
    words.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  const text = words.map((w) => w.replace(/^0+(?=.)/, '').toLowerCase()).join(':');
  if (text === '0:0:0:0:0:0:0:0') return '::';
  if (text === '0:0:0:0:0:0:0:1') return '::1';
  return text;
}

/** The listening sockets of each process (by its open file descriptors). */
export async function listeningByPid(fs: FilePort, pids: readonly number[], procRoot = '/proc'): Promise<Map<number, Listening[]>> {
  const byInode = await listeningByInode(fs, procRoot);
  const out = new Map<number, Listening[]>();
  if (byInode.size === 0) return out;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = await fs.readDir(`${procRoot}/${pid}/fd`);
    } catch {
      continue;
    }
    const found: Listening[] = [];
    for (const fd of fds) {
      const target = await fs.readLink(`${procRoot}/${pid}/fd/${fd}`);
      const inode = target !== null ? /^socket:\[(\d+)\]$/.exec(target)?.[1] : undefined;
      const listening = inode !== undefined ? byInode.get(inode) : undefined;
      if (listening && !found.some((l) => l.port === listening.port && l.address === listening.address)) found.push(listening);
    }
    if (found.length > 0) out.set(pid, found.sort((a, b) => a.port - b.port));
  }
  return out;
}

/** The value of a -Dname=value option in a java command line. */
export function systemProperty(argv: readonly string[], name: string): string | null {
  const prefix = `-D${name}=`;
  const arg = argv.find((a) => a.startsWith(prefix));
  return arg === undefined ? null : arg.slice(prefix.length);
}
