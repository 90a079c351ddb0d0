import { applyPatch, createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';

/**
 * Unified diffs (`diff -u` style, three lines of context) for showing file edits in a plan,
 * written by jsdiff (the `diff` package) rather than by hand. Labels are printed as given
 * (a/<path>, b/<path>, /dev/null for a new file); no "Index:" or "====" lines.
 */
export function unifiedDiff(before: string, after: string, labelA: string, labelB: string, context = 3): string {
  if (before === after) return '';
  return createTwoFilesPatch(labelA, labelB, before, after, undefined, undefined, { context, headerOptions: FILE_HEADERS_ONLY });
}

/** Applies a unified diff made by unifiedDiff to `before` (tests use it to prove diffs are exact); throws when it does not apply. */
export function applyUnifiedDiff(before: string, diff: string): string {
  if (diff === '') return before;
  const after = applyPatch(before, diff);
  if (after === false) throw new Error('the diff does not apply to this text');
  return after;
}
