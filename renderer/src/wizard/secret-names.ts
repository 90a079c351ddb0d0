import { isSecretRef } from '../../../shared/contract/plan.js';

/** @@wss-setup-secret:<ref>@@ in planned content (server.xml); `keep:<n>` refs are filled from the file itself. */
const PLACEHOLDER = /@@wss-setup-secret:([\w:.-]+)@@/g;

/** Every secret the plan refers to ({secretRef: name} or a content placeholder) — apply asks for their values, never stored. */
export function secretNames(value: unknown, found: Set<string> = new Set()): string[] {
  if (isSecretRef(value)) found.add(value.secretRef);
  else if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) if (!m[1]!.startsWith('keep:')) found.add(m[1]!);
  } else if (Array.isArray(value)) for (const item of value) secretNames(item, found);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) secretNames(item, found);
  return [...found].sort();
}
