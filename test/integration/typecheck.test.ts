import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsc = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));

function typecheck(project: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsc, ['-p', project, '--noEmit', '--pretty', 'false'], { cwd: root });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('close', (code) => resolve({ code, output }));
  });
}

// Strict TypeScript everywhere, including the Electron shell checked against electron's own types
// (its binary cannot run here, so the compiler is what keeps main/app and the preload honest).
describe('type check', () => {
  // tsc takes ~15 s on an idle 2-core machine; the bound only guards against a hang on a loaded one.
  it('main, shared, Electron shell, tests and benches', { timeout: 600_000 }, async () => {
    const r = await typecheck('tsconfig.json');
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });

  it('renderer', { timeout: 600_000 }, async () => {
    const r = await typecheck('renderer/tsconfig.json');
    expect(r.output).toBe('');
    expect(r.code).toBe(0);
  });
});
