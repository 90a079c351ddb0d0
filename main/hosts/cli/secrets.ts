import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeErrno, errnoOf } from '../../engine/common/errno.js';
import type { CliIO } from './io.js';

export type SecretSource =
  | { readonly ok: true; readonly value?: string }
  | { readonly ok: false; readonly problem: 'file'; readonly path: string; readonly reason: string }
  | { readonly ok: false; readonly problem: 'env'; readonly name: string };

/**
 * A secret from `--…-file` (one trailing newline removed) or `--…-env` (a variable's name), never
 * from argv itself. `value` is absent when neither was given; each command words the problems.
 */
export async function readSecretSource(io: CliIO, file: string | undefined, envName: string | undefined): Promise<SecretSource> {
  if (file !== undefined) {
    const path = resolve(file);
    try {
      return { ok: true, value: (await readFile(path, 'utf8')).replace(/\r?\n$/, '') };
    } catch (error) {
      return { ok: false, problem: 'file', path, reason: describeErrno(errnoOf(error), io.lang) };
    }
  }
  if (envName !== undefined) {
    const value = io.env[envName];
    return value === undefined ? { ok: false, problem: 'env', name: envName } : { ok: true, value };
  }
  return { ok: true };
}
