import { useCallback, useState } from 'react';

type Patch<F> = Partial<F> | ((current: F) => Partial<F>);

/** One state object for a form's fields instead of one useState per field. */
export function useFields<F extends object>(initial: F): readonly [F, <K extends keyof F>(name: K, value: F[K]) => void, (patch: Patch<F>) => void] {
  const [fields, setFields] = useState<F>(initial);
  const set = useCallback(<K extends keyof F>(name: K, value: F[K]) => setFields((current) => ({ ...current, [name]: value })), []);
  const patch = useCallback((values: Patch<F>) => setFields((current) => ({ ...current, ...(typeof values === 'function' ? values(current) : values) })), []);
  return [fields, set, patch] as const;
}
