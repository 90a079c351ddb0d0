import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { realFilePort } from '../../main/engine/ports/index.js';
import type { CliIO } from '../../main/hosts/cli/io.js';
import { readSecretSource } from '../../main/hosts/cli/secrets.js';
import { tempDir } from '../harness/temp.js';

const dir = tempDir();
afterAll(() => dir.cleanup());

// The one atomic writer (the file port's); the second writer these tests used to cover is gone.
describe('the file port atomic writer', () => {
  it('writes with the given mode and replaces the old content whole', async () => {
    const file = join(dir.path, 'plan.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    await realFilePort.writeAtomic(file, 'new', { mode: 0o600 });
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await realFilePort.writeAtomic(file, 'public', { mode: 0o644 });
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });

  it('on failure leaves the target as it was and no temp file behind', async () => {
    const sub = join(dir.path, 'sub');
    const target = join(sub, 'taken');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'inside'), 'kept');
    await expect(realFilePort.writeAtomic(target, 'data')).rejects.toThrow();
    expect(readdirSync(sub)).toEqual(['taken']);
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('kept');
  });
});

describe('readSecretSource', () => {
  const io = { lang: 'en', env: { KS_PW: 's3cret' } } as unknown as CliIO;

  it('reads a file without its trailing newline, or a named variable, or nothing', async () => {
    const file = join(dir.path, 'pw');
    writeFileSync(file, 'from file\n');
    expect(await readSecretSource(io, file, undefined)).toEqual({ ok: true, value: 'from file' });
    expect(await readSecretSource(io, undefined, 'KS_PW')).toEqual({ ok: true, value: 's3cret' });
    expect(await readSecretSource(io, undefined, undefined)).toEqual({ ok: true });
  });

  it('names the problem without any secret in it', async () => {
    expect(await readSecretSource(io, join(dir.path, 'missing'), undefined)).toEqual({ ok: false, problem: 'file', path: join(dir.path, 'missing'), reason: 'no such file or folder' });
    expect(await readSecretSource(io, undefined, 'NOT_SET')).toEqual({ ok: false, problem: 'env', name: 'NOT_SET' });
  });
});
