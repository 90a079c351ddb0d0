/**
 * Operations of the nginx module. Each entry: defineOperation<Output>()({ input, errors, progress }).
 * See shared/contract/health.ts for the shape.
 */
export const nginxOperations = {} as const;
