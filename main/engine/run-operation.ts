import type * as z from '../../shared/contract/z.js';
import type { OpError, OpName, OutputOf, Result } from '../../shared/contract/index.js';
import { failure, success } from '../../shared/contract/result.js';
import { isOpName, specLoaders } from '../../shared/contract/specs.js';
import type { Lang } from '../../shared/contract/common.js';
import type { ProgressEvent } from '../../shared/contract/operation.js';
import { hasMessage, t, tIfKnown } from '../../shared/i18n/index.js';
import { EngineError } from './common/engine-error.js';
import { detectedExecutables, executablePaths, type ExecutableAllowList } from './common/executable-allow-list.js';
import { noSideEffects, recordingPorts, type SideEffects } from './common/side-effect-log.js';
import { handlers } from './handlers.js';
import { realPorts, type Ports } from './ports/index.js';

export interface RunOptions {
  readonly lang?: Lang;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly signal?: AbortSignal;
  /** Substitute ports (tests inject faults through them); the real ones by default. */
  readonly ports?: Ports;
  /**
   * Set by hosts whose caller is not the admin at a terminal (serve mode, IPC): executable paths
   * in the input must be on this list, and the ones an operation's output names are added to it.
   */
  readonly executables?: ExecutableAllowList;
}

/** Is this the name of an operation of the contract? (hosts check a name from a request with it) */
export { isOpName };

/** Turns zod issues into one readable sentence per problem, in the caller's language. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], lang: Lang): string {
  return issues
    .map((issue) => {
      const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
      const value = 'input' in issue ? shorten(issue.input) : '';
      const key = hasMessage(issue.message) ? issue.message : issue.code === 'unrecognized_keys' ? 'input.unknown' : null;
      const text = key !== null ? t(lang, key, { value: key === 'input.unknown' ? issue.message : value }) : issue.message;
      return where + text;
    })
    .join('; ');
}

function shorten(value: unknown): string {
  const text = typeof value === 'string' ? value : preview(value, 0, { left: 400 });
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * JSON-like text of a value for messages, bounded in depth and length: a caller's input may be
 * nested 100,000 levels deep, which JSON.stringify would answer with a stack overflow.
 */
function preview(value: unknown, depth: number, budget: { left: number }): string {
  if (budget.left <= 0) return '…';
  let text: string;
  if (value === null || typeof value !== 'object') {
    text = typeof value === 'string' ? JSON.stringify(value) : typeof value === 'number' || typeof value === 'boolean' ? JSON.stringify(value) : String(value);
  } else if (depth >= 8) {
    text = Array.isArray(value) ? '[…]' : '{…}';
  } else if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value.slice(0, 20)) {
      if (budget.left <= 0) break;
      items.push(preview(item, depth + 1, budget));
    }
    text = `[${items.join(',')}${value.length > items.length ? ',…' : ''}]`;
  } else {
    const entries = Object.entries(value);
    const items: string[] = [];
    for (const [key, item] of entries.slice(0, 20)) {
      if (budget.left <= 0) break;
      items.push(`${JSON.stringify(key)}:${preview(item, depth + 1, budget)}`);
    }
    text = `{${items.join(',')}${entries.length > items.length ? ',…' : ''}}`;
  }
  budget.left -= text.length;
  return text;
}

/**
 * The one entry point every host uses: validate the raw input with the
 * contract's schema, run the engine handler, and return a Result. Never throws:
 * whatever goes wrong (a hostile input, a bug) comes back as an error value.
 */
export async function runOperation<N extends OpName>(name: N, rawInput: unknown, options: RunOptions = {}): Promise<Result<OutputOf<N>>> {
  const lang = options.lang ?? 'en';
  const recorder = recordingPorts(options.ports ?? realPorts);
  try {
    return await validateAndRun(name, rawInput, options, lang, recorder.ports);
  } catch (error) {
    return failure(toOpError(error, lang, recorder.effects));
  }
}

