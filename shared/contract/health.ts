import { CheckInputSchema, type CheckOutput } from './check.js';
import { defineOperation } from './operation.js';

export const healthOperations = {
  /** Live WSS health check of one or more ws://, wss:// or socket.io URLs. */
  check: defineOperation<CheckOutput>()({
    input: CheckInputSchema,
    errors: ['INVALID_INPUT', 'CA_UNREADABLE', 'CA_INVALID'],
    inputErrors: ['CA_UNREADABLE', 'CA_INVALID'],
    progress: true,
  }),
} as const;
