import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importsOf } from '../harness/layering.js';

/**
 * zod is imported in one place, shared/contract/z.ts, as named exports: `import { z } from 'zod'`
 * anywhere would bring zod's whole namespace (every locale, ~450 KB minified) back into the CLI
 * and renderer bundles and cost the CLI a third of its start-up (issue 9, bench:check).
 */
const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('zod facade', () => {
  it('only shared/contract/z.ts imports zod', () => {
    const offenders = ['shared', 'main', 'renderer/src']
      .flatMap((d) => files(join(ROOT, d)))
      .filter((f) => importsOf(readFileSync(f, 'utf8')).some((spec) => spec === 'zod' || spec.startsWith('zod/')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual(['shared/contract/z.ts']);
  });
});
