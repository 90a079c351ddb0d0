import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The project's layering, as rules over import statements (static, dynamic and type-only):
 * - shared/ imports nothing from main/ or renderer/ (the contract and texts are the bottom);
 * - main/engine/ never imports electron, react or a host (main/hosts, main/app, main/preload);
 * - an engine module (main/engine/<module>/) is entered only through its face, index.ts, by
 *   other modules and by the hosts; its operation table (handlers.ts, lazily importing the
 *   operations) is read only by the composition root main/engine/handlers.ts; `common`
 *   (errors, context, paths) and the top-level files (run-operation, handlers) are the engine's
 *   kernel and may be imported directly;
 * - the renderer imports no Node built-in and nothing from main/;
 * - no import cycle anywhere.
 * Tests, benches and scripts are outside the rules (they may reach into internals).
 */
export type Rule = 'shared-imports-main' | 'engine-imports-ui-or-host' | 'module-internals' | 'renderer-imports-node' | 'cycle';

export interface Violation {
  readonly rule: Rule;
  readonly file: string;
  readonly imports: string;
}

const KERNEL = new Set(['common']);
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const SPEC = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;(=])import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(c|m)?tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Import specifiers of a file, comments removed first so a commented-out import does not count. */
export function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return [...code.matchAll(SPEC)].map((m) => m[1] ?? m[2] ?? m[3]!).filter(Boolean);
}

function resolveRelative(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  const candidates = [base, base.replace(/\.(c|m)?js$/, '.ts'), base.replace(/\.(c|m)?js$/, '.tsx'), base.replace(/\.cjs$/, '.cts'), base.replace(/\.mjs$/, '.mts'), `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** [area, module] of a file relative to the root: e.g. ['engine', 'nginx'], ['hosts', 'cli'], ['shared', ''], ['renderer', '']. */
function placeOf(rel: string): { area: 'shared' | 'engine' | 'hosts' | 'app' | 'renderer' | 'other'; module: string; rest: string } {
  const parts = rel.split(sep);
  if (parts[0] === 'shared') return { area: 'shared', module: '', rest: parts.slice(1).join('/') };
  if (parts[0] === 'renderer') return { area: 'renderer', module: '', rest: parts.slice(1).join('/') };
  if (parts[0] === 'main' && parts[1] === 'engine') {
    return parts.length > 3 ? { area: 'engine', module: parts[2]!, rest: parts.slice(3).join('/') } : { area: 'engine', module: '', rest: parts.slice(2).join('/') };
  }
  if (parts[0] === 'main' && parts[1] === 'hosts') return { area: 'hosts', module: parts[2] ?? '', rest: parts.slice(3).join('/') };
  if (parts[0] === 'main' && (parts[1] === 'app' || parts[1] === 'preload')) return { area: 'app', module: parts[1], rest: parts.slice(2).join('/') };
  return { area: 'other', module: '', rest: rel };
}

export function checkLayering(root: string): Violation[] {
  const files = ['shared', 'main', 'renderer/src'].flatMap((d) => sourceFiles(join(root, d)));
  const violations: Violation[] = [];
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const rel = relative(root, file);
    const from = placeOf(rel);
    const edges: string[] = [];
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      const report = (rule: Rule) => violations.push({ rule, file: rel, imports: spec });
      if (!spec.startsWith('.')) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        if (from.area === 'engine' && (pkg === 'electron' || pkg === 'react' || pkg === 'react-dom')) report('engine-imports-ui-or-host');
        if (from.area === 'renderer' && (BUILTINS.has(spec) || BUILTINS.has(pkg))) report('renderer-imports-node');
        continue;
      }
      const target = resolveRelative(file, spec);
      if (target === null) continue; // tsc reports unresolved imports
      const to = placeOf(relative(root, target));
      edges.push(target);
      if (from.area === 'shared' && to.area !== 'shared') report('shared-imports-main');
      if (from.area === 'engine' && (to.area === 'hosts' || to.area === 'app')) report('engine-imports-ui-or-host');
      if (from.area === 'renderer' && to.area !== 'renderer' && to.area !== 'shared') report('renderer-imports-node');
      const crossing = to.area === 'engine' && to.module !== '' && !KERNEL.has(to.module) && (from.area !== 'engine' || from.module !== to.module);
      const rootReadsTable = rel === join('main', 'engine', 'handlers.ts') && to.rest === 'handlers.ts';
      if (crossing && (from.area === 'engine' || from.area === 'hosts' || from.area === 'app') && to.rest !== 'index.ts' && !rootReadsTable) report('module-internals');
    }
    graph.set(file, edges);
  }
  for (const cycle of findCycles(graph)) violations.push({ rule: 'cycle', file: relative(root, cycle[0]!), imports: cycle.map((f) => relative(root, f)).join(' → ') });
  return violations;
}

/** Every strongly connected group of more than one file (or a file importing itself), as one cycle each (Tarjan). */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(group.reverse());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return out;
}
