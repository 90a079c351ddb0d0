import type { z } from 'zod';
import { failure, operations, success, type OpName, type OutputOf, type Result } from '../../shared/contract/index.js';
import type { Lang } from '../../shared/contract/common.js';
import type { ProgressEvent } from '../../shared/contract/operation.js';
import { hasMessage, t, tIfKnown } from '../../shared/i18n/index.js';
import { EngineError } from './common/engine-error.js';
import { handlers } from './handlers.js';
import { realPorts, type Ports } from './ports/index.js';

export interface RunOptions {
  readonly lang?: Lang;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly signal?: AbortSignal;
  /** Substitute ports (tests inject faults through them); the real ones by default. */
  readonly ports?: Ports;
}

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(operations, name);
}

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
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * The one entry point every host uses: validate the raw input with the
 * contract's schema, run the engine handler, and return a Result. Never throws.
 */
export async function runOperation<N extends OpName>(name: N, rawInput: unknown, options: RunOptions = {}): Promise<Result<OutputOf<N>>> {
  const lang = options.lang ?? 'en';
  if (!isOpName(name)) {
    return failure({ code: 'UNKNOWN_OPERATION', message: t(lang, 'error.UNKNOWN_OPERATION', { name: String(name) }) });
  }
  const spec = operations[name];
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
  try {
    const handler = await handlers[name]();
    const output = await handler(parsed.data as never, {
      lang,
      onProgress: options.onProgress ?? (() => undefined),
      ...(options.signal ? { signal: options.signal } : {}),
      ports: options.ports ?? realPorts,
    });
    return success(output);
  } catch (error) {
    return failure(toOpError(error, lang));
  }
}

export function toOpError(error: unknown, lang: Lang) {
  if (error instanceof EngineError) {
    const fixKey = `error.${error.code}.fix`;
    return {
      code: error.code,
      message: tIfKnown(lang, `error.${error.code}`, error.params) ?? `error.${error.code}`,
      ...(hasMessage(fixKey) ? { fix: t(lang, fixKey, error.params) } : {}),
      evidence: error.evidence,
    };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL_ERROR', message: t(lang, 'error.INTERNAL_ERROR', { detail }), fix: t(lang, 'error.INTERNAL_ERROR.fix') };
}
