import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../main/engine/common/engine-error.js';
import { foreignWriter, realFilePort as fs, realProcessPort as proc, scrubSecrets, sha256Hex } from '../../main/engine/ports/index.js';
import { failingFs, failingRunner } from '../harness/faulty-ports.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir('wss-setup-ports-');
afterAll(() => dir.cleanup());
const isRoot = process.getuid?.() === 0;

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'no error';
  } catch (error) {
    return error instanceof EngineError ? error.code : `not an EngineError: ${String(error)}`;
  }
}

describe('file port reads', () => {
  it('reads a regular file, and refuses devices, FIFOs, folders, symlinks and files over the cap without blocking', async () => {
    const file = join(dir.path, 'a.conf');
    writeFileSync(file, 'x'.repeat(100));
    expect((await fs.readFile(file)).length).toBe(100);
    expect(await codeOf(fs.readFile(file, { maxBytes: 99 }))).toBe('FILE_TOO_LARGE');
    expect(await codeOf(fs.readFile('/dev/zero'))).toBe('FILE_NOT_REGULAR');
    const fifo = join(dir.path, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await codeOf(fs.readFile(fifo))).toBe('FILE_NOT_REGULAR');
    expect(await codeOf(fs.readFile(dir.path))).toBe('FILE_NOT_REGULAR');
    const link = join(dir.path, 'link.conf');
    symlinkSync(file, link);
    expect(await codeOf(fs.readFile(link))).toBe('FILE_IS_SYMLINK');
    expect(await codeOf(fs.readFile(join(dir.path, 'absent')))).toBe('FILE_UNREADABLE');
  });

  it('reads files that report size 0 (procfs) to their end, and large files whole', async () => {
    const cmdline = await fs.readFile(`/proc/${process.pid}/cmdline`);
    expect(cmdline.toString().split('\0')[0]).toContain('node');
    const big = join(dir.path, 'big');
    writeFileSync(big, Buffer.alloc(300_000, 7));
    expect((await fs.readFile(big)).equals(Buffer.alloc(300_000, 7))).toBe(true);
  });
});

