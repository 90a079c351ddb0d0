/**
 * Operations of the finedb module. Each entry: defineOperation<Output>()({ input, errors, progress }).
 * See shared/contract/health.ts for the shape.
 */
export const finedbOperations = {} as const;
