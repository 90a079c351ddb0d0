import { useCallback, useState } from 'react';
import type { FieldProblem } from './types.js';

/** Field problems of a step: set all at once on submit; one is cleared as soon as its field changes. */
export function useProblems() {
  const [problems, setProblems] = useState<readonly FieldProblem[]>([]);
  const clear = useCallback((field: string) => setProblems((current) => (current.some((p) => p.field === field) ? current.filter((p) => p.field !== field) : current)), []);
  const of = (field: string): string | undefined => problems.find((p) => p.field === field)?.text;
  const show = useCallback((found: readonly FieldProblem[]) => {
    setProblems(found);
    const first = found[0];
    if (first !== undefined) document.getElementById(first.field)?.focus();
  }, []);
  return { problems, of, clear, show } as const;
}
