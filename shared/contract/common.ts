import * as z from './z.js';

/** Languages the product speaks. Every catalog exists in each of them. */
export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];
export const LangSchema = z.enum(LANGS);

/**
 * Validation messages are i18n keys (see shared/i18n/<lang>/common.ts, section
 * `input`), so that hosts can show them in the user's language.
 */
export const PortSchema = z
  .number({ message: 'input.port.number' })
  .int({ message: 'input.port.number' })
  .min(1, { message: 'input.port.range' })
  .max(65535, { message: 'input.port.range' });

export const TimeoutMsSchema = z
  .number({ message: 'input.timeout.number' })
  .int({ message: 'input.timeout.number' })
  .min(100, { message: 'input.timeout.range' })
  .max(120_000, { message: 'input.timeout.range' });

/** Which rules decide whether a path is absolute: the platform the engine runs on. */
export type PathPlatform = 'posix' | 'win32';

/** The platform of this process; shared/ may run in the renderer, where there is no `process` and the engine judges again. */
export function hostPathPlatform(): PathPlatform | 'any' {
  const platform = (globalThis as { process?: { platform?: unknown } }).process?.platform;
  return platform === undefined ? 'any' : platform === 'win32' ? 'win32' : 'posix';
}

/**
 * True when `path` is absolute for `platform`. POSIX: it starts with `/` (`C:\ca.crt` is a file
 * name in the current folder there). Windows: a drive (`C:\`, `C:/`), a UNC share (`\\server\`) or
 * `/` (the current drive's root). 'any' (the renderer) takes either form.
 */
export function isAbsolutePathFor(path: string, platform: PathPlatform | 'any'): boolean {
  const posix = path.startsWith('/');
  const windows = posix || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
  return platform === 'posix' ? posix : windows;
}

/** An absolute file path as the given platform reads it; tests build the other platform's schema. */
export function absolutePathSchemaFor(platform: PathPlatform | 'any') {
  return z
    .string()
    .min(1, { message: 'input.path.empty' })
    .max(4096, { message: 'input.path.long' })
    .refine((p) => !p.includes('\0'), { message: 'input.path.nul' })
    .refine((p) => isAbsolutePathFor(p, platform), { message: 'input.path.absolute' });
}

/** An absolute file path on the machine the engine runs on. */
export const AbsolutePathSchema = absolutePathSchemaFor(hostPathPlatform());