describe('file port atomic writer', () => {
  it('creates new files 0600 by default, exclusively when asked, and undoes a creation', async () => {
    const file = join(dir.path, 'new.key');
    const receipt = await fs.writeAtomic(file, 'secret');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(receipt.before).toBeNull();
    expect(receipt.afterSha256).toBe(sha256Hex('secret'));
    expect(await codeOf(fs.writeAtomic(file, 'other', { exclusive: true }))).toBe('FILE_EXISTS');
    await receipt.undo();
    expect(existsSync(file)).toBe(false);
  });

  it('keeps mode and owner of a replaced file, and undo puts the old bytes, mode and owner back', async () => {
    const file = join(dir.path, 'server.xml');
    writeFileSync(file, 'old', { mode: 0o640 });
    chmodSync(file, 0o640);
    if (isRoot) chownSync(file, 65534, 65534);
    const receipt = await fs.writeAtomic(file, 'new');
    const st = statSync(file);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(st.mode & 0o7777).toBe(0o640);
    if (isRoot) expect([st.uid, st.gid]).toEqual([65534, 65534]);
    await receipt.undo();
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    if (isRoot) expect(statSync(file).uid).toBe(65534);
  });

  it('refuses to undo when someone changed the file after the write', async () => {
    const file = join(dir.path, 'changed.conf');
    writeFileSync(file, 'v1');
    const receipt = await fs.writeAtomic(file, 'v2');
    writeFileSync(file, 'v3 by the admin');
    expect(await codeOf(receipt.undo())).toBe('FILE_CHANGED_SINCE_WRITE');
    expect(readFileSync(file, 'utf8')).toBe('v3 by the admin');
  });

  it('refuses a symlink or a folder as the target, leaving the link, its target and the folder alone', async () => {
    const victim = join(dir.path, 'victim.txt');
    writeFileSync(victim, 'victim');
    const link = join(dir.path, 'out.crt');
    symlinkSync(victim, link);
    expect(await codeOf(fs.writeAtomic(link, 'attacker-chosen'))).toBe('FILE_IS_SYMLINK');
    expect(readFileSync(victim, 'utf8')).toBe('victim');
    mkdirSync(join(dir.path, 'folder'));
    expect(await codeOf(fs.writeAtomic(join(dir.path, 'folder'), 'x'))).toBe('FILE_NOT_REGULAR');
  });

  it('leaves no temp file behind when the write fails', async () => {
    const sub = join(dir.path, 'ro');
    mkdirSync(sub);
    writeFileSync(join(sub, 'kept'), 'kept');
    // A missing folder makes the temp file's creation fail; the target folder is untouched.
    expect(await codeOf(fs.writeAtomic(join(sub, 'missing', 'f'), 'x'))).toBe('FILE_WRITE_FAILED');
    expect(readdirSync(sub)).toEqual(['kept']);
  });

  it('fault injection: the Nth write fails like a full disk, earlier ones really happen', async () => {
    const port = failingFs({ failAtWrite: 2 });
    await port.writeAtomic(join(dir.path, 'first'), '1');
    expect(await codeOf(port.writeAtomic(join(dir.path, 'second'), '2'))).toBe('FILE_WRITE_FAILED');
    expect(existsSync(join(dir.path, 'first'))).toBe(true);
    expect(existsSync(join(dir.path, 'second'))).toBe(false);
  });

  it('mkdir refuses a symlink where a folder should be', async () => {
    const real = join(dir.path, 'realdir');
    mkdirSync(real);
    symlinkSync(real, join(dir.path, 'linkdir'));
    expect(await codeOf(fs.mkdir(join(dir.path, 'linkdir', 'sub')))).toBe('FILE_IS_SYMLINK');
    expect(existsSync(join(real, 'sub'))).toBe(false);
    await fs.mkdir(join(dir.path, 'made', 'deep'), { mode: 0o700 });
    expect(statSync(join(dir.path, 'made', 'deep')).mode & 0o777).toBe(0o700);
  });

  it.runIf(isRoot)('foreignWriter names a folder another account owns or may write into', async () => {
    const mine = join(dir.path, 'mine');
    mkdirSync(mine, { mode: 0o755 });
    chmodSync(mine, 0o755);
    expect(await foreignWriter(mine)).toBeNull();
    const theirs = join(dir.path, 'theirs');
    mkdirSync(theirs);
    chownSync(theirs, 65534, 65534);
    expect((await foreignWriter(theirs))?.reason).toBe('owner');
    const open = join(dir.path, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    expect((await foreignWriter(open))?.reason).toBe('world-writable');
    chmodSync(open, 0o1777);
    expect(await foreignWriter(open)).toBeNull();
  });
});

describe('process port', () => {
  it('runs argv without a shell, with a minimal environment, and scrubs secrets from output', async () => {
    const r = await proc.run({ command: 'sh', args: ['-c', 'echo "$PATH|$HOME|pw=hunter22"; echo "$1" >&2', 'x', '$(id)'] });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('/usr/bin');
    expect(r.stdout).toContain('||'); // HOME is not inherited
    expect(r.stderr.trim()).toBe('$(id)'); // an argument is never interpreted
    const scrubbed = await proc.run({ command: 'sh', args: ['-c', 'echo "pw=hunter22"'], secrets: ['hunter22'] });
    expect(scrubbed.stdout).not.toContain('hunter22');
    expect(scrubbed.stdout).toContain('pw=••••');
    expect(scrubSecrets('a-secret-b secret', ['secret', 'a-secret-b'])).toBe('•••• ••••');
  });

  it('passes stdin, reports a missing program and kills on timeout', async () => {
    expect((await proc.run({ command: 'cat', args: [], stdin: 'hello' })).stdout).toBe('hello');
    const missing = await proc.run({ command: '/nonexistent/program', args: [] });
    expect(missing.code).toBeNull();
    expect(missing.spawnError).toBe('ENOENT');
    const slow = await proc.run({ command: 'sleep', args: ['5'], timeoutMs: 200 });
    expect(slow.timedOut).toBe(true);
    expect(slow.code).toBeNull();
  });

  it('start() gives a long-lived child with streams', async () => {
    const child = proc.start({ command: 'cat', args: [] });
    const chunks: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => chunks.push(d));
    child.stdin?.end('ping\n');
    const exit = await child.wait();
    expect(exit.code).toBe(0);
    expect(Buffer.concat(chunks).toString()).toBe('ping\n');
  });

  it('fault injection: the Nth matching run fails', async () => {
    const port = failingRunner({ failAtRun: 1, mode: 'exit-1', match: (r) => r.command === 'true' });
    expect((await port.run({ command: 'echo', args: ['ok'] })).code).toBe(0);
    expect((await port.run({ command: 'true', args: [] })).code).toBe(1);
  });
});
