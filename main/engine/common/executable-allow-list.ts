import { isAbsolute, join, normalize } from 'node:path';
import type { DetectOutput } from '../../../shared/contract/detect.js';
import { EXECUTABLE_INPUT_KEYS } from '../../../shared/contract/operation.js';

/**
 * The programs, JVMs and jars a renderer may name (issue 9 item 9). A compromised renderer must
 * not be able to make wss-setup (often root) run a program of its choosing, so serve mode and IPC
 * accept an executable path only when it is here: confirmed by the admin at the terminal that
 * started the app (`wss-setup serve --allow-exec <path>`, the Electron app's `--allow-exec=<path>`),
 * or found by detection in this session (an operation's output named it under one of
 * EXECUTABLE_INPUT_KEYS). Fields left out still get the engine's own defaults. The CLI, being the
 * admin at a terminal, runs without a list.
 */
export class ExecutableAllowList {
  readonly #confirmed = new Set<string>();
  readonly #detected = new Set<string>();

  constructor(confirmed: Iterable<string> = []) {
    for (const path of confirmed) this.confirm(path);
  }

  /** The admin named this path at the terminal. */
  confirm(path: string): void {
    const key = canonical(path);
    if (key !== null) this.#confirmed.add(key);
  }

  /** An operation of this session found this path. */
  detected(path: string): void {
    const key = canonical(path);
    if (key !== null) this.#detected.add(key);
  }

  allows(path: string): boolean {
    const key = canonical(path);
    return key !== null && (this.#confirmed.has(key) || this.#detected.has(key));
  }

  get confirmedPaths(): readonly string[] {
    return [...this.#confirmed];
  }
}

/** Exact absolute paths only (normalized: no `..`, no doubled separators); anything else is never allowed. */
function canonical(path: string): string | null {
  if (typeof path !== 'string' || path === '' || path.includes('\0') || !isAbsolute(path)) return null;
  const normal = normalize(path);
  return normal.length > 1 && /[\\/]$/.test(normal) ? normal.slice(0, -1) : normal;
}

const KEYS: ReadonlySet<string> = new Set(EXECUTABLE_INPUT_KEYS);

/** Every executable path named in a value (input or output) under one of EXECUTABLE_INPUT_KEYS, with its field. */
export function executablePaths(value: unknown, depth = 0, field = ''): { readonly field: string; readonly path: string }[] {
  if (depth > 32 || value === null || typeof value !== 'object') return [];
  const found: { field: string; path: string }[] = [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  for (const [key, item] of entries.slice(0, 1000)) {
    const here = field === '' ? key : `${field}.${key}`;
    if (!Array.isArray(value) && KEYS.has(key)) {
      if (typeof item === 'string') found.push({ field: here, path: item });
      else if (Array.isArray(item)) for (const p of item) if (typeof p === 'string') found.push({ field: here, path: p });
    } else {
      found.push(...executablePaths(item, depth + 1, here));
    }
  }
  return found;
}

/**
 * The programs and trees the `detect` operation found and judged safe to run: nginx and Apache
 * binaries it ran for their version (not those it refused as owned by another account), the
 * java of each Java home only root can change, and Tomcat homes and bases.
 */
export function detectedExecutables(output: DetectOutput): string[] {
  const exe = output.platform === 'win32' ? 'java.exe' : 'java';
  return [
    ...output.nginx.filter((n) => n.notRun === undefined).map((n) => n.binary),
    ...output.apache.filter((a) => a.notRun === undefined).map((a) => a.binary),
    ...output.java.filter((j) => j.trusted).map((j) => join(j.home, 'bin', exe)),
    ...output.tomcats.flatMap((c) => (c.home !== null ? [c.home, c.base] : [c.base])),
  ];
}
