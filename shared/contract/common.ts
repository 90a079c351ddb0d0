import { z } from 'zod';

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

/** An absolute file path on the machine the engine runs on (Linux or Windows form). */
export const AbsolutePathSchema = z
  .string()
  .min(1, { message: 'input.path.empty' })
  .max(4096, { message: 'input.path.long' })
  .refine((p) => !p.includes('\0'), { message: 'input.path.nul' })
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), {
    message: 'input.path.absolute',
  });
