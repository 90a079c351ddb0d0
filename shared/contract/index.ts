import type * as z from './z.js';
import { apacheOperations } from './apache.js';
import { applyOperations } from './apply.js';
import { certsOperations } from './certs.js';
import { detectOperations } from './detect.js';
import { finedbOperations } from './finedb.js';
import { healthOperations } from './health.js';
import { nginxOperations } from './nginx.js';
import { tomcatOperations } from './tomcat.js';
import type { HostErrorCode, OperationSpec } from './operation.js';

/** The single list of operations. Adding a capability = one entry here + one engine handler. */
export const operations = {
  ...healthOperations,
  ...certsOperations,
  ...finedbOperations,
  ...nginxOperations,
  ...tomcatOperations,
  ...detectOperations,
  ...apacheOperations,
  ...applyOperations,
} as const;

export type Operations = typeof operations;
export type OpName = keyof Operations;
/** What a caller may send (defaults not yet applied). */
export type InputOf<N extends OpName> = z.input<Operations[N]['input']>;
/** What the engine receives after validation (defaults applied). */
export type RequestOf<N extends OpName> = z.output<Operations[N]['input']>;
export type OutputOf<N extends OpName> = Operations[N] extends OperationSpec<z.ZodType, infer O> ? O : never;

/** The error codes an operation declares, plus the ones any operation can fail with. */
export type ErrorCodeOf<N extends OpName> = Operations[N]['errors'][number] | HostErrorCode;
/** Every error code any operation declares. */
export type AnyErrorCode = { [N in OpName]: ErrorCodeOf<N> }[OpName];

export const operationNames = Object.keys(operations) as OpName[];

export * from './result.js';
export * from './operation.js';
export * from './common.js';
export * from './check.js';
export * from './url.js';
