import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyUnifiedDiff, unifiedDiff } from '../../main/engine/common/unified-diff.js';

describe('unified diff of plan file edits', () => {
  it('shows only the changed region with three lines of context', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n';
    const after = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nNEW\nj\n';
    expect(unifiedDiff(before, after, 'a/x.conf', 'b/x.conf')).toBe('--- a/x.conf\n+++ b/x.conf\n@@ -7,4 +7,5 @@\n g\n h\n i\n+NEW\n j\n');
  });

  it('is empty for equal texts and marks a missing final newline', () => {
    expect(unifiedDiff('x\n', 'x\n', 'a', 'b')).toBe('');
    expect(unifiedDiff('x', 'x\n', 'a', 'b')).toBe('--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\n\\ No newline at end of file\n+x\n');
  });

  it('applying the diff to the old text gives the new text (property)', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', '', 'server {', '}');
    const text = fc.array(line, { maxLength: 40 }).chain((ls) => fc.boolean().map((nl) => ls.join('\n') + (nl && ls.length > 0 ? '\n' : '')));
    fc.assert(
      fc.property(text, text, (a, b) => applyUnifiedDiff(a, unifiedDiff(a, b, 'a', 'b')) === b),
      { numRuns: 2000 },
    );
  });
});
