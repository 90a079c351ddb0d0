import { isSecretRef } from '../../../shared/contract/plan.js';

/** Every secret the plan refers to ({secretRef: name}) — apply asks for their values, never stored. */
export function secretNames(value: unknown, found: Set<string> = new Set()): string[] {
  if (isSecretRef(value)) found.add(value.secretRef);
  else if (Array.isArray(value)) for (const item of value) secretNames(item, found);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) secretNames(item, found);
  return [...found].sort();
}
