/**
 * Operations of the certs module. Each entry: defineOperation<Output>()({ input, errors, progress }).
 * See shared/contract/health.ts for the shape.
 */
export const certsOperations = {} as const;
