/**
 * Defence in depth: the journal never stores a secret. Every text written to it passes through a
 * scrubber that knows the secret values of the current process (registered when they are resolved,
 * kept in memory only) and replaces them with ••••.
 */
const known = new Set<string>();

export function registerSecret(value: string): void {
  if (value.length >= 1) known.add(value);
}

export function forgetSecrets(): void {
  known.clear();
}

export function scrub(text: string): string {
  let out = text;
  for (const s of known) if (out.includes(s)) out = out.split(s).join('••••');
  return out;
}

export const scrubbedJson = (value: unknown): string => scrub(JSON.stringify(value ?? null));