async function validateAndRun<N extends OpName>(name: N, rawInput: unknown, options: RunOptions, lang: Lang, ports: Ports): Promise<Result<OutputOf<N>>> {
  if (!isOpName(name)) {
    return failure({ code: 'UNKNOWN_OPERATION', message: t(lang, 'error.UNKNOWN_OPERATION', { name: String(name) }) });
  }
  // Only this operation's domain of the contract is loaded (shared/contract/specs.ts).
  const spec = await specLoaders[name]();
  const parsed = spec.input.safeParse(rawInput, { reportInput: true });
  if (!parsed.success) {
    const details = describeIssues(parsed.error.issues, lang);
    return failure({
      code: 'INVALID_INPUT',
      message: t(lang, 'error.INVALID_INPUT', { details }),
      fix: t(lang, 'error.INVALID_INPUT.fix'),
      evidence: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), key: i.message })) },
    });
  }
  if (options.executables !== undefined) {
    const refused = executablePaths(parsed.data).find((e) => !options.executables!.allows(e.path));
    if (refused !== undefined) {
      const params = { field: refused.field, path: refused.path };
      return failure({ code: 'EXECUTABLE_NOT_CONFIRMED', message: t(lang, 'error.EXECUTABLE_NOT_CONFIRMED', params), fix: t(lang, 'error.EXECUTABLE_NOT_CONFIRMED.fix', params), evidence: params });
    }
  }
  const handler = await handlerOf(name);
  const output = await handler(parsed.data as never, {
    lang,
    onProgress: options.onProgress ?? (() => undefined),
    ...(options.signal ? { signal: options.signal } : {}),
    ports,
  });
  // What detection found may be named back by the same caller.
  if (options.executables !== undefined) {
    // detect says which of what it found is safe to run; other operations name what they found under the executable keys.
    const found = name === 'detect' ? detectedExecutables(output as OutputOf<'detect'>) : executablePaths(output).map((e) => e.path);
    for (const path of found) options.executables.detected(path);
  }
  return success(output);
}

/**
 * Each operation's handler, loaded once: its module is imported on first use and the function kept,
 * so serve mode and a check of many rounds do not pay the dynamic imports again on every call. A
 * load that fails is not kept (the next call tries again).
 */
const loadedHandlers = new Map<OpName, Promise<unknown>>();
function handlerOf<N extends OpName>(name: N): ReturnType<(typeof handlers)[N]> {
  let loading = loadedHandlers.get(name);
  if (loading === undefined) {
    loading = handlers[name]();
    loadedHandlers.set(name, loading);
    loading.catch(() => loadedHandlers.delete(name));
  }
  return loading as ReturnType<(typeof handlers)[N]>;
}

/**
 * An error value for anything thrown. An EngineError is rendered from its code; anything else is
 * INTERNAL_ERROR, whose fix says what the operation had done through its ports before it failed
 * ("nothing was changed" only when that is so), with the list in the evidence.
 */
export function toOpError(error: unknown, lang: Lang, effects?: SideEffects): OpError {
  if (error instanceof EngineError) {
    const fixKey = `error.${error.code}.fix`;
    return {
      code: error.code,
      message: tIfKnown(lang, `error.${error.code}`, error.params) ?? `error.${error.code}`,
      ...(hasMessage(fixKey) ? { fix: t(lang, fixKey, error.params) } : {}),
      evidence: error.evidence,
    };
  }
  const detail = (error instanceof Error ? error.message : safeString(error)).slice(0, 500);
  const message = t(lang, 'error.INTERNAL_ERROR', { detail });
  if (effects === undefined) return { code: 'INTERNAL_ERROR', message, fix: t(lang, 'error.INTERNAL_ERROR.unknown.fix') };
  if (noSideEffects(effects)) return { code: 'INTERNAL_ERROR', message, fix: t(lang, 'error.INTERNAL_ERROR.fix'), evidence: { changed: false } };
  const list = (items: readonly string[]) => (items.length > 5 ? `${items.slice(0, 5).join(', ')} (+${items.length - 5})` : items.join(', '));
  const parts = [
    effects.written.length > 0 ? t(lang, 'error.INTERNAL_ERROR.written', { files: list(effects.written) }) : '',
    effects.removed.length > 0 ? t(lang, 'error.INTERNAL_ERROR.removed', { files: list(effects.removed) }) : '',
    effects.folders.length > 0 ? t(lang, 'error.INTERNAL_ERROR.folders', { folders: list(effects.folders) }) : '',
    effects.commands.length > 0 ? t(lang, 'error.INTERNAL_ERROR.commands', { commands: list(effects.commands) }) : '',
  ].filter((p) => p !== '');
  return {
    code: 'INTERNAL_ERROR',
    message,
    fix: `${parts.join(' ')} ${t(lang, 'error.INTERNAL_ERROR.changed.fix')}`,
    evidence: { changed: true, written: [...effects.written], removed: [...effects.removed], folders: [...effects.folders], commands: [...effects.commands] },
  };
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return typeof value;
  }
}
