import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLayering, importsOf } from '../harness/layering.js';
import { tempDir } from '../harness/temp.js';

const root = new URL('../..', import.meta.url).pathname;
const dir = tempDir('wss-setup-layering-');
afterAll(() => dir.cleanup());

function tree(files: Record<string, string>): string {
  const base = join(dir.path, `t${Math.random().toString(36).slice(2)}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(base, path)), { recursive: true });
    writeFileSync(join(base, path), text);
  }
  return base;
}

describe('layering', () => {
  it('the project keeps its layering: no violation', () => {
    expect(checkLayering(root)).toEqual([]);
  });

  it('reads static, type-only, re-export, side-effect and dynamic imports, ignoring comments', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "import './side.js';",
      "const d = await import('./d.js');",
      "// import { e } from './commented.js';",
      "/* import { f } from './block.js'; */",
      'import {\n  g,\n  h,\n} from "./multi.js";',
    ].join('\n');
    expect(importsOf(text).sort()).toEqual(['../b.js', './a.js', './c.js', './d.js', './multi.js', './side.js'].sort());
  });

  it('reports each rule on a tree that breaks it', () => {
    const base = tree({
      'shared/contract/bad.ts': "import type { X } from '../../main/engine/alpha/inner.js';\nexport type Y = X;\n",
      'main/engine/alpha/index.ts': "export { inner } from './inner.js';\n",
      'main/engine/alpha/inner.ts': "export const inner = 1;\nexport type X = number;\n",
      'main/engine/beta/uses-internals.ts': "import { inner } from '../alpha/inner.js';\nexport const b = inner;\n",
      'main/engine/beta/uses-face.ts': "import { inner } from '../alpha/index.js';\nexport const c = inner;\n",
      'main/engine/beta/ui.ts': "import { app } from 'electron';\nimport { useState } from 'react';\nexport { app, useState };\n",
      'main/engine/beta/host.ts': "import { run } from '../../hosts/cli/main.js';\nexport { run };\n",
      'main/hosts/cli/main.ts': "import { inner } from '../../engine/alpha/inner.js';\nexport const run = inner;\n",
      'renderer/src/bad.tsx': "import { readFileSync } from 'node:fs';\nimport path from 'path';\nimport { run } from '../../main/hosts/cli/main.js';\nexport { readFileSync, path, run };\n",
      'main/engine/gamma/one.ts': "import { two } from './two.js';\nexport const one = two;\n",
      'main/engine/gamma/two.ts': "import type { one } from './one.js';\nexport const two = 2 as unknown as typeof one;\n",
    });
    const found = checkLayering(base).map((v) => `${v.rule} ${v.file} ${v.imports}`);
    expect(found).toContain('shared-imports-main shared/contract/bad.ts ../../main/engine/alpha/inner.js');
    expect(found).toContain('module-internals main/engine/beta/uses-internals.ts ../alpha/inner.js');
    expect(found).toContain('module-internals main/hosts/cli/main.ts ../../engine/alpha/inner.js');
    expect(found).toContain('engine-imports-ui-or-host main/engine/beta/ui.ts electron');
    expect(found).toContain('engine-imports-ui-or-host main/engine/beta/ui.ts react');
    expect(found).toContain('engine-imports-ui-or-host main/engine/beta/host.ts ../../hosts/cli/main.js');
    expect(found).toContain('renderer-imports-node renderer/src/bad.tsx node:fs');
    expect(found).toContain('renderer-imports-node renderer/src/bad.tsx path');
    expect(found).toContain('renderer-imports-node renderer/src/bad.tsx ../../main/hosts/cli/main.js');
    expect(found.some((f) => f.startsWith('cycle main/engine/gamma/one.ts') && f.includes('two.ts'))).toBe(true);
    expect(found.filter((f) => f.includes('uses-face'))).toEqual([]);
    expect(found).toHaveLength(10);
  });
});
